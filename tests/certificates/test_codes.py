"""Verification codes: how they are made and how what a person typed is read."""

import math

import pytest

from certificates.codes import (
    ALPHABET,
    code_new,
    code_read,
    number_read,
    old_code_read,
    typed_for_address,
)


def test_a_new_code_holds_at_least_100_random_bits():
    code = code_new()
    characters = code.replace("-", "")

    assert len(characters) * math.log2(len(ALPHABET)) >= 100
    assert set(characters) <= set(ALPHABET)
    assert len({code_new() for _ in range(200)}) == 200


def test_the_alphabet_has_no_look_alike_letters():
    assert not set("ILOU") & set(ALPHABET)


@pytest.mark.parametrize(
    "typed",
    ["7kq2m9xd4htipb3oqc5r", "7KQ2 M9XD 4HTL PB3O QC5R", "7KQ2--M9XD-4HT1-PB30-QC5R"],
)
def test_a_typed_code_is_read_as_printed(typed):
    assert code_read(typed) == "7KQ2-M9XD-4HT1-PB30-QC5R"


@pytest.mark.parametrize(
    "typed",
    ["7KQ2-M9XD-4HT1-PB30-QC5U", "7KQ2-M9XD-4HT1-PB30", "7KQ2-M9XD-4HT1-PB30-QC5R-1"],
)
def test_what_cannot_be_a_code_is_not_read_as_one(typed):
    assert code_read(typed) is None


def test_a_number_is_read_in_capitals_with_dashes():
    assert number_read(" lsso sc 2024 0012 ") == "LSSO-SC-2024-0012"
    assert number_read("ບົວພັນ") is None


def test_an_old_code_is_kept_exactly():
    assert old_code_read(" X1B5dMdu02s0xlI64t4qK_Kg ") == "X1B5dMdu02s0xlI64t4qK_Kg"


def test_the_address_keeps_what_was_typed_but_the_spaces():
    assert typed_for_address("7kq2 m9xd") is None  # too short for any reading
    assert typed_for_address("lsso sc 2024 0012") == "lsso-sc-2024-0012"
    assert typed_for_address("abc/def") is None
    assert typed_for_address("x" * 65) is None
