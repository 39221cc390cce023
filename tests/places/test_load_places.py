from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from places.models import District, Province
from places.services import SHIPPED_PLACES_FILE

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = StringIO()
    call_command("load_places", *args, stdout=out)
    return out.getvalue()


def write_copy(tmp_path: Path, change) -> Path:
    lines = SHIPPED_PLACES_FILE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "places.csv"
    path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
    return path


def test_loads_all_provinces_and_districts_with_lao_names():
    output = load()

    assert Province.objects.count() == 18
    assert District.objects.count() == 148
    assert "18 provinces and 148 districts created" in output
    vientiane = Province.objects.get(code="01")
    assert (vientiane.iso, vientiane.name_lo) == ("LA-VT", "ນະຄອນຫຼວງວຽງຈັນ")
    paksong = District.objects.get(name_en="Paksong")
    assert paksong.province.name_en == "Champasak"
    assert paksong.name_lo == "ປາກຊ່ອງ"


def test_second_run_changes_nothing():
    load()
    output = load()

    assert District.objects.count() == 148
    assert "0 provinces and 0 districts created" in output
    assert "148 districts already present" in output


def test_keeps_names_corrected_by_staff_unless_asked_to_update():
    load()
    District.objects.filter(code="1604").update(name_en="Pakxong")

    load()
    assert District.objects.get(code="1604").name_en == "Pakxong"

    output = load("--update")
    assert District.objects.get(code="1604").name_en == "Paksong"
    assert "1 districts updated" in output


def test_malformed_row_is_named_and_nothing_is_loaded(tmp_path):
    def break_row_100(lines):
        fields = lines[99].split(",")
        fields[4] = "16x8"
        lines[99] = ",".join(fields)
        return lines

    path = write_copy(tmp_path, break_row_100)

    with pytest.raises(
        CommandError, match=r"row 100: .*district_code must be 4 digits"
    ):
        load("--file", str(path))
    assert Province.objects.count() == 0
    assert District.objects.count() == 0


def test_duplicate_district_code_is_named(tmp_path):
    path = write_copy(tmp_path, lambda lines: [*lines, lines[1]])

    with pytest.raises(CommandError, match=r"0101 already used on row 2"):
        load("--file", str(path))
    assert District.objects.count() == 0


def test_missing_column_and_wrong_encoding_are_explained(tmp_path):
    path = write_copy(
        tmp_path, lambda lines: [line.rsplit(",", 1)[0] for line in lines]
    )
    with pytest.raises(CommandError, match="missing columns: district_name_en"):
        load("--file", str(path))

    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(SHIPPED_PLACES_FILE.read_bytes()[:200] + "é".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        load("--file", str(latin1))


def test_shipped_file_keeps_its_provenance_note():
    readme = SHIPPED_PLACES_FILE.with_name("README.md").read_text(encoding="utf-8")
    assert "148" in readme
    assert SHIPPED_PLACES_FILE.with_name("lao_admin_units_review.csv").exists()
