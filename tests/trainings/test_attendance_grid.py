"""The attendance grid: "all present" per day and per person, totals and %, absences
coloured, names that break only between words (issue 15, item 3)."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, SessionFactory, enrol
from trainings.models import Attendance
from trainings.selectors import session_attendance_totals
from trainings.services import attendance_record_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(make_user):
    session = SessionFactory(created_by=make_user("trainer"))
    enrol(
        session,
        PersonFactory(full_name="ນາງ ບົວພັນ ສີສຸວັນ"),
        PersonFactory(full_name="ທ້າວ ສົມສັກ ແກ້ວມະນີ"),
    )
    return session


def grid_url(session):
    return reverse("sessions:attendance", args=[session.pk])


def blank_grid(session) -> dict:
    return {
        f"cell-{e.pk}-{d.pk}": ""
        for e in session.enrolments.all()
        for d in session.days.all()
    }


def test_all_present_for_a_day_without_javascript_saves_that_day(client_as, session):
    day = session.days.first()
    data = blank_grid(session) | {"fill": f"day-{day.pk}"}

    response = client_as("trainer").post(grid_url(session), data)

    assert response.status_code == 302 and response.url == grid_url(session)
    marks = set(Attendance.objects.values_list("day_id", "status"))
    assert marks == {(day.pk, "present")}
    assert Attendance.objects.count() == 2


def test_all_present_for_a_person_keeps_the_other_cells_as_typed(client_as, session):
    first, second = session.enrolments.order_by("person__full_name")
    days = list(session.days.all())
    data = blank_grid(session) | {
        f"cell-{second.pk}-{days[0].pk}": "absent",
        "fill": f"person-{first.pk}",
    }

    client_as("trainer").post(grid_url(session), data)

    assert Attendance.objects.filter(enrolment=first, status="present").count() == 3
    assert list(Attendance.objects.filter(enrolment=second).values_list("status")) == [
        ("absent",)
    ]


def test_totals_and_percent_per_person_and_per_day(session):
    first, second = session.enrolments.order_by("person__full_name")
    days = list(session.days.all())
    attendance_record_session(
        session=session,
        statuses={
            days[0].pk: {first.pk: "present", second.pk: "late"},
            days[1].pk: {first.pk: "present", second.pk: "absent"},
            days[2].pk: {first.pk: "excused", second.pk: "absent"},
        },
    )

    grid = session_attendance_totals(session=session, today=datetime.date(2023, 1, 1))

    people = {row.enrolment.pk: (row.attended, row.percent) for row in grid.rows}
    assert people == {first.pk: (2, 67), second.pk: (1, 33)}
    assert [row.below_rule for row in grid.rows] == [True, True]
    assert [(d.attended, d.percent) for d in grid.days] == [(2, 100), (1, 50), (0, 0)]


def test_the_grid_shows_totals_colours_and_buttons(client_in_english, session):
    first, _second = session.enrolments.order_by("person__full_name")
    day = session.days.first()
    attendance_record_session(session=session, statuses={day.pk: {first.pk: "absent"}})

    content = client_in_english("trainer").get(grid_url(session)).content.decode()

    assert content.count('name="fill"') == 3 + 2  # each day, each person
    assert '<td data-status="absent">' in content
    assert "0/3 · 0 %" in content and "0/2 · 0 %" in content
    # A name breaks between its words only, never inside one.
    assert "<span>ບົວພັນ</span> <span>ສີສຸວັນ</span>" in content


def test_a_future_day_has_no_all_present_button(client_in_english, make_user):
    from django.utils import timezone

    today = timezone.localdate()
    session = SessionFactory(
        created_by=make_user("trainer"),
        starts_on=today,
        ends_on=today + datetime.timedelta(days=1),
    )
    enrol(session, PersonFactory())

    content = client_in_english("trainer").get(grid_url(session)).content.decode()

    assert content.count('data-fill-day="') == 1


def test_the_grid_is_not_found_for_another_trainer(client_as, session, make_user):
    make_user("trainer2")
    assert client_as("trainer2").get(grid_url(session)).status_code == 404
