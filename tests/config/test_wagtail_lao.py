"""The Wagtail admin in Lao: the separate catalogue (locale_wagtail/), how it is
compiled and loaded, and scripts/wagtail_untranslated.py that keeps it up to date."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext
from wagtail.admin.localization import get_js_translation_strings

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale_wagtail" / "lo" / "LC_MESSAGES"
sys.path.insert(0, str(ROOT / "scripts"))

import compile_translations  # noqa: E402
import wagtail_untranslated  # noqa: E402


def test_the_wagtail_catalogue_comes_after_ours():
    assert settings.LOCALE_PATHS == [ROOT / "locale", ROOT / "locale_wagtail"]


def test_our_catalogue_wins_where_both_translate_a_string():
    wagtail = polib.pofile(str(CATALOGUE / "django.po")).find("Created")
    assert wagtail.msgstr == "ສ້າງເມື່ອ"

    with translation.override("lo"):
        assert gettext("Created") == "ສ້າງແລ້ວ"  # locale/lo, not locale_wagtail/lo


def test_wagtail_strings_read_in_lao():
    with translation.override("lo"):
        assert gettext("Sign in to Wagtail") == "ເຂົ້າສູ່ລະບົບ"
        assert gettext("Save draft") == "ບັນທຶກສະບັບຮ່າງ"
        assert gettext("Submit to %(workflow_name)s") == "ສົ່ງເຂົ້າ %(workflow_name)s"
        assert pgettext("abbrev. month", "Jan.") == "ມ.ກ."


def test_plurals_use_the_one_lao_form():
    with translation.override("lo"):
        matches = ngettext(
            "There is %(counter)s match", "There are %(counter)s matches", 2
        )
        assert matches % {"counter": 2} == "ພົບ 2 ລາຍການ"
    header = polib.pofile(str(CATALOGUE / "django.po")).metadata["Plural-Forms"]
    assert header == "nplurals=1; plural=0;"


def test_the_date_picker_names_months_and_weekdays_in_lao():
    with translation.override("lo"):
        strings = get_js_translation_strings()

    assert strings["MONTHS"][0] == "ມັງກອນ"
    assert strings["MONTHS"][11] == "ທັນວາ"
    assert strings["WEEKDAYS"][0] == "ວັນອາທິດ"
    assert strings["WEEKDAYS_SHORT"][1] == "ຈັນ"


@pytest.mark.django_db
def test_the_admin_javascript_catalogue_is_in_lao(client_as):
    client = client_as("admin")

    response = client.get(reverse("wagtailadmin_javascript_catalog"))

    # "No results", as the catalogue writes it (JSON, non-ASCII escaped).
    assert json.dumps("ບໍ່ມີຜົນ") in response.content.decode()


def test_every_catalogue_is_valid_for_gettext():
    if not shutil.which("msgfmt"):
        pytest.fail("GNU gettext (msgfmt) is needed: apt-get install gettext")
    for path in sorted(CATALOGUE.glob("*.po")):
        subprocess.run(
            ["msgfmt", "-c", "-o", "/dev/null", str(path)],
            check=True,
            capture_output=True,
        )


def test_compile_translations_compiles_the_wagtail_catalogue(tmp_path, monkeypatch):
    copy = tmp_path / "locale_wagtail" / "lo" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(CATALOGUE / "django.po", copy / "django.po")
    monkeypatch.setattr(compile_translations, "ROOT", tmp_path)

    assert compile_translations.main() == 0

    assert (copy / "django.mo").stat().st_size > 0


def _catalogue(directory: Path, *entries: polib.POEntry) -> None:
    folder = directory / "lo" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for entry in entries:
        catalogue.append(entry)
    catalogue.save(str(folder / "django.po"))


def _source(tmp_path: Path) -> list:
    locale = tmp_path / "package" / "locale" / "en" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid="Save", msgstr=""))
    catalogue.append(polib.POEntry(msgid="May", msgctxt="abbrev. month", msgstr=""))
    catalogue.append(
        polib.POEntry(
            msgid="%(n)s page", msgid_plural="%(n)s pages", msgstr_plural={0: ""}
        )
    )
    catalogue.save(str(locale / "django.po"))
    return wagtail_untranslated.sources([("wagtail/test", tmp_path / "package")])


def test_the_script_lists_strings_our_catalogues_lack(tmp_path):
    sources = _source(tmp_path)
    _catalogue(tmp_path / "ours", polib.POEntry(msgid="Save", msgstr="ບັນທຶກ"))

    done = wagtail_untranslated.translated([tmp_path / "ours"])
    missing = wagtail_untranslated.missing(sources, done)

    assert [source.entry.msgid for source in missing] == ["May", "%(n)s page"]


def test_the_script_reads_a_translation_only_in_its_context(tmp_path):
    sources = _source(tmp_path)
    _catalogue(
        tmp_path / "ours",
        polib.POEntry(msgid="May", msgstr="ພຶດສະພາ"),  # no context: another string
        polib.POEntry(msgid="%(n)s page", msgid_plural="%(n)s pages", msgstr="x"),
    )

    done = wagtail_untranslated.translated([tmp_path / "ours"])
    missing = wagtail_untranslated.missing(sources, done)

    assert [source.entry.msgid for source in missing] == ["Save", "May"]


def test_the_script_writes_the_missing_strings_to_translate(tmp_path):
    sources = _source(tmp_path)

    wagtail_untranslated.write_po(sources, tmp_path / "new.po")

    written = polib.pofile(str(tmp_path / "new.po"))
    assert written.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert written.find("May", msgctxt="abbrev. month").msgstr == ""
    assert written.find("%(n)s page").msgid_plural == "%(n)s pages"


def test_every_wagtail_string_staff_meet_on_the_swept_screens_is_translated():
    """The installed Wagtail admin's strings, apart from a few the staff never
    meet (aliases, translations of whole trees, content metrics), have Lao."""
    sources = wagtail_untranslated.sources()
    missing = wagtail_untranslated.missing(
        sources, wagtail_untranslated.translated(), "wagtail/admin"
    )

    assert len(missing) < 50, [source.entry.msgid for source in missing]
