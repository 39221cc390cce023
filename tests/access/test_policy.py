"""Who sees a session abroad (no Lao district), role by role."""

import pytest

from access import policy
from people.models import Gender
from tests.factories import (
    DistrictOfficeFactory,
    PersonFactory,
    abroad_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def masters(make_user):
    return abroad_session(
        people=[PersonFactory(gender=Gender.WOMAN)], created_by=make_user("trainer")
    )


@pytest.mark.parametrize(
    ("username", "sees", "changes"),
    [
        ("admin", True, True),
        ("manager", True, False),
        ("trainer", True, True),
        ("trainer2", False, False),
        ("officer", False, False),
        ("editor", False, False),
        ("promoter", False, False),
    ],
)
def test_a_session_abroad_is_seen_by_those_who_read_everything_and_its_trainers(
    masters, make_user, admin_user, username, sees, changes
):
    user = admin_user if username == "admin" else make_user(username)
    if username == "officer":
        DistrictOfficeFactory().officers.add(user)

    assert policy.sessions_visible(user).filter(pk=masters.pk).exists() is sees
    assert policy.sessions_changeable(user).filter(pk=masters.pk).exists() is changes
    assert policy.enrolments_visible(user).filter(session=masters).exists() is sees


def test_a_trainer_who_leads_it_sees_it(masters, make_user):
    leader = make_user("trainer2")
    masters.led_by.add(PersonFactory(user=leader))

    assert policy.sessions_visible(leader).filter(pk=masters.pk).exists()
