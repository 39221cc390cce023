"""Two-step sign-in pages in the Wagtail admin: verify after the password; set up."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from audit.services import audit_record

from . import totp
from .models import TwoFactorDevice
from .two_factor import (
    TwoFactorLockedOut,
    recovery_codes_left,
    recovery_codes_new,
    session_mark_verified,
    session_verified,
    two_factor_device,
    two_factor_disable,
    two_factor_enrol_confirm,
    two_factor_enrol_start,
    two_factor_required,
    two_factor_verify,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text"}
        ),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def two_factor_verify_view(request):
    """The second step of signing in, for users with an authenticator app."""
    if two_factor_device(request.user) is None or session_verified(request):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            method = two_factor_verify(
                user=request.user,
                code=form.cleaned_data["code"],
                session_key=request.session.session_key or "",
            )
        except ValidationError as error:
            form.add_error("code", error)
            _audit_refused(request, error)
        else:
            session_mark_verified(request)
            audit_record(
                action="login.two_factor",
                user=request.user,
                request=request,
                summary=method,
            )
            return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )


def _audit_refused(request, error: ValidationError) -> None:
    if not isinstance(error, TwoFactorLockedOut):
        action = "login.two_factor_failure"
    elif error.just_locked:
        audit_record(
            action="login.two_factor_failure", user=request.user, request=request
        )
        action = "login.two_factor_lockout"
    else:
        action = "login.two_factor_locked"
    audit_record(action=action, user=request.user, request=request)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TwoFactorManageView(WagtailAdminTemplateMixin, TemplateView):
    """Set up, check or turn off two-step sign-in for one's own account."""

    template_name = "accounts/two_factor_manage.html"
    page_title = gettext_lazy("Two-step sign-in")
    header_icon = "lock"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_account"), "label": _("Account")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        device = two_factor_device(user)
        pending = None
        if device is None:
            pending = TwoFactorDevice.objects.filter(user=user).first()
        context.update(
            device=device,
            required=two_factor_required(user),
            recovery_left=recovery_codes_left(user) if device else 0,
            form=kwargs.get("form") or CodeForm(),
            password_form=kwargs.get("password_form") or PasswordForm(),
            recovery_codes=kwargs.get("recovery_codes"),
        )
        if pending is not None:
            uri = totp.provisioning_uri(
                pending.secret,
                account=user.get_username(),
                issuer=settings.WAGTAIL_SITE_NAME,
            )
            context.update(pending=pending, qr=totp.qr_svg(uri))
        return context

    def post(self, request, *args, **kwargs):
        user = request.user
        action = request.POST.get("action")
        try:
            if action == "start":
                password_form = PasswordForm(request.POST)
                if not password_form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(password_form=password_form)
                    )
                two_factor_enrol_start(
                    user=user,
                    password=password_form.cleaned_data["password"],
                    request=request,
                )
            elif action == "confirm":
                form = CodeForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                codes = two_factor_enrol_confirm(
                    user=user, code=form.cleaned_data["code"]
                )
                session_mark_verified(request)
                audit_record(action="two_factor.enrol", user=user, request=request)
                messages.success(request, _("Two-step sign-in is on."))
                return self.render_to_response(
                    self.get_context_data(recovery_codes=codes)
                )
            elif action == "recovery" and two_factor_device(user) is not None:
                codes = recovery_codes_new(user=user)
                audit_record(action="two_factor.recovery", user=user, request=request)
                return self.render_to_response(
                    self.get_context_data(recovery_codes=codes)
                )
            elif action == "disable":
                two_factor_disable(user=user)
                audit_record(action="two_factor.disable", user=user, request=request)
                messages.success(request, _("Two-step sign-in is off."))
        except ValidationError as error:
            if action == "start":
                password_form = PasswordForm(request.POST)
                password_form.is_valid()
                password_form.add_error(None, error)
                return self.render_to_response(
                    self.get_context_data(password_form=password_form)
                )
            if action == "confirm":
                form = CodeForm(request.POST)
                form.is_valid()
                form.add_error("code", error)
                return self.render_to_response(self.get_context_data(form=form))
            for message in error.messages:
                messages.error(request, message)
        return redirect("accounts_two_factor")
