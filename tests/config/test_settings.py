import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-long-random-production-secret-0123456789",
    "DJANGO_ALLOWED_HOSTS": "suksa.example.la",
    "DATABASE_URL": "postgres://suksa@127.0.0.1:5432/suksa",
    "WAGTAILADMIN_BASE_URL": "https://suksa.example.la",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_postgresql_connections_run_without_jit(monkeypatch):
    from config.settings.base import database_from_env

    monkeypatch.setenv(
        "DATABASE_URL", "postgres://suksa@db:5432/suksa?options=-c%20work_mem%3D8MB"
    )
    options = database_from_env()["OPTIONS"]["options"]
    assert options == "-c work_mem=8MB -c jit=off"  # the URL's own options kept

    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/suksa.sqlite3")
    assert "options" not in database_from_env().get("OPTIONS", {})


def test_the_postgresql_connection_has_jit_off(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        import pytest

        pytest.skip("PostgreSQL only (the CI's second pass)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_sqlite_writers_wait_for_each_other_instead_of_failing(monkeypatch):
    """Issue 14, item 9: parallel writes on SQLite answered 500 "database is
    locked"; a write transaction now takes the lock when it begins and waits."""
    from config.settings.base import database_from_env

    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = database_from_env(default="sqlite:////tmp/suksa-check.sqlite3")

    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
