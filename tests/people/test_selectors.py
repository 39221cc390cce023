import pytest

from people.models import Person
from people.selectors import person_find_duplicates, person_search
from tests.factories import DistrictFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_same_phone_written_differently_is_a_duplicate():
    existing = PersonFactory(full_name="ບົວພັນ", phone="020 5551 2345")

    found = person_find_duplicates(full_name="Bouaphanh", phone="+856 20 55512345")

    assert list(found) == [existing]


def test_same_name_birth_year_and_district_is_a_duplicate():
    district = DistrictFactory()
    existing = PersonFactory(
        full_name="ທ້າວ ສົມພອນ ແກ້ວມະນີ", birth_year=1985, district=district
    )

    same = person_find_duplicates(
        full_name="ສົມພອນ  ແກ້ວມະນີ", birth_year=1985, district=district
    )
    other_year = person_find_duplicates(
        full_name="ສົມພອນ ແກ້ວມະນີ", birth_year=1990, district=district
    )
    other_district = person_find_duplicates(
        full_name="ສົມພອນ ແກ້ວມະນີ", birth_year=1985, district=DistrictFactory()
    )

    assert list(same) == [existing]
    assert not other_year.exists()
    assert not other_district.exists()


def test_a_person_is_not_their_own_duplicate():
    person = PersonFactory(phone="020 5551 2345")
    assert not person_find_duplicates(phone=person.phone, exclude=person).exists()


def test_search_by_lao_name_latin_name_or_phone():
    bouaphanh = PersonFactory(
        full_name="ບົວພັນ ສີສຸກ", latin_name="Bouaphanh Sisouk", phone="020 5551 2345"
    )
    PersonFactory(full_name="ສົມພອນ", latin_name="Somphone", phone="020 9999 8888")
    people = Person.objects.all()

    assert list(person_search(queryset=people, query="ສີສຸກ")) == [bouaphanh]
    assert list(person_search(queryset=people, query="sisouk")) == [bouaphanh]
    assert list(person_search(queryset=people, query="5551 2345")) == [bouaphanh]
    assert person_search(queryset=people, query="  ").count() == 2


def test_search_finds_a_name_by_some_of_its_words():
    wanted = PersonFactory(full_name="ນາງ ຄຳແພງ ອິນທະວົງ 12")
    PersonFactory(full_name="ນາງ ຄຳແພງ ສີສຸວັນ 3")

    found = person_search(queryset=Person.objects.all(), query="ຄຳແພງ 12")

    assert list(found) == [wanted]


def test_search_by_organisation_only_when_asked():
    lsso = OrganisationFactory(name="ສປສ ແຂວງຈຳປາສັກ")
    member = PersonFactory(full_name="ທ້າວ ບຸນມີ", organisation=lsso)

    people = Person.objects.all()
    assert list(person_search(queryset=people, query="ຈຳປາສັກ")) == []
    assert list(
        person_search(queryset=people, query="ຈຳປາສັກ", by_organisation=True)
    ) == [member]
