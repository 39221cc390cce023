import pytest

from common.phones import phone_key
from people.normalise import name_key


@pytest.mark.parametrize(
    "written",
    ["+856 20 5551 2345", "00856-20-55512345", "020 55 51 23 45", "(020) 5551-2345"],
)
def test_phone_numbers_in_any_lao_format_give_one_key(written):
    assert phone_key(written) == "2055512345"


def test_landline_keeps_its_area_code():
    assert phone_key("021 212 345") == "21212345"


@pytest.mark.parametrize(
    "written",
    ["ທ້າວ ສົມພອນ ແກ້ວມະນີ", "ທ້າວສົມພອນ ແກ້ວມະນີ", "ທ. ສົມພອນ  ແກ້ວມະນີ", "ສົມພອນ ແກ້ວມະນີ"],
)
def test_lao_honorifics_and_spacing_do_not_make_a_new_name(written):
    assert name_key(written) == "ສົມພອນແກ້ວມະນີ"


def test_latin_names_fold_case_and_titles():
    assert name_key("Mrs. Manivone  SISOUK") == name_key("manivone sisouk")


def test_different_people_keep_different_keys():
    assert name_key("ນາງ ບົວພັນ") != name_key("ນາງ ບົວສີ")
