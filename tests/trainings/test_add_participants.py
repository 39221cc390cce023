"""Adding people to a session in bulk: find (scoped), tick many, enrol at once;
register someone new with the duplicate check; the person chooser's search."""

import json

import pytest
from django.urls import reverse

from common.widgets import SearchableSelectMultiple
from people.models import Person
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    enrol,
)
from trainings.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_user):
    return make_user("trainer")


@pytest.fixture
def session(trainer):
    return SessionFactory(created_by=trainer)


@pytest.fixture
def known(trainer):
    """People the trainer registered (so sees), not yet in the session."""
    lsso = OrganisationFactory(name="ສປສ ແຂວງຈຳປາສັກ")
    return [
        PersonFactory(
            full_name=f"ນາງ ມະນີວອນ {n}",
            latin_name=f"Manivone {n}",
            phone=f"020 5551 00{n:02d}",
            organisation=lsso,
            created_by=trainer,
        )
        for n in range(60)
    ]


@pytest.fixture
def stranger(make_user):
    """Someone in another trainer's session: outside this trainer's scope."""
    person = PersonFactory(full_name="ທ້າວ ຄົນອື່ນ", phone="020 9999 8888")
    enrol(SessionFactory(created_by=make_user("trainer2")), person)
    return person


def participants_url(session, query=""):
    url = reverse("sessions:participants", args=[session.pk])
    return f"{url}?q={query}" if query else url


def listed(response) -> list[str]:
    return [person.full_name for person, _phone in response.context["rows"]]


def test_the_list_shows_50_people_a_page(client_as, session, known):
    response = client_as("trainer").get(participants_url(session))

    assert len(response.context["rows"]) == 50
    assert response.context["page"].paginator.count == 60


def test_search_finds_by_lao_and_latin_name_and_organisation(client_as, session, known):
    client = client_as("trainer")

    assert listed(client.get(participants_url(session, "ມະນີວອນ 57"))) == [
        "ນາງ ມະນີວອນ 57"
    ]
    assert listed(client.get(participants_url(session, "manivone 12"))) == [
        "ນາງ ມະນີວອນ 12"
    ]
    by_organisation = client.get(participants_url(session, "ຈຳປາສັກ"))
    assert by_organisation.context["page"].paginator.count == 60


def test_a_trainer_finds_people_by_phone_number(client_as, session, known):
    response = client_as("trainer").get(participants_url(session, "02055510042"))

    assert listed(response) == ["ນາງ ມະນີວອນ 42"]


def test_a_trainer_cannot_find_people_outside_their_scope(
    client_as, session, known, stranger
):
    client = client_as("trainer")

    assert listed(client.get(participants_url(session, "ຄົນອື່ນ"))) == []
    assert listed(client.get(participants_url(session, "020 9999 8888"))) == []


def test_people_already_enrolled_are_not_offered(client_as, session, known):
    enrol(session, known[0])

    response = client_as("trainer").get(participants_url(session, "ມະນີວອນ 0"))

    assert "ນາງ ມະນີວອນ 0" not in listed(response)


def test_ticking_many_enrols_them_all(client_in_english, session, known):
    chosen = [person.pk for person in known[:40]]

    response = client_in_english("trainer").post(
        participants_url(session), {"person": chosen}, follow=True
    )

    assert "40 participants enrolled." in response.content.decode()
    assert session.enrolments.filter(role=Enrolment.Role.PARTICIPANT).count() == 40


def test_people_outside_the_scope_cannot_be_enrolled_by_their_number(
    client_in_english, session, stranger
):
    client_in_english("trainer").post(
        participants_url(session), {"person": [stranger.pk]}
    )

    assert session.enrolments.count() == 0


def test_more_people_than_the_places_left_enrols_nobody(
    client_in_english, trainer, known
):
    session = SessionFactory(created_by=trainer, capacity=10)
    enrol(session, *known[:8])

    response = client_in_english("trainer").post(
        participants_url(session),
        {"person": [person.pk for person in known[8:11]]},
        follow=True,
    )

    assert (
        "The session takes 10 participants and has 8: there is room for 2 more, "
        "and 3 were chosen. Nobody was enrolled."
    ) in response.content.decode()
    assert session.enrolments.count() == 8


def test_registering_a_new_person_enrols_them(client_in_english, session):
    response = client_in_english("trainer").post(
        participants_url(session),
        {"register": "1", "full_name": "ນາງ ແສງດາວ ໃໝ່", "gender": "woman"},
        follow=True,
    )

    assert "Registered ນາງ ແສງດາວ ໃໝ່ and enrolled them." in response.content.decode()
    assert session.enrolments.get().person.full_name == "ນາງ ແສງດາວ ໃໝ່"


def test_a_likely_duplicate_is_offered_instead_of_registering_again(
    client_in_english, session, known
):
    response = client_in_english("trainer").post(
        participants_url(session),
        {
            "register": "1",
            "full_name": "ນາງ ອື່ນ",
            "gender": "woman",
            "phone": "020 5551 0003",
        },
    )

    assert response.status_code == 200
    assert response.context["new_person_form"].duplicates == [known[3]]
    assert 'data-testid="duplicates"' in response.content.decode()
    assert Person.objects.filter(full_name="ນາງ ອື່ນ").count() == 0
    assert session.enrolments.count() == 0


# The person chooser (the session form's enrolment rows) ---


def chooser_results(client, query):
    return client.get(reverse("person_chooser:choose_results"), {"q": query})


def found(client, query) -> list[str]:
    return [p.full_name for p in chooser_results(client, query).context["results"]]


def test_the_chooser_searches_and_shows_50_a_page(client_as, known):
    client = client_as("trainer")

    everyone = chooser_results(client, "")
    assert len(everyone.context["results"]) == 50
    assert found(client, "manivone 33") == ["ນາງ ມະນີວອນ 33"]
    assert "ສປສ ແຂວງຈຳປາສັກ" in everyone.content.decode()  # organisation column


def test_the_chooser_finds_nobody_outside_the_trainers_scope(
    client_as, known, stranger
):
    client = client_as("trainer")

    assert found(client, "ຄົນອື່ນ") == []
    assert found(client, "99998888") == []


def test_phone_search_is_refused_to_those_who_may_not_see_phone_numbers(
    client_as, known
):
    manager = client_as("manager")  # sees every person, phone numbers masked

    assert found(manager, "02055510042") == []
    assert found(manager, "ມະນີວອນ 42") == ["ນາງ ມະນີວອນ 42"]


def test_the_chooser_registers_a_new_person_with_the_duplicate_check(client_as, known):
    client = client_as("trainer")
    create = reverse("person_chooser:create")

    duplicate = client.post(
        create, {"full_name": "ນາງ ອື່ນ", "gender": "woman", "phone": "020 5551 0003"}
    )
    assert json.loads(duplicate.content)["step"] == "reshow_creation_form"
    assert "ນາງ ມະນີວອນ 3" in json.loads(duplicate.content)["htmlFragment"]

    created = client.post(create, {"full_name": "ນາງ ໃໝ່", "gender": "woman"})
    result = json.loads(created.content)
    assert result["step"] == "chosen"
    person = Person.objects.get(pk=result["result"]["id"])
    assert person.full_name == "ນາງ ໃໝ່"
    assert person.created_by.username == "trainer"


# Led by, partners and funders on the session form ---


def test_led_by_partners_and_funders_are_searchable_lists_of_ticks(
    client_as, session, known, stranger
):
    response = client_as("trainer").get(reverse("sessions:edit", args=[session.pk]))

    form = response.context["form"]
    for name in ("led_by", "partners", "funders", "projects"):
        assert isinstance(form.fields[name].widget, SearchableSelectMultiple), name
    leaders = form.fields["led_by"].queryset
    assert leaders.filter(pk=known[0].pk).exists()
    assert not leaders.filter(pk=stranger.pk).exists()
    content = response.content.decode()
    assert content.count('<div class="suksa-pick" data-searchable-select>') == 4
    assert "js/searchable-select.js" in content
