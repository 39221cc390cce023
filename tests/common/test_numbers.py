"""Lao digits (໐–໙) typed where numbers are typed are the digits 0–9 (issue 14,
item 10): one phone is one person and signs in, counts and years are numbers."""

import datetime

import pytest
from django.contrib.auth import authenticate

from common.numbers import ascii_digits
from common.phones import phone_key
from common.sheets import cell_count, cell_date
from people.selectors import person_find_duplicates
from people.services import person_create
from tests.factories import (
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    UserFactory,
    record_meeting,
)
from trainings.sheets import sheet_parse

pytestmark = pytest.mark.django_db

LAO_PHONE = "໐໒໐ ໕໕໕໑ ໒໓໔໕"


def test_ascii_digits_reads_lao_digits_and_leaves_the_rest():
    assert ascii_digits("໐໑໒໓໔໕໖໗໘໙") == "0123456789"
    assert ascii_digits("ບ້ານ ໑໒ / 12") == "ບ້ານ 12 / 12"
    assert ascii_digits(12) == 12
    assert ascii_digits(None) is None


def test_a_phone_in_lao_digits_has_the_key_of_the_same_phone_in_ascii():
    assert phone_key(LAO_PHONE) == phone_key("020 5551 2345") == "2055512345"
    assert phone_key("+໘໕໖ ໒໐ ໕໕໕໑ ໒໓໔໕") == "2055512345"


def test_a_person_typed_with_lao_digits_is_stored_in_ascii_and_found_again():
    existing = PersonFactory(full_name="ນາງ ແສງ", phone="020 5551 2345")

    created = person_create(full_name="ທ້າວ ຄຳ", phone=LAO_PHONE)

    assert created.phone == "020 5551 2345"
    assert created.phone_key == existing.phone_key
    found = person_find_duplicates(full_name="ໃຜ", phone=LAO_PHONE)
    assert existing in found


def test_a_promoter_signs_in_with_the_phone_typed_in_lao_digits():
    user = UserFactory(username="bounmy", role="Promoters")
    PersonFactory(full_name="ທ້າວ ບຸນມີ", phone="020 5551 2345", user=user)

    assert authenticate(username=LAO_PHONE, password="secret-pass-123") == user


def test_meeting_counts_typed_in_lao_digits_are_numbers():
    promoter = PromoterFactory()

    meeting = record_meeting(
        promoter,
        turnout={"women": "໑໒", "men": "໘"},
        registrations={"women": "໓"},
    )

    assert (meeting.turnout_women, meeting.turnout_men) == (12, 8)
    assert meeting.registrations_women == 3


def test_sheet_counts_and_dates_in_lao_digits_are_read():
    assert cell_count("໑໒", "turnout") == 12
    assert cell_date("໒໐໒໓-໐໕-໓໑", "date") == datetime.date(2023, 5, 31)


def test_sign_in_sheet_birth_year_and_phone_in_lao_digits_are_read():
    session = SessionFactory()
    rows = [
        ["Full name", "Birth year", "Phone"],
        ["ນາງ ແສງ", "໑໙໘໕", LAO_PHONE],
        ["ທ້າວ ຄຳ", "²", ""],
    ]

    parsed = sheet_parse(rows=rows, session=session)

    assert parsed.rows[0].values["birth_year"] == "1985"
    assert parsed.rows[0].values["phone"] == "020 5551 2345"
    assert [error.row for error in parsed.errors] == [3]


def test_the_api_reads_a_birth_year_and_phone_in_lao_digits(client_as):
    from people.models import Person

    response = client_as("admin").post(
        "/api/v1/people/",
        {"full_name": "ນາງ ແສງ", "gender": "woman", "birth_year": "໑໙໘໕"}
        | {"phone": LAO_PHONE},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    person = Person.objects.get()
    assert (person.birth_year, person.phone) == (1985, "020 5551 2345")


def test_the_api_reads_meeting_counts_in_lao_digits(client_as):
    import uuid

    promoter = PromoterFactory()
    response = client_as("admin").post(
        "/api/v1/meetings/",
        {
            "client_uuid": str(uuid.uuid4()),
            "date": "2023-06-03",
            "village": promoter.village.pk,
            "led_by": [promoter.pk],
            "turnout": {"women": "໑໒"},
            "registrations": {"women": "໓"},
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["turnout"]["women"] == 12
