from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from tests.demo.test_seed_demo import DEMO_USERNAMES, seed

# `seed_demo` in an empty database (the other demo tests share one seeding).
# Seeding the demo takes seconds: `-m "not slow"` leaves these out of a quick run.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_creates_one_user_per_role_and_prints_the_logins(settings):
    output = seed(settings)

    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
    assert users.count() == 7
    for username in DEMO_USERNAMES:
        assert authenticate(username=username, password="demo-pass") is not None
        assert username in output
    assert get_user_model().objects.get(username="admin").is_superuser


def test_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo", "--password", "demo-pass")
    assert not get_user_model().objects.filter(username="manager").exists()

    # Forced, it seeds (what seeding writes is the test above's: not repeated here).
    with mock.patch("operations.management.commands.seed_demo.demo_seed") as demo_seed:
        call_command(
            "seed_demo", "--password", "demo-pass", "--force", stdout=StringIO()
        )
    demo_seed.assert_called_once_with(password="demo-pass")
