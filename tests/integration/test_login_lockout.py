"""Issue 14: parallel sign-in attempts raced past the lockout (8 password checks for a
limit of 5; the right password last in a burst of 25 got in). PostgreSQL only: the
count is taken under SELECT … FOR UPDATE."""

import threading

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test import RequestFactory

from accounts.lockout import LoginLockedOut
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery"
BURST = 25


def test_parallel_attempts_never_check_more_passwords_than_the_limit(settings):
    settings.SUKSA_LOGIN_ATTEMPTS = 5
    UserFactory(username="trainer", role="Trainers", password=PASSWORD)
    barrier = threading.Barrier(BURST)
    outcomes, errors = [], []

    def attempt(n):
        request = RequestFactory().post("/admin/login/", REMOTE_ADDR="10.0.0.1")
        try:
            barrier.wait(timeout=20)
            user = authenticate(request, username="trainer", password="wrong")
            outcomes.append("signed in" if user else "checked")
        except LoginLockedOut:
            outcomes.append("locked")
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    checked = outcomes.count("checked") + outcomes.count("signed in")
    assert checked == 5
    assert outcomes.count("locked") == BURST - 5
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR="10.0.0.1")
    with pytest.raises(LoginLockedOut):
        authenticate(request, username="trainer", password=PASSWORD)
