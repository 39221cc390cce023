"""Report pages in the Wagtail admin; thin: they parse filters and call the report."""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from common.sheets import rows_to_csv, rows_to_xlsx
from periods.models import PeriodApproval
from periods.services import period_approve, period_unapprove

from .charts import bar_chart
from .dhis2 import FORMATS as DHIS2_FORMATS
from .dhis2 import PERIODS as DHIS2_PERIODS
from .dhis2 import Dhis2MappingError, dhis2_file, dhis2_status
from .exports import people_rows, report_csv, report_pdf, report_xlsx
from .filters import (
    ReportFilterForm,
    filters_from_request,
    user_reads_reports,
    user_sees_people_lists,
)
from .forms import ApprovalForm, UnapprovalForm
from .report import report_build
from .scope import filter_rows, filters_described, filters_summary, period_slug
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
            **kwargs,
        )


def report_export(request, fmt: str):
    _check_reader(request)
    _form, filters = filters_from_request(request)
    stamp = period_slug(filters)
    if fmt == "csv":
        return _attachment(
            report_csv(report_build(filters)),
            "text/csv; charset=utf-8",
            f"suksa-report-{stamp}.csv",
        )
    if fmt == "xlsx":
        return _attachment(
            report_xlsx(report_build(filters)),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"suksa-report-{stamp}.xlsx",
        )
    if fmt == "pdf":
        language = request.GET.get("language") or get_language()
        if language not in ("lo", "en"):
            language = "lo"
        content = report_pdf(filters, language=language)
        return _attachment(
            content, "application/pdf", f"suksa-report-{stamp}-{language}.pdf"
        )
    raise Http404


def people_export(request, fmt: str):
    """The people behind "people trained": managers and administrators only."""
    if not user_sees_people_lists(request.user):
        raise PermissionDenied
    _form, filters = filters_from_request(request)
    preamble = filter_rows(filters, title=_("People trained"), outreach=False)
    rows = preamble + people_rows(filters, user=request.user)
    stamp = period_slug(filters)
    if fmt == "csv":
        return _attachment(
            rows_to_csv(rows), "text/csv; charset=utf-8", f"suksa-trained-{stamp}.csv"
        )
    if fmt == "xlsx":
        return _attachment(
            rows_to_xlsx(rows, title=_("People trained"), header_row=len(preamble) + 1),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"suksa-trained-{stamp}.xlsx",
        )
    raise Http404


DHIS2_CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "adx": "application/adx+xml",
}
# The report filters and the period of the DHIS2 file; anything else is a mistake.
DHIS2_PARAMETERS = {*ReportFilterForm.base_fields, "dhis2_period"}


def _bad_request(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def dhis2_export(request, fmt: str):
    """A DHIS2 file (``docs/dhis2.md``): JSON or CSV ``dataValueSets``, or ADX."""
    _check_reader(request)
    if fmt not in DHIS2_FORMATS:
        return _bad_request(
            _("Unknown DHIS2 format “%(value)s”. Accepted: %(accepted)s.")
            % {"value": fmt, "accepted": ", ".join(DHIS2_FORMATS)}
        )
    unknown = sorted(set(request.GET) - DHIS2_PARAMETERS)
    if unknown:
        return _bad_request(
            _("Unknown query parameters: %(unknown)s. Accepted: %(accepted)s.")
            % {
                "unknown": ", ".join(unknown),
                "accepted": ", ".join(sorted(DHIS2_PARAMETERS)),
            }
        )
    period = request.GET.get("dhis2_period", "quarter")
    if period not in DHIS2_PERIODS:
        return _bad_request(
            _("Unknown DHIS2 period “%(value)s”. Accepted: %(accepted)s.")
            % {"value": period, "accepted": ", ".join(DHIS2_PERIODS)}
        )
    _form, filters = filters_from_request(request)
    try:
        content, unmapped = dhis2_file(filters, fmt=fmt, period=period)
    except Dhis2MappingError as error:
        logger.error("DHIS2 export refused: %s", error)
        return HttpResponse(
            _("The DHIS2 mapping cannot make this file: %(errors)s")
            % {"errors": "; ".join(error.errors)},
            content_type="text/plain; charset=utf-8",
            status=500,
        )
    stamp = period_slug(filters)
    response = _attachment(
        content, DHIS2_CONTENT_TYPES[fmt], f"suksa-dhis2-{stamp}.{fmt}"
    )
    # Districts left out for want of an organisation unit (also said on the page).
    response["X-Suksa-Unmapped-Districts"] = " ".join(d.code for d in unmapped)
    return response


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
