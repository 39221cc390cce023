import pytest
from django.contrib.auth import authenticate

from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


@pytest.fixture
def promoter():
    user = UserFactory(username="bounmy", role="Promoters")
    PersonFactory(full_name="ທ້າວ ບຸນມີ", phone="020 5551 2345", user=user)
    return user


@pytest.mark.parametrize(
    "typed",
    [
        "020 5551 2345",
        "02055512345",
        "2055512345",
        "+856 20 5551 2345",
        "+8562055512345",
        "00856-20-5551-2345",
        "(020) 55-51-23-45",
        " 020 5551 2345 ",
    ],
)
def test_a_phone_number_in_any_lao_format_signs_in(promoter, typed):
    assert authenticate(username=typed, password=PASSWORD) == promoter


def test_the_username_still_signs_in(promoter):
    assert authenticate(username="bounmy", password=PASSWORD) == promoter


def test_a_wrong_password_signs_in_nobody(promoter):
    assert authenticate(username="020 5551 2345", password="wrong") is None
    assert authenticate(username="bounmy", password="wrong") is None


def test_an_unknown_phone_number_signs_in_nobody(promoter):
    assert authenticate(username="020 9999 9999", password=PASSWORD) is None


def test_a_phone_number_shared_by_two_accounts_signs_in_neither(promoter):
    other = UserFactory(username="somphone", role="Promoters")
    PersonFactory(full_name="ທ້າວ ສົມພອນ", phone="+856 20 55512345", user=other)

    assert authenticate(username="020 5551 2345", password=PASSWORD) is None
    assert authenticate(username="somphone", password=PASSWORD) == other


def test_a_person_without_an_account_does_not_make_the_phone_ambiguous(promoter):
    PersonFactory(full_name="ນາງ ແສງ", phone="020 5551 2345")

    assert authenticate(username="020 5551 2345", password=PASSWORD) == promoter


def test_a_deactivated_account_cannot_sign_in_by_phone(promoter):
    promoter.is_active = False
    promoter.save()

    assert authenticate(username="020 5551 2345", password=PASSWORD) is None


def test_part_of_a_number_or_a_name_with_digits_is_not_a_phone_number(promoter):
    assert authenticate(username="5551 2345", password=PASSWORD) is None
    assert authenticate(username="user 2055512345", password=PASSWORD) is None


def test_a_username_wins_over_someone_elses_phone_number(promoter):
    """An account named like a number keeps its own sign-in."""
    numbered = UserFactory(username="02055512345")

    assert authenticate(username="02055512345", password=PASSWORD) == numbered
    assert authenticate(username="020 5551 2345", password=PASSWORD) == promoter
