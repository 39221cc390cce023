"""The one spreadsheet layer: folding, gender words, header matching, typed cells."""

import datetime
import unicodedata

import pytest

from common.sheets import (
    Column,
    RowProblem,
    cell_amount,
    cell_choice,
    cell_count,
    cell_date,
    cell_gender,
    cell_text,
    date_or_none,
    fold,
    gender_or_none,
    headers_match,
    row_values,
)
from people.models import Gender

COLUMNS = [
    Column("full_name", "Full name", "ຊື່ ແລະ ນາມສະກຸນ"),
    Column("trainer", "Trainer (1-5)", "ຄູຝຶກ (1-5)"),
    Column("birth_year", "Birth year", "ປີເກີດ"),
]


def test_fold_is_nfc_casefolded_and_spaced_once():
    # ຳ typed as two code points (ໍ + າ) and as the one composed character
    decomposed = unicodedata.normalize("NFD", "ຄຳ")
    assert fold(decomposed) == fold("ຄຳ")
    assert fold("  Full\u200b   NAME ") == "full name"
    assert fold(None) == ""
    assert fold("Straße") == fold("STRASSE")


@pytest.mark.parametrize(
    ("word", "gender"),
    [
        ("ຍິງ", Gender.WOMAN),
        ("F", Gender.WOMAN),
        ("female", Gender.WOMAN),
        ("ນາງ", Gender.WOMAN),
        ("ຊາຍ", Gender.MAN),
        ("m", Gender.MAN),
        (" Male ", Gender.MAN),
        ("ອື່ນໆ", Gender.OTHER),
        ("ບໍ່ລະບຸ", Gender.NOT_RECORDED),
        ("ບໍ່ໄດ້ບັນທຶກ", Gender.NOT_RECORDED),
        ("Not recorded", Gender.NOT_RECORDED),
        ("", Gender.NOT_RECORDED),
    ],
)
def test_one_list_of_gender_words(word, gender):
    assert gender_or_none(word) == gender
    assert cell_gender(word, "Gender") == gender


def test_every_gender_word_names_a_stored_gender():
    assert {gender_or_none(w) for w in ("ຍິງ", "ຊາຍ", "ອື່ນໆ", "")} == set(Gender.values)


def test_an_unknown_gender_is_a_row_problem_naming_its_column():
    assert gender_or_none("maybe") is None
    with pytest.raises(RowProblem) as problem:
        cell_gender("maybe", "Gender / ເພດ")
    assert problem.value.at(7).row == 7
    assert problem.value.column == "Gender / ເພດ"


@pytest.mark.parametrize(
    "title",
    [
        "Full name",
        "ຊື່ ແລະ ນາມສະກຸນ",
        "Full name / ຊື່ ແລະ ນາມສະກຸນ",
        "full name/ຊື່ ແລະ ນາມສະກຸນ",
        "  FULL   NAME ",
        "full_name",
    ],
)
def test_headers_match_in_either_language_or_both(title):
    keys, unknown = headers_match([title], COLUMNS)
    assert keys == {0: "full_name"}
    assert unknown == []


def test_headers_match_without_the_bracketed_hint_and_list_the_unknown():
    header = ["Trainer", "ຄູຝຶກ (1-5)", None, "Colour", datetime.date(2024, 2, 17)]
    keys, unknown = headers_match(header, COLUMNS)
    assert keys == {0: "trainer", 1: "trainer"}
    assert unknown == [3, 4]


def test_cells_as_text():
    assert cell_text(1985.0) == "1985"
    assert cell_text(None) == ""
    assert cell_text(datetime.datetime(2024, 2, 17)) == "2024-02-17"
    assert cell_text("'=1+1") == "=1+1"  # our CSV export's quote, taken off
    assert cell_text("  two   words ") == "two words"
    assert row_values({0: "a", 3: "b"}, ["x"]) == {"a": "x", "b": ""}


def test_typed_cells():
    assert cell_count("໑໒", "Turnout") == 12
    assert cell_count("", "Turnout") == 0
    with pytest.raises(RowProblem):
        cell_count("twelve", "Turnout")
    assert cell_amount("117,000", "LAK") == 117000
    assert cell_date("31/05/2023", "Date") == datetime.date(2023, 5, 31)
    assert cell_date("", "Date", required=False) is None
    with pytest.raises(RowProblem):
        cell_date("", "Date")
    assert date_or_none("Day 2024-02-17") == datetime.date(2024, 2, 17)
    assert date_or_none("31/02/2024") is None
    assert cell_choice("woman", Gender.choices, "Gender") == Gender.WOMAN
    with pytest.raises(RowProblem):
        cell_choice("nobody", Gender.choices, "Gender")
