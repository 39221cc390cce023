"""The report as CSV, XLSX and PDF, and the lists of people behind a number.

Spreadsheets go through ``common.sheets`` (formulas neutralised, every XLSX cell
text); the PDF through ``common.pdf``.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from common.numbers import number
from common.pdf import render_pdf
from common.sheets import rows_to_csv, rows_to_xlsx

from .report import Report, report_build
from .scope import filter_rows, filters_described, filters_summary
from .selectors import aggregate_total, trained_people


def _header(first: str) -> list[str]:
    return [
        first,
        _("Total"),
        _("Women"),
        _("Men"),
        _("Other"),
        _("Not recorded"),
    ]


def _counts(counts) -> list[int]:
    return [counts.total, counts.women, counts.men, counts.other, counts.not_recorded]


def report_rows(report: Report) -> list[list]:
    """The whole report as one table: section, line, total and the four genders."""
    summary = _("Summary")
    rows = [[_("Section"), *_header(_("Figure"))]]
    for row in report.summary_rows():
        rows.append([summary, row.label, *_counts(row.counts)])
    rows.append([summary, _("Training of Trainers sessions"), report.tot.sessions])
    rows.append([summary, _("Certificates revoked"), report.certificates.revoked])
    follow_ups = _("Follow-ups of trainees at 3 and 6 months")
    rows += [[follow_ups, label, value] for label, value in report.follow_up_rows()]
    if report.outreach is not None:
        rows.append([summary, _("Village meetings"), report.outreach.meetings])
        rate = report.registration_rate()
        rows.append([summary, _("Registration rate (%)"), "" if rate is None else rate])
        rows.append(
            [summary, _("Information centre visits"), report.centre_visits.visits]
        )
        rows.append([summary, _("Downloads of materials"), report.downloads.total])
    for _key, title, _chart, lines in report.charts():
        for row in lines:
            rows.append([title, row.label, *_counts(row.counts)])
    rows += _activity_rows(report) + _coverage_rows(report) + _download_rows(report)
    rows += _learning_rows(report) + _feedback_rows(report)
    return rows


def _activity_rows(report: Report) -> list[list]:
    """Outreach per kind of activity and per campaign: activities, turnout,
    registered, rate and contributions."""
    header = [
        _("Activities"),
        _("Turnout"),
        _("Registered"),
        _("Registration rate (%)"),
        _("Contributions collected (LAK)"),
        _("People who paid"),
    ]
    rows = []
    for title, first, items in (
        (_("Outreach by kind of activity"), _("Kind"), report.outreach_by_kind),
        (_("Outreach by campaign"), _("Campaign"), report.outreach_by_campaign),
    ):
        if not items:
            continue
        rows.append([title, first, *header])
        for item in items:
            rate = item.rate()
            rows.append(
                [
                    title,
                    item.kind_label if item.kind else item.campaign.name,
                    item.meetings,
                    item.turnout.total,
                    item.registrations.total,
                    "" if rate is None else round(100 * rate),
                    item.contributions_lak,
                    item.contributions_people,
                ]
            )
    return rows


def _share(value) -> int | str:
    return "" if value is None else round(100 * value)


def _learning_cells(learning) -> list:
    return [
        learning.scored,
        "" if learning.pre_mean is None else learning.pre_mean,
        "" if learning.post_mean is None else learning.post_mean,
        "" if learning.gain_mean is None else learning.gain_mean,
        _share(learning.improved_share),
        _share(learning.passed_share),
    ]


def _learning_rows(report: Report) -> list[list]:
    """Learning by gender, then by course and gender (the Reports page's tables)."""
    if not report.learning:
        return []
    title, by_course = _("Learning"), _("Learning by course")
    rows = [
        [
            title,
            _("Learning"),
            _("With both tests"),
            _("Mean pre-test"),
            _("Mean post-test"),
            _("Mean gain"),
            _("Improved (%)"),
            _("Passed (%)"),
        ]
    ]
    rows += [
        [title, label, *_learning_cells(row)] for label, row in report.learning_rows()
    ]
    for course, lines, _feedback in report.learning_course_rows():
        rows += [
            [by_course, f"{course.title} · {label}", *_learning_cells(row)]
            for label, row in lines
        ]
    return rows


def _feedback_cells(feedback) -> list:
    return [
        feedback.count,
        *[
            "" if feedback.means.get(name) is None else feedback.means[name]
            for name in ("relevance", "trainer", "materials")
        ],
        _share(feedback.recommend_share),
    ]


def _feedback_rows(report: Report) -> list[list]:
    if report.feedback is None or not report.feedback.count:
        return []
    title = _("Participants' feedback")
    rows = [
        [
            title,
            _("Course"),
            _("Forms"),
            _("Relevance"),
            _("Trainer"),
            _("Materials"),
            _("Would recommend (%)"),
        ]
    ]
    for course, _lines, feedback in report.learning_course_rows():
        if feedback.count:
            rows.append([title, course.title, *_feedback_cells(feedback)])
    rows.append([title, _("Total"), *_feedback_cells(report.feedback)])
    return rows


def _coverage_rows(report: Report) -> list[list]:
    if not report.coverage:
        return []
    title = _("Promoter network coverage")
    rows = [
        [
            title,
            _("District"),
            _("Villages with an active promoter"),
            _("Villages known"),
            _("Coverage (%)"),
            _("Active promoters"),
        ]
    ]
    for item in report.coverage:
        rate = item.coverage.rate
        rows.append(
            [
                title,
                item.district.name,
                item.coverage.villages_covered,
                item.coverage.villages_known,
                "" if rate is None else round(100 * rate),
                item.promoters,
            ]
        )
    return rows


def _download_rows(report: Report) -> list[list]:
    if report.downloads is None:
        return []
    by_material, by_district = _("Downloads by material"), _("Downloads by district")
    rows = [
        [by_material, entry["title"], entry["count"]]
        for entry in report.downloads.by_material
    ]
    rows += [
        [by_district, entry["district"] or _("Not known"), entry["count"]]
        for entry in report.downloads.by_district
    ]
    return rows


def _titled(report: Report) -> tuple[list[list], int]:
    """The report's rows after its title and filters; and the table's header row
    (1-based), for freezing it in a spreadsheet."""
    preamble = filter_rows(report.filters, title=_("Suksa report"))
    return preamble + report_rows(report), len(preamble) + 1


def report_csv(report: Report) -> bytes:
    return rows_to_csv(_titled(report)[0])


def report_xlsx(report: Report) -> bytes:
    rows, header_row = _titled(report)
    return rows_to_xlsx(rows, title=_("Report"), header_row=header_row)


def report_pdf(filters, *, language: str) -> bytes:
    with translation.override(language):
        report = report_build(filters)
        report.for_print = True
        return render_pdf(
            "reports/report_pdf.html",
            {
                "report": report,
                "charts": report.charts(),
                "scope": filters_summary(filters),
                "filters_described": filters_described(filters),
                "language": language,
                "summary_chart": report.summary_chart(),
            },
        )


def people_rows(filters, *, user) -> list[list]:
    """The people behind "people trained"; phone numbers masked unless the user's
    role sees them (``access.policy.sees_phone_numbers``)."""
    from access.policy import sees_phone_numbers
    from common.phones import phone_masked

    show_phone = sees_phone_numbers(user)
    rows = [
        [
            _("Name"),
            _("Name in Latin letters"),
            _("Gender"),
            _("Year of birth"),
            _("Phone"),
            _("Organisation"),
            _("District"),
        ]
    ]
    for person in trained_people(filters).order_by("full_name", "pk"):
        rows.append(
            [
                person.full_name,
                person.latin_name,
                person.get_gender_display(),
                person.birth_year or "",
                person.phone if show_phone else phone_masked(person.phone),
                person.organisation.name if person.organisation else "",
                person.district.name if person.district else "",
            ]
        )
    aggregate = aggregate_total(filters)
    if aggregate.total:
        rows.append([aggregate_note(aggregate.total)])
    return rows


def aggregate_note(total: int) -> str:
    """The line that says a list of people leaves out the aggregate records (not
    starting with "+", which a spreadsheet would take for a formula)."""
    return _("Not listed: %(people)s more from aggregate records, no names") % {
        "people": number(total)
    }
