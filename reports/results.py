"""A project's results: each indicator's baseline, target, actual and % of target
for a period, the actual computed by the report's own selector for the figure.

The one place an indicator's actual is computed (the admin's results table, its
XLSX and PDF, and the API all read ``project_results``). The projects app owns the
indicators; it does not import reports, so the computing lives here.

An indicator counts its project's activities (the project filter), within its
fixed filters (course kind, kind of activity, campaign, province or district), in
the user's scope as the reports apply it (``reports.filters.scoped``). A row is
added per province or district that has a target of its own. The target of a
period is the sum of the targets set for periods within it (a target for a period
inside another one, a quarter inside its year, is a milestone and is not added);
a rate's target is the one target within the period. A target is shown only
where the actual counts all that it is for: not where the user's scope narrows
the count (a district officer's district, a trainer's sessions).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from common.pdf import render_pdf
from common.sheets import rows_to_xlsx
from people.counts import GenderCounts
from places.models import District, Province
from projects.models import Figure, Indicator, IndicatorTarget, Project

from . import selectors
from .filters import ReportFilters, scoped
from .scope import period_label, province_label


def _rate(filters: ReportFilters) -> float | None:
    rate = selectors.outreach_total(filters).rate()
    return None if rate is None else round(100 * rate, 1)


# Each figure's actual, from the selector the Reports page shows it with.
ACTUALS: dict[str, Callable[[ReportFilters], GenderCounts | int | float | None]] = {
    Figure.PEOPLE_TRAINED: selectors.trained_total,
    Figure.WOMEN_TRAINED: lambda f: selectors.trained_total(f).women,
    Figure.TOT_GRADUATES: lambda f: selectors.tot_summary(f).graduates,
    Figure.CASCADE_REACH: lambda f: selectors.tot_summary(f).reach,
    Figure.MEETINGS: lambda f: selectors.outreach_total(f).meetings,
    Figure.TURNOUT: lambda f: selectors.outreach_total(f).turnout,
    Figure.REGISTRATIONS: lambda f: selectors.outreach_total(f).registrations,
    Figure.REGISTRATION_RATE: _rate,
    Figure.CENTRES_OPENED: selectors.centres_opened,
    Figure.CENTRE_VISITORS: lambda f: selectors.centre_visits_total(f).visitors,
    Figure.OFFICES_OPENED: selectors.offices_opened_count,
    Figure.MATERIALS_PUBLISHED: selectors.materials_published_count,
    Figure.MATERIALS_DOWNLOADED: lambda f: selectors.downloads(f).total,
}


@dataclass(frozen=True)
class Result:
    """One line of the results table."""

    indicator: Indicator
    place: Province | District | None
    baseline: Decimal | None
    target: Decimal | None
    actual: GenderCounts | int | float | None
    percent: float | None

    @property
    def actual_total(self) -> int | float | None:
        if isinstance(self.actual, GenderCounts):
            return self.actual.total
        return self.actual

    @property
    def by_gender(self) -> bool:
        return isinstance(self.actual, GenderCounts)


def plain(value: Decimal | float | int | None) -> int | float | None:
    """A number as JSON and spreadsheets want it: 4, not 4.00; 22.5 as is."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def indicator_actual(
    indicator: Indicator, filters: ReportFilters
) -> GenderCounts | int | float | None:
    """The indicator's actual in ``filters`` (already scoped, the indicator's own
    filters applied): a gender block for counts of people, else a number."""
    return ACTUALS[indicator.figure](filters)


def indicator_filters(
    indicator: Indicator, filters: ReportFilters, *, place=None
) -> ReportFilters:
    """``filters`` (a period, unscoped) narrowed to the indicator's project, its
    fixed filters and ``place`` (a province or district of a target)."""
    province, district = indicator.province, indicator.district
    if isinstance(place, District):
        province, district = None, place
    elif isinstance(place, Province):
        province, district = place, None
    return replace(
        filters,
        project=indicator.project,
        course_kind=indicator.course_kind,
        kind=indicator.kind,
        campaign=indicator.campaign,
        province=province,
        district=district,
    )


def _inside(target: IndicatorTarget, start: date | None, end: date | None) -> bool:
    return (start is None or target.starts_on >= start) and (
        end is None or target.ends_on <= end
    )


def _within(inner: IndicatorTarget, outer: IndicatorTarget) -> bool:
    return (
        inner.pk != outer.pk
        and inner.starts_on >= outer.starts_on
        and inner.ends_on <= outer.ends_on
    )


def period_target(
    indicator: Indicator,
    targets: list[IndicatorTarget],
    *,
    date_from: date | None,
    date_to: date | None,
) -> Decimal | None:
    """The target of ``targets`` (one place's) for the period: the sum of those
    within it that lie within no other one; a rate's only when it is one."""
    inside = [t for t in targets if _inside(t, date_from, date_to)]
    outermost = [t for t in inside if not any(_within(t, o) for o in inside)]
    # Two targets for the same days (a year, and its first and last day): one.
    periods, kept = set(), []
    for target in outermost:
        if (target.starts_on, target.ends_on) not in periods:
            periods.add((target.starts_on, target.ends_on))
            kept.append(target)
    if not kept or (indicator.is_rate and len(kept) > 1):
        return None
    return sum((t.value for t in kept), Decimal(0))


def _percent(actual, target: Decimal | None) -> float | None:
    if isinstance(actual, GenderCounts):
        actual = actual.total
    if target is None or not target or actual is None:
        return None
    return round(100 * float(actual) / float(target), 1)


def _place_key(target: IndicatorTarget):
    return target.district or target.province


def _targets_by_place(indicator: Indicator) -> dict:
    """{place (None: the indicator's own): [targets]}; a target naming the
    indicator's own place is the indicator's."""
    own = indicator.district or indicator.province
    by_place: dict = {None: []}
    for target in indicator.targets.all():
        place = _place_key(target)
        by_place.setdefault(None if place == own else place, []).append(target)
    return by_place


def _covers(asked: ReportFilters, counted: ReportFilters) -> bool:
    """Whether the scoped count is all that was asked (no narrower place, not a
    trainer's sessions only, not nothing)."""
    return (
        not counted.sees_nothing
        and counted.sessions is None
        and counted.district == asked.district
        and counted.province == asked.province
    )


def _result(indicator, filters, *, user, place, targets, baseline) -> Result:
    asked = indicator_filters(indicator, filters, place=place)
    counted = scoped(asked, user)
    actual = indicator_actual(indicator, counted)
    target = None
    if _covers(asked, counted):
        target = period_target(
            indicator, targets, date_from=filters.date_from, date_to=filters.date_to
        )
    return Result(
        indicator=indicator,
        place=place,
        baseline=baseline,
        target=target,
        actual=actual,
        percent=_percent(actual, target),
    )


def project_indicators(project: Project) -> QuerySet[Indicator]:
    return (
        project.indicators.select_related(
            "project", "campaign", "province", "district__province"
        )
        .prefetch_related("targets__province", "targets__district__province")
        .order_by("code")
    )


def project_results(
    *, project: Project, user, date_from: date | None, date_to: date | None
) -> list[Result]:
    """Every indicator of the project for the period, in the user's scope: its own
    line, then a line per province or district with targets of its own."""
    filters = ReportFilters(date_from=date_from, date_to=date_to)
    results = []
    for indicator in project_indicators(project):
        by_place = _targets_by_place(indicator)
        results.append(
            _result(
                indicator,
                filters,
                user=user,
                place=None,
                targets=by_place.pop(None),
                baseline=indicator.baseline,
            )
        )
        for place, targets in sorted(by_place.items(), key=lambda item: str(item[0])):
            if (
                period_target(indicator, targets, date_from=date_from, date_to=date_to)
                is None
            ):
                continue
            results.append(
                _result(
                    indicator,
                    filters,
                    user=user,
                    place=place,
                    targets=targets,
                    baseline=None,
                )
            )
    return results


# The table, its spreadsheet and its PDF ------------------------------------------


def place_label(result: Result) -> str:
    place = result.place or result.indicator.district or result.indicator.province
    if place is None:
        return ""
    if isinstance(place, District):
        return _("%(name)s district") % {"name": place.name}
    return province_label(place)


def results_headers() -> list[str]:
    """The table's columns on the page and in the PDF (the spreadsheet adds the
    code and the place as columns of their own)."""
    return [
        _("Indicator"),
        _("Baseline"),
        _("Target"),
        _("Actual"),
        _("Women"),
        _("Men"),
        _("Other"),
        _("Not recorded"),
        _("Target reached (%)"),
    ]


def results_rows(results: list[Result]) -> list[list]:
    """The table: one line per indicator (and target place), the actual by gender
    where it is a count of people."""
    rows = [[_("Code"), _("Indicator"), _("Place"), *results_headers()[1:]]]
    for result in results:
        counts = result.actual if result.by_gender else None
        rows.append(
            [
                result.indicator.code,
                result.indicator.title,
                place_label(result),
                _blank(plain(result.baseline)),
                _blank(plain(result.target)),
                _blank(result.actual_total),
                *(
                    [counts.women, counts.men, counts.other, counts.not_recorded]
                    if counts is not None
                    else ["", "", "", ""]
                ),
                _blank(result.percent),
            ]
        )
    return rows


def _blank(value):
    return "" if value is None else value


def results_title(project: Project) -> str:
    return _("Results of %(project)s") % {"project": project.code}


def results_preamble(project: Project, filters: ReportFilters) -> list[list]:
    return [
        [results_title(project), f"{project.code} · {project.title}"],
        [_("Period"), period_label(filters)],
        [],
    ]


def results_xlsx(project: Project, filters: ReportFilters, results) -> bytes:
    preamble = results_preamble(project, filters)
    return rows_to_xlsx(
        preamble + results_rows(results),
        title=_("Results"),
        header_row=len(preamble) + 1,
    )


def results_pdf(*, project: Project, filters: ReportFilters, user, language) -> bytes:
    with translation.override(language):
        results = project_results(
            project=project,
            user=user,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
        return render_pdf(
            "reports/results_pdf.html",
            {
                "project": project,
                "title": results_title(project),
                "period": period_label(filters),
                "results": results,
                "language": language,
            },
        )
