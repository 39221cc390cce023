"""A trainer's home: the panel on the admin home page and saving a session."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from tests.factories import (
    CourseFactory,
    DistrictFactory,
    PersonFactory,
    SessionFactory,
    enrol,
    mark_completed,
)
from trainings.models import Session
from trainings.selectors import trainer_home
from trainings.services import attendance_record_day

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def trainer(make_user):
    return make_user("trainer")


@pytest.fixture
def sessions(trainer):
    """One session in each state, all the trainer's."""
    upcoming = SessionFactory(created_by=trainer, starts_on=days(7), ends_on=days(8))
    unmarked = SessionFactory(created_by=trainer, starts_on=days(-2), ends_on=days(1))
    enrol(unmarked, PersonFactory())
    to_complete = SessionFactory(
        created_by=trainer, starts_on=days(-10), ends_on=days(-9)
    )
    (enrolment,) = enrol(to_complete, PersonFactory())
    for day in to_complete.days.all():
        attendance_record_day(day=day, statuses={enrolment.pk: "present"})
    done = SessionFactory(created_by=trainer, starts_on=days(-30), ends_on=days(-29))
    (graduate,) = enrol(done, PersonFactory())
    mark_completed(graduate)
    Session.objects.filter(pk=done.pk).update(status=Session.Status.COMPLETED)
    return {
        "upcoming": upcoming,
        "unmarked": unmarked,
        "to_complete": to_complete,
        "done": done,
    }


def test_each_list_holds_the_right_sessions(trainer, sessions):
    audit_record(action="import", user=trainer, obj=sessions["unmarked"])

    home = trainer_home(user=trainer)

    assert home.upcoming == [sessions["upcoming"]]
    assert home.attendance_missing == [sessions["unmarked"]]
    assert home.to_complete == [sessions["to_complete"]]
    assert home.certificates_to_issue == [sessions["done"]]
    assert [session for _event, session in home.recent_imports] == [
        sessions["unmarked"]
    ]
    assert not home.is_empty


def test_a_session_whose_certificates_are_issued_leaves_the_list(trainer, sessions):
    from certificates.services import certificate_issue

    for enrolment in sessions["done"].enrolments.all():
        certificate_issue(enrolment=enrolment)

    assert trainer_home(user=trainer).certificates_to_issue == []


def test_the_lists_take_a_few_queries_however_many_sessions(
    trainer, sessions, django_assert_max_num_queries
):
    for _ in range(5):
        session = SessionFactory(
            created_by=trainer, starts_on=days(-3), ends_on=days(-1)
        )
        enrol(session, PersonFactory())
    with django_assert_max_num_queries(8):
        trainer_home(user=trainer)


def test_the_panel_links_each_session_to_its_next_step(client_as, sessions):
    content = client_as("trainer").get(reverse("wagtailadmin_home")).content.decode()

    assert 'data-testid="trainer-home-panel"' in content
    for key, name in [
        ("upcoming", "inspect"),
        ("unmarked", "attendance"),
        ("to_complete", "complete"),
    ]:
        assert reverse(f"sessions:{name}", args=[sessions[key].pk]) in content
    certificates = reverse("sessions:inspect", args=[sessions["done"].pk])
    assert f"{certificates}#certificates" in content


def test_another_trainer_sees_none_of_the_sessions(client_as, make_user, sessions):
    trainer2 = make_user("trainer2")

    home = trainer_home(user=trainer2)
    content = client_as("trainer2").get(reverse("wagtailadmin_home")).content.decode()

    assert home.is_empty
    for session in sessions.values():
        assert session.code not in content


def test_a_trainer_with_nothing_to_do_sees_the_empty_state(client_in_english, trainer):
    SessionFactory(created_by=trainer, starts_on=days(-30), ends_on=days(-29))
    Session.objects.update(status=Session.Status.COMPLETED)

    content = client_in_english("trainer").get(reverse("wagtailadmin_home"))
    content = content.content.decode()

    assert 'data-testid="trainer-home-empty"' in content
    assert "Nothing to do for now" in content


def test_the_panel_speaks_lao(client_as, sessions):
    content = client_as("trainer").get(reverse("wagtailadmin_home")).content.decode()
    assert "Attendance not yet taken" not in content


def test_no_panel_for_those_who_do_not_run_trainings(client_as, sessions):
    content = client_as("manager").get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-testid="trainer-home-panel"' not in content


def form_data(course, district, **changes):
    data = {
        "course": course.pk,
        "starts_on": days(30).isoformat(),
        "ends_on": days(32).isoformat(),
        "status": "planned",
        "capacity": "",
        "venue": "Pakse",
        "district": district.pk,
        "village": "",
        "enrolments-TOTAL_FORMS": "0",
        "enrolments-INITIAL_FORMS": "0",
        "enrolments-MIN_NUM_FORMS": "0",
        "enrolments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_adding_a_session_returns_to_its_page(client_as):
    course, district = CourseFactory(), DistrictFactory()

    response = client_as("trainer").post(
        reverse("sessions:add"), form_data(course, district)
    )

    assert response.status_code == 302
    session = Session.objects.get()
    assert response["Location"] == reverse("sessions:inspect", args=[session.pk])


def test_editing_a_session_returns_to_its_page(client_as, trainer):
    session = SessionFactory(created_by=trainer, starts_on=days(30), ends_on=days(32))

    response = client_as("trainer").post(
        reverse("sessions:edit", args=[session.pk]),
        form_data(session.course, session.district, venue="Savannakhet"),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("sessions:inspect", args=[session.pk])
    session.refresh_from_db()
    assert session.venue == "Savannakhet"
