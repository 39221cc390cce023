"""The admin's Follow-ups of trainees: scoped by access.policy, overdue first,
recorded through the service."""

import datetime

import pytest

from tests.factories import (
    DistrictOfficeFactory,
    PersonFactory,
    SessionFactory,
    enrol,
)
from trainings.models import Enrolment, TraineeFollowUp

pytestmark = pytest.mark.django_db

INDEX = "/admin/trainee_follow_ups/"


def _follow_ups(session, *names):
    """A 3-month follow-up, overdue, for each of ``names`` completing ``session``."""
    follow_ups = []
    for name in names:
        (enrolment,) = enrol(session, PersonFactory(full_name=name))
        Enrolment.objects.filter(pk=enrolment.pk).update(status="completed")
        follow_ups.append(
            TraineeFollowUp.objects.create(
                enrolment=enrolment, months=3, due_on=datetime.date(2022, 9, 16)
            )
        )
    return follow_ups


@pytest.fixture
def world(make_user):
    trainer = make_user("trainer")
    officer = make_user("officer")
    mine = SessionFactory(created_by=trainer)
    office = DistrictOfficeFactory(officers=[officer])
    elsewhere = SessionFactory(district=office.district)
    return {
        "mine": _follow_ups(mine, "Trainee of mine"),
        "elsewhere": _follow_ups(elsewhere, "Trainee of the district"),
    }


@pytest.mark.parametrize(
    ("username", "seen", "unseen"),
    [
        ("trainer", "Trainee of mine", "Trainee of the district"),
        ("officer", "Trainee of the district", "Trainee of mine"),
    ],
)
def test_each_role_lists_only_the_follow_ups_it_may_see(
    client_as, world, username, seen, unseen
):
    response = client_as(username).get(INDEX)

    assert response.status_code == 200
    assert seen in response.content.decode()
    assert unseen not in response.content.decode()


def test_a_manager_lists_all_but_records_none(client_as, world):
    client = client_as("manager")
    listing = client.get(INDEX).content.decode()
    follow_up = world["mine"][0]

    assert "Trainee of mine" in listing and "Trainee of the district" in listing
    assert client.get(f"{INDEX}edit/{follow_up.pk}/").status_code in (302, 403)


def test_follow_ups_are_made_by_the_system_not_added_by_hand(client_as, world):
    assert client_as("admin").get(f"{INDEX}new/").status_code == 404


def test_overdue_come_first_and_the_list_filters_by_status(client_as, world):
    done = world["elsewhere"][0]
    done.status = TraineeFollowUp.Status.DONE
    done.used_learning = "yes"
    done.save()
    client = client_as("admin")

    listing = client.get(INDEX).content.decode()
    only_done = client.get(INDEX, {"status": "done"}).content.decode()

    assert listing.index("Trainee of mine") < listing.index("Trainee of the district")
    assert "Trainee of mine" not in only_done
    assert "Trainee of the district" in only_done


def test_an_officer_records_a_follow_up(client_as, world):
    follow_up = world["elsewhere"][0]
    client = client_as("officer")

    response = client.post(
        f"{INDEX}edit/{follow_up.pk}/",
        {
            "status": "done",
            "used_learning": "yes",
            "people_trained": "4",
            "meetings_led": "2",
            "people_registered": "",
            "comment": "Called on the phone.",
        },
    )

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.people_trained) == ("done", 4)
    assert follow_up.recorded_by.username == "officer"
    assert follow_up.recorded_on is not None


def test_a_refusal_is_shown_on_the_form(client_in_english, world):
    follow_up = world["mine"][0]

    response = client_in_english("trainer").post(
        f"{INDEX}edit/{follow_up.pk}/", {"status": "done", "used_learning": ""}
    )

    assert response.status_code == 200
    assert (
        "Answer whether what was learned has been used: yes, partly or no."
        in response.content.decode()
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "due"


def test_outside_the_scope_a_follow_up_is_not_found(client_as, world):
    follow_up = world["elsewhere"][0]

    assert client_as("trainer").get(f"{INDEX}edit/{follow_up.pk}/").status_code == 404


def test_the_session_page_shows_its_follow_ups(client_as, world):
    session = world["mine"][0].enrolment.session

    response = client_as("trainer").get(f"/admin/sessions/inspect/{session.pk}/")

    assert response.status_code == 200
    assert 'data-testid="session-follow-ups"' in response.content.decode()
