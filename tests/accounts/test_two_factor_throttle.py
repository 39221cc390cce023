"""Issue 14: the two-step code could be guessed without limit (60 wrong codes in 4 s,
and the right one still worked after); a new app needed no password."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import totp
from accounts.models import LoginThrottle, TwoFactorDevice
from audit.models import AuditEvent
from tests.accounts.test_totp import english

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


@pytest.fixture
def trainer(make_user):
    return make_user("trainer", email="trainer@example.la")


@pytest.fixture
def enrolled(trainer):
    from accounts.two_factor import two_factor_enrol_confirm, two_factor_enrol_start

    device = two_factor_enrol_start(user=trainer, password=PASSWORD)
    codes = two_factor_enrol_confirm(user=trainer, code=totp.totp(device.secret))
    TwoFactorDevice.objects.filter(pk=device.pk).update(last_used_step=0)
    return device.secret, codes


def verify(client, code):
    return client.post(reverse("accounts_two_factor_verify"), {"code": code})


def signed_in_with_code(client, user):
    client.force_login(user)
    return english(client)


def test_five_wrong_codes_lock_even_the_right_one_out(client, trainer, enrolled):
    secret, _codes = enrolled
    signed_in_with_code(client, trainer)
    for _n in range(5):
        verify(client, "000000")

    response = verify(client, totp.totp(secret))

    assert "Too many wrong codes; try again in 15 minutes." in response.content.decode()
    assert client.get("/admin/").status_code == 302
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("login.two_factor_failure") == 5
    assert "login.two_factor_lockout" in actions
    assert "login.two_factor_locked" in actions


def test_the_lock_holds_for_the_user_in_a_new_session(client, trainer, enrolled):
    secret, _codes = enrolled
    signed_in_with_code(client, trainer)
    for _n in range(5):
        verify(client, "000000")
    client.logout()
    signed_in_with_code(client, trainer)

    response = verify(client, totp.totp(secret))

    assert "Too many wrong codes" in response.content.decode()


def test_wrong_recovery_codes_count_too(client, trainer, enrolled):
    _secret, codes = enrolled
    signed_in_with_code(client, trainer)
    for n in range(5):
        verify(client, f"abcde-{n:05d}")

    response = verify(client, codes[0])

    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_after_the_cool_off_the_right_code_works_and_forgets_the_count(
    client, trainer, enrolled
):
    secret, _codes = enrolled
    signed_in_with_code(client, trainer)
    for _n in range(5):
        verify(client, "000000")
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))

    verify(client, totp.totp(secret))

    assert client.get("/admin/").status_code == 200
    assert not LoginThrottle.objects.exists()


def test_the_limit_is_a_setting(client, trainer, enrolled, settings):
    settings.SUKSA_2FA_ATTEMPTS = 2
    secret, _codes = enrolled
    signed_in_with_code(client, trainer)
    verify(client, "000000")
    locking = verify(client, "000000")

    assert "Too many wrong codes" in locking.content.decode()
    assert "Too many wrong codes" in verify(client, totp.totp(secret)).content.decode()


def test_a_code_in_lao_digits_is_read_as_ascii(client, trainer, enrolled):
    secret, _codes = enrolled
    signed_in_with_code(client, trainer)
    lao = totp.totp(secret).translate(str.maketrans("0123456789", "໐໑໒໓໔໕໖໗໘໙"))

    verify(client, lao)

    assert client.get("/admin/").status_code == 200


def test_setting_up_an_app_asks_for_the_password_again(client, trainer):
    english(client)
    client.force_login(trainer)
    english(client)
    url = reverse("accounts_two_factor")

    missing = client.post(url, {"action": "start"})
    wrong = client.post(url, {"action": "start", "password": "not it"})

    assert not TwoFactorDevice.objects.exists()
    assert "That password is not right" in wrong.content.decode()
    assert missing.status_code == wrong.status_code == 200
    client.post(url, {"action": "start", "password": PASSWORD})
    assert TwoFactorDevice.objects.filter(user=trainer).exists()


def test_the_user_is_told_by_e_mail_when_an_app_is_set_up(
    client, trainer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    url = reverse("accounts_two_factor")
    client.post(url, {"action": "start", "password": PASSWORD})
    secret = TwoFactorDevice.objects.get().secret

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "confirm", "code": totp.totp(secret)})

    assert [message.to for message in mailoutbox] == [["trainer@example.la"]]
    assert mailoutbox[0].subject.startswith("Suksa:")
