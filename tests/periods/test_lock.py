"""The period lock: every write service that changes an approved figure is refused,
with the district and the period named, while the period is approved, and
accepted once a manager un-approves it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from certificates import services as certificates
from feedback.services import feedback_paper_record
from people.models import Gender, Person
from people.services import person_update
from periods.services import period_unapprove
from promoters import services as promoters
from tests.factories import (
    DistrictFactory,
    HistoricalTrainingFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    enrol,
    record_meeting,
)
from tests.periods.conftest import JUNE_2022, World
from trainings import services as trainings
from trainings.imports import sheet_import
from trainings.models import Attendance, Course, Enrolment, Session, TraineeFollowUp

pytestmark = pytest.mark.django_db


def _sheet(world: World, session: Session) -> bytes:
    """A sign-in sheet for ``session`` with the graduate's gender changed."""
    person = world.graduate.person
    days = [day.date.isoformat() for day in session.days.all()]
    header = "Full name / ຊື່ ແລະ ນາມສະກຸນ,Gender / ເພດ,Birth year / ປີເກີດ"
    lines = [
        ",".join([header, *days]),
        ",".join([person.full_name, "Man", "", *("" for _ in days)]),
    ]
    return "\n".join(lines).encode()


def _import_sheet(world: World, session: Session) -> None:
    report = sheet_import(
        session=session,
        content=_sheet(world, session),
        filename="sheet.csv",
        dry_run=False,
        by=world.admin,
    )
    if report.errors:
        raise ValidationError([error.message for error in report.errors])


def _july_session(world: World) -> Session:
    """An open session (July) the graduate is enrolled in too."""
    july = SessionFactory(
        course=world.session.course,
        district=world.district,
        starts_on=datetime.date(2022, 7, 4),
        ends_on=datetime.date(2022, 7, 5),
    )
    enrol(july, world.graduate.person)
    return july


def _historical(world: World, ends_on: datetime.date):
    """A training known only as totals, written before the approval (no service)."""
    return HistoricalTrainingFactory(
        district=world.district, starts_on=ends_on, ends_on=ends_on
    )


def _first_day(world: World):
    return world.session.days.first()


def _follow_up_record(world: World):
    """The graduate's 3-month follow-up, recorded on a day of the approved month."""
    follow_up, _made = TraineeFollowUp.objects.get_or_create(
        enrolment=world.graduate, months=3, defaults={"due_on": JUNE_2022}
    )
    return trainings.trainee_follow_up_record(
        follow_up=follow_up, by=world.admin, status="unreachable", today=JUNE_2022
    )


# Each write, as a function of the world: the lock must refuse every one of them.
WRITES = {
    # trainings: sessions
    "session_create": lambda w: trainings.session_create(
        course=w.session.course,
        starts_on=datetime.date(2022, 6, 28),
        ends_on=datetime.date(2022, 7, 2),
        district=w.district,
    ),
    "session_update": lambda w: trainings.session_update(
        session=w.session, venue="Elsewhere"
    ),
    "session_update moving it to another district": lambda w: trainings.session_update(
        session=w.session, district=DistrictFactory()
    ),
    "session_save": lambda w: trainings.session_save(session=w.session),
    "session_delete": lambda w: trainings.session_delete(session=w.planned),
    "session_complete": lambda w: trainings.session_complete(session=w.session),
    # trainings: enrolments and attendance
    "enrolment_add": lambda w: trainings.enrolment_add(
        session=w.session, person=PersonFactory()
    ),
    "enrolment_enrol": lambda w: trainings.enrolment_enrol(
        session=w.session, full_name="Someone New"
    ),
    "enrolment_update": lambda w: trainings.enrolment_update(
        enrolment=w.dropout, status=Enrolment.Status.WITHDRAWN
    ),
    "attendance_record_day": lambda w: trainings.attendance_record_day(
        day=_first_day(w), statuses={w.dropout.pk: Attendance.Status.PRESENT}
    ),
    "attendance_record_session": lambda w: trainings.attendance_record_session(
        session=w.session,
        statuses={_first_day(w).pk: {w.dropout.pk: Attendance.Status.PRESENT}},
    ),
    "sheet_import into the session": lambda w: _import_sheet(w, w.session),
    "trainee_follow_up_record": _follow_up_record,
    # trainings: the course of sessions in the period
    "course_update kind": lambda w: trainings.course_update(
        course=w.session.course, kind=Course.Kind.SHORT_COURSE
    ),
    "course_update attendance rule": lambda w: trainings.course_update(
        course=w.session.course, min_attendance_percent=50
    ),
    "course_update post-test rule": lambda w: trainings.course_update(
        course=w.session.course, min_post_score=70
    ),
    # people who completed a session in the period
    "person_update gender": lambda w: person_update(
        person=w.graduate.person, gender=Gender.MAN
    ),
    "person_update organisation": lambda w: person_update(
        person=w.graduate.person, organisation=OrganisationFactory()
    ),
    "person_update district": lambda w: person_update(
        person=w.graduate.person, district=DistrictFactory()
    ),
    "person_update of a certificate holder": lambda w: person_update(
        person=w.holder.person, gender=Gender.OTHER
    ),
    "sheet_import into another session": lambda w: _import_sheet(w, _july_session(w)),
    # certificates of the period's sessions
    "certificate_issue": lambda w: certificates.certificate_issue(
        enrolment=w.graduate, by=w.admin
    ),
    "certificate_issue_one": lambda w: certificates.certificate_issue_one(
        enrolment=w.graduate, by=w.admin
    ),
    "certificate_revoke": lambda w: certificates.certificate_revoke(
        certificate=w.certificate, reason="Wrong person", by=w.admin
    ),
    "certificate_reissue": lambda w: certificates.certificate_reissue(
        certificate=w.certificate, by=w.admin
    ),
    "certificate_job_start": lambda w: certificates.certificate_job_start(
        session=w.session, by=w.admin
    ),
    # feedback: paper forms typed in for the period's session
    "feedback_paper_record": lambda w: feedback_paper_record(
        session=w.session,
        forms=[{"relevance": 5, "trainer": 4, "materials": 4}],
        by=w.admin,
    ),
    "certificate_issue_date_change": lambda w: (
        certificates.certificate_issue_date_change(
            certificate=w.certificate,
            issued_on=datetime.date(2022, 7, 20),
            reason="Handed out in July",
            by=w.admin,
        )
    ),
    # trainings known only as totals, dated by their last day
    "historical_training_record": lambda w: trainings.historical_training_record(
        user=w.admin,
        title="Orientation",
        starts_on=datetime.date(2022, 6, 8),
        ends_on=datetime.date(2022, 6, 9),
        district=w.district,
        women=4,
        source="Paper register",
    ),
    "historical_training_update": lambda w: trainings.historical_training_update(
        training=_historical(w, datetime.date(2022, 6, 9)), user=w.admin, women=5
    ),
    "historical_training_update moving in": lambda w: (
        trainings.historical_training_update(
            training=_historical(w, datetime.date(2022, 7, 9)),
            user=w.admin,
            ends_on=datetime.date(2022, 6, 9),
            starts_on=datetime.date(2022, 6, 8),
        )
    ),
    "historical_training_delete": lambda w: trainings.historical_training_delete(
        training=_historical(w, datetime.date(2022, 6, 9)), user=w.admin
    ),
    # promoters: meetings and centre visits
    "meeting_record": lambda w: record_meeting(
        w.promoter, user=w.admin, date=datetime.date(2023, 6, 20)
    ),
    "meeting_update": lambda w: promoters.meeting_update(
        meeting=w.meeting, user=w.admin, turnout={"women": 30, "men": 8}
    ),
    # Recording what an activity achieved (a planned one becomes done).
    "meeting_mark_done": lambda w: promoters.meeting_mark_done(
        meeting=w.meeting, user=w.admin, turnout={"women": 31}
    ),
    "meeting_delete": lambda w: promoters.meeting_delete(
        meeting=w.meeting, user=w.admin
    ),
    "centre_visit_record": lambda w: promoters.centre_visit_record(
        user=w.admin,
        centre=w.centre,
        date=datetime.date(2023, 6, 10),
        visitors={"women": 1},
    ),
    "centre_visit_update": lambda w: promoters.centre_visit_update(
        visit=w.visit, user=w.admin, visitors={"women": 9}
    ),
    "centre_visit_update moving out": lambda w: promoters.centre_visit_update(
        visit=w.visit, user=w.admin, date=datetime.date(2023, 7, 3)
    ),
    "centre_visit_delete": lambda w: promoters.centre_visit_delete(
        visit=w.visit, user=w.admin
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_in_an_approved_period_is_refused_until_unapproval(world, write):
    approvals = world.approve()

    with pytest.raises(ValidationError) as refusal:
        WRITES[write](world)

    message = " ".join(refusal.value.messages)
    assert "is approved, so it cannot change" in message
    assert world.district.name in message
    assert "2022-06" in message or "2023-06" in message
    for approval in approvals:
        period_unapprove(approval=approval, reason="Late corrections", by=world.manager)
    WRITES[write](world)


def test_a_refused_write_changes_no_figure(world):
    world.approve()
    person = world.graduate.person

    for write in ("person_update gender", "session_delete", "course_update kind"):
        with pytest.raises(ValidationError):
            WRITES[write](world)

    person.refresh_from_db()
    assert person.gender == Gender.WOMAN
    assert Session.objects.filter(pk=world.session.pk).exists()
    assert Course.objects.get(pk=world.session.course_id).kind == Course.Kind.TOT


def test_changes_that_move_no_approved_figure_are_accepted(world):
    world.approve()
    person = world.graduate.person

    person_update(person=person, position="Clerk")
    trainings.course_update(course=world.session.course, title_en="Basic ToT")
    trainings.session_create(
        course=world.session.course,
        starts_on=datetime.date(2022, 7, 4),
        ends_on=datetime.date(2022, 7, 5),
        district=world.district,
    )
    trainings.session_create(
        course=world.session.course,
        starts_on=JUNE_2022,
        ends_on=JUNE_2022,
        district=DistrictFactory(),
    )
    # Someone who never completed a session in the period may change.
    person_update(person=world.dropout.person, gender=Gender.MAN)

    assert Person.objects.get(pk=person.pk).position == "Clerk"


def test_a_session_whose_participants_hold_certificates_is_not_deleted(world):
    with pytest.raises(ValidationError, match="hold certificates"):
        trainings.session_delete(session=world.session)

    assert Session.objects.filter(pk=world.session.pk).exists()
