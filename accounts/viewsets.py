"""API tokens in the admin: Wagtail's own views, with an expiry column and Suksa's
token rules (``accounts.tokens``) when a token is made.

Everyone with a token permission (staff roles) lists, makes and revokes their own
tokens; administrators (who may change users) those of everyone.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.users.utils import user_can_manage_token
from wagtail.users.views import api_tokens

from access.admin import PolicyViewSetMixin
from audit.services import audit_record

from .tokens import token_create, token_expires_at
from .two_factor import session_verified


class TokenIndexView(api_tokens.IndexView):
    @cached_property
    def columns(self):
        return [
            *super().columns,
            Column("expires", label=_("Expires"), accessor=token_expires_at),
        ]


class TokenCreateView(api_tokens.CreateView):
    def form_valid(self, form):
        owner = form.cleaned_data["user"]
        if not user_can_manage_token(
            self.request.user, owner, "wagtailcore.add_apitoken"
        ):
            raise PermissionDenied
        try:
            self.object, plaintext = token_create(
                user=owner,
                name=form.cleaned_data["name"],
                second_factor=session_verified(self.request),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        log(self.object, "wagtail.apitoken.create", user=self.request.user)
        audit_record(action="api_token.create", request=self.request, obj=self.object)
        return TemplateResponse(
            self.request,
            "wagtailusers/api_tokens/created.html",
            self.get_created_context(plaintext),
        )


class TokenRevokeView(api_tokens.RevokeView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        audit_record(action="api_token.revoke", request=request, obj=self.object)
        return response


class ApiTokenViewSet(PolicyViewSetMixin, api_tokens.APITokenViewSet):
    index_view_class = TokenIndexView
    add_view_class = TokenCreateView
    delete_view_class = TokenRevokeView


api_token_viewset = ApiTokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")


# Wagtail ships no Lao catalogue; its strings on these pages are translated in
# Suksa's (locale/lo), and listed here so that makemessages keeps them.
WAGTAIL_API_TOKEN_STRINGS = (
    gettext_noop("API token"),
    gettext_noop("API tokens"),
    gettext_noop("API token created"),
    gettext_noop("API token '%(name)s' revoked."),
    gettext_noop("Are you sure you want to revoke this API token?"),
    gettext_noop("A human-readable label to identify this token."),
    gettext_noop("Token"),
    gettext_noop("User"),
    gettext_noop("Created"),
    gettext_noop("Last used"),
    gettext_noop("Revoked"),
    gettext_noop("Never"),
    gettext_noop("Yes, revoke"),
    gettext_noop("No, don't revoke"),
    gettext_noop("Copy token"),
    gettext_noop("Back to API tokens"),
    gettext_noop("Copied to clipboard"),
    gettext_noop(
        'The token "%(name)s" has been created, copy it now, it will never be '
        "shown again."
    ),
)
