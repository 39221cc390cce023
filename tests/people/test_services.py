import pytest
from django.core.exceptions import ValidationError

from people.models import Gender
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
