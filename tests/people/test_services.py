import pytest
from django.core.exceptions import ValidationError

from people.models import Gender, Person
from people.services import person_create, person_update
from tests.factories import DistrictFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_create_tidies_the_name_and_keeps_search_keys():
    person = person_create(
        full_name="  ນາງ  ບົວພັນ   ສີສຸກ ", phone="020 5551 2345", gender=Gender.WOMAN
    )

    assert person.full_name == "ນາງ ບົວພັນ ສີສຸກ"
    assert person.name_key == "ບົວພັນສີສຸກ"
    assert person.phone_key == "2055512345"


def test_village_sets_the_district():
    village = VillageFactory()
    person = person_create(full_name="ສົມພອນ", village=village)

    assert person.district == village.district


def test_village_outside_the_district_is_refused_with_a_message():
    village = VillageFactory()
    with pytest.raises(ValidationError, match="not in the person's district"):
        person_create(full_name="ສົມພອນ", village=village, district=DistrictFactory())


def test_impossible_birth_year_is_refused():
    with pytest.raises(ValidationError) as error:
        person_create(full_name="ສົມພອນ", birth_year=1850)
    assert "birth_year" in error.value.message_dict


def test_update_recomputes_the_phone_key():
    person = person_create(full_name="ສົມພອນ", phone="020 1111 2222")
    person_update(person=person, phone="+856 20 3333 4444")

    person.refresh_from_db()
    assert person.phone_key == "2033334444"


def test_unknown_field_is_a_programming_error():
    with pytest.raises(TypeError, match="nickname"):
        person_create(full_name="ສົມພອນ", nickname="Som")


def test_the_unique_fields_person_build_leaves_unchecked_are_the_models():
    """``person_build`` (bulk imports) skips the uniqueness check: without the
    relations it leaves out, a new person's only unique field is its key. A unique
    field or constraint added to Person fails here until bulk imports check it."""
    from people.services import BULK_UNIQUE_FIELDS

    meta = Person._meta
    assert {field.name for field in meta.fields if field.unique} == BULK_UNIQUE_FIELDS
    assert not meta.unique_together
    assert not meta.total_unique_constraints


def test_person_build_gives_empty_relations_as_empty():
    from people.services import person_build

    person = person_build(full_name="ນາງ ແສງ", district=None, village=None)

    assert (person.district, person.village, person.created_by) == (None, None, None)
    assert person.district_id is None and person.created_by_id is None
