"""Dates within a sane range (issue 14, item 4): attendance is recorded for days
that happened, and a session cannot start before 1975."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import PersonFactory, SessionFactory, enrol
from trainings.models import Attendance
from trainings.services import attendance_record_day
from trainings.sheets import sheet_parse

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def running_session():
    """A session from yesterday to the day after tomorrow."""
    return SessionFactory(
        starts_on=TODAY - datetime.timedelta(days=1),
        ends_on=TODAY + datetime.timedelta(days=2),
    )


def test_attendance_on_a_day_still_ahead_is_refused(running_session):
    (enrolment,) = enrol(running_session, PersonFactory())
    ahead = running_session.days.get(date=TODAY + datetime.timedelta(days=1))

    with pytest.raises(ValidationError, match="in the future"):
        attendance_record_day(day=ahead, statuses={enrolment.pk: "present"})

    assert not Attendance.objects.exists()
    assert attendance_record_day(day=ahead, statuses={enrolment.pk: ""}) == 0


def test_attendance_today_and_before_is_recorded(running_session):
    (enrolment,) = enrol(running_session, PersonFactory())
    for day in running_session.days.filter(date__lte=TODAY):
        assert attendance_record_day(day=day, statuses={enrolment.pk: "present"}) == 1


def test_a_sign_in_sheet_mark_on_a_day_still_ahead_is_a_row_error(running_session):
    ahead = TODAY + datetime.timedelta(days=1)
    rows = [["Full name", TODAY.isoformat(), ahead.isoformat()], ["ນາງ ແສງ", "1", "1"]]

    parsed = sheet_parse(rows=rows, session=running_session)

    assert [(e.row, e.column) for e in parsed.errors] == [(2, ahead.isoformat())]


def test_a_session_cannot_start_before_1975():
    with pytest.raises(ValidationError, match="check the year"):
        SessionFactory(starts_on=datetime.date(1, 1, 1), ends_on=datetime.date(1, 1, 2))
