import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import get_language_info
from wagtail.users.models import UserProfile

ROOT = Path(settings.BASE_DIR)


def test_lao_is_a_known_language_and_the_default():
    info = get_language_info("lo")

    assert info["name_local"] == "ລາວ"
    assert settings.LANGUAGE_CODE == "lo"
    assert [code for code, _name in settings.LANGUAGES] == ["lo", "en"]


def test_every_string_in_the_code_is_translated_to_lao(tmp_path):
    """makemessages over a copy of the project finds no string without a Lao msgstr."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext (xgettext) is needed: apt-get install gettext")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "lo",
            "--no-obsolete",
            "--ignore=tests/*",
            "--ignore=benchmarks/*",
            "--ignore=scripts/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    catalogue = polib.pofile(str(copy / "locale/lo/LC_MESSAGES/django.po"))

    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], "Strings without a Lao translation"
    assert fuzzy == [], "Fuzzy (unchecked) Lao translations"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["wagtailadmin_home", "people:index", "districts:index", "wagtailadmin_account"],
)
def test_admin_works_with_lao_chosen_in_account_settings(client_as, url_name):
    client = client_as("admin")
    user = get_user_model().objects.get(username="admin")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "lo"
    profile.save()

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert '<html lang="lo"' in response.content.decode()


@pytest.mark.django_db
def test_pages_without_a_language_prefix_switch_by_cookie(client, home_pages):
    lao = client.get("/verify/")
    assert '<html lang="lo">' in lao.content.decode()
    assert "/language/en/?next=%2Fverify%2F" in lao.content.decode()

    switched = client.get("/language/en/", {"next": "/verify/"})

    assert switched["Location"] == "/verify/"
    assert '<html lang="en">' in client.get("/verify/").content.decode()


@pytest.mark.django_db
def test_language_switch_never_redirects_off_site(client):
    response = client.get("/language/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
