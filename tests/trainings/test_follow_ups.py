"""Follow-ups of trainees at 3 and 6 months (issue 18, item 2): made, recorded,
summed up."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from periods.services import period_approve
from tests.factories import PersonFactory, SessionFactory, UserFactory, enrol
from trainings.models import Enrolment, TraineeFollowUp
from trainings.selectors import (
    session_follow_ups,
    trainee_follow_ups_in_order,
    trainee_follow_ups_summary,
)
from trainings.services import (
    attendance_record_day,
    session_complete,
    trainee_follow_up_record,
    trainee_follow_ups_ensure,
)
from trainings.tasks import trainee_follow_ups_create

pytestmark = pytest.mark.django_db

ENDED = datetime.date(2022, 6, 16)


def _completed_session(present: int = 2, absent: int = 1):
    session = SessionFactory()
    came = enrol(session, *[PersonFactory() for _ in range(present)])
    stayed_away = enrol(session, *[PersonFactory() for _ in range(absent)])
    enrol(session, PersonFactory(), role=Enrolment.Role.TRAINER)
    for day in session.days.all():
        attendance_record_day(
            day=day,
            statuses={
                **{e.pk: "present" for e in came},
                **{e.pk: "absent" for e in stayed_away},
            },
        )
    session_complete(session=session, today=ENDED + datetime.timedelta(days=1))
    return session, came


def test_completing_a_session_makes_two_follow_ups_per_participant_who_completed():
    session, came = _completed_session(present=2, absent=1)

    follow_ups = TraineeFollowUp.objects.filter(enrolment__session=session)
    assert sorted(follow_ups.values_list("enrolment_id", "months", "due_on")) == sorted(
        (enrolment.pk, months, due)
        for enrolment in came
        for months, due in (
            (3, datetime.date(2022, 9, 16)),
            (6, datetime.date(2022, 12, 16)),
        )
    )
    assert set(follow_ups.values_list("status", flat=True)) == {"due"}


def test_making_them_again_makes_none_and_fills_what_is_missing():
    session, came = _completed_session(present=2, absent=0)
    TraineeFollowUp.objects.filter(enrolment=came[0], months=6).delete()

    made = trainee_follow_ups_ensure(sessions=[session], today=ENDED)
    again = trainee_follow_ups_ensure(sessions=[session], today=ENDED)

    assert (made, again) == (1, 0)
    assert TraineeFollowUp.objects.filter(enrolment__session=session).count() == 4


def test_sessions_that_ended_more_than_six_months_ago_get_none():
    session = SessionFactory()
    (enrolment,) = enrol(session, PersonFactory())
    Enrolment.objects.filter(pk=enrolment.pk).update(status="completed")

    assert trainee_follow_ups_ensure(today=datetime.date(2023, 1, 1)) == 0
    assert trainee_follow_ups_ensure(today=datetime.date(2022, 12, 1)) == 2


def test_the_daily_task_makes_the_missing_ones(settings):
    session = SessionFactory(
        starts_on=datetime.date.today() - datetime.timedelta(days=10),
        ends_on=datetime.date.today() - datetime.timedelta(days=9),
    )
    (enrolment,) = enrol(session, PersonFactory())
    Enrolment.objects.filter(pk=enrolment.pk).update(status="completed")

    assert trainee_follow_ups_create.delay().get() == 2
    assert trainee_follow_ups_create.delay().get() == 0
    assert enrolment.follow_ups.count() == 2


def _follow_up(months=3):
    _session, came = _completed_session(present=1, absent=0)
    return TraineeFollowUp.objects.get(enrolment=came[0], months=months)


def test_recording_keeps_the_answers_who_and_when():
    follow_up = _follow_up()
    officer = UserFactory()

    trainee_follow_up_record(
        follow_up=follow_up,
        by=officer,
        status="done",
        used_learning="partly",
        people_trained=12,
        meetings_led=2,
        people_registered=5,
        comment="Trained the village committee.",
        today=datetime.date(2022, 9, 20),
    )

    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert (follow_up.used_learning, follow_up.people_trained) == ("partly", 12)
    assert (follow_up.meetings_led, follow_up.people_registered) == (2, 5)
    assert follow_up.recorded_by == officer
    assert follow_up.recorded_on == datetime.date(2022, 9, 20)


def test_done_needs_whether_they_used_it_and_unreachable_keeps_no_answers():
    follow_up = _follow_up()
    with pytest.raises(ValidationError) as refused:
        trainee_follow_up_record(follow_up=follow_up, by=None, status="done")
    assert "used_learning" in refused.value.error_dict

    trainee_follow_up_record(
        follow_up=follow_up,
        by=None,
        status="unreachable",
        used_learning="yes",
        people_trained=3,
        comment="No answer twice.",
    )
    follow_up.refresh_from_db()
    assert (follow_up.used_learning, follow_up.people_trained) == ("", None)
    assert follow_up.comment == "No answer twice."


def test_an_approved_period_refuses_recording_on_its_days():
    follow_up = _follow_up()
    manager = UserFactory()
    period_approve(
        district=follow_up.enrolment.session.district,
        kind="month",
        year=2022,
        number=9,
        by=manager,
    )

    with pytest.raises(ValidationError, match="approved"):
        trainee_follow_up_record(
            follow_up=follow_up,
            by=None,
            status="done",
            used_learning="yes",
            today=datetime.date(2022, 9, 20),
        )
    follow_up.refresh_from_db()
    assert follow_up.status == "due"


def test_the_summary_counts_those_due_by_the_day_and_what_they_reported():
    session, came = _completed_session(present=3, absent=0)
    three = TraineeFollowUp.objects.filter(months=3).order_by("pk")
    for follow_up, used, trained in zip(three, ["yes", "no"], [7, 0], strict=False):
        trainee_follow_up_record(
            follow_up=follow_up,
            by=None,
            status="done",
            used_learning=used,
            people_trained=trained,
            people_registered=2,
            today=datetime.date(2022, 9, 20),
        )

    summary = session_follow_ups(session=session, today=datetime.date(2022, 10, 1))

    assert (summary.due, summary.done, summary.overdue, summary.upcoming) == (
        3,
        2,
        1,
        3,
    )
    assert (summary.used_yes, summary.used_partly, summary.used_no) == (1, 0, 1)
    assert (summary.people_trained, summary.people_registered) == (7, 4)
    assert summary.done_share == 0.667
    empty = trainee_follow_ups_summary(follow_ups=TraineeFollowUp.objects.none())
    assert empty.done_share is None


def test_overdue_come_first_then_those_ahead_then_those_recorded():
    _session, came = _completed_session(present=2, absent=0)
    first_three = TraineeFollowUp.objects.get(enrolment=came[0], months=3)
    trainee_follow_up_record(
        follow_up=first_three, by=None, status="unreachable", today=ENDED
    )

    ordered = list(
        trainee_follow_ups_in_order(
            TraineeFollowUp.objects.all(), today=datetime.date(2022, 10, 1)
        )
    )

    assert [(f.enrolment_id, f.months) for f in ordered] == [
        (came[1].pk, 3),
        (came[0].pk, 6),
        (came[1].pk, 6),
        (came[0].pk, 3),
    ]
