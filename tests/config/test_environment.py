"""One rule for which settings a process uses (config/environment.py)."""

import subprocess
import sys

import pytest

from config import environment


@pytest.fixture
def bare(monkeypatch, tmp_path):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.setattr(environment, "ENV_FILE", tmp_path / ".env")
    return tmp_path / ".env"


def test_without_anything_a_server_uses_the_production_settings(bare):
    environment.use_settings()

    assert environment.os.environ["DJANGO_SETTINGS_MODULE"] == (
        "config.settings.production"
    )


def test_without_anything_the_command_line_uses_the_development_settings(bare):
    environment.use_settings(environment.COMMAND_LINE_SETTINGS)

    assert environment.os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings.dev"


def test_a_fresh_checkouts_manage_py_works_without_a_env_file(tmp_path):
    clean = {
        key: value
        for key, value in environment.os.environ.items()
        if not key.startswith("DJANGO_")
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=environment.ENV_FILE.parent,
        env=clean,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr


def test_a_development_checkout_says_so_in_its_env_file(bare):
    bare.write_text("DJANGO_SETTINGS_MODULE=config.settings.dev\n")

    environment.use_settings()

    assert environment.os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings.dev"


def test_the_environment_wins_over_the_file(bare, monkeypatch):
    bare.write_text("DJANGO_SETTINGS_MODULE=config.settings.dev\n")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.test")

    environment.use_settings()

    assert environment.os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings.test"


@pytest.mark.parametrize(
    "entry_point", ["manage.py", "config/wsgi.py", "config/celery.py"]
)
def test_every_entry_point_asks_the_rule(entry_point):
    source = (environment.ENV_FILE.parent / entry_point).read_text()

    assert "use_settings(" in source
    assert 'setdefault("DJANGO_SETTINGS_MODULE"' not in source
