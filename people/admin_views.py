"""Admin screens for a person's data: a copy on request, erasure, finding by phone.

Exports and erasure are for administrators only (they answer a person's request). The
phone search is a POST form, so a number never lands in a URL, the browser history or
a server log.
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from access import policy
from audit.services import audit_record
from common.phones import phone_key, phone_masked

from .privacy import person_data_export, person_data_summary, person_erase


def user_may_handle_data_requests(user) -> bool:
    return policy.handles_data_requests(user)


def _people_visible_to(user):
    return policy.people_visible(user)


class PersonDataView(WagtailAdminTemplateMixin, TemplateView):
    """A page about one person the user may see (404 otherwise), administrators only."""

    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(
            _people_visible_to(request.user), pk=kwargs["pk"]
        )
        if not user_may_handle_data_requests(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.person)

    def inspect_url(self) -> str:
        return reverse("people:inspect", args=[self.person.pk])

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("people:index"), "label": _("People")},
            {"url": self.inspect_url(), "label": str(self.person)},
            {"url": "", "label": self.get_page_title()},
        ]


class PersonExportView(PersonDataView):
    template_name = "people/admin/person_export.html"
    page_title = gettext_lazy("Personal data")

    def get(self, request, *args, **kwargs):
        data = person_data_export(person=self.person)
        log(self.person, "suksa.person.export", user=request.user)
        audit_record(action="personal_data.export", request=request, obj=self.person)
        if request.GET.get("download") == "json":
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="person-{self.person.pk}.json"'
            )
            return response
        context = self.get_context_data(
            sections=person_data_summary(data=data),
            cancel_url=self.inspect_url(),
            **kwargs,
        )
        return self.render_to_response(context)


class PersonEraseView(PersonDataView):
    template_name = "people/admin/person_erase.html"
    page_title = gettext_lazy("Erase personal data")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            enrolment_count=self.person.enrolments.count(),
            certificate_count=self.person.enrolments.aggregate(
                count=Count("certificates")
            )["count"],
            cancel_url=self.inspect_url(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.person.erased_at is not None:
            messages.info(request, _("This person's data was already erased."))
            return redirect(self.inspect_url())
        reason = " ".join(request.POST.get("reason", "").split())
        if request.POST.get("confirm") != "yes" or not reason:
            messages.error(
                request,
                _("Say why the data is erased and tick the box to confirm."),
            )
            return self.render_to_response(self.get_context_data(reason=reason))
        person_erase(person=self.person, by=request.user, reason=reason)
        messages.success(
            request,
            _(
                "The person's data is erased. Their trainings still count; their "
                "certificates are revoked."
            ),
        )
        return redirect(self.inspect_url())


class PersonPhoneSearchView(WagtailAdminTemplateMixin, TemplateView):
    """Find people by phone number, sent by POST so it stays out of URLs and logs."""

    template_name = "people/admin/person_phone_search.html"
    page_title = gettext_lazy("Find by phone number")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not policy.sees_phone_numbers(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("people:index"), "label": _("People")},
            {"url": "", "label": self.get_page_title()},
        ]

    def post(self, request, *args, **kwargs):
        digits = phone_key(request.POST.get("phone", ""))
        if len(digits) < 4:
            messages.error(request, _("Type at least 4 digits of the phone number."))
            return self.render_to_response(self.get_context_data())
        people = _people_visible_to(request.user).filter(phone_key__contains=digits)[
            :50
        ]
        results = [
            {
                "person": person,
                "phone": phone_masked(person.phone),
                "url": reverse("people:edit", args=[person.pk]),
            }
            for person in people
        ]
        return self.render_to_response(
            self.get_context_data(results=results, searched=True)
        )
