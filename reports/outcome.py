"""The donor's outcome report, drafted from the records (issue 17, item 4).

The sections of an ILO outcome report (``shared/seed``): the outcome achieved, the
organisation's contribution, gender equality and non-discrimination, the SDGs, and
the year, outcome code and indicator. Every sentence is built from a figure of
``reports.selectors`` in the report's filters (``reports.sentences``); a figure of
zero gets no sentence. The text is a draft: the Reports area shows it in editable
boxes and exports the edited text (``reports.outcome_exports``).
"""

import re
from dataclasses import asdict, dataclass, replace

from django.utils import formats, translation
from django.utils.translation import gettext as _

from places.countries import Country
from promoters.models import ActivityKind

from . import selectors
from .filters import ReportFilters
from .results import plain, project_results
from .scope import period_label, province_label
from .sentences import (
    and_list,
    campaign_sentence,
    cascade_sentence,
    centres_sentence,
    contributions_sentence,
    dissemination_sentence,
    materials_sentence,
    number,
    office_sentence,
    partners_sentence,
    programme_sentence,
    support_sentence,
    tot_trained_sentence,
    trained_sentence,
    visitors_sentence,
    women_share_sentence,
)

SECTION_KEYS = ("outcome", "contribution", "gender", "sdgs", "codes")
LANGUAGES = ("lo", "en")


@dataclass
class Section:
    key: str
    title: str
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


def month(value) -> str:
    """ "May 2023", "ພຶດສະພາ 2023"."""
    return formats.date_format(value, "F Y")


def _months(values) -> str:
    months = sorted({(value.year, value.month): value for value in values}.items())
    if not months:
        return ""
    first, last = months[0][1], months[-1][1]
    if len(months) == 1:
        return month(first)
    return _("%(first)s to %(last)s") % {"first": month(first), "last": month(last)}


def section_titles(organisation: str = "") -> dict[str, str]:
    return {
        "outcome": _("Outcome achieved"),
        "contribution": (
            _("Contribution of %(organisation)s to the outcome")
            % {"organisation": organisation}
            if organisation
            else _("Contribution to the outcome")
        ),
        "gender": _("Gender equality and non-discrimination"),
        "sdgs": _("Sustainable Development Goals"),
        "codes": _("Year, outcome code and indicator"),
    }


def sdg_titles() -> dict[int, str]:
    return {
        1: _("No poverty"),
        2: _("Zero hunger"),
        3: _("Good health and well-being"),
        4: _("Quality education"),
        5: _("Gender equality"),
        6: _("Clean water and sanitation"),
        7: _("Affordable and clean energy"),
        8: _("Decent work and economic growth"),
        9: _("Industry, innovation and infrastructure"),
        10: _("Reduced inequalities"),
        11: _("Sustainable cities and communities"),
        12: _("Responsible consumption and production"),
        13: _("Climate action"),
        14: _("Life below water"),
        15: _("Life on land"),
        16: _("Peace, justice and strong institutions"),
        17: _("Partnerships for the goals"),
        18: _("Lives safe from unexploded ordnance"),
    }


SDG_TAG = re.compile(r"^SDG\s*(\d+)$", re.IGNORECASE)


def _tags(projects) -> tuple[list[int], list[str]]:
    """The SDG numbers and the other tags (indicators such as 8.2.1) of the
    projects, each once, in order."""
    goals, indicators = [], []
    for project in projects:
        for tag in project.tag_list:
            found = SDG_TAG.match(tag)
            if found:
                if int(found.group(1)) not in goals:
                    goals.append(int(found.group(1)))
            elif tag not in indicators:
                indicators.append(tag)
    return sorted(goals), indicators


def _names(organisations) -> list[str]:
    names = []
    for organisation in organisations:
        if organisation.name not in names:
            names.append(organisation.name)
    return names


def _outcome(filters: ReportFilters) -> list[str]:
    sentences = []
    for done in selectors.campaigns_done(filters):
        rate, campaign = done.rate, done.rate.campaign
        if rate.turnout.total:
            sentences.append(
                campaign_sentence(
                    campaign=campaign.name,
                    kind=campaign.kind,
                    turnout=rate.turnout,
                    registered=rate.registrations,
                    villages=done.villages,
                    places=[province_label(p) for p in done.provinces],
                )
            )
        if rate.contributions_people:
            sentences.append(
                contributions_sentence(
                    people=rate.contributions_people, lak=rate.contributions_lak
                )
            )
    for office in selectors.offices_opened(filters):
        projects = [
            project.code
            for project in office.projects.all()
            if office.district in project.districts.all()
        ]
        sentences.append(
            office_sentence(
                office=office.name, month=month(office.opened_on), projects=projects
            )
        )
    meetings, districts = selectors.activities_of_kind(
        filters, ActivityKind.DISSEMINATION
    )
    if meetings.meetings and meetings.turnout.total:
        sentences.append(
            dissemination_sentence(
                meetings=meetings.meetings,
                districts=districts,
                turnout=meetings.turnout,
                registered=meetings.registrations,
            )
        )
    partners = selectors.outreach_by_partner(filters)
    if partners:
        sentences.append(
            partners_sentence(
                [(item.partner.name, item.meetings, item.turnout) for item in partners]
            )
        )
    centres = selectors.centres_set_up(filters)
    if centres:
        sentences.append(
            centres_sentence(
                count=len(centres),
                when=_months(centre.opened_on for centre in centres),
                names=[centre.name for centre in centres],
            )
        )
    visits = selectors.centre_visits_total(filters)
    if visits.visitors.total:
        sentences.append(visitors_sentence(visits.visitors))
    return sentences


def _contribution(filters: ReportFilters, projects, *, language: str) -> list[str]:
    sentences = []
    organisations = _names(o for p in projects for o in p.partners.all())
    funders = _names(o for p in projects for o in p.funders.all())
    if projects and (organisations or funders):
        sentences.append(
            support_sentence(
                organisations=organisations,
                funders=funders,
                projects=[project.code for project in projects],
            )
        )
    tot = selectors.tot_summary(filters)
    if tot.graduates.total:
        sentences.append(
            tot_trained_sentence(
                graduates=tot.graduates, when=_months(selectors.tot_months(filters))
            )
        )
        if tot.reach.total:
            sentences.append(cascade_sentence(tot.reach))
    programmes = selectors.long_programmes(filters)
    for programme in programmes:
        country = str(Country(programme.country).label) if programme.country else ""
        sentences.append(
            programme_sentence(
                people=programme.people,
                course=programme.course.title,
                place=", ".join(filter(None, [programme.institution, country])),
            )
        )
    trained = selectors.trained_total(filters)
    others = (
        trained.total - tot.graduates.total - sum(p.people.total for p in programmes)
    )
    if others > 0:
        sentences.append(trained_sentence(trained))
    titles = [
        _("“%(title)s” (%(month)s)")
        % {"title": page.title, "month": month(page.published_date)}
        for page in selectors.materials_published(filters, language=language)
    ]
    if titles:
        sentences.append(materials_sentence(titles))
    return sentences


def _gender(filters: ReportFilters) -> list[str]:
    trained = selectors.trained_total(filters)
    tot = selectors.tot_summary(filters)
    outreach = selectors.outreach_total(filters)
    visits = selectors.centre_visits_total(filters)
    figures = [
        (_("People trained"), trained),
        (_("Training of Trainers graduates"), tot.graduates),
        (_("Village meeting turnout"), outreach.turnout),
        (_("Registered at village meetings"), outreach.registrations),
        (_("Information centre visitors"), visits.visitors),
    ]
    return [
        women_share_sentence(what=what, counts=counts)
        for what, counts in figures
        if counts.total
    ]


def _sdgs(projects) -> list[str]:
    goals, _indicators = _tags(projects)
    titles = sdg_titles()
    return [
        _("SDG %(number)s: %(title)s") % {"number": goal, "title": titles.get(goal, "")}
        if goal in titles
        else _("SDG %(number)s") % {"number": goal}
        for goal in goals
    ]


def _codes(filters: ReportFilters, projects) -> list[str]:
    start, end = filters.date_from, filters.date_to
    whole_year = (
        start
        and end
        and start.year == end.year
        and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    )
    lines = [
        _("Year: %(year)s") % {"year": start.year}
        if whole_year
        else _("Period: %(period)s") % {"period": period_label(filters)}
    ]
    codes = []
    for project in projects:
        if project.outcome_code and project.outcome_code not in codes:
            codes.append(project.outcome_code)
    if codes:
        lines.append(_("Outcome code: %(codes)s") % {"codes": ", ".join(codes)})
    _goals, indicators = _tags(projects)
    if indicators:
        lines.append(
            _("Indicator: %(indicators)s") % {"indicators": ", ".join(indicators)}
        )
    if projects:
        lines.append(
            _("Projects: %(projects)s")
            % {"projects": "; ".join(f"{p.code} · {p.title}" for p in projects)}
        )
    return lines


def _results(filters: ReportFilters, projects, user) -> list[str]:
    """Each project's indicators against their targets for the period, as the
    results table reads them for ``user``; only for a report of every place (a
    province's report is not the project's result)."""
    if user is None or filters.province is not None or filters.district is not None:
        return []
    lines = []
    for project in projects:
        for result in project_results(
            project=project,
            user=user,
            date_from=filters.date_from,
            date_to=filters.date_to,
        ):
            if result.place is not None or result.actual_total is None:
                continue
            numbers = {
                "code": result.indicator.code,
                "title": result.indicator.title,
                "actual": number(result.actual_total),
                "target": number(plain(result.target)),
                "percent": number(result.percent),
            }
            if result.percent is None:
                lines.append(_("%(code)s %(title)s: %(actual)s.") % numbers)
            else:
                lines.append(
                    _(
                        "%(code)s %(title)s: %(actual)s against a target of "
                        "%(target)s (%(percent)s %% of the target)."
                    )
                    % numbers
                )
    return lines


def outcome_report(
    filters: ReportFilters, *, project=None, language: str = "lo", user=None
) -> list[Section]:
    """The report's sections in order (key, title, text), in ``language``: the
    text a line per sentence, empty where nothing was recorded. ``project`` narrows
    every figure to its activities (as the project filter does). With ``user``, the
    codes section adds the projects' indicators against their targets (the results
    table as that user reads it)."""
    if project is not None:
        filters = replace(filters, project=project)
    with translation.override(language):
        projects = selectors.projects_in_period(filters)
        organisation = and_list(_names(o for p in projects for o in p.partners.all()))
        titles = section_titles(organisation)
        texts = {
            "outcome": _outcome(filters),
            "contribution": _contribution(filters, projects, language=language),
            "gender": _gender(filters),
            "sdgs": _sdgs(projects),
            "codes": _codes(filters, projects) + _results(filters, projects, user),
        }
        return [
            Section(key, titles[key], "\n".join(texts[key])) for key in SECTION_KEYS
        ]


def has_figures(sections: list[Section]) -> bool:
    """Whether anything was recorded (the year line alone is not a report)."""
    return any(s.text for s in sections if s.key in ("outcome", "contribution"))
