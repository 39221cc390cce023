import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DUPLICATE_MESSAGE = (
    "A similar person is already registered: %(names)s. Open that "
    "record instead, or tick “This is a different person”."
)


def lao(message: str) -> str:
    with translation.override("lo"):
        return gettext(message)


FORM = {
    "full_name": "ນາງ ບົວພັນ ສີສຸກ",
    "latin_name": "Bouaphanh Sisouk",
    "gender": "woman",
    "birth_year": "1988",
    "phone": "020 5551 2345",
    "position": "",
    "consent_method": "",
    "consent_notice_version": "",
}


def test_trainer_registers_a_person(client_as):
    response = client_as("trainer").post(reverse("people:add"), FORM)

    assert response.status_code == 302
    person = Person.objects.get()
    assert person.phone_key == "2055512345"
    assert person.created_by.username == "trainer"


def test_likely_duplicate_is_shown_and_needs_confirmation(client_as):
    client = client_as("trainer")
    trainer = get_user_model().objects.get(username="trainer")
    PersonFactory(full_name="ບົວພັນ", phone="+856 20 55512345", created_by=trainer)

    warned = client.post(reverse("people:add"), FORM)
    assert warned.status_code == 200
    content = warned.content.decode()
    assert lao(DUPLICATE_MESSAGE).split("%(names)s")[0].strip() in content
    assert "ບົວພັນ" in content
    assert Person.objects.count() == 1

    confirmed = client.post(reverse("people:add"), {**FORM, "not_a_duplicate": "on"})
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_a_duplicate_outside_the_users_scope_is_not_shown_but_flagged(client_as):
    """Another trainer's participant with the same phone is neither named nor
    adopted: the new record is saved, flagged for an administrator to merge."""
    outsider = PersonFactory(full_name="ບົວພັນ", phone="+856 20 55512345")
    client = client_as("trainer")

    response = client.post(reverse("people:add"), FORM)

    assert response.status_code == 302
    assert "ບົວພັນ" not in response.content.decode()
    new = Person.objects.exclude(pk=outsider.pk).get()
    assert new.possible_duplicate_of == outsider


def test_phone_numbers_are_searched_by_post_never_in_the_url(client_as):
    PersonFactory(full_name="ບົວພັນ ສີສຸກ", phone="020 5551 2345")
    PersonFactory(full_name="ສົມພອນ", phone="020 1234 0000")
    client = client_as("admin")

    in_url = client.get(reverse("people:index"), {"q": "+856 20 5551 2345"})
    by_post = client.post(
        reverse("people:phone_search"), {"phone": "+856 20 5551 2345"}
    )

    assert "ບົວພັນ ສີສຸກ" not in in_url.content.decode()
    content = by_post.content.decode()
    assert by_post.status_code == 200
    assert "ບົວພັນ ສີສຸກ" in content
    assert "ສົມພອນ" not in content


def test_manager_reads_but_cannot_add_people(client_as):
    client = client_as("manager")
    assert client.get(reverse("people:index")).status_code == 200
    response = client.post(reverse("people:add"), FORM)
    assert response.status_code in (302, 403)
    assert not Person.objects.exists()


def test_promoter_cannot_list_people(client_as):
    response = client_as("promoter").get(reverse("people:index"))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("route", ["edit", "inspect", "history", "delete"])
def test_trainer_reaches_only_people_of_their_own_sessions(client_as, make_user, route):
    from tests.factories import SessionFactory, enrol

    session = SessionFactory(created_by=make_user("trainer"))
    mine = PersonFactory(full_name="ບົວພັນ")
    enrol(session, mine)

    assert (
        client_as("trainer2")
        .get(reverse(f"people:{route}", args=[mine.pk]))
        .status_code
        == 404
    )
    listing = client_as("trainer2").get(reverse("people:index")).content.decode()
    assert "ບົວພັນ" not in listing
    assert "ບົວພັນ" in client_as("trainer").get(reverse("people:index")).content.decode()
    assert (
        client_as("admin").get(reverse(f"people:{route}", args=[mine.pk])).status_code
        == 200
    )


def test_only_administrators_see_whom_a_flagged_record_may_duplicate(client_as):
    """The flagged person's inspect page names the match for an administrator (with
    a filter to find every flagged record), never for the trainer who registered it."""
    outsider = PersonFactory(full_name="ຄຳແພງ", phone="+856 20 55512345")
    trainer_client = client_as("trainer")
    trainer_client.post(reverse("people:add"), FORM)
    new = Person.objects.exclude(pk=outsider.pk).get()
    assert new.possible_duplicate_of == outsider

    seen_by_trainer = trainer_client.get(reverse("people:inspect", args=[new.pk]))
    assert seen_by_trainer.status_code == 200
    assert "ຄຳແພງ" not in seen_by_trainer.content.decode()

    admin = client_as("admin")
    page = admin.get(reverse("people:inspect", args=[new.pk])).content.decode()
    assert "ຄຳແພງ" in page
    assert reverse("people:inspect", args=[outsider.pk]) in page
    flagged = admin.get(reverse("people:index"), {"possible_duplicate": "true"})
    assert [p.pk for p in flagged.context["object_list"]] == [new.pk]
