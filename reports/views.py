"""Report pages in the Wagtail admin; thin: they parse filters and call the report."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from periods.models import PeriodApproval
from periods.services import period_approve, period_unapprove

from .charts import bar_chart
from .dhis2 import dhis2_status
from .export_files import (
    DHIS2,
    PEOPLE,
    REPORT,
    ExportFile,
    ExportRefused,
    export_allowed,
    export_file,
)
from .filters import (
    filters_from_request,
    user_reads_reports,
    user_sees_people_lists,
)
from .forms import ApprovalForm, UnapprovalForm
from .report import report_build
from .scope import filters_described, filters_summary
from .sentences import number

logger = logging.getLogger(__name__)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _check_reader(request) -> None:
    if not user_reads_reports(request.user):
        raise PermissionDenied


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/admin/report.html"
    page_title = gettext_lazy("Reports")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        _check_reader(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": _("Reports")}]

    def get_context_data(self, **kwargs):
        # The page opens on this year, as the dashboard does: all time at national
        # scale takes seconds, and is one click away ("All time").
        form, filters = filters_from_request(
            self.request, default_year=timezone.localdate().year
        )
        report = report_build(filters)
        query = urlencode(filters.as_query())
        return super().get_context_data(
            form=form,
            report=report,
            scope=filters_summary(filters),
            filters_described=filters_described(filters),
            summary_chart=bar_chart(
                title=_("Summary"), rows=report.summary_rows(), value_format=number
            ),
            charts=report.charts(),
            query=query,
            can_see_people=user_sees_people_lists(self.request.user),
            can_approve=user_approves_periods(self.request.user),
            dhis2=dhis2_status(filters),
            export_job_hours=settings.SUKSA_EXPORT_JOB_HOURS,
            **kwargs,
        )


def _file_response(file: ExportFile) -> HttpResponse:
    response = _attachment(file.content, file.content_type, file.filename)
    for name, value in file.headers.items():
        response[name] = value
    return response


def _export(request, kind: str, fmt: str) -> HttpResponse:
    """A download made in the request (``reports.jobs`` makes the same in the
    background)."""
    if not export_allowed(request.user, kind):
        raise PermissionDenied
    try:
        file = export_file(
            kind, fmt, request.GET, user=request.user, language=get_language()
        )
    except ExportRefused as refused:
        return HttpResponse(
            refused.message,
            content_type="text/plain; charset=utf-8",
            status=refused.status,
        )
    return _file_response(file)


def report_export(request, fmt: str):
    return _export(request, REPORT, fmt)


def people_export(request, fmt: str):
    """The people behind "people trained": managers and administrators only."""
    return _export(request, PEOPLE, fmt)


def dhis2_export(request, fmt: str):
    """A DHIS2 file (``docs/dhis2.md``): JSON or CSV ``dataValueSets``, or ADX."""
    return _export(request, DHIS2, fmt)


# Period approval ----------------------------------------------------------------------


def user_approves_periods(user) -> bool:
    return user.has_perm("periods.change_periodapproval")


def _check_approver(request) -> None:
    if not user_approves_periods(request.user):
        raise PermissionDenied


class ApprovalListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/admin/approvals.html"
    page_title = gettext_lazy("Approved periods")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        _check_approver(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reports_index"), "label": _("Reports")},
            {"url": "", "label": self.get_page_title()},
        ]

    def post(self, request, *args, **kwargs):
        form = ApprovalForm(request.POST)
        if form.is_valid():
            try:
                approval = period_approve(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(period)s of %(district)s is approved.")
                    % {"period": approval.label, "district": approval.district.name},
                )
                return redirect("reports_approvals")
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        approvals = PeriodApproval.objects.select_related(
            "district__province", "approved_by", "revoked_by"
        ).order_by("-approved_at")
        show = self.request.GET.get("show")
        if show != "all":
            approvals = approvals.filter(revoked_at__isnull=True)
        page = Paginator(approvals, 50).get_page(self.request.GET.get("p"))
        kwargs.setdefault("form", ApprovalForm())
        return super().get_context_data(page=page, show_all=show == "all", **kwargs)


class UnapproveView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/admin/unapprove.html"
    page_title = gettext_lazy("Un-approve a period")
    header_icon = "lock-open"

    def dispatch(self, request, *args, **kwargs):
        _check_approver(request)
        self.approval = get_object_or_404(
            PeriodApproval.objects.select_related("district"),
            pk=kwargs["pk"],
            revoked_at__isnull=True,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reports_index"), "label": _("Reports")},
            {"url": reverse("reports_approvals"), "label": _("Approved periods")},
            {"url": "", "label": self.get_page_title()},
        ]

    def post(self, request, *args, **kwargs):
        form = UnapprovalForm(request.POST)
        if form.is_valid():
            try:
                period_unapprove(
                    approval=self.approval,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(period)s of %(district)s is un-approved; its data can change.")
                    % {
                        "period": self.approval.label,
                        "district": self.approval.district.name,
                    },
                )
                return redirect("reports_approvals")
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", UnapprovalForm())
        return super().get_context_data(approval=self.approval, **kwargs)
