import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Gender, Person
from periods.services import period_approve
from tests.factories import (
    CourseFactory,
    DistrictFactory,
    PersonFactory,
    SessionFactory,
    VillageFactory,
    abroad_session,
    enrol,
)
from trainings.models import Attendance, Course, Enrolment, Session, StudyStatus
from trainings.services import (
    attendance_record_day,
    enrolment_add,
    enrolment_add_people,
    enrolment_enrol,
    enrolment_update,
    session_complete,
    session_update,
    study_records_save,
)

pytestmark = pytest.mark.django_db
AFTER = datetime.date(2022, 7, 1)


def test_session_gets_a_human_code_and_one_day_per_date():
    first = SessionFactory()
    second = SessionFactory(course=first.course)
    short = SessionFactory(course=CourseFactory(kind=Course.Kind.SHORT_COURSE))

    assert (first.code, second.code, short.code) == (
        "TOT-2022-001",
        "TOT-2022-002",
        "SC-2022-001",
    )
    assert [d.date.day for d in first.days.all()] == [14, 15, 16]


def test_long_programme_gets_no_daily_days():
    masters = SessionFactory(
        course=CourseFactory(kind=Course.Kind.LONG_PROGRAMME),
        starts_on=datetime.date(2021, 9, 1),
        ends_on=datetime.date(2023, 8, 31),
    )
    assert masters.code == "LP-2021-001"
    assert not masters.days.exists()


def test_session_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError):
        SessionFactory(
            starts_on=datetime.date(2022, 6, 16), ends_on=datetime.date(2022, 6, 14)
        )
    assert not Session.objects.exists()


def test_village_must_be_in_the_session_district():
    with pytest.raises(ValidationError, match="not in the session's district"):
        SessionFactory(village=VillageFactory())


def test_moving_dates_keeps_attendance_and_refuses_to_drop_recorded_days():
    session = SessionFactory()
    (enrolment,) = enrol(session, PersonFactory())
    first_day = session.days.first()
    attendance_record_day(day=first_day, statuses={enrolment.pk: "present"})

    session_update(session=session, ends_on=datetime.date(2022, 6, 17))
    assert session.days.count() == 4

    with pytest.raises(ValidationError, match="Attendance is recorded on 14/06/2022"):
        session_update(session=session, starts_on=datetime.date(2022, 6, 15))
    assert Attendance.objects.filter(day=first_day).exists()


def test_enrol_reuses_the_registered_person_and_says_so():
    known = PersonFactory(full_name="ນາງ ບົວພັນ", phone="020 5551 2345")
    session = SessionFactory()

    result = enrolment_enrol(
        session=session, full_name="Bouaphanh", phone="+856 20 55512345"
    )

    assert result.enrolment.person == known
    assert not result.person_created
    assert "already registered" in result.message
    assert "same phone number" in result.message
    assert Person.objects.count() == 1


def test_enrol_registers_a_new_person_when_nobody_matches():
    session = SessionFactory()
    result = enrolment_enrol(
        session=session, full_name="ສົມພອນ", gender=Gender.MAN, birth_year=1980
    )
    assert result.person_created
    assert result.enrolment.role == Enrolment.Role.PARTICIPANT


def test_enrolling_the_same_person_twice_keeps_one_enrolment():
    session = SessionFactory()
    details = {"full_name": "ສົມພອນ", "phone": "020 5551 2345"}
    enrolment_enrol(session=session, **details)

    again = enrolment_enrol(session=session, **details)

    assert not again.enrolment_created
    assert "already enrolled" in again.message
    assert session.enrolments.count() == 1


def test_full_session_refuses_another_participant_but_not_a_trainer():
    session = SessionFactory(capacity=1)
    enrol(session, PersonFactory())

    with pytest.raises(ValidationError, match="full"):
        enrolment_add(session=session, person=PersonFactory())
    enrolment_add(session=session, person=PersonFactory(), role=Enrolment.Role.TRAINER)


def test_attendance_for_a_whole_day_in_one_call():
    session = SessionFactory()
    a, b, c = enrol(session, PersonFactory(), PersonFactory(), PersonFactory())
    day = session.days.first()

    changed = attendance_record_day(
        day=day, statuses={a.pk: "present", b.pk: "late", c.pk: "absent"}
    )
    again = attendance_record_day(
        day=day, statuses={a.pk: "present", b.pk: "present", c.pk: ""}
    )

    assert (changed, again) == (3, 2)
    assert dict(day.attendances.values_list("enrolment_id", "status")) == {
        a.pk: "present",
        b.pk: "present",
    }


def test_attendance_for_someone_of_another_session_is_refused():
    session, other = SessionFactory(), SessionFactory()
    (stranger,) = enrol(other, PersonFactory())
    with pytest.raises(ValidationError, match="not in this session"):
        attendance_record_day(
            day=session.days.first(), statuses={stranger.pk: "present"}
        )


def test_completion_applies_the_rule_and_says_why():
    course = CourseFactory(min_attendance_percent=80, min_post_score=60)
    session = SessionFactory(course=course)
    full, partial, low_score, no_score = enrol(
        session, *(PersonFactory() for _ in range(4))
    )
    for person_enrolment, score in ((full, 80), (partial, 90), (low_score, 50)):
        enrolment_update(enrolment=person_enrolment, post_score=score)
    days = list(session.days.all())
    for index, day in enumerate(days):
        attendance_record_day(
            day=day,
            statuses={
                full.pk: "present",
                partial.pk: "present" if index == 0 else "absent",
                low_score.pk: "late",
                no_score.pk: "present",
            },
        )

    outcomes = {
        o.enrolment.pk: o for o in session_complete(session=session, today=AFTER)
    }

    assert outcomes[full.pk].completed
    assert outcomes[full.pk].reason == "Attended 3 of 3 days (100 %); post-test 80"
    assert not outcomes[partial.pk].completed
    assert (
        "attended 1 of 3 days (33 %); 80 % required"
        in outcomes[partial.pk].reason.lower()
    )
    assert not outcomes[low_score.pk].completed
    assert "post-test 50; 60 required" in outcomes[low_score.pk].reason
    assert "no post-test score" in outcomes[no_score.pk].reason
    session.refresh_from_db()
    assert session.status == Session.Status.COMPLETED
    full.refresh_from_db()
    assert full.status == Enrolment.Status.COMPLETED


def test_trainers_are_not_graded_and_withdrawn_people_are_skipped():
    session = SessionFactory()
    (trainer,) = enrol(session, PersonFactory(), role=Enrolment.Role.TRAINER)
    (gone,) = enrol(session, PersonFactory())
    enrolment_update(enrolment=gone, status=Enrolment.Status.WITHDRAWN)

    assert session_complete(session=session, today=AFTER) == []
    trainer.refresh_from_db()
    assert trainer.status == Enrolment.Status.ENROLLED


def test_a_session_still_running_cannot_be_completed():
    session = SessionFactory()
    with pytest.raises(ValidationError, match="still ahead"):
        session_complete(session=session, today=datetime.date(2022, 6, 15))


def test_enrolling_many_chosen_people_skips_those_already_enrolled():
    session = SessionFactory()
    people = [PersonFactory() for _ in range(5)]
    enrol(session, people[0])

    added = enrolment_add_people(session=session, people=people)

    assert added == 4
    assert session.enrolments.count() == 5


def test_enrolling_more_people_than_the_places_left_enrols_nobody():
    session = SessionFactory(capacity=3)
    people = [PersonFactory() for _ in range(4)]

    with pytest.raises(ValidationError, match="room for 3 more, and 4 were chosen"):
        enrolment_add_people(session=session, people=people)

    assert session.enrolments.count() == 0


def test_enrolling_many_in_a_session_of_an_approved_period_is_refused(admin_user):
    session = SessionFactory()
    period_approve(
        district=session.district, kind="month", year=2022, number=6, by=admin_user
    )

    with pytest.raises(ValidationError, match="is approved"):
        enrolment_add_people(session=session, people=[PersonFactory()])

    assert session.enrolments.count() == 0


# Long and external programmes ---------------------------------------------------


def test_a_session_abroad_has_no_district_and_one_in_laos_needs_one():
    masters = abroad_session()
    assert masters.district is None and masters.abroad and masters.external

    with pytest.raises(ValidationError, match="Choose the district"):
        SessionFactory(district=None)
    with pytest.raises(ValidationError, match="leave it empty"):
        abroad_session(district=DistrictFactory())
    # The database says it too, whatever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=SessionFactory().pk).update(district=None)


def test_study_records_save_sets_status_end_and_return_to_post():
    masters = abroad_session(people=[PersonFactory(), PersonFactory()], completed=False)
    first, second = masters.enrolments.order_by("pk")

    changed = study_records_save(
        session=masters,
        records={
            first.pk: {
                "study_status": StudyStatus.GRADUATED,
                "study_ended_on": datetime.date(2023, 8, 31),
                "returned_on": datetime.date(2023, 9, 4),
                "return_position": "Deputy director",
            },
            second.pk: {
                "study_status": StudyStatus.WITHDRAWN,
                "study_ended_on": datetime.date(2022, 3, 1),
                "returned_on": None,
                "return_position": "",
            },
        },
    )

    assert changed == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Enrolment.Status.COMPLETED
    assert first.study_status == StudyStatus.GRADUATED
    assert (first.returned_on, first.return_position) == (
        datetime.date(2023, 9, 4),
        "Deputy director",
    )
    assert second.study_status == StudyStatus.WITHDRAWN


def test_study_records_refuse_a_return_before_the_end_and_change_nothing():
    masters = abroad_session(people=[PersonFactory()], completed=False)
    enrolment = masters.enrolments.get()

    with pytest.raises(ValidationError, match="cannot be before the studies ended"):
        study_records_save(
            session=masters,
            records={
                enrolment.pk: {
                    "study_status": StudyStatus.GRADUATED,
                    "study_ended_on": datetime.date(2023, 8, 31),
                    "returned_on": datetime.date(2023, 1, 1),
                    "return_position": "",
                }
            },
        )
    enrolment.refresh_from_db()
    assert enrolment.returned_on is None
    assert enrolment.study_status == StudyStatus.ENROLLED
