import threading
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.lockout import LoginLockedOut, lockout_attempt, lockout_clear
from accounts.models import LoginThrottle
from audit.models import AuditEvent
from common.network import client_address

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def trainer(make_user):
    user = make_user("trainer")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password, address="10.0.0.1", **extra):
    client.cookies["suksa_language"] = "en"
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username, times, address="10.0.0.1", **extra):
    for _n in range(times):
        response = sign_in(client, username, "wrong", address, **extra)
        assert not signed_in(client)
    return response


def test_five_failures_lock_the_username_from_that_address(client, trainer):
    fail(client, "trainer", 5)

    response = sign_in(client, "trainer", PASSWORD)

    assert not signed_in(client)
    assert "Too many failed sign-in attempts; try again in 15 minutes." in (
        response.content.decode()
    )


def test_four_failures_then_the_right_password_signs_in(client, trainer):
    fail(client, "trainer", 4)

    sign_in(client, "trainer", PASSWORD)

    assert signed_in(client)


def test_success_forgets_earlier_failures(client, trainer):
    fail(client, "trainer", 4)
    sign_in(client, "trainer", PASSWORD)
    client.logout()

    fail(client, "trainer", 4)
    sign_in(client, "trainer", PASSWORD)

    assert signed_in(client)


def test_a_shared_carrier_address_does_not_lock_out_other_users(
    client, trainer, make_user
):
    other = make_user("officer")
    other.set_password(PASSWORD)
    other.save()
    fail(client, "trainer", 5, address="100.64.0.9")

    sign_in(client, "officer", PASSWORD, address="100.64.0.9")

    assert signed_in(client)


def test_the_same_user_from_another_address_can_still_sign_in(client, trainer):
    fail(client, "trainer", 5, address="100.64.0.9")

    sign_in(client, "trainer", PASSWORD, address="100.64.0.10")

    assert signed_in(client)


def test_a_guesser_changing_addresses_meets_the_per_username_cap(
    client, trainer, settings
):
    settings.SUKSA_LOGIN_USERNAME_ATTEMPTS = 8
    for n in range(8):
        sign_in(client, "trainer", "wrong", address=f"10.1.0.{n}")

    sign_in(client, "trainer", PASSWORD, address="10.2.0.1")

    assert not signed_in(client)


def test_username_case_does_not_escape_the_lock(client, trainer):
    fail(client, "trainer", 5)

    response = sign_in(client, "TRAINER", "wrong")

    assert "Too many failed sign-in attempts" in response.content.decode()


def test_the_lock_ends_after_the_cool_off(client, trainer):
    fail(client, "trainer", 5)
    LoginThrottle.objects.filter(locked_until__isnull=False).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )

    sign_in(client, "trainer", PASSWORD)

    assert signed_in(client)


def test_failures_outside_the_window_are_forgotten(client, trainer, settings):
    fail(client, "trainer", 4)
    LoginThrottle.objects.update(
        window_started_at=timezone.now() - timedelta(minutes=16)
    )
    fail(client, "trainer", 1)

    sign_in(client, "trainer", PASSWORD)

    assert signed_in(client)


def test_the_message_gives_the_minutes_left(client, trainer, settings):
    settings.SUKSA_LOGIN_COOLOFF_SECONDS = 60
    fail(client, "trainer", 5)

    response = sign_in(client, "trainer", PASSWORD)

    assert "try again in 1 minute." in response.content.decode()


def test_authenticate_itself_refuses_while_locked(trainer):
    """Every login form and API login goes through authenticate: all are covered."""
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    for _n in range(5):
        assert authenticate(request, username="trainer", password="wrong") is None

    with pytest.raises(LoginLockedOut) as refused:
        authenticate(request, username="trainer", password=PASSWORD)

    assert refused.value.minutes == 15


def test_a_forged_forwarded_for_is_ignored_without_a_trusted_proxy(
    client, trainer, settings
):
    settings.SUKSA_TRUSTED_PROXIES = 0
    for n in range(5):
        sign_in(client, "trainer", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    sign_in(client, "trainer", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert not signed_in(client)


def test_behind_the_proxy_each_client_address_counts_on_its_own(
    client, trainer, settings
):
    settings.SUKSA_TRUSTED_PROXIES = 1
    fail(client, "trainer", 5, address="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.7")

    sign_in(
        client,
        "trainer",
        PASSWORD,
        address="10.9.9.9",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )

    assert signed_in(client)


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    settings, trusted, forwarded, expected
):
    settings.SUKSA_TRUSTED_PROXIES = trusted
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
    )

    assert client_address(request) == expected


def test_failures_and_the_lockout_are_audited_without_the_typed_name(client, trainer):
    fail(client, "trainer", 5)
    sign_in(client, "trainer", PASSWORD)

    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions.count("login.failure") == 5
    assert "login.lockout" in actions
    assert actions[-1] == "login.locked"
    locked = AuditEvent.objects.get(action="login.lockout")
    assert locked.user == trainer and locked.address == "10.0.0.1"


def test_the_throttle_table_holds_no_username_or_address(client, trainer):
    fail(client, "trainer", 2)

    keys = list(LoginThrottle.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert not any("trainer" in key or "10.0.0.1" in key for key in keys)


def test_the_promoter_portal_locks_a_phone_number_however_it_is_written(client):
    from tests.factories import PersonFactory, PromoterFactory, UserFactory

    user = UserFactory(username="bounmy", role="Promoters", password=PASSWORD)
    PromoterFactory(person=PersonFactory(phone="020 5551 2345", user=user))
    url = reverse("portal:login")
    client.cookies["suksa_language"] = "en"
    for typed in ("020 5551 2345", "+856 20 5551 2345", "2055512345"):
        for _n in range(2):
            client.post(url, {"username": typed, "password": "wrong"})

    response = client.post(url, {"username": "02055512345", "password": PASSWORD})

    assert not signed_in(client)
    assert "Too many failed sign-in attempts" in response.content.decode()


def _promoter_with_phone(phone="020 5551 2345"):
    from tests.factories import PersonFactory, PromoterFactory, UserFactory

    user = UserFactory(username="bounmy", role="Promoters", password=PASSWORD)
    PromoterFactory(person=PersonFactory(phone=phone, user=user))
    return user


def test_the_username_and_the_phone_of_one_user_share_one_budget(client):
    """Issue 14: they counted separately, doubling the budget."""
    _promoter_with_phone()
    fail(client, "bounmy", 3)
    fail(client, "020 5551 2345", 2)

    response = sign_in(client, "BOUNMY", PASSWORD)

    assert not signed_in(client)
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_a_phone_typed_in_lao_digits_signs_in_and_shares_the_budget(client):
    _promoter_with_phone()
    fail(client, "໐໒໐ ໕໕໕໑ ໒໓໔໕", 4)
    fail(client, "bounmy", 1)

    sign_in(client, "020 5551 2345", PASSWORD)
    assert not signed_in(client)

    LoginThrottle.objects.all().delete()
    sign_in(client, "໐໒໐ ໕໕໕໑ ໒໓໔໕", PASSWORD)
    assert signed_in(client)


def test_attempts_are_counted_before_the_password_is_checked(trainer, rf):
    """The count must be taken before the check, or parallel attempts pass it all."""
    from accounts.lockout import lockout_attempt, login_identifier

    identifier = login_identifier({"username": "Trainer"})
    results = [
        lockout_attempt(identifier=identifier, address="10.0.0.1") for _ in range(6)
    ]

    assert identifier == f"user:{trainer.pk}"
    assert [remaining is None for remaining, _locked in results] == [True] * 5 + [False]
    assert [locked for _remaining, locked in results] == [False] * 4 + [True, False]


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs concurrent writers (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_and_successful_sign_ins_never_fail(settings):
    """Many attempts on one new key while successful sign-ins clear it: each is
    counted or refused, none raises (``get_or_create`` raised IntegrityError when a
    clear came between its failed insert and its second look: a 500 under load)."""
    settings.SUKSA_LOGIN_USERNAME_ATTEMPTS = 10_000
    settings.SUKSA_LOGIN_ATTEMPTS = 10_000
    errors = []

    def sign_in_again_and_again(number):
        try:
            for _round in range(40):
                lockout_attempt(identifier="user:race", address="203.0.113.9")
                if number % 2:
                    lockout_clear(identifier="user:race", address="203.0.113.9")
        except Exception as error:  # noqa: BLE001 (any error fails the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sign_in_again_and_again, args=(n,)) for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
