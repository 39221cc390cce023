"""The trainer roster: filled from completed ToTs, kept by administrators, listed
with each trainer's reach, and used to suggest and check session leaders."""

import datetime

import pytest
from django.urls import reverse

from people.models import Gender
from tests.factories import (
    CourseFactory,
    PersonFactory,
    SessionFactory,
    enrol,
    mark_completed,
)
from trainings.models import Course, Enrolment, TrainerQualification
from trainings.selectors import people_qualified_for
from trainings.services import (
    course_qualifies_for_set,
    qualification_save,
    session_complete,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def farm():
    return CourseFactory(title_en="Farm workers", kind=Course.Kind.SHORT_COURSE)


@pytest.fixture
def tot(farm):
    """A ToT qualifying for the farm course: Noy attends, Kham does not."""
    session = SessionFactory()
    session.course.qualifies_for.set([farm])
    noy = PersonFactory(full_name="Noy", gender=Gender.WOMAN)
    kham = PersonFactory(full_name="Kham", gender=Gender.MAN)
    enrol(session, noy, kham)
    from trainings.services import attendance_record_day

    noy_enrolment = session.enrolments.get(person=noy)
    for day in session.days.all():
        attendance_record_day(day=day, statuses={noy_enrolment.pk: "present"})
    session_complete(session=session, today=datetime.date(2022, 6, 17))
    return session


def test_completing_a_tot_puts_its_graduates_on_the_roster(tot, farm):
    (row,) = TrainerQualification.objects.all()

    assert row.person.full_name == "Noy"
    assert row.course == farm
    assert row.qualified_on == tot.ends_on
    assert row.source == TrainerQualification.Source.TOT and row.session == tot
    assert people_qualified_for(course=farm, on=datetime.date(2022, 6, 15)) == set()


def test_completing_again_after_a_correction_keeps_the_roster_true(tot, farm):
    kham = tot.enrolments.get(person__full_name="Kham")
    for day in tot.days.all():
        from trainings.services import attendance_record_day

        attendance_record_day(day=day, statuses={kham.pk: "present"})
    noy = tot.enrolments.get(person__full_name="Noy")
    noy.status = Enrolment.Status.WITHDRAWN
    noy.save()

    session_complete(session=tot, today=datetime.date(2022, 6, 17))

    names = set(
        TrainerQualification.objects.values_list("person__full_name", flat=True)
    )
    assert names == {"Kham"}


def test_a_course_newly_qualifying_fills_the_roster_from_past_tots(tot, farm):
    orientation = CourseFactory(title_en="Orientation", kind=Course.Kind.ORIENTATION)

    added = course_qualifies_for_set(course=tot.course, courses=[farm, orientation])

    assert added == 1
    assert TrainerQualification.objects.filter(course=orientation).count() == 1
    course_qualifies_for_set(course=tot.course, courses=[])
    assert not TrainerQualification.objects.exists()


def test_an_ended_qualification_no_longer_holds(tot, farm):
    row = TrainerQualification.objects.get()
    row.until = datetime.date(2023, 12, 31)
    qualification_save(qualification=row)

    assert people_qualified_for(course=farm, on=datetime.date(2023, 12, 31))
    assert not people_qualified_for(course=farm, on=datetime.date(2024, 1, 1))


def test_roster_lists_sessions_led_and_people_trained(client_in_english, tot, farm):
    noy = TrainerQualification.objects.get().person
    downstream = SessionFactory(
        course=farm,
        starts_on=datetime.date(2022, 9, 1),
        ends_on=datetime.date(2022, 9, 1),
        led_by=[noy],
    )
    (enrolment,) = enrol(downstream, PersonFactory(gender=Gender.MAN))
    mark_completed(enrolment)

    page = client_in_english("manager").get(reverse("trainer_roster:index"))
    empty = client_in_english("manager").get(
        reverse("trainer_roster:index"), {"course": tot.course.pk}
    )

    content = page.content.decode()
    assert page.status_code == 200
    assert "Noy" in content and "0 women, 1 man" in content
    assert "Noy" not in empty.content.decode()


def test_only_administrators_add_to_the_roster(client_as, farm):
    person = PersonFactory(full_name="Vanh")
    data = {"person": person.pk, "course": farm.pk, "qualified_on": "2024-01-10"}
    add = reverse("trainer_roster:add")

    refused = client_as("manager").post(add, data)
    saved = client_as("admin").post(add, data)

    assert refused.status_code in (302, 403)
    assert saved.status_code == 302
    row = TrainerQualification.objects.get()
    assert row.source == TrainerQualification.Source.ADMINISTRATOR
    assert row.person == person


def test_session_form_puts_qualified_trainers_first_and_warns(
    client_in_english, tot, farm
):
    client = client_in_english("admin")
    outsider = PersonFactory(full_name="Aaron")
    form = client.get(reverse("sessions:add")).content.decode()

    assert form.index("Noy (qualified trainer)") < form.index("Aaron")
    response = client.post(
        reverse("sessions:add"),
        {
            "course": farm.pk,
            "starts_on": "2024-03-01",
            "ends_on": "2024-03-01",
            "status": "planned",
            "district": tot.district.pk,
            "led_by": [outsider.pk],
            "enrolments-TOTAL_FORMS": 0,
            "enrolments-INITIAL_FORMS": 0,
            "enrolments-MIN_NUM_FORMS": 0,
            "enrolments-MAX_NUM_FORMS": 1000,
        },
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any("Not on the trainer roster" in m and "Aaron" in m for m in messages)
    assert farm.sessions.get().led_by.get() == outsider


def test_the_roster_on_a_phone_leaves_out_three_columns(client_in_english, tot):
    """i18h item 1: since, source and sessions led are marked for wide screens only;
    admin-lists.css hides them below 40rem (tests/browser/test_narrow_lists.py)."""
    page = client_in_english("manager").get(reverse("trainer_roster:index"))
    content = page.content.decode()
    assert "css/admin-lists.css" in content
    headings = content.split("<thead>")[-1].split("</thead>")[0]
    assert headings.count('class="suksa-wide-only"') == 3
    for label in ("since", "Source", "sessions led"):
        assert 'class="suksa-wide-only">' in headings.split(label)[0][-200:]
    assert "suksa-wide-only" not in headings.split("since")[0][:-200]
