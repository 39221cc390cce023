"""The period lock's refusal reaches the user through every door as a message: a
400 from the API, an error on the admin form or page, a row error in an import;
never a 500, and nothing changes. One test per finding of issue 13 ("approved
periods still move")."""

import datetime

import pytest
from django.urls import reverse

from common.sheets import rows_to_csv
from people.models import Gender
from promoters.sheets import COLUMNS, spreadsheet_import
from tests.factories import SessionFactory, enrol
from trainings.imports import sheet_import
from trainings.models import Course, Session

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
REFUSAL = "The data of Paksong for 2022-06 is approved, so it cannot change."
VISITS_REFUSAL = "The data of Paksong for 2023-06 is approved, so it cannot change."


@pytest.fixture
def approved(world):
    world.approve()
    return world


def test_api_patch_of_a_graduates_gender_answers_400_naming_the_period(
    client_as, approved
):
    person = approved.graduate.person

    response = client_as("admin").patch(
        f"/api/v1/people/{person.pk}/",
        {"gender": Gender.MAN},
        content_type="application/json",
        **ENGLISH,
    )

    assert response.status_code == 400
    assert REFUSAL in response.json()["non_field_errors"][0]
    person.refresh_from_db()
    assert person.gender == Gender.WOMAN


def test_admin_edit_of_a_graduates_gender_shows_the_refusal_on_the_form(
    client_in_english, approved
):
    person = approved.graduate.person

    response = client_in_english("admin").post(
        reverse("people:edit", args=[person.pk]),
        {"full_name": person.full_name, "gender": Gender.MAN, "not_a_duplicate": "on"},
    )

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    person.refresh_from_db()
    assert person.gender == Gender.WOMAN


def test_a_sheet_changing_a_graduates_gender_gets_a_row_error(approved):
    july = SessionFactory(
        course=approved.session.course,
        district=approved.district,
        starts_on=datetime.date(2022, 7, 4),
        ends_on=datetime.date(2022, 7, 4),
    )
    person = approved.graduate.person
    enrol(july, person)
    sheet = (
        f"Full name / ຊື່ ແລະ ນາມສະກຸນ,Gender / ເພດ,2022-07-04\n{person.full_name},Man,1\n"
    ).encode()

    report = sheet_import(
        session=july, content=sheet, filename="sheet.csv", dry_run=False
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, "Gender / ເພດ")]
    assert REFUSAL in report.errors[0].message
    assert not report.committed
    person.refresh_from_db()
    assert person.gender == Gender.WOMAN


def test_api_centre_visit_record_and_update_answer_400(client_as, approved):
    api = client_as("admin")

    recorded = api.post(
        "/api/v1/centre-visits/",
        {"centre": approved.centre.pk, "date": "2023-06-20", "visitors": {"men": 2}},
        content_type="application/json",
        **ENGLISH,
    )
    updated = api.patch(
        f"/api/v1/centre-visits/{approved.visit.pk}/",
        {"visitors": {"women": 40}},
        content_type="application/json",
        **ENGLISH,
    )
    deleted = api.delete(f"/api/v1/centre-visits/{approved.visit.pk}/", **ENGLISH)

    for response in (recorded, updated, deleted):
        assert response.status_code == 400
        assert VISITS_REFUSAL in response.json()["non_field_errors"][0]
    approved.visit.refresh_from_db()
    assert approved.visit.visitors.total == 10
    assert approved.centre.visits.count() == 1


def test_api_course_kind_change_answers_400(client_as, approved):
    course = approved.session.course

    response = client_as("admin").patch(
        f"/api/v1/courses/{course.pk}/",
        {"kind": Course.Kind.SHORT_COURSE},
        content_type="application/json",
        **ENGLISH,
    )

    assert response.status_code == 400
    assert REFUSAL in response.json()["non_field_errors"][0]
    course.refresh_from_db()
    assert course.kind == Course.Kind.TOT


def test_admin_course_kind_change_shows_the_refusal_on_the_form(
    client_in_english, approved
):
    course = approved.session.course

    response = client_in_english("admin").post(
        reverse("courses:edit", args=[course.pk]),
        {
            "title_lo": course.title_lo,
            "title_en": course.title_en,
            "kind": Course.Kind.SHORT_COURSE,
            "min_attendance_percent": 80,
        },
    )

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    course.refresh_from_db()
    assert course.kind == Course.Kind.TOT


def test_admin_session_delete_is_refused_with_a_message(client_in_english, approved):
    session = approved.planned

    response = client_in_english("admin").post(
        reverse("sessions:delete", args=[session.pk]), follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("sessions:edit", args=[session.pk])
    assert REFUSAL in response.content.decode()
    assert Session.objects.filter(pk=session.pk).exists()


def test_admin_session_delete_works_in_an_open_period(client_in_english, world):
    session = world.planned

    response = client_in_english("admin").post(
        reverse("sessions:delete", args=[session.pk])
    )

    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()


def test_admin_centre_visit_delete_is_refused_with_a_message(
    client_in_english, approved
):
    response = client_in_english("admin").post(
        reverse("centre_visits:delete", args=[approved.visit.pk]), follow=True
    )

    assert response.status_code == 200
    assert VISITS_REFUSAL in response.content.decode()
    assert approved.centre.visits.count() == 1


def test_a_visits_import_into_an_approved_period_gets_a_row_error(approved):
    header = [column.header for column in COLUMNS["visits"]]
    row = ["", approved.centre.name, "2023-06-21", "3", "4", "", "", "", ""]

    report = spreadsheet_import(
        kind="visits",
        content=rows_to_csv([header, row]),
        filename="visits.csv",
        user=approved.admin,
        dry_run=False,
    )

    assert [error.row for error in report.errors] == [2]
    assert VISITS_REFUSAL in report.errors[0].message
    assert approved.centre.visits.count() == 1
