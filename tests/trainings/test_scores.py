"""Test scores: sign-in sheet columns, the import, the score grid, and the warning
before completion (issue 15, item 2)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from common.sheets import rows_to_csv, rows_to_xlsx
from tests.factories import CourseFactory, PersonFactory, SessionFactory, enrol
from trainings.documents import sign_in_sheet_pdf
from trainings.imports import sheet_import
from trainings.models import Enrolment
from trainings.services import (
    attendance_record_session,
    enrolment_scores_record,
    session_completion_outcomes,
)
from trainings.sheets import template_rows

pytestmark = pytest.mark.django_db

PRE, POST = "Pre-test score / ຄະແນນກ່ອນຝຶກອົບຮົມ", "Post-test score / ຄະແນນຫຼັງຝຶກອົບຮົມ"


@pytest.fixture
def session():
    return SessionFactory(course=CourseFactory(min_post_score=50))


def run(session, rows, *, dry_run=False):
    return sheet_import(
        session=session,
        content=rows_to_csv(rows),
        filename="sheet.csv",
        dry_run=dry_run,
    )


def test_the_template_has_both_score_columns_filled_with_stored_scores(session):
    (enrolment,) = enrol(session, PersonFactory(full_name="ນາງ ແກ້ວ"))
    enrolment_scores_record(
        session=session,
        scores={enrolment.pk: {"pre_score": Decimal("42.5"), "post_score": 80}},
    )

    header, row = template_rows(session=session)

    assert row[header.index(PRE)] == Decimal("42.5")
    assert row[header.index(POST)] == Decimal("80")
    sheet = load_workbook(io.BytesIO(rows_to_xlsx([header, row], title="x"))).active
    assert PRE in [cell.value for cell in sheet[1]]
    # Numbers in the spreadsheet, "42.5" in the CSV; both import back.
    assert [cell.value for cell in sheet[2]][header.index(PRE)] == 42.5
    assert "42.5,80" in rows_to_csv([header, row]).decode()


def test_the_printable_sheet_has_score_columns(session):
    (enrolment,) = enrol(session, PersonFactory(full_name="ນາງ ແກ້ວ"))
    html = render_to_string(
        "trainings/sign_in_sheet.html",
        {
            "session": session,
            "days": list(session.days.all()),
            "rows": [(enrolment, "42.5", "80")],
            "blank_rows": range(2, 3),
            "qr_data": "https://example.org/",
        },
    )
    assert "Pre-test score" in html and "Post-test score" in html
    assert "42.5" in html
    assert sign_in_sheet_pdf(session=session).startswith(b"%PDF")


def test_scores_are_imported_onto_the_enrolment_in_lao_or_ascii_digits(session):
    rows = [
        ["Full name", "Gender", PRE, "Post-test score"],
        ["ນາງ ແກ້ວ", "ຍິງ", "໔໕", "72,5"],
        ["ທ້າວ ບຸນ", "ຊາຍ", "30", ""],
    ]

    report = run(session, rows)

    assert report.errors == [] and report.new == 2
    scores = dict(
        Enrolment.objects.values_list("person__full_name", "post_score").order_by()
    )
    assert scores == {"ນາງ ແກ້ວ": Decimal("72.5"), "ທ້າວ ບຸນ": None}
    assert Enrolment.objects.get(person__full_name="ນາງ ແກ້ວ").pre_score == 45


def test_a_changed_score_is_an_update_and_an_empty_cell_keeps_the_score(session):
    rows = [["Full name", "Post-test score"], ["ນາງ ແກ້ວ", "60"]]
    run(session, rows)

    assert run(session, [["Full name", "Post-test score"], ["ນາງ ແກ້ວ", ""]]).unchanged
    again = run(session, [["Full name", "Post-test score"], ["ນາງ ແກ້ວ", "65"]])

    assert (again.new, again.updated, again.unchanged) == (0, 1, 0)
    assert Enrolment.objects.get().post_score == 65


@pytest.mark.parametrize("value", ["101", "-5", "ດີ", "50.123", "1e2"])
def test_a_score_outside_0_to_100_is_refused_and_nothing_saved(session, value):
    report = run(session, [["Full name", "Post-test score"], ["ນາງ ແກ້ວ", value]])

    assert [(e.row, e.column) for e in report.errors] == [(2, POST)]
    assert "0 to 100" in report.errors[0].message
    assert not Enrolment.objects.exists()


def test_score_grid_saves_every_score_in_one_post(client_as, make_user):
    session = SessionFactory(created_by=make_user("trainer"))
    first, second = enrol(session, PersonFactory(), PersonFactory())

    response = client_as("trainer").post(
        reverse("sessions:scores", args=[session.pk]),
        {
            f"pre-{first.pk}": "໔໐",
            f"post-{first.pk}": "75.5",
            f"pre-{second.pk}": "",
            f"post-{second.pk}": "50",
        },
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.pre_score, first.post_score) == (40, Decimal("75.5"))
    assert (second.pre_score, second.post_score) == (None, 50)


def test_score_grid_keeps_what_was_typed_when_a_score_is_wrong(
    client_in_english, make_user
):
    session = SessionFactory(created_by=make_user("trainer"))
    first, second = enrol(session, PersonFactory(), PersonFactory())

    response = client_in_english("trainer").post(
        reverse("sessions:scores", args=[session.pk]),
        {f"post-{first.pk}": "150", f"post-{second.pk}": "88"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Write a number from 0 to 100." in content
    assert 'value="150"' in content and 'value="88"' in content
    assert not Enrolment.objects.filter(post_score__isnull=False).exists()


def test_score_grid_is_refused_in_an_approved_period_with_the_reason(
    client_in_english, make_user
):
    from periods.models import PeriodApproval
    from periods.services import period_approve

    session = SessionFactory(created_by=make_user("trainer"))
    (enrolment,) = enrol(session, PersonFactory())
    period_approve(
        district=session.district,
        kind=PeriodApproval.Kind.MONTH,
        year=session.starts_on.year,
        number=session.starts_on.month,
        by=make_user("manager"),
    )

    response = client_in_english("trainer").post(
        reverse("sessions:scores", args=[session.pk]), {f"post-{enrolment.pk}": "70"}
    )

    assert response.status_code == 200
    assert "is approved" in response.content.decode()
    assert 'value="70"' in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.post_score is None


def test_the_score_service_saves_all_or_nothing(session):
    first, second = enrol(session, PersonFactory(), PersonFactory())

    with pytest.raises(ValidationError):
        enrolment_scores_record(
            session=session,
            scores={
                first.pk: {"post_score": Decimal(70)},
                second.pk: {"post_score": Decimal(170)},
            },
        )

    first.refresh_from_db()
    assert first.post_score is None


def test_score_grid_is_not_found_for_another_trainer(client_as, make_user):
    session = SessionFactory(created_by=make_user("trainer2"))
    make_user("trainer")

    response = client_as("trainer").get(reverse("sessions:scores", args=[session.pk]))

    assert response.status_code == 404


def test_outcomes_are_computed_before_completion_without_saving(session):
    passing, no_score = enrol(
        session, PersonFactory(full_name="A"), PersonFactory(full_name="B")
    )
    days = list(session.days.all())
    attendance_record_session(
        session=session,
        statuses={d.pk: {passing.pk: "present", no_score.pk: "present"} for d in days},
    )
    enrolment_scores_record(session=session, scores={passing.pk: {"post_score": 60}})

    outcomes = session_completion_outcomes(session=session)

    assert [(o.enrolment.person.full_name, o.completed) for o in outcomes] == [
        ("A", True),
        ("B", False),
    ]
    assert "no post-test score (50 required)" in outcomes[1].reason
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"enrolled"}


def test_the_session_page_warns_who_will_not_complete_and_why(
    client_in_english, make_user
):
    session = SessionFactory(
        created_by=make_user("trainer"), course=CourseFactory(min_post_score=50)
    )
    enrol(session, PersonFactory(full_name="ນາງ ແກ້ວ"))

    content = (
        client_in_english("trainer")
        .get(reverse("sessions:inspect", args=[session.pk]))
        .content.decode()
    )

    assert "1 participant would not complete" in content
    assert "ນາງ ແກ້ວ — Attended 0 of 3 days (0 %); 80 % required" in content
    assert "no post-test score (50 required)" in content
    complete_page = client_in_english("trainer").get(
        reverse("sessions:complete", args=[session.pk])
    )
    assert "would not complete" in complete_page.content.decode()


def test_a_completed_session_page_has_no_warning(client_in_english, make_user):
    session = SessionFactory(created_by=make_user("trainer"))
    enrol(session, PersonFactory())
    from trainings.services import session_complete

    session_complete(session=session, today=datetime.date(2023, 1, 1))

    content = (
        client_in_english("trainer")
        .get(reverse("sessions:inspect", args=[session.pk]))
        .content.decode()
    )
    assert "would not complete" not in content


def test_a_session_not_yet_started_has_no_warning(client_in_english, make_user):
    from django.utils import timezone

    start = timezone.localdate() + datetime.timedelta(days=7)
    session = SessionFactory(
        created_by=make_user("trainer"),
        starts_on=start,
        ends_on=start + datetime.timedelta(days=2),
    )
    enrol(session, PersonFactory())

    content = (
        client_in_english("trainer")
        .get(reverse("sessions:inspect", args=[session.pk]))
        .content.decode()
    )
    assert "would not complete" not in content


def test_score_grid_tab_goes_down_each_column_then_to_save(client_as, make_user):
    session = SessionFactory(created_by=make_user("trainer"))
    enrolments = enrol(session, *[PersonFactory() for _ in range(3)])

    html = client_as("trainer").get(reverse("sessions:scores", args=[session.pk]))

    text = html.content.decode()
    order = re.findall(r'id="((?:pre|post)-\d+)"[^>]*tabindex="(\d+)"', text)
    by_tab = [name for name, _tab in sorted(order, key=lambda item: int(item[1]))]
    people = [
        e.pk for e in sorted(enrolments, key=lambda e: text.index(f'id="pre-{e.pk}"'))
    ]
    assert by_tab == [f"pre-{pk}" for pk in people] + [f"post-{pk}" for pk in people]
    assert re.search(r'<button type="submit" class="button" tabindex="7"', text)
