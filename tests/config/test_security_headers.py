import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values for name, *values in (part.split() for part in policy.split(";"))
    }


def test_the_public_site_allows_no_inline_code_without_the_nonce(client, home_pages):
    response = client.get("/lo/")

    policy = directives(response)
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", " ".join(policy["script-src"])).group(1)
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_every_inline_script_on_a_public_page_carries_the_nonce(client, home_pages):
    response = client.get("/lo/")
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)

    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline)
    assert not re.search(r"<[a-z][^>]*\sstyle=", html)


def test_each_request_gets_a_fresh_nonce(client, home_pages):
    first = client.get("/lo/")["Content-Security-Policy"]
    second = client.get("/lo/")["Content-Security-Policy"]

    assert first != second


def test_certificate_verification_is_under_the_strict_policy(client):
    response = client.get("/verify/")

    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_admin_has_its_own_policy_for_wagtails_inline_code(client_as):
    response = client_as("trainer").get("/admin/account/")

    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_permissions_policy_turns_off_what_suksa_never_uses(client):
    response = client.get("/healthz")

    assert "camera=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_production_sets_hsts_secure_cookies_and_a_referrer_policy():
    from tests.config.test_settings import PRODUCTION_ENV, manage

    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE,"
        " s.SECURE_REFERRER_POLICY, s.SECURE_SSL_REDIRECT, s.SUKSA_2FA_REQUIRED_ROLES)"
    )
    result = manage("shell", "-c", script, env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split(maxsplit=7) == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "same-origin",
        "True",
        "['Administrators', 'Managers']",
    ]


def test_production_refuses_to_run_without_two_step_sign_in():
    from tests.config.test_settings import PRODUCTION_ENV, manage

    result = manage("check", env={**PRODUCTION_ENV, "SUKSA_2FA_REQUIRED_ROLES": ""})

    assert result.returncode != 0
    assert "SUKSA_2FA_REQUIRED_ROLES" in result.stderr


def test_ci_runs_the_deployment_checks_with_production_settings():
    ci = (Path(settings.BASE_DIR) / ".ci" / "run").read_text()

    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in ci
    assert "check --deploy --fail-level WARNING" in ci
