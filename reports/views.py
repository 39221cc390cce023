"""Report pages in the Wagtail admin; thin: they parse filters and call the report."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from access import policy
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
    ReportFilters,
    filters_from_request,
    user_reads_reports,
    user_sees_people_lists,
)
from .forms import ApprovalForm, ResultsForm, UnapprovalForm
from .outcome import has_figures, outcome_report
from .outcome_exports import outcome_docx, outcome_pdf, outcome_title
from .report import report_build
from .results import project_results, results_pdf, results_xlsx
from .scope import (
    filters_described,
    filters_summary,
    period_label,
    period_slug,
)
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


def _bad_request(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


# Results of a project: indicators, targets, actuals ------------------------------


def _results_choice(request) -> tuple[ResultsForm, ReportFilters]:
    """The form and the (unscoped) project and period of a results request;
    ``project_results`` applies the user's scope to each line."""
    form = ResultsForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    return form, form.filters()


class ResultsView(WagtailAdminTemplateMixin, TemplateView):
    """A project's indicators: baseline, target, actual and % of target for a
    period (all time unless chosen)."""

    template_name = "reports/admin/results.html"
    page_title = gettext_lazy("Results")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        _check_reader(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reports_index"), "label": _("Reports")},
            {"url": "", "label": _("Results")},
        ]

    def get_context_data(self, **kwargs):
        form, filters = _results_choice(self.request)
        project, results = filters.project, []
        if project is not None:
            results = project_results(
                project=project,
                user=self.request.user,
                date_from=filters.date_from,
                date_to=filters.date_to,
            )
        return super().get_context_data(
            form=form,
            project=project,
            results=results,
            period=period_label(filters),
            query=urlencode(filters.as_query()),
            projects=policy.projects_visible(self.request.user),
            **kwargs,
        )


def results_export(request, fmt: str):
    _check_reader(request)
    _form, filters = _results_choice(request)
    project = filters.project
    if project is None or fmt not in ("xlsx", "pdf"):
        raise Http404
    stamp = f"{slugify(project.code)}-{period_slug(filters)}"
    if fmt == "xlsx":
        results = project_results(
            project=project,
            user=request.user,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
        return _attachment(
            results_xlsx(project, filters, results),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"suksa-results-{stamp}.xlsx",
        )
    language = request.GET.get("language") or get_language()
    if language not in ("lo", "en"):
        language = "lo"
    content = results_pdf(
        project=project, filters=filters, user=request.user, language=language
    )
    return _attachment(
        content, "application/pdf", f"suksa-results-{stamp}-{language}.pdf"
    )


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


# The outcome report ---------------------------------------------------------------

OUTCOME_LANGUAGES = ("lo", "en")
# A section's text as edited (a report is a few pages, not a book).
OUTCOME_TEXT_LIMIT = 20_000


def _outcome_language(request) -> str:
    language = request.GET.get("lang") or get_language()
    return language if language in OUTCOME_LANGUAGES else "lo"


class OutcomeReportView(WagtailAdminTemplateMixin, TemplateView):
    """The donor's outcome report drafted from the records, in editable boxes; the
    buttons post the edited text back as a DOCX or a PDF (nothing is stored)."""

    template_name = "reports/admin/outcome.html"
    page_title = gettext_lazy("Outcome report")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        _check_reader(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("reports_index"), "label": _("Reports")},
            {"url": "", "label": self.get_page_title()},
        ]

    def _draft(self):
        form, filters = filters_from_request(
            self.request, default_year=timezone.localdate().year
        )
        language = _outcome_language(self.request)
        sections = outcome_report(filters, language=language, user=self.request.user)
        with translation.override(language):
            subtitle = filters_summary(filters)
            title = outcome_title()
        return form, filters, language, sections, title, subtitle

    def get_context_data(self, **kwargs):
        form, filters, language, sections, title, subtitle = self._draft()
        query = filters.as_query()
        return super().get_context_data(
            form=form,
            sections=sections,
            has_figures=has_figures(sections),
            language=language,
            languages=[
                (code, _("Lao") if code == "lo" else _("English"))
                for code in OUTCOME_LANGUAGES
            ],
            query=urlencode({**query, "lang": language}),
            query_without_language=query,
            report_title=title,
            subtitle=subtitle,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        fmt = request.POST.get("format")
        if fmt not in ("docx", "pdf"):
            return _bad_request(_("Choose DOCX or PDF."))
        _form, filters, language, sections, title, subtitle = self._draft()
        for section in sections:
            edited = request.POST.get(f"text_{section.key}")
            if edited is not None:
                section.text = edited[:OUTCOME_TEXT_LIMIT]
        stamp = f"{period_slug(filters)}-{language}"
        if fmt == "docx":
            return _attachment(
                outcome_docx(sections, title=title, subtitle=subtitle),
                "application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document",
                f"suksa-outcome-{stamp}.docx",
            )
        return _attachment(
            outcome_pdf(sections, title=title, subtitle=subtitle, language=language),
            "application/pdf",
            f"suksa-outcome-{stamp}.pdf",
        )
