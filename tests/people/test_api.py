import pytest

from people.api import phone_masked
from people.models import Person
from tests.factories import (
    DistrictFactory,
    PersonFactory,
    SessionFactory,
    VillageFactory,
    enrol,
)

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def bouaphanh(make_user):
    """A participant of the trainer's session."""
    person = PersonFactory(full_name="Bouaphanh", phone="020 5551 2345")
    enrol(SessionFactory(created_by=make_user("trainer")), person)
    return person


@pytest.mark.parametrize(
    "user, phone",
    [
        ("admin", "020 5551 2345"),
        ("trainer", "020 5551 2345"),
        ("manager", "020 ••• ••45"),
    ],
)
def test_only_administrators_and_trainers_see_whole_phone_numbers(
    client_as, bouaphanh, user, phone
):
    api = client_as(user)

    listed = api.get("/api/v1/people/").json()["results"]
    detail = api.get(f"/api/v1/people/{bouaphanh.pk}/").json()

    assert [row["phone"] for row in listed] == [phone]
    assert detail["phone"] == phone


@pytest.mark.parametrize(
    "phone, masked",
    [("+856 20 9999 8888", "856 ••• ••88"), ("1234", "•••"), ("", "")],
)
def test_masked_phone_never_shows_the_whole_number(phone, masked):
    assert phone_masked(phone) == masked


def test_trainers_see_their_participants_and_the_people_they_registered(
    client_as, bouaphanh, make_user
):
    PersonFactory(full_name="Registered by trainer", created_by=make_user("trainer"))
    PersonFactory(full_name="Someone else's participant")

    listed = client_as("trainer").get("/api/v1/people/").json()["results"]

    assert [row["full_name"] for row in listed] == [
        "Bouaphanh",
        "Registered by trainer",
    ]


@pytest.mark.parametrize("user", ["trainer2", "promoter", "officer", "editor"])
def test_other_roles_see_nobody(client_as, bouaphanh, user):
    api = client_as(user)

    assert api.get("/api/v1/people/").json()["results"] == []
    assert api.get(f"/api/v1/people/{bouaphanh.pk}/").status_code == 404


def test_people_need_an_account(client, bouaphanh):
    assert client.get("/api/v1/people/").status_code == 403


def test_search_finds_people_by_name_or_phone_digits(client_as, bouaphanh):
    PersonFactory(full_name="Khamla", phone="030 444 1111")
    api = client_as("admin")

    by_name = api.get("/api/v1/people/", {"q": "bouaph"}).json()["results"]
    by_phone = api.post(
        "/api/v1/people/search/", {"q": "5551-2345"}, content_type="application/json"
    ).json()["results"]
    # A phone number in a query string would end up in server logs: not searched.
    phone_in_url = api.get("/api/v1/people/", {"q": "5551-2345"}).json()["results"]

    assert [row["full_name"] for row in by_name] == ["Bouaphanh"]
    assert [row["full_name"] for row in by_phone] == ["Bouaphanh"]
    assert phone_in_url == []


def test_managers_cannot_look_people_up_by_phone(client_as, bouaphanh):
    response = client_as("manager").post(
        "/api/v1/people/search/", {"q": "5551-2345"}, content_type="application/json"
    )

    assert response.status_code == 403


def test_trainer_registers_a_person_who_they_then_see(client_as):
    api = client_as("trainer")

    response = api.post(
        "/api/v1/people/",
        {"full_name": "  Manivone   Sisouk ", "gender": "woman", "phone": "020 1"},
        content_type="application/json",
    )

    assert response.status_code == 201
    person = Person.objects.get()
    assert person.full_name == "Manivone Sisouk"
    assert person.created_by.username == "trainer"
    assert api.get(f"/api/v1/people/{person.pk}/").status_code == 200


def test_a_refused_change_answers_400_with_the_reason(client_as, bouaphanh):
    village = VillageFactory()

    response = client_as("trainer").patch(
        f"/api/v1/people/{bouaphanh.pk}/",
        {"district": DistrictFactory().pk, "village": village.pk},
        content_type="application/json",
        **ENGLISH,
    )

    assert response.status_code == 400
    assert response.json() == {
        "village": ["This village is not in the person's district."]
    }
    bouaphanh.refresh_from_db()
    assert bouaphanh.village is None


@pytest.mark.parametrize("method", ["post", "patch"])
def test_managers_only_read_people(client_as, bouaphanh, method):
    api = client_as("manager")
    url = "/api/v1/people/" if method == "post" else f"/api/v1/people/{bouaphanh.pk}/"

    response = getattr(api, method)(
        url, {"full_name": "Changed"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert list(Person.objects.values_list("full_name", flat=True)) == ["Bouaphanh"]
