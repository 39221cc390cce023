"""The promoter portal: sign-in, access, recording meetings, own meetings and
certificates, materials."""

import datetime
import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke
from materials.models import MaterialIndexPage, MaterialPage
from people.models import Gender
from promoters.models import Topic, VillageMeeting
from tests.certificates.conftest import complete
from tests.factories import (
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    UserFactory,
    VillageFactory,
    record_meeting,
)

pytestmark = pytest.mark.django_db

PHONE = "020 5551 2345"
PASSWORD = "secret-pass-123"
LAO = re.compile(r"[\u0e80-\u0eff]")
PORTAL_PAGES = [
    "portal:home",
    "portal:materials",
    "portal:meetings",
    "portal:meeting-record",
    "portal:certificates",
]


def url(name: str, language: str = "lo", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def promoter():
    """An active promoter of Paksong with a portal account and a phone number."""
    user = UserFactory(username="bounmy", role="Promoters")
    person = PersonFactory(full_name="ທ້າວ ບຸນມີ ສີສຸວັນ", phone=PHONE, user=user)
    return PromoterFactory(person=person)


@pytest.fixture
def promoter_client(client, promoter):
    client.force_login(promoter.person.user)
    return client


def meeting_data(promoter, **changes) -> dict:
    data = {
        "client_uuid": str(uuid.uuid4()),
        "village": promoter.village.pk,
        "date": "2023-06-01",
        "turnout_women": "12",
        "turnout_men": "9",
        "turnout_other": "",
        "turnout_not_recorded": "1",
        "registrations_women": "4",
        "registrations_men": "2",
        "registrations_other": "",
        "registrations_not_recorded": "",
        "notes": "ໃຕ້ຕົ້ນໄມ້ໃຫຍ່",
    }
    data.update(changes)
    return data


def field_errors(response, field: str) -> list[str]:
    """The messages shown beside one field (Django's `<ul id="id_<field>_error">`)."""
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html)
    if match is None:
        return []
    return re.findall(r"<li>(.*?)</li>", match.group(1))


# Signing in ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["020 5551 2345", "02055512345", "+856 20 5551 2345", "8562055512345"]
)
def test_a_promoter_signs_in_with_a_phone_number_and_lands_in_the_portal(
    client, promoter, typed
):
    response = client.post(
        url("portal:login"), {"username": typed, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == url("portal:home")
    assert client.session["_auth_user_id"] == str(promoter.person.user.pk)


def test_a_promoter_signs_in_with_a_username(client, promoter):
    response = client.post(
        url("portal:login", "en"), {"username": "bounmy", "password": PASSWORD}
    )

    assert response["Location"] == url("portal:home", "en")


def test_sign_in_goes_back_to_the_page_asked_for(client, promoter):
    target = url("portal:meeting-record")
    response = client.post(
        url("portal:login"),
        {"username": PHONE, "password": PASSWORD, "next": target},
    )

    assert response["Location"] == target


def test_a_wrong_password_is_refused_with_a_message_and_keeps_what_was_typed(
    client, promoter
):
    response = client.post(
        url("portal:login", "en"), {"username": PHONE, "password": "wrong"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "do not match an account" in response.content.decode()
    assert 'value="020 5551 2345"' in response.content.decode()


def test_empty_fields_are_named_in_the_message(client, promoter):
    response = client.post(url("portal:login", "en"), {"username": "", "password": ""})

    assert field_errors(response, "username") == [
        "Enter your username or phone number."
    ]
    assert field_errors(response, "password") == ["Enter your password."]


def test_staff_who_are_not_promoters_cannot_sign_in_to_the_portal(client):
    UserFactory(username="trainer", role="Trainers")

    response = client.post(
        url("portal:login", "en"), {"username": "trainer", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "This portal is for promoters" in response.content.decode()


def test_a_person_with_a_promoter_record_but_no_role_may_use_the_portal(client):
    user = UserFactory(username="khamla")
    PromoterFactory(person=PersonFactory(phone="030 912 3456", user=user))

    response = client.post(
        url("portal:login"), {"username": "030 912 3456", "password": PASSWORD}
    )

    assert response["Location"] == url("portal:home")


def test_the_login_page_is_in_lao_by_default(client):
    response = client.get(url("portal:login"))

    assert response.status_code == 200
    assert '<html lang="lo">' in response.content.decode()


def test_signing_out_leaves_the_portal(promoter_client):
    response = promoter_client.post(url("portal:logout"))

    assert response["Location"] == url("portal:login")
    assert "_auth_user_id" not in promoter_client.session


# Who may see the portal ---------------------------------------------------------


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_anonymous_visitors_are_sent_to_the_sign_in_page(client, name):
    response = client.get(url(name))

    assert response.status_code == 302
    assert response["Location"] == f"{url('portal:login')}?next={url(name)}"


def test_anonymous_visitors_cannot_download_a_certificate(client):
    response = client.get(url("portal:certificate-pdf", pk=1))

    assert response.status_code == 302
    assert response["Location"].startswith(url("portal:login"))


def test_the_offline_queue_is_told_to_sign_in_again(client, promoter):
    response = client.post(
        url("portal:meeting-record"),
        meeting_data(promoter),
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 401
    assert response.json()["status"] == "signed_out"
    assert not VillageMeeting.objects.exists()


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_staff_who_are_not_promoters_are_told_what_the_portal_is_for(client_as, name):
    client = client_as("trainer")

    response = client.get(url(name, "en"))

    assert response.status_code == 403
    assert "This portal is for promoters" in response.content.decode()


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_every_portal_page_opens_for_a_promoter(promoter_client, name):
    response = promoter_client.get(url(name))

    assert response.status_code == 200
    assert '<html lang="lo">' in response.content.decode()


def test_no_phone_number_appears_in_any_address_on_the_way_in(client, promoter):
    response = client.post(
        url("portal:login"), {"username": PHONE, "password": PASSWORD}, follow=True
    )
    pages = [response] + [client.get(url(name)) for name in PORTAL_PAGES]

    visited = [address for address, _status in response.redirect_chain]
    links = re.findall(
        r'(?:href|action)="([^"]*)"', "".join(p.content.decode() for p in pages)
    )
    assert visited
    assert links
    assert not [a for a in visited + links if "5551" in a or "2345" in a]


# Recording a meeting --------------------------------------------------------------


def test_the_form_offers_only_the_villages_of_the_district_served(
    promoter_client, promoter
):
    elsewhere = VillageFactory(name_lo="ບ້ານໄກ")
    own = VillageFactory(district=promoter.office.district, name_lo="ບ້ານໃກ້")

    html = promoter_client.get(url("portal:meeting-record")).content.decode()

    assert own.name_lo in html
    assert promoter.village.name_lo in html
    assert elsewhere.name_lo not in html
    assert re.search(
        r'<input type="hidden" name="client_uuid" value="[0-9a-f-]{36}"', html
    )


def test_each_drawing_of_the_form_has_its_own_client_uuid(promoter_client):
    pattern = r'name="client_uuid" value="([0-9a-f-]{36})"'
    first = re.search(
        pattern, promoter_client.get(url("portal:meeting-record")).content.decode()
    )
    second = re.search(
        pattern, promoter_client.get(url("portal:meeting-record")).content.decode()
    )

    assert first.group(1) != second.group(1)


def test_recording_a_meeting_stores_it_and_shows_my_meetings(promoter_client, promoter):
    topic = Topic.objects.get(code="registration")
    data = meeting_data(promoter, topics=[topic.pk])

    response = promoter_client.post(
        url("portal:meeting-record", "en"), data, follow=True
    )

    meeting = VillageMeeting.objects.get()
    assert response.redirect_chain == [(url("portal:meetings", "en"), 302)]
    assert str(meeting.client_uuid) == data["client_uuid"]
    assert meeting.village == promoter.village
    assert meeting.date == datetime.date(2023, 6, 1)
    assert meeting.turnout.as_dict() == {
        "total": 22,
        "women": 12,
        "men": 9,
        "other": 0,
        "not_recorded": 1,
    }
    assert meeting.registrations.as_dict() == {
        "total": 6,
        "women": 4,
        "men": 2,
        "other": 0,
        "not_recorded": 0,
    }
    assert list(meeting.led_by.all()) == [promoter]
    assert list(meeting.topics.all()) == [topic]
    assert meeting.recorded_by == promoter.person.user
    assert meeting.notes == "ໃຕ້ຕົ້ນໄມ້ໃຫຍ່"
    html = response.content.decode()
    assert "Meeting saved" in html
    assert promoter.village.name_lo in html or promoter.village.name_en in html


def test_sending_the_same_form_twice_stores_one_meeting(promoter_client, promoter):
    data = meeting_data(promoter)
    promoter_client.post(url("portal:meeting-record", "en"), data)

    response = promoter_client.post(
        url("portal:meeting-record", "en"), data, follow=True
    )

    assert VillageMeeting.objects.count() == 1
    assert "had already been received" in response.content.decode()


def test_the_offline_queue_gets_created_then_already_received(
    promoter_client, promoter
):
    data = meeting_data(promoter)
    headers = {"HTTP_ACCEPT": "application/json", "HTTP_X_MEETING_QUEUE": "background"}

    first = promoter_client.post(url("portal:meeting-record"), data, **headers)
    again = promoter_client.post(url("portal:meeting-record"), data, **headers)

    assert first.status_code == 201
    assert first.json()["status"] == "created"
    assert again.status_code == 200
    assert again.json()["status"] == "already_received"
    assert again.json()["meeting"]["id"] == first.json()["meeting"]["id"]
    assert VillageMeeting.objects.count() == 1
    # Sent in the background: no message waits for the next page.
    assert (
        "Meeting saved"
        not in promoter_client.get(url("portal:meetings")).content.decode()
    )


def test_the_offline_queue_gets_the_errors_with_their_labels(promoter_client, promoter):
    data = meeting_data(promoter, registrations_women="20")

    response = promoter_client.post(
        url("portal:meeting-record", "en"), data, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == ["registrations_women"]
    assert errors[0]["label"] == "People who registered: Women"
    assert "cannot be more than" in errors[0]["messages"][0]
    assert not VillageMeeting.objects.exists()


def test_an_error_keeps_everything_the_promoter_wrote(promoter_client, promoter):
    topic = Topic.objects.get(code="pension")
    data = meeting_data(promoter, registrations_men="30", topics=[topic.pk])

    response = promoter_client.post(url("portal:meeting-record", "en"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert field_errors(response, "registrations_men")
    assert f'value="{data["client_uuid"]}"' in html
    assert f'<option value="{promoter.village.pk}" selected>' in html
    assert 'name="turnout_women" value="12"' in html
    assert 'name="registrations_men" value="30"' in html
    assert re.search(rf'name="topics" value="{topic.pk}"[^>]*checked', html)
    assert "ໃຕ້ຕົ້ນໄມ້ໃຫຍ່</textarea>" in html
    assert "data-bound" in html


# Lao messages: each rule's message in Lao, beside its field. The form's own messages
# are checked word for word; the service's (promoters.services) must be in Lao script.
LAO_FORM_ERRORS = [
    ({"village": ""}, "village", "ເລືອກບ້ານທີ່ຈັດກອງປະຊຸມ."),
    ({"date": ""}, "date", "ໃສ່ວັນທີຂອງກອງປະຊຸມ."),
    (
        {"date": "next tuesday"},
        "date",
        "ໃສ່ວັນທີເປັນ ວັນ/ເດືອນ/ປີ, ຕົວຢ່າງ 25/05/2023.",
    ),
    (
        {"turnout_men": "nine"},
        "turnout_men",
        "ຂຽນຈຳນວນຄົນເປັນຕົວເລກ, ຕົວຢ່າງ 12.",
    ),
    ({"turnout_men": "-3"}, "turnout_men", "ຈຳນວນຄົນບໍ່ສາມາດຕ່ຳກວ່າ 0."),
    (
        {
            "turnout_women": "",
            "turnout_men": "",
            "turnout_not_recorded": "",
            "registrations_women": "",
            "registrations_men": "",
        },
        "turnout_women",
        "ໃສ່ຈຳນວນຄົນທີ່ມາ: ຢ່າງໜ້ອຍໜຶ່ງຄົນໃນຊ່ອງໃດໜຶ່ງ.",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), LAO_FORM_ERRORS)
def test_form_errors_are_in_lao_beside_their_field(
    promoter_client, promoter, changes, field, message
):
    response = promoter_client.post(
        url("portal:meeting-record"), meeting_data(promoter, **changes)
    )

    assert field_errors(response, field) == [message]
    assert not VillageMeeting.objects.exists()


def test_a_village_of_another_district_is_refused_in_lao(promoter_client, promoter):
    elsewhere = VillageFactory()

    response = promoter_client.post(
        url("portal:meeting-record"), meeting_data(promoter, village=elsewhere.pk)
    )

    assert field_errors(response, "village") == ["ເລືອກບ້ານໜຶ່ງໃນລາຍການ."]
    assert not VillageMeeting.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"registrations_women": "13"}, "registrations_women"),
        (
            {"date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
            "date",
        ),
    ],
)
def test_the_rules_of_the_service_answer_in_lao_beside_their_field(
    promoter_client, promoter, changes, field
):
    response = promoter_client.post(
        url("portal:meeting-record"), meeting_data(promoter, **changes)
    )

    errors = field_errors(response, field)
    assert len(errors) == 1
    assert LAO.search(errors[0]), errors
    assert not re.search(r"[A-Za-z]{3,}", errors[0]), errors
    assert not VillageMeeting.objects.exists()


def test_the_same_rules_answer_in_english_on_the_english_portal(
    promoter_client, promoter
):
    response = promoter_client.post(
        url("portal:meeting-record", "en"),
        meeting_data(promoter, village="", registrations_women="13"),
    )

    assert field_errors(response, "village") == [
        "Choose the village where the meeting was held."
    ]


def test_an_account_without_a_promoter_record_is_told_why_it_cannot_record(client):
    user = UserFactory(username="newcomer", role="Promoters")
    client.force_login(user)

    response = client.get(url("portal:meeting-record", "en"))

    assert response.status_code == 200
    assert "not linked to an active promoter record" in response.content.decode()
    assert not re.search(r"<form[^>]*data-meeting-form", response.text)


# My meetings ------------------------------------------------------------------------


def test_my_meetings_shows_only_my_own_newest_first(promoter_client, promoter):
    older = record_meeting(promoter, date=datetime.date(2023, 5, 2))
    newer = record_meeting(promoter, date=datetime.date(2023, 7, 9))
    other = PromoterFactory(office=promoter.office)
    theirs = record_meeting(
        other,
        user=UserFactory(is_superuser=True),
        village=VillageFactory(district=promoter.office.district, name_lo="ບ້ານອື່ນ"),
    )

    response = promoter_client.get(url("portal:meetings", "en"))

    shown = list(response.context["meetings"])
    assert shown == [newer, older]
    assert theirs not in shown
    html = response.content.decode()
    assert "ບ້ານອື່ນ" not in html
    assert "19 people" not in html
    assert "Came: <strong>18</strong> (10 women, 8 men)" in html
    assert "Registered: <strong>5</strong> (3 women, 2 men)" in html


def test_my_meetings_come_in_pages(promoter_client, promoter):
    for day in range(1, 23):
        record_meeting(promoter, date=datetime.date(2023, 5, day))

    first = promoter_client.get(url("portal:meetings", "en"))
    second = promoter_client.get(url("portal:meetings", "en"), {"page": 2})

    assert len(first.context["meetings"]) == 20
    assert first.context["meetings"][0].date == datetime.date(2023, 5, 22)
    assert [m.date.day for m in second.context["meetings"]] == [2, 1]
    assert "Page 2 of 2" in second.content.decode()


def test_my_meetings_has_an_empty_state(promoter_client):
    response = promoter_client.get(url("portal:meetings", "en"))

    assert "No meetings yet" in response.content.decode()


# My certificates ----------------------------------------------------------------------


@pytest.fixture
def certificates(promoter):
    """The promoter's certificate and a stranger's, from one completed session."""
    session = SessionFactory()
    stranger = PersonFactory(full_name="ນາງ ແສງ", gender=Gender.WOMAN)
    mine, theirs = complete(session, [promoter.person, stranger])
    return certificate_issue(enrolment=mine)[0], certificate_issue(enrolment=theirs)[0]


def test_my_certificates_lists_only_mine_with_download_and_check_links(
    promoter_client, certificates
):
    mine, theirs = certificates

    html = promoter_client.get(url("portal:certificates", "en")).content.decode()

    assert mine.number in html
    assert theirs.number not in html
    assert url("portal:certificate-pdf", "en", pk=mine.pk) in html
    assert reverse("verify", args=[mine.code]) in html
    assert theirs.code not in html


def test_i_download_my_own_certificate_and_nobody_elses(promoter_client, certificates):
    mine, theirs = certificates

    own = promoter_client.get(url("portal:certificate-pdf", pk=mine.pk))
    other = promoter_client.get(url("portal:certificate-pdf", pk=theirs.pk))

    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    assert own.content.startswith(b"%PDF")
    assert other.status_code == 404


def test_a_revoked_certificate_is_shown_but_not_offered_for_download(
    promoter_client, certificates
):
    mine, _theirs = certificates
    certificate_revoke(
        certificate=mine, reason="Issued by mistake", by=UserFactory(is_superuser=True)
    )

    html = promoter_client.get(url("portal:certificates", "en")).content.decode()

    assert mine.number in html
    assert "Revoked" in html
    assert url("portal:certificate-pdf", "en", pk=mine.pk) not in html
    assert (
        promoter_client.get(url("portal:certificate-pdf", pk=mine.pk)).status_code
        == 404
    )
    assert Certificate.objects.get(pk=mine.pk).status == Certificate.Status.REVOKED


# My materials -----------------------------------------------------------------------


@pytest.fixture
def library(home_pages):
    """A Lao library: a public leaflet, one for promoters only and a draft."""
    index = MaterialIndexPage(title="ເອກະສານ", slug="materials")
    home_pages.add_child(instance=index)

    def material(title, **fields):
        page = MaterialPage(title=title, summary=f"{title}.", kind="leaflet", **fields)
        index.add_child(instance=page)
        return page

    public = material("ປະກັນສັງຄົມແມ່ນຫຍັງ")
    restricted = material("ຄູ່ມືຜູ້ເຜີຍແຜ່")
    restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Promoters"))
    draft = material("ຮ່າງ", live=False)
    return public, restricted, draft


def test_my_materials_include_the_restricted_ones_and_say_so(promoter_client, library):
    public, restricted, draft = library

    response = promoter_client.get(url("portal:materials"))

    html = response.content.decode()
    assert public.title in html
    assert restricted.title in html
    assert draft.title not in html
    shown = {
        material.pk: material.restricted for material in response.context["materials"]
    }
    assert shown == {public.pk: False, restricted.pk: True}


def test_the_materials_used_are_those_the_promoter_may_see(
    promoter_client, promoter, library
):
    public, restricted, draft = library

    offered = promoter_client.get(url("portal:meeting-record")).context["form"]
    refused = promoter_client.post(
        url("portal:meeting-record"), meeting_data(promoter, materials=[draft.pk])
    )
    promoter_client.post(
        url("portal:meeting-record"),
        meeting_data(promoter, materials=[restricted.pk, public.pk]),
    )

    assert set(offered.fields["materials"].queryset) == {public, restricted}
    assert refused.context["form"].has_error("materials", "invalid_choice")
    assert len(field_errors(refused, "materials")) == 1
    meeting = VillageMeeting.objects.get()
    assert set(meeting.materials.all()) == {public.specific, restricted.specific}


def test_repeated_wrong_passwords_lock_the_sign_in_with_a_message(client, promoter):
    for _attempt in range(5):
        client.post(url("portal:login", "en"), {"username": PHONE, "password": "no"})

    response = client.post(
        url("portal:login", "en"), {"username": PHONE, "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.text


def test_the_portal_records_the_kinds_a_promoter_runs_only(promoter_client, promoter):
    form = promoter_client.get(url("portal:meeting-record", "en")).content.decode()
    assert 'value="workplace"' in form
    assert 'value="mobile_drive"' not in form

    promoter_client.post(
        url("portal:meeting-record", "en"), meeting_data(promoter, kind="workplace")
    )
    refused = promoter_client.post(
        url("portal:meeting-record", "en"), meeting_data(promoter, kind="mobile_drive")
    )

    assert VillageMeeting.objects.get().kind == "workplace"
    assert field_errors(refused, "kind") == ["Choose one of the kinds in the list."]
