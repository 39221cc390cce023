"""Warming the reports' cache: the views managers open most, recomputed under the
current data version after a write (``reports.tasks.figures_warm``), so those pages
are read from the cache (``reports.figures``)."""

from datetime import date

from django.utils import timezone

from places.models import Province

from . import selectors
from .filters import ReportFilters
from .report import breakdown_titles


def common_filters(today: date | None = None) -> list[ReportFilters]:
    """The views managers open most, recomputed after every write: this year (the
    dashboard and the Reports page), last year, all time, and each province this
    year and all time."""
    year = (today or timezone.localdate()).year
    periods = [
        (date(year, 1, 1), date(year, 12, 31)),
        (date(year - 1, 1, 1), date(year - 1, 12, 31)),
        (None, None),
    ]
    views = [ReportFilters(date_from=start, date_to=end) for start, end in periods]
    this_year = periods[0]
    for province in Province.objects.order_by("pk"):
        views.append(
            ReportFilters(
                date_from=this_year[0], date_to=this_year[1], province=province
            )
        )
        views.append(ReportFilters(province=province))
    return views


def figures_compute(filters: ReportFilters) -> None:
    """Every cached figure of these filters (each computed unless cached)."""
    selectors.trained_total(filters)
    for by in breakdown_titles():
        selectors.trained_by(filters, by=by)
    selectors.trained_abroad(filters)
    selectors.tot_summary(filters)
    selectors.certificate_summary(filters)
    selectors.learning_total(filters)
    selectors.learning_by_course(filters)
    selectors.outreach_total(filters)
    selectors.outreach_by_district(filters)
    selectors.outreach_by_kind(filters)
    selectors.outreach_by_campaign(filters)
    selectors.coverage(filters)


def figures_warm(today: date | None = None) -> int:
    """Compute the common views' figures under the current version; returns how
    many views."""
    views = common_filters(today)
    for filters in views:
        figures_compute(filters)
    return len(views)
