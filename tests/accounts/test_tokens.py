"""Issue 14: API tokens skipped the second factor, were stored in plain text and never
expired."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken

from accounts import roles, totp
from accounts.models import TwoFactorDevice
from accounts.tokens import token_create
from accounts.two_factor import two_factor_enrol_confirm, two_factor_enrol_start

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
API = "/api/v1/sessions/"


@pytest.fixture
def required(settings):
    settings.SUKSA_2FA_REQUIRED_ROLES = [roles.ADMINISTRATORS, roles.MANAGERS]


def api(client, key, path=API):
    return client.get(
        path, HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en"
    )


def with_device(user):
    device = two_factor_enrol_start(user=user, password=PASSWORD)
    two_factor_enrol_confirm(user=user, code=totp.totp(device.secret))
    TwoFactorDevice.objects.filter(pk=device.pk).update(last_used_step=0)
    return device.secret


def test_a_token_works_and_only_its_hash_is_stored(client, make_user):
    _token, key = token_create(
        user=make_user("trainer"), name="sheets", second_factor=False
    )

    assert api(client, key).status_code == 200
    stored = list(APIToken.objects.values_list("key_hash", "prefix", "name"))
    assert all(key not in value for row in stored for value in row)


def test_an_expired_token_is_refused_with_the_reason(client, make_user, settings):
    settings.SUKSA_API_TOKEN_DAYS = 30
    token, key = token_create(user=make_user("trainer"), name="", second_factor=False)
    APIToken.objects.filter(pk=token.pk).update(
        created=timezone.now() - timedelta(days=31)
    )

    response = api(client, key)

    assert response.status_code in (401, 403)
    assert "expired" in response.json()["detail"]


def test_a_revoked_token_is_refused(client, make_user):
    token, key = token_create(user=make_user("trainer"), name="", second_factor=False)
    token.revoke()

    assert api(client, key).status_code in (401, 403)


def test_a_manager_without_an_app_cannot_use_a_token(client, make_user, required):
    """The finding: a manager with no device read /api/v1/people/ with a token."""
    manager = make_user("manager")
    _token, key = APIToken.create_token(user=manager, name="made before the rule")

    response = api(client, key, "/api/v1/people/")

    assert response.status_code in (401, 403)
    assert "two-step sign-in" in response.json()["detail"]


def test_a_manager_gets_a_token_only_after_a_second_factor(make_user, required):
    from django.core.exceptions import ValidationError

    manager = make_user("manager")
    with pytest.raises(ValidationError, match="set it up"):
        token_create(user=manager, name="", second_factor=True)
    with_device(manager)
    with pytest.raises(ValidationError, match="authenticator app"):
        token_create(user=manager, name="", second_factor=False)

    token, _key = token_create(user=manager, name="", second_factor=True)
    assert token.user == manager


def test_a_managers_token_works_while_the_app_is_set_up(client, make_user, required):
    manager = make_user("manager")
    with_device(manager)
    _token, key = token_create(user=manager, name="", second_factor=True)
    assert api(client, key).status_code == 200

    TwoFactorDevice.objects.filter(user=manager).delete()  # phone reset

    assert api(client, key).status_code in (401, 403)


def test_the_command_keeps_its_name_and_asks_a_code_with_two_step(
    client, make_user, required, capsys
):
    trainer = make_user("trainer")
    call_command("drf_create_token", "trainer")
    key = capsys.readouterr().out.split()[2]
    assert api(client, key).status_code == 200
    assert APIToken.objects.get().user == trainer

    manager = make_user("manager")
    secret = with_device(manager)
    with pytest.raises(CommandError, match="authenticator app"):
        call_command("drf_create_token", "manager")
    call_command("drf_create_token", "manager", "--code", totp.totp(secret))
    assert APIToken.objects.filter(user=manager).count() == 1


def test_owners_list_and_revoke_their_own_tokens_only(client, make_user):
    trainer = make_user("trainer")
    officer = make_user("officer")
    mine, _ = token_create(user=trainer, name="my sheets", second_factor=False)
    theirs, _ = token_create(user=officer, name="their sheets", second_factor=False)
    client.force_login(trainer)

    listing = client.get(reverse("wagtailusers_api_tokens:index")).content.decode()
    revoke_theirs = client.post(
        reverse("wagtailusers_api_tokens:delete", args=[theirs.pk])
    )
    client.post(reverse("wagtailusers_api_tokens:delete", args=[mine.pk]))

    assert "my sheets" in listing and "their sheets" not in listing
    assert revoke_theirs.status_code == 404
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_administrators_see_and_revoke_everyones_tokens(client, make_user, admin_user):
    token, _ = token_create(
        user=make_user("trainer"), name="sheets", second_factor=False
    )
    client.force_login(admin_user)

    listing = client.get(reverse("wagtailusers_api_tokens:index")).content.decode()
    client.post(reverse("wagtailusers_api_tokens:delete", args=[token.pk]))

    assert "sheets" in listing
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_making_a_token_in_the_admin_shows_the_key_once(client, make_user):
    trainer = make_user("trainer")
    client.force_login(trainer)

    response = client.post(
        reverse("wagtailusers_api_tokens:add"),
        {"name": "sheets", "user": trainer.pk},
    )

    key = APIToken.objects.get().prefix
    assert response.status_code == 200
    assert key in response.content.decode()


def test_old_plain_text_tokens_are_hashed_and_keep_working(client, make_user):
    from importlib import import_module

    trainer = make_user("trainer")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40), user_id integer, "
            "created timestamp)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            ["0123456789abcdef0123456789abcdef01234567", trainer.pk, "2020-01-01"],
        )
    migration = import_module(
        "accounts.migrations.0003_hash_drf_tokens_into_wagtail_api_tokens"
    )

    migration.hash_drf_tokens(apps, SimpleNamespace(connection=connection))

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    assert api(client, "0123456789abcdef0123456789abcdef01234567").status_code == 200


def test_the_token_pages_speak_lao(client, make_user):
    from wagtail.users.models import UserProfile

    trainer = make_user("trainer")
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "lo"
    profile.save()
    token_create(user=trainer, name="sheets", second_factor=False)
    client.force_login(trainer)

    html = client.get(reverse("wagtailusers_api_tokens:index")).content.decode()

    assert "ໂທເຄັນ API" in html
    assert "ໝົດອາຍຸ" in html


def test_the_command_with_reset_revokes_the_older_tokens(client, make_user, capsys):
    trainer = make_user("trainer")
    old, old_key = token_create(user=trainer, name="", second_factor=False)

    call_command("drf_create_token", "trainer", "--reset")

    new_key = capsys.readouterr().out.split()[2]
    assert api(client, old_key).status_code in (401, 403)
    assert api(client, new_key).status_code == 200
