import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts import roles, totp
from accounts.models import RecoveryCode, TwoFactorDevice
from accounts.two_factor import two_factor_enrol_confirm, two_factor_enrol_start
from audit.models import AuditEvent

RFC_KEYS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
# RFC 6238, Appendix B.
RFC_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("at", "sha1", "sha256", "sha512"), RFC_VECTORS)
def test_rfc_6238_test_vectors(at, sha1, sha256, sha512):
    step = totp.time_step(at)
    for algorithm, expected in (("SHA1", sha1), ("SHA256", sha256), ("SHA512", sha512)):
        assert totp.hotp(RFC_KEYS[algorithm], step, digits=8, algorithm=algorithm) == (
            expected
        )


def test_a_code_matches_its_step_and_one_step_either_side_only():
    secret = totp.secret_new()
    code = totp.totp(secret, at=1_000_000)

    assert totp.totp_match(secret, code, at=1_000_000) == totp.time_step(1_000_000)
    assert totp.totp_match(secret, code, at=1_000_000 + 30) is not None
    assert totp.totp_match(secret, code, at=1_000_000 + 90) is None
    assert totp.totp_match(secret, "12345", at=1_000_000) is None
    assert totp.totp_match(secret, "abcdef", at=1_000_000) is None


def test_the_provisioning_uri_is_what_authenticator_apps_read():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", account="manager", issuer="Suksa")

    assert (
        uri
        == "otpauth://totp/Suksa%3Amanager?secret=JBSWY3DPEHPK3PXP&issuer=Suksa&digits=6"
    )
    assert totp.qr_svg(uri).startswith("<svg")


# Two-step sign-in in the admin.

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.SUKSA_2FA_REQUIRED_ROLES = [roles.ADMINISTRATORS, roles.MANAGERS]


def enrolled(user, password="secret-pass-123") -> str:
    device = two_factor_enrol_start(user=user, password=password)
    two_factor_enrol_confirm(user=user, code=totp.totp(device.secret))
    # Let the test use the current code once more.
    TwoFactorDevice.objects.filter(pk=device.pk).update(last_used_step=0)
    return device.secret


def english(client):
    """English pages: the cookie for the public side, the profile for the admin."""
    from wagtail.users.models import UserProfile

    client.cookies["suksa_language"] = "en"
    user_id = client.session.get("_auth_user_id")
    if user_id:
        profile = UserProfile.get_for_user(get_user_model().objects.get(pk=user_id))
        profile.preferred_language = "en"
        profile.save()
    return client


@pytestmark_db
def test_managers_cannot_use_the_admin_until_enrolled(client_as, required):
    client = client_as("manager")

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts_two_factor") + "?next=%2Fadmin%2F"
    assert client.get(reverse("accounts_two_factor")).status_code == 200
    assert client.get("/admin/people/").status_code == 302


@pytestmark_db
def test_administrators_are_required_too_and_the_api_answers_403(client_as, required):
    client = client_as("admin")

    assert client.get("/admin/").status_code == 302
    assert client.get("/api/v1/sessions/").status_code == 403


@pytestmark_db
def test_without_the_setting_no_role_is_required(client_as, settings):
    settings.SUKSA_2FA_REQUIRED_ROLES = []

    assert client_as("manager").get("/admin/account/").status_code == 200


@pytestmark_db
def test_trainers_are_not_required_but_may_enrol(client_as, required):
    client = client_as("trainer")
    assert client.get("/admin/").status_code == 200

    client.post(
        reverse("accounts_two_factor"),
        {"action": "start", "password": "secret-pass-123"},
    )
    page = client.get(reverse("accounts_two_factor")).content.decode()
    secret = re.search(r'data-testid="two-factor-secret">([A-Z2-7]+)<', page).group(1)
    wrong = client.post(
        reverse("accounts_two_factor"), {"action": "confirm", "code": "000000"}
    )
    assert TwoFactorDevice.objects.get().confirmed_at is None
    assert wrong.status_code == 200
    confirmed = client.post(
        reverse("accounts_two_factor"),
        {"action": "confirm", "code": totp.totp(secret)},
    )

    assert TwoFactorDevice.objects.get().confirmed_at is not None
    codes = re.findall(
        r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", confirmed.content.decode()
    )
    assert len(codes) == 10
    assert RecoveryCode.objects.count() == 10
    assert not RecoveryCode.objects.filter(code_hash__in=codes).exists()
    assert client.get("/admin/").status_code == 200  # this session is verified
    assert AuditEvent.objects.filter(action="two_factor.enrol").exists()


@pytestmark_db
def test_enrolling_lets_a_manager_in(client_as, required):
    client = client_as("manager")
    client.post(
        reverse("accounts_two_factor"),
        {"action": "start", "password": "secret-pass-123"},
    )
    secret = TwoFactorDevice.objects.get().secret

    client.post(
        reverse("accounts_two_factor"), {"action": "confirm", "code": totp.totp(secret)}
    )

    assert client.get("/admin/account/").status_code == 200


@pytestmark_db
def test_after_the_password_a_code_is_asked_for(client, make_user, required):
    user = make_user("trainer")
    user.set_password("a long enough password")
    user.save()
    secret = enrolled(user, "a long enough password")
    english(client).post(
        reverse("wagtailadmin_login"),
        {"username": "trainer", "password": "a long enough password"},
    )

    response = client.get("/admin/people/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_two_factor_verify"))

    wrong = client.post(
        reverse("accounts_two_factor_verify"),
        {"code": "000000", "next": "/admin/people/"},
    )
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    right = client.post(
        reverse("accounts_two_factor_verify"),
        {"code": totp.totp(secret), "next": "/admin/people/"},
    )
    assert right["Location"] == "/admin/people/"
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="login.two_factor_failure").count() == 1
    assert AuditEvent.objects.filter(action="login.two_factor").count() == 1


@pytestmark_db
def test_the_same_code_is_not_accepted_twice(client, make_user):
    user = make_user("trainer")
    secret = enrolled(user)
    code = totp.totp(secret)
    client.force_login(user)
    english(client).post(reverse("accounts_two_factor_verify"), {"code": code})
    assert client.get("/admin/").status_code == 200

    client.logout()
    client.force_login(user)
    replay = english(client).post(reverse("accounts_two_factor_verify"), {"code": code})

    assert "already used" in replay.content.decode()
    assert client.get("/admin/").status_code == 302


@pytestmark_db
def test_a_recovery_code_works_once(client, make_user):
    user = make_user("trainer")
    device = two_factor_enrol_start(user=user, password="secret-pass-123")
    codes = two_factor_enrol_confirm(user=user, code=totp.totp(device.secret))
    client.force_login(user)
    english(client).post(reverse("accounts_two_factor_verify"), {"code": codes[0]})
    assert client.get("/admin/").status_code == 200

    client.logout()
    client.force_login(user)
    again = english(client).post(
        reverse("accounts_two_factor_verify"), {"code": codes[0]}
    )

    assert "That code is not right" in again.content.decode()


@pytestmark_db
def test_a_required_role_cannot_turn_it_off_but_a_trainer_can(
    client, make_user, required
):
    manager = make_user("manager")
    enrolled(manager)
    client.force_login(manager)
    client.session  # noqa: B018
    from accounts.two_factor import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = manager.pk
    session.save()
    client.post(reverse("accounts_two_factor"), {"action": "disable"})
    assert TwoFactorDevice.objects.filter(user=manager).exists()

    trainer = make_user("trainer")
    enrolled(trainer)
    client.force_login(trainer)
    session = client.session
    session[SESSION_KEY] = trainer.pk
    session.save()
    client.post(reverse("accounts_two_factor"), {"action": "disable"})
    assert not TwoFactorDevice.objects.filter(user=trainer).exists()
    assert not RecoveryCode.objects.filter(user=trainer).exists()


@pytestmark_db
def test_the_account_page_links_to_two_step_sign_in(client_in_english):
    page = client_in_english("trainer").get(reverse("wagtailadmin_account"))

    assert reverse("accounts_two_factor") in page.content.decode()


def test_production_requires_two_step_sign_in_for_administrators_and_managers():
    from config.settings import base

    assert roles.ADMINISTRATORS in base.SUKSA_2FA_REQUIRED_ROLES
    assert roles.MANAGERS in base.SUKSA_2FA_REQUIRED_ROLES


@pytestmark_db
def test_a_superuser_resets_a_lost_phone_in_the_django_admin(client_as, make_user):
    trainer = make_user("trainer")
    enrolled(trainer)
    device = TwoFactorDevice.objects.get(user=trainer)
    client = client_as("admin")

    client.post(
        reverse("admin:accounts_twofactordevice_delete", args=[device.pk]),
        {"post": "yes"},
    )

    assert not TwoFactorDevice.objects.filter(user=trainer).exists()
    assert not RecoveryCode.objects.filter(user=trainer).exists()
    event = AuditEvent.objects.get(action="two_factor.disable")
    assert (event.actor, event.object_id) == ("admin", str(trainer.pk))
