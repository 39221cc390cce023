"""The report: every figure of the dashboard, gathered from ``reports.selectors``.

The dashboard, the report page, the CSV, XLSX and PDF exports all render one
``Report``, so they cannot disagree.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from people.counts import GenderCounts
from trainings.selectors import learning_rows

from . import selectors
from .charts import bar_chart, bar_chart_html, value_chart, value_chart_html
from .figures import one_version
from .filters import ReportFilters
from .scope import filters_summary, not_filtered
from .selectors import Row
from .sentences import (
    in_languages,
    number,
    registration_sentence,
    tot_sentence,
    trained_sentence,
)


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[Row]


@dataclass
class Report:
    filters: ReportFilters
    trained: GenderCounts
    breakdowns: list[Breakdown]
    tot: selectors.TotSummary
    certificates: selectors.CertificateSummary
    # People trained in programmes abroad, a line per institution and country.
    abroad: list[Row] = field(default_factory=list)
    follow_ups: object = None
    # Of ``trained``, the people of aggregate-only records (no names).
    aggregate: GenderCounts = field(default_factory=GenderCounts)
    outreach: object = None
    outreach_by_district: list = field(default_factory=list)
    outreach_by_kind: list = field(default_factory=list)
    outreach_by_campaign: list = field(default_factory=list)
    coverage: list = field(default_factory=list)
    centre_visits: object = None
    centre_topics: list[Row] = field(default_factory=list)
    downloads: object = None
    # Learning (pre/post scores) and participants' feedback: everyone and by gender,
    # and per course; left out of the dashboard (``totals_only``).
    learning: dict = field(default_factory=dict)
    feedback: object = None
    learning_by_course: list = field(default_factory=list)
    sentences: list[dict[str, str]] = field(default_factory=list)
    # (section, "Not filtered by …") for the chosen filters a section leaves out.
    not_filtered: list[tuple[str, str]] = field(default_factory=list)
    # Charts drawn for a PDF (HTML) rather than for a screen (SVG): see charts.py.
    for_print: bool = False

    def bar_chart(self, *, title: str, rows):
        draw = bar_chart_html if self.for_print else bar_chart
        return draw(title=title, rows=rows, value_format=number)

    def value_chart(self, *, title: str, rows):
        draw = value_chart_html if self.for_print else value_chart
        return draw(title=title, rows=rows, value_format=number)

    def summary_chart(self):
        return self.bar_chart(title=_("Summary"), rows=self.summary_rows())

    def summary_rows(self) -> list[Row]:
        """The headline counts of people, for tables and exports."""
        rows = [
            Row("trained", _("People trained"), self.trained),
        ]
        if self.aggregate.total:
            rows.append(
                Row(
                    "trained_aggregate",
                    _("Of whom from aggregate records (totals only, no names)"),
                    self.aggregate,
                )
            )
        rows += [
            Row(
                "tot_graduates",
                _("Training of Trainers graduates"),
                self.tot.graduates,
            ),
            Row("tot_reach", _("Trained by them in turn (cascade)"), self.tot.reach),
            Row(
                "certificates_issued",
                _("Certificates issued"),
                self.certificates.issued,
            ),
        ]
        if self.outreach is not None:
            rows += [
                Row("turnout", _("Village meeting turnout"), self.outreach.turnout),
                Row(
                    "registrations",
                    _("Registered at village meetings"),
                    self.outreach.registrations,
                ),
                Row(
                    "centre_visitors",
                    _("Information centre visitors"),
                    self.centre_visits.visitors,
                ),
            ]
        return rows

    def tot_impact_rows(self) -> list[Row]:
        """What the ToT graduates in the filters did next: the people among them,
        the people they trained in turn and those they reached at meetings."""
        return [
            Row("tot_graduates", _("Graduates"), self.tot.graduates),
            Row("tot_reach", _("People they trained (cascade)"), self.tot.reach),
            Row(
                "tot_people_reached",
                _("People reached at village meetings they led"),
                self.tot.meetings.turnout,
            ),
            Row(
                "tot_registrations",
                _("Registered at those meetings"),
                self.tot.meetings.registrations,
            ),
        ]

    def follow_up_rows(self) -> list[tuple[str, object]]:
        """(label, value) of the follow-ups of trainees, for the page and exports."""
        follow_ups = self.follow_ups
        share = follow_ups.done_share
        return [
            (_("Follow-ups due"), follow_ups.due),
            (_("Follow-ups done"), follow_ups.done),
            (_("Follow-ups done (%)"), "" if share is None else round(100 * share)),
            (_("Could not be reached"), follow_ups.unreachable),
            (_("Used what they learned: yes"), follow_ups.used_yes),
            (_("Used what they learned: partly"), follow_ups.used_partly),
            (_("Used what they learned: no"), follow_ups.used_no),
            (_("People they trained (reported)"), follow_ups.people_trained),
            (_("Meetings they led (reported)"), follow_ups.meetings_led),
            (_("People they registered (reported)"), follow_ups.people_registered),
        ]

    def learning_rows(self) -> list:
        return learning_rows(self.learning) if self.learning else []

    def learning_course_rows(self) -> list:
        """(course, learning rows by gender, feedback) per course."""
        return [
            (item.course, learning_rows(item.learning), item.feedback)
            for item in self.learning_by_course
        ]

    def registration_rate(self) -> int | None:
        if self.outreach is None or not self.outreach.turnout.total:
            return None
        return round(100 * self.outreach.rate())

    def turnout_rows(self) -> list[Row]:
        return [
            Row(item.district.pk, item.district.name, item.turnout)
            for item in self.outreach_by_district
        ]

    def registration_rows(self) -> list[Row]:
        return [
            Row(item.district.pk, item.district.name, item.registrations)
            for item in self.outreach_by_district
        ]

    def charts(self) -> list[tuple[str, str, object, list[Row]]]:
        """(key, title, chart, rows) for every gender chart, in page order."""
        charts = [
            (b.key, b.title, self.bar_chart(title=b.title, rows=b.rows), b.rows)
            for b in self.breakdowns
            if b.rows
        ]
        for key, title, rows in (
            ("abroad", _("People trained in programmes abroad"), self.abroad),
            ("turnout", _("Village meeting turnout by district"), self.turnout_rows()),
            (
                "registrations",
                _("Registered at village meetings by district"),
                self.registration_rows(),
            ),
            (
                "centre_topics",
                _("Information centre visitors by topic"),
                self.centre_topics,
            ),
        ):
            if rows:
                charts.append(
                    (key, title, self.bar_chart(title=title, rows=rows), rows)
                )
        return charts

    def coverage_chart(self):
        return self.value_chart(
            title=_("Villages with an active promoter, by district"),
            rows=[
                (item.district.name, item.coverage.villages_covered)
                for item in self.coverage
            ],
        )

    def downloads_chart(self):
        if self.downloads is None:
            return ""
        return self.value_chart(
            title=_("Downloads by month"),
            rows=[
                (entry["month"].strftime("%m/%Y"), entry["count"])
                for entry in self.downloads.by_month
            ],
        )


def breakdown_titles() -> dict[str, str]:
    return {
        "province": _("People trained by province"),
        "district": _("People trained by district"),
        "course": _("People trained by course"),
        "course_kind": _("People trained by course kind"),
        "organisation_kind": _("People trained by organisation kind"),
        "year": _("People trained by year"),
        "quarter": _("People trained by quarter"),
        "month": _("People trained by month"),
    }


def report_build(
    filters: ReportFilters, *, breakdowns=None, outreach=True, totals_only=False
) -> Report:
    """Every figure in the filters. ``breakdowns`` chooses the people-trained
    breakdowns (all by default); ``totals_only`` leaves out the outreach, coverage,
    centre and download details that only the Reports page shows. The data version
    is read once: every cached figure is of the moment the report was asked for."""
    with one_version():
        return _report_build(
            filters, breakdowns=breakdowns, outreach=outreach, totals_only=totals_only
        )


def _report_build(filters, *, breakdowns, outreach, totals_only) -> Report:
    titles = breakdown_titles()
    report = Report(
        filters=filters,
        trained=selectors.trained_total(filters),
        breakdowns=[
            Breakdown(key, titles[key], selectors.trained_by(filters, by=key))
            for key in (titles if breakdowns is None else breakdowns)
        ],
        tot=selectors.tot_summary(filters),
        certificates=selectors.certificate_summary(filters),
        abroad=selectors.trained_abroad(filters),
        follow_ups=selectors.follow_up_summary(filters),
        aggregate=selectors.aggregate_total(filters),
    )
    if outreach:
        _add_outreach(report, filters, totals_only=totals_only)
    if not totals_only:
        report.learning = selectors.learning_total(filters)
        report.feedback = selectors.feedback_total(filters)
        report.learning_by_course = selectors.learning_by_course(filters)
    report.sentences = _sentences(report)
    return report


def _add_outreach(report: Report, filters: ReportFilters, *, totals_only) -> None:
    report.outreach = selectors.outreach_total(filters)
    report.not_filtered = not_filtered(filters)
    report.centre_visits = selectors.centre_visits_total(filters)
    if totals_only:
        return
    report.outreach_by_district = selectors.outreach_by_district(filters)
    report.outreach_by_kind = selectors.outreach_by_kind(filters)
    report.outreach_by_campaign = selectors.outreach_by_campaign(filters)
    report.coverage = selectors.coverage(filters)
    report.centre_topics = [
        Row(item.topic.pk, item.topic.name, item.visitors)
        for item in selectors.centre_visits_by_topic(filters)
    ]
    report.downloads = selectors.downloads(filters)


def _scoped(build, filters: ReportFilters):
    """``build``'s sentence after what it counts: "Champasak province, 2024: …",
    so that a sentence copied into a donor report does not read as national."""

    def sentence(**numbers) -> str:
        return _("%(scope)s: %(sentence)s") % {
            "scope": filters_summary(filters),
            "sentence": build(**numbers),
        }

    return sentence


def _sentences(report: Report) -> list[dict[str, str]]:
    filters = report.filters
    sentences = [
        in_languages(_scoped(trained_sentence, filters), counts=report.trained)
    ]
    if report.tot.graduates.total:
        sentences.append(
            in_languages(
                _scoped(tot_sentence, filters),
                graduates=report.tot.graduates,
                reach=report.tot.reach,
            )
        )
    if report.outreach is not None and report.outreach.turnout.total:
        sentences.append(
            in_languages(
                _scoped(registration_sentence, filters),
                turnout=report.outreach.turnout,
                registered=report.outreach.registrations,
            )
        )
    return sentences
