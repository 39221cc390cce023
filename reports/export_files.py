"""The Reports page's downloads as files: the report (CSV, XLSX, PDF), the list of the
people trained (CSV, XLSX) and the DHIS2 file (JSON, CSV, ADX).

One function makes each file from a query and a user, so that a direct download
(``reports.views``) and the same download prepared in the background
(``reports.jobs``) give the same file, scoped by the same rules.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext as _

from common.sheets import rows_to_csv, rows_to_xlsx

from .dhis2 import FORMATS as DHIS2_FORMATS
from .dhis2 import PERIODS as DHIS2_PERIODS
from .dhis2 import Dhis2MappingError, dhis2_file
from .exports import people_rows, report_csv, report_pdf, report_xlsx
from .filters import (
    ReportFilterForm,
    filters_from_query,
    user_reads_reports,
    user_sees_people_lists,
)
from .report import report_build
from .scope import filter_rows, period_slug

logger = logging.getLogger(__name__)

REPORT, PEOPLE, DHIS2 = "report", "people", "dhis2"
FORMATS = {
    REPORT: ("csv", "xlsx", "pdf"),
    PEOPLE: ("csv", "xlsx"),
    DHIS2: DHIS2_FORMATS,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
DHIS2_CONTENT_TYPES = {
    "json": "application/json",
    "csv": CSV,
    "adx": "application/adx+xml",
}
# The report filters and the period of the DHIS2 file; anything else is a mistake.
DHIS2_PARAMETERS = {*ReportFilterForm.base_fields, "dhis2_period"}
PDF_LANGUAGES = ("lo", "en")


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    headers: dict[str, str] = field(default_factory=dict)


class ExportRefused(Exception):
    """The query cannot make this file; ``message`` says why (plain text)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def export_allowed(user, kind: str) -> bool:
    """Who may have the file: the people list for those who open the lists of
    people behind a figure, the rest for those who read reports."""
    if kind == PEOPLE:
        return user_sees_people_lists(user)
    return user_reads_reports(user)


def export_check(kind: str, fmt: str, query) -> None:
    """Refuse a format or query the file cannot be made from: ``Http404`` for the
    report and the people list (as their URLs did), ``ExportRefused`` for DHIS2."""
    if kind not in FORMATS:
        raise Http404
    if kind != DHIS2:
        if fmt not in FORMATS[kind]:
            raise Http404
        return
    if fmt not in DHIS2_FORMATS:
        raise ExportRefused(
            _("Unknown DHIS2 format “%(value)s”. Accepted: %(accepted)s.")
            % {"value": fmt, "accepted": ", ".join(DHIS2_FORMATS)}
        )
    unknown = sorted(set(query) - DHIS2_PARAMETERS)
    if unknown:
        raise ExportRefused(
            _("Unknown query parameters: %(unknown)s. Accepted: %(accepted)s.")
            % {
                "unknown": ", ".join(unknown),
                "accepted": ", ".join(sorted(DHIS2_PARAMETERS)),
            }
        )
    period = query.get("dhis2_period", "quarter")
    if period not in DHIS2_PERIODS:
        raise ExportRefused(
            _("Unknown DHIS2 period “%(value)s”. Accepted: %(accepted)s.")
            % {"value": period, "accepted": ", ".join(DHIS2_PERIODS)}
        )


def _no_step(percent: int) -> None:
    return None


def export_file(
    kind: str,
    fmt: str,
    query,
    *,
    user,
    language: str,
    step: Callable[[int], None] = _no_step,
) -> ExportFile:
    """The file, for this user (their scope, their view of phone numbers).

    ``query`` is the download's query (a ``QueryDict``); ``language`` the reader's,
    for a PDF without ``language=``. ``step(percent)`` is told how far it got."""
    export_check(kind, fmt, query)
    _form, filters = filters_from_query(query, user)
    stamp = period_slug(filters)
    if kind == REPORT:
        if fmt == "pdf":
            language = query.get("language") or language
            if language not in PDF_LANGUAGES:
                language = "lo"
            content = report_pdf(filters, language=language)
            return ExportFile(
                content, "application/pdf", f"suksa-report-{stamp}-{language}.pdf"
            )
        report = report_build(filters)
        step(60)
        if fmt == "csv":
            return ExportFile(report_csv(report), CSV, f"suksa-report-{stamp}.csv")
        return ExportFile(report_xlsx(report), XLSX, f"suksa-report-{stamp}.xlsx")
    if kind == PEOPLE:
        preamble = filter_rows(filters, title=_("People trained"), outreach=False)
        rows = preamble + people_rows(filters, user=user)
        step(60)
        if fmt == "csv":
            return ExportFile(rows_to_csv(rows), CSV, f"suksa-trained-{stamp}.csv")
        return ExportFile(
            rows_to_xlsx(rows, title=_("People trained"), header_row=len(preamble) + 1),
            XLSX,
            f"suksa-trained-{stamp}.xlsx",
        )
    period = query.get("dhis2_period", "quarter")
    try:
        content, unmapped = dhis2_file(filters, fmt=fmt, period=period)
    except Dhis2MappingError as error:
        logger.error("DHIS2 export refused: %s", error)
        raise ExportRefused(
            _("The DHIS2 mapping cannot make this file: %(errors)s")
            % {"errors": "; ".join(error.errors)},
            status=500,
        ) from error
    return ExportFile(
        content,
        DHIS2_CONTENT_TYPES[fmt],
        f"suksa-dhis2-{stamp}.{fmt}",
        # Districts left out for want of an organisation unit (also said on the page).
        {"X-Suksa-Unmapped-Districts": " ".join(d.code for d in unmapped)},
    )
