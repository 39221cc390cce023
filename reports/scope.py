"""What a report shows, said in words: the place, the period and the other filters.

Every report screen, PDF, CSV and XLSX states its filters with these functions, in
the active language ("Champasak province, 2024"), so a figure never reads as national
when it is not; file names carry the period (``period_slug``).

Programmes abroad (sessions with no Lao district, such as a Master's at a foreign
university) are in no province or district: a province or district filter leaves
them out, and without one the totals include them and the breakdowns by province
and district show them as a row of their own, "Abroad".
"""

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.numbers import short_date
from people.models import Organisation
from projects.models import Project
from promoters.models import ActivityKind
from trainings.models import Course

from . import selectors
from .filters import ReportFilters


def day(value: date) -> str:
    """A date as the language writes it (``config/formats``: 17/02/2024)."""
    return short_date(value)


def _whole_year(start: date, end: date) -> bool:
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and (
        start.year == end.year
    )


def _month_end(start: date) -> date:
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _whole_quarter(start: date, end: date) -> int | None:
    if start.day != 1 or start.month % 3 != 1 or start.year != end.year:
        return None
    last = date(start.year, start.month + 2, 1)
    if end != _month_end(last):
        return None
    return (start.month - 1) // 3 + 1


def _whole_month(start: date, end: date) -> bool:
    return start.day == 1 and end == _month_end(start)


def period_label(filters: ReportFilters) -> str:
    """ "2024", "Q1 2024", "02/2024", "01/01/2024 – 15/03/2024" or "All time"."""
    start, end = filters.date_from, filters.date_to
    if start and end:
        if _whole_year(start, end):
            return pgettext("a period: a whole year", "%(year)s") % {"year": start.year}
        quarter = _whole_quarter(start, end)
        if quarter:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": quarter,
                "year": start.year,
            }
        if _whole_month(start, end):
            return pgettext("a period: a whole month", "%(month)s") % {
                "month": f"{start.month:02d}/{start.year}"
            }
        return f"{day(start)} – {day(end)}"
    if start:
        return _("from %(date)s") % {"date": day(start)}
    if end:
        return _("until %(date)s") % {"date": day(end)}
    return _("All time")


def period_slug(filters: ReportFilters) -> str:
    """The period for a file name: 2024, 2024-Q1, 2024-02, 2024-01-01_2024-03-15,
    from-2024-01-01, until-2024-03-15 or all-time."""
    start, end = filters.date_from, filters.date_to
    if start and end:
        if _whole_year(start, end):
            return str(start.year)
        quarter = _whole_quarter(start, end)
        if quarter:
            return f"{start.year}-Q{quarter}"
        if _whole_month(start, end):
            return f"{start.year}-{start.month:02d}"
        return f"{start.isoformat()}_{end.isoformat()}"
    if start:
        return f"from-{start.isoformat()}"
    if end:
        return f"until-{end.isoformat()}"
    return "all-time"


def _is_capital(province) -> bool:
    # Vientiane Capital is a prefecture, not a "province"; its names say so.
    return province.name_lo.startswith("ນະຄອນຫຼວງ") or "capital" in (
        province.name_en.casefold()
    )


def province_label(province) -> str:
    if _is_capital(province):
        return province.name
    return _("%(name)s province") % {"name": province.name}


def place_label(filters: ReportFilters) -> str:
    """ "Champasak province", "Paksong district, Champasak province", "All of Laos";
    "All of Laos and abroad" when, with no place chosen, the report counts people
    trained in programmes abroad in its period (they are in its totals)."""
    if filters.sees_nothing:
        return _("No place you can see")
    if filters.district is not None:
        return _("%(district)s district, %(province)s") % {
            "district": filters.district.name,
            "province": province_label(filters.district.province),
        }
    if filters.province is not None:
        return province_label(filters.province)
    if counts_people_abroad(filters):
        return _("All of Laos and abroad")
    return _("All of Laos")


def counts_people_abroad(filters: ReportFilters) -> bool:
    """Whether the report counts anyone trained in a programme abroad (a cached
    figure, the same the report's "abroad" table shows)."""
    return any(row.counts.total for row in selectors.trained_abroad(filters))


def filters_described(filters: ReportFilters) -> list[tuple[str, str]]:
    """(what, value) for every filter the report applies, place and period first."""
    lines = [(_("Place"), place_label(filters)), (_("Period"), period_label(filters))]
    if filters.course is not None:
        lines.append((_("Course"), filters.course.title))
    if filters.course_kind:
        lines.append((_("Course kind"), str(Course.Kind(filters.course_kind).label)))
    if filters.organisation_kind:
        lines.append(
            (
                _("Organisation kind"),
                str(Organisation.Kind(filters.organisation_kind).label),
            )
        )
    if filters.partner is not None:
        lines.append((_("Partner"), filters.partner.name))
    if filters.funder is not None:
        lines.append((_("Funder"), filters.funder.name))
    if filters.project is not None:
        lines.append((_("Project"), _project_label(filters.project)))
    if filters.kind:
        lines.append((_("Kind of activity"), str(ActivityKind(filters.kind).label)))
    if filters.campaign is not None:
        lines.append((_("Campaign"), filters.campaign.name))
    if filters.session is not None:
        lines.append(
            (_("Session"), f"{filters.session.code} · {filters.session.course.title}")
        )
    if filters.sessions is not None:
        lines.append((_("Sessions"), _("Only the sessions you run or lead")))
    return lines


def _project_label(project: Project) -> str:
    return f"{project.code} · {project.title}"


def _chosen(filters: ReportFilters) -> dict[str, str]:
    """The chosen filters a section may not apply: name → what the page calls it."""
    chosen = {
        "period": filters.date_from or filters.date_to,
        "course": filters.course,
        "course_kind": filters.course_kind,
        "organisation_kind": filters.organisation_kind,
        "kind": filters.kind,
        "campaign": filters.campaign,
    }
    labels = {
        "period": _("Period"),
        "course": _("Course"),
        "course_kind": _("Course kind"),
        "organisation_kind": _("Organisation kind"),
        "kind": _("Kind of activity"),
        "campaign": _("Campaign"),
    }
    return {name: labels[name] for name, value in chosen.items() if value}


# The filters each outreach section cannot apply: meetings, centre visits and
# downloads belong to no course or participant; coverage is today's network; the
# kind of activity and the campaign are village meetings' own.
OUTREACH_ONLY = ("kind", "campaign")
NOT_APPLIED = {
    "meetings": ("course", "course_kind", "organisation_kind"),
    "centre_visits": ("course", "course_kind", "organisation_kind", *OUTREACH_ONLY),
    "coverage": (
        "period",
        "course",
        "course_kind",
        "organisation_kind",
        *OUTREACH_ONLY,
    ),
    "downloads": ("course", "course_kind", "organisation_kind", *OUTREACH_ONLY),
}


def _section_titles() -> dict[str, str]:
    return {
        "meetings": _("Village meetings"),
        "centre_visits": _("Information centre visits"),
        "coverage": _("Promoter network coverage"),
        "downloads": _("Downloads of materials"),
    }


def not_filtered(filters: ReportFilters) -> list[tuple[str, str]]:
    """(section, statement) for each outreach section that leaves out a chosen
    filter: "Village meetings", "Not filtered by course kind, organisation kind"."""
    chosen = _chosen(filters)
    titles = _section_titles()
    statements = []
    for section, names in NOT_APPLIED.items():
        left_out = [str(chosen[name]).lower() for name in names if name in chosen]
        if left_out:
            statement = _("Not filtered by %(filters)s") % {
                "filters": ", ".join(left_out)
            }
            statements.append((titles[section], statement))
    return statements


def filters_summary(filters: ReportFilters) -> str:
    """The filters in one line: "Champasak province, 2024" and, after them, any
    other filter as "Course: Farm workers"."""
    lines = filters_described(filters)
    period = lines[1][1]
    if filters.date_from is None and filters.date_to is None:
        period = _("all time")  # within the line, not a heading
    summary = f"{lines[0][1]}, {period}"
    others = [f"{what}: {value}" for what, value in lines[2:]]
    return " · ".join([summary, *others])


def filter_rows(
    filters: ReportFilters, *, title: str, outreach: bool = True
) -> list[list[str]]:
    """The rows a CSV or XLSX starts with: its title and filters, the outreach
    sections a filter does not apply to (when the file has them), then a blank row."""
    return [
        [title, filters_summary(filters)],
        *[[what, value] for what, value in filters_described(filters)],
        *[[what, value] for what, value in (not_filtered(filters) if outreach else [])],
        [],
    ]
