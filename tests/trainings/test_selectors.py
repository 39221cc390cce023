import datetime

import pytest

from people.counts import gender_counts
from people.models import Gender, Organisation
from tests.factories import (
    CourseFactory,
    DistrictFactory,
    OrganisationFactory,
    PersonFactory,
    ProvinceFactory,
    SessionFactory,
    UserFactory,
    enrol,
)
from trainings.models import Course, Enrolment
from trainings.selectors import (
    cascade_reach,
    session_counts,
    sessions_visible_to,
    trained_people,
)
from trainings.services import session_complete

pytestmark = pytest.mark.django_db


def trained_counts(**filters):
    """The people ``trained_people`` finds, by gender."""
    return gender_counts(trained_people(**filters))


AFTER = datetime.date(2030, 1, 1)


def completed(session, *people):
    """Enrol people, mark them present every day and complete the session."""
    from trainings.services import attendance_record_day

    enrolments = enrol(session, *people)
    for day in session.days.all():
        attendance_record_day(day=day, statuses={e.pk: "present" for e in enrolments})
    session_complete(session=session, today=AFTER)
    return people


def people(**genders):
    made = []
    for gender, count in genders.items():
        made += [PersonFactory(gender=gender) for _ in range(count)]
    return made


def test_counts_show_all_four_genders_and_a_total():
    session = SessionFactory()
    completed(session, *people(woman=2, man=3, other=1, not_recorded=1))

    counts = trained_counts(session=session)

    assert counts.as_dict() == {
        "total": 7,
        "women": 2,
        "men": 3,
        "other": 1,
        "not_recorded": 1,
    }


def test_a_person_trained_twice_counts_once():
    twice = PersonFactory(gender=Gender.WOMAN)
    first, second = SessionFactory(), SessionFactory()
    completed(first, twice, PersonFactory(gender=Gender.MAN))
    completed(second, twice)

    assert trained_counts().as_dict()["total"] == 2
    assert trained_counts().women == 1


def test_only_participants_who_completed_count_as_trained():
    session = SessionFactory()
    completed(session, PersonFactory())
    enrol(SessionFactory(), PersonFactory())  # enrolled, never completed
    (trainer,) = enrol(session, PersonFactory(), role=Enrolment.Role.TRAINER)

    assert trained_counts().total == 1


def test_filters_by_place_period_course_organisation_and_partner():
    champasak = ProvinceFactory(code="16", iso="LA-CH")
    saravan = ProvinceFactory(code="15", iso="LA-SL", name_en="Salavan")
    paksong = DistrictFactory(province=champasak, code="1604")
    oxfam = OrganisationFactory(name="Oxfam", kind=Organisation.Kind.CIVIL_SOCIETY)
    ngo = OrganisationFactory(name="Local NGO", kind=Organisation.Kind.CIVIL_SOCIETY)
    tot = SessionFactory(district=paksong, partners=[oxfam])
    short = SessionFactory(
        course=CourseFactory(kind=Course.Kind.SHORT_COURSE),
        district=DistrictFactory(province=saravan, code="1501"),
        starts_on=datetime.date(2023, 3, 1),
        ends_on=datetime.date(2023, 3, 1),
    )
    completed(tot, PersonFactory(organisation=ngo), PersonFactory())
    completed(short, PersonFactory())

    assert trained_counts(province=champasak).total == 2
    assert trained_counts(district=paksong).total == 2
    assert trained_counts(year=2023).total == 1
    assert (
        trained_counts(
            date_from=datetime.date(2022, 6, 1), date_to=datetime.date(2022, 6, 30)
        ).total
        == 2
    )
    assert trained_counts(course_kind=Course.Kind.SHORT_COURSE).total == 1
    assert trained_counts(course=tot.course).total == 2
    assert trained_counts(organisation_kind=Organisation.Kind.CIVIL_SOCIETY).total == 1
    assert trained_counts(partner=oxfam).total == 2


def test_session_counts_participants_and_completed_with_a_sentence():
    session = SessionFactory()
    women, men = people(woman=2), people(man=3)
    completed(session, *women, men[0])
    enrol(session, *men[1:])
    session.refresh_from_db()

    counts = session_counts(session=session)

    assert counts.participants.breakdown() == "2 women, 3 men"
    assert counts.completed.as_dict()["total"] == 3


def test_cascade_counts_generations_without_double_counting_and_stops_on_cycles():
    tot = SessionFactory()
    alice, bob = PersonFactory(gender=Gender.WOMAN), PersonFactory(gender=Gender.MAN)
    completed(tot, alice, bob)

    # Generation 1: Alice and Bob each train people; Carol attends both sessions.
    carol = PersonFactory(gender=Gender.WOMAN)
    village_tot = SessionFactory(
        led_by=[alice],
        starts_on=datetime.date(2022, 8, 1),
        ends_on=datetime.date(2022, 8, 2),
    )
    completed(village_tot, carol, PersonFactory(gender=Gender.MAN))
    by_bob = SessionFactory(
        course=CourseFactory(kind=Course.Kind.SHORT_COURSE),
        led_by=[bob],
        starts_on=datetime.date(2022, 9, 1),
        ends_on=datetime.date(2022, 9, 1),
    )
    completed(by_bob, carol)
    # Generation 2: Carol graduated from a ToT, so her trainees count; one of them is
    # Alice, who trained Carol: the cycle must end, and Alice is not counted again.
    by_carol = SessionFactory(
        course=by_bob.course,
        led_by=[carol],
        starts_on=datetime.date(2022, 10, 1),
        ends_on=datetime.date(2022, 10, 1),
    )
    completed(by_carol, alice, PersonFactory(gender=Gender.NOT_RECORDED))

    reach = cascade_reach(session=tot)

    assert [g.as_dict()["total"] for g in reach.generations] == [2, 1]
    assert reach.total.as_dict() == {
        "total": 3,
        "women": 1,
        "men": 1,
        "other": 0,
        "not_recorded": 1,
    }
    # From Carol: Alice and one more, then Alice's other trainee (not Carol again).
    from_carol = cascade_reach(person=carol)
    assert [g.total for g in from_carol.generations] == [2, 1]


def test_cascade_of_a_person_who_trained_nobody_is_empty():
    assert cascade_reach(person=PersonFactory()).as_dict() == {
        "total": {"total": 0, "women": 0, "men": 0, "other": 0, "not_recorded": 0},
        "generations": [],
    }


def test_trainers_see_sessions_they_lead_or_created():
    trainer = UserFactory(username="trainer", role="Trainers")
    trainer2 = UserFactory(username="trainer2", role="Trainers")
    manager = UserFactory(username="manager", role="Managers")
    led = SessionFactory(led_by=[PersonFactory(user=trainer)])
    created = SessionFactory(created_by=trainer)
    other = SessionFactory(created_by=trainer2)

    assert set(sessions_visible_to(trainer)) == {led, created}
    assert set(sessions_visible_to(trainer2)) == {other}
    assert set(sessions_visible_to(manager)) == {led, created, other}
    assert not sessions_visible_to(UserFactory(username="promoter", role="Promoters"))
