"""Certificates and their templates in the Wagtail admin.

Certificates are never typed in: the services issue, revoke and re-issue them. The
generic add, edit and delete screens are therefore closed to everyone, whatever their
model permissions; those permissions decide who may use the screens in admin_views
(``add`` issues, ``change`` revokes).
"""

from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton, ListingButton

from access.admin import PolicyModelViewSet
from common.admin_views import ScopedObjectMixin

from . import admin_views
from .models import Certificate, CertificateTemplate
from .selectors import certificates_visible_to

SERVICE_ONLY_ACTIONS = frozenset({"add", "change", "delete"})


class ServiceOnlyMixin:
    """No generic screen adds, edits or deletes a certificate."""

    def user_has_permission(self, permission):
        if permission in SERVICE_ONLY_ACTIONS:
            return False
        return super().user_has_permission(permission)

    def user_has_any_permission(self, permissions):
        allowed = set(permissions) - SERVICE_ONLY_ACTIONS
        return bool(allowed) and super().user_has_any_permission(allowed)

    def user_has_permission_for_instance(self, permission, instance):
        if permission in SERVICE_ONLY_ACTIONS:
            return False
        return super().user_has_permission_for_instance(permission, instance)


def _local(moment) -> str:
    if moment is None:
        return ""
    return date_format(localtime(moment), "SHORT_DATETIME_FORMAT")


class VisibleCertificateMixin(ScopedObjectMixin):
    def get_scope(self):
        return certificates_visible_to(self.request.user)


class CertificateIndexView(ServiceOnlyMixin, generic.IndexView):
    def get_base_queryset(self):
        return certificates_visible_to(self.request.user)

    def get_edit_url(self, instance):
        # The number opens the certificate (there is no edit screen).
        return self.get_inspect_url(instance)


class CertificateInspectView(
    ServiceOnlyMixin, VisibleCertificateMixin, generic.InspectView
):
    template_name = "certificates/admin/certificate_inspect.html"

    def get_fields_context(self):
        hidden = set()
        if self.object.status != Certificate.Status.REVOKED:
            hidden |= {"revoked_at", "revoked_by", "revoked_reason"}
        if not self.object.replaces_id:
            hidden.add("replaces")
        return [
            self.get_context_for_field(name)
            for name in self.fields
            if name not in hidden
        ]

    # In the user's time zone (the generic display shows UTC).
    def get_issued_at_display_value(self):
        return _local(self.object.issued_at)

    def get_revoked_at_display_value(self):
        return _local(self.object.revoked_at)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(admin_views.certificate_actions(self.request, self.object))
        return context


class CertificateHistoryView(
    ServiceOnlyMixin, VisibleCertificateMixin, history.HistoryView
):
    # Issue, revoke and replace are logged: whoever sees a certificate may read them.
    any_permission_required = ["view"]


class CertificateCreateView(ServiceOnlyMixin, generic.CreateView):
    pass


class CertificateEditView(ServiceOnlyMixin, VisibleCertificateMixin, generic.EditView):
    pass


class CertificateDeleteView(
    ServiceOnlyMixin, VisibleCertificateMixin, generic.DeleteView
):
    pass


class CertificateUsageView(ServiceOnlyMixin, VisibleCertificateMixin, usage.UsageView):
    pass


class CertificateViewSet(PolicyModelViewSet):
    model = Certificate
    name = "certificates"
    icon = "tick-inverse"
    menu_order = 100
    index_view_class = CertificateIndexView
    add_view_class = CertificateCreateView
    edit_view_class = CertificateEditView
    delete_view_class = CertificateDeleteView
    history_view_class = CertificateHistoryView
    usage_view_class = CertificateUsageView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # The (closed) add and edit screens still need a form class to be built.
    form_fields = ["status"]
    list_display = [
        "number",
        "holder_name",
        Column("session", label=_("Session"), accessor="enrolment.session.code"),
        "status",
        "issued_on",
    ]
    list_filter = ["status", "enrolment__session__course"]
    search_fields = ["number", "holder_name"]
    list_export = [
        "number",
        "holder_name",
        "holder_latin_name",
        "enrolment.session.code",
        "get_status_display",
        "issued_on",
        "issued_at",
        "revoked_at",
        "revoked_reason",
    ]
    export_headings = {
        "enrolment.session.code": _("Session"),
        "get_status_display": _("Status"),
    }
    inspect_view_fields = [
        "number",
        "holder_name",
        "holder_latin_name",
        "enrolment",
        "status",
        "issued_on",
        "issued_at",
        "issued_by",
        "revoked_at",
        "revoked_by",
        "revoked_reason",
        "replaces",
    ]
    ordering = ["-issued_on", "-issued_at"]

    def get_queryset(self, request):
        return certificates_visible_to(request.user)

    @property
    def url_finder_class(self):
        # Links from the audit log open the certificate, not the closed edit screen.
        return type(
            "CertificateURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "pdf/<int:pk>/",
                admin_views.certificate_download,
                name="pdf",
            ),
            path(
                "revoke/<int:pk>/",
                admin_views.CertificateRevokeView.as_view(),
                name="revoke",
            ),
            path(
                "issue-date/<int:pk>/",
                admin_views.CertificateIssueDateView.as_view(),
                name="issue_date",
            ),
            path(
                "reissue/<int:pk>/",
                admin_views.CertificateReissueView.as_view(),
                name="reissue",
            ),
            path(
                "session/<str:pk>/issue/",
                admin_views.SessionIssueView.as_view(),
                name="issue",
            ),
            path(
                "session/<str:pk>/issue/<int:enrolment>/",
                admin_views.EnrolmentIssueView.as_view(),
                name="issue_one",
            ),
            path("jobs/<int:job_id>/", admin_views.JobView.as_view(), name="job"),
            path(
                "jobs/<int:job_id>/status/",
                admin_views.job_status,
                name="job_status",
            ),
            path(
                "jobs/<int:job_id>/certificates.<str:file_format>",
                admin_views.job_download,
                name="job_download",
            ),
        ]


PREVIEW_LABEL = _("Preview (PDF)")


def _preview_url(template) -> str:
    return reverse("certificate_templates:preview", args=[template.pk])


class CertificateTemplateIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("change"):
            buttons.append(
                ListingButton(
                    PREVIEW_LABEL,
                    url=_preview_url(instance),
                    icon_name="view",
                    attrs={"target": "_blank", "rel": "noopener"},
                    priority=5,
                )
            )
        return buttons


class CertificateTemplateEditView(generic.EditView):
    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                PREVIEW_LABEL,
                url=_preview_url(self.object),
                icon_name="view",
                attrs={"target": "_blank", "rel": "noopener"},
            ),
        ]


class CertificateTemplateViewSet(PolicyModelViewSet):
    """What a certificate shows, from the national header to the seal: staff change
    it without code, and preview a sample certificate."""

    model = CertificateTemplate
    name = "certificate_templates"
    icon = "doc-full-inverse"
    menu_order = 200
    copy_view_enabled = False
    index_view_class = CertificateTemplateIndexView
    edit_view_class = CertificateTemplateEditView
    list_display = ["name", "course", "updated_at"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("course"),
        MultiFieldPanel(
            [
                FieldPanel("national_header_lo"),
                FieldPanel("national_header_en"),
                FieldPanel("motto_lo"),
                FieldPanel("motto_en"),
            ],
            heading=_("National header and motto"),
        ),
        MultiFieldPanel(
            [FieldPanel("heading_lo"), FieldPanel("heading_en")],
            heading=_("Heading"),
        ),
        MultiFieldPanel(
            [FieldPanel("statement_lo"), FieldPanel("statement_en")],
            heading=_("Statement"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("issuer_lo"),
                FieldPanel("issuer_en"),
                FieldPanel("logo"),
                FieldPanel("seal"),
            ],
            heading=_("Issuing organisation"),
        ),
        InlinePanel(
            "partner_logos",
            heading=_("Partner logos"),
            label=_("Partner logo"),
            panels=[FieldPanel("image"), FieldPanel("name")],
        ),
        MultiFieldPanel(
            [FieldPanel("place_lo"), FieldPanel("place_en")],
            heading=_("Place of issue"),
        ),
        InlinePanel(
            "signatories",
            heading=_("Signatories"),
            label=_("Signatory"),
            panels=[
                FieldPanel("name"),
                FieldPanel("title_lo"),
                FieldPanel("title_en"),
                FieldPanel("signature"),
            ],
        ),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "preview/<int:pk>/",
                admin_views.TemplatePreviewView.as_view(),
                name="preview",
            ),
        ]


class CertificatesViewSetGroup(ModelViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "tick-inverse"
    menu_order = 110
    items = (CertificateViewSet, CertificateTemplateViewSet)
