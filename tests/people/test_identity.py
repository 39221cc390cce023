"""The one rule for "the same person" (people.selectors.identity_keys), as
people.services applies it for every door (issue 19, item 2)."""

import pytest

from people.models import Person
from people.selectors import identity_keys, person_find_duplicates
from people.services import (
    people_match,
    person_find_or_create,
    person_match,
    person_register,
)
from tests.factories import DistrictFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_without_a_birth_year_the_same_name_and_district_is_the_same_person():
    district = DistrictFactory()
    existing = PersonFactory(
        full_name="ນາງ ແສງ ສີສຸກ", birth_year=1985, district=district
    )

    found = person_match(among=None, full_name="ແສງ  ສີສຸກ", district=district)
    other_year = person_match(
        among=None, full_name="ແສງ ສີສຸກ", birth_year=1990, district=district
    )
    elsewhere = person_match(
        among=None, full_name="ແສງ ສີສຸກ", district=DistrictFactory()
    )

    assert found.person == existing
    assert other_year.person is None
    assert elsewhere.person is None
    assert list(person_find_duplicates(full_name="ແສງ ສີສຸກ", district=district)) == [
        existing
    ]


def test_the_keys_of_the_rule():
    assert identity_keys(full_name="ແສງ", phone="") == []  # a name alone is not enough
    assert identity_keys(phone="020 5551 2345") == [("phone", "2055512345")]


def test_many_rows_matched_at_once_only_among_the_people_seen():
    district = DistrictFactory()
    seen = PersonFactory(phone="020 5551 2345")
    unseen = PersonFactory(full_name="ທ້າວ ຄຳ", birth_year=1980, district=district)
    among = Person.objects.filter(pk=seen.pk)

    matches = people_match(
        among=among,
        details=[
            {"full_name": "x", "phone": "+856 20 55512345"},
            {"full_name": "ຄຳ", "birth_year": 1980, "district": district},
            {"full_name": "ໃໝ່", "phone": "020 9999 0000"},
        ],
    )

    assert matches[0].person == seen
    assert matches[1].person is None and matches[1].outside == unseen
    assert matches[2].person is None and matches[2].outside is None


def test_find_or_create_reuses_or_registers_flagged():
    district = DistrictFactory()
    unseen = PersonFactory(full_name="ທ້າວ ຄຳ", district=district)

    person, created = person_find_or_create(
        among=Person.objects.none(), full_name="ຄຳ", district=district
    )
    again, created_again = person_find_or_create(
        among=None, full_name="ຄຳ", district=district
    )

    assert created and person.possible_duplicate_of == unseen
    assert not created_again and again == unseen


def test_register_creates_what_it_is_sent_flagged_as_a_duplicate():
    existing = PersonFactory(phone="020 5551 2345")

    person = person_register(
        among=Person.objects.all(), full_name="ບົວພັນ", phone="02055512345"
    )

    assert person.pk != existing.pk
    assert person.possible_duplicate_of == existing


def test_a_whole_sheet_is_matched_by_the_same_rule():
    """Past a few rows the query is wider (SQLite parses no OR of thousands of
    terms); the rule applied to what it finds is the same."""
    district = DistrictFactory()
    existing = PersonFactory(full_name="ທ້າວ ຄຳ", birth_year=1980, district=district)
    details = [{"full_name": f"ຄົນ {n}", "phone": f"020 7777 {n:04}"} for n in range(60)]
    details += [
        {"full_name": "ຄຳ", "birth_year": 1990, "district": district},
        {"full_name": "ຄຳ", "birth_year": 1980, "district": district},
        {"full_name": "ຄຳ", "district": district},
    ]

    matches = people_match(among=None, details=details)

    assert [m.person for m in matches[-3:]] == [None, existing, existing]
    assert all(m.person is None for m in matches[:60])
