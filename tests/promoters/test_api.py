import datetime
import uuid

import pytest

from promoters.models import InformationCentre, VillageMeeting
from promoters.services import centre_visit_record
from tests.factories import (
    DistrictOfficeFactory,
    PersonFactory,
    PromoterFactory,
    VillageFactory,
    record_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("officer")


@pytest.fixture
def own(officer, admin_user):
    office = DistrictOfficeFactory(officers=[officer])
    promoter = PromoterFactory(office=office)
    return office, promoter, record_meeting(promoter, user=admin_user)


@pytest.fixture
def other(admin_user):
    office = DistrictOfficeFactory()
    promoter = PromoterFactory(office=office)
    return office, promoter, record_meeting(promoter, user=admin_user)


def _meeting_payload(promoter, **changes):
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "date": "2023-06-03",
        "village": promoter.village.pk,
        "led_by": [promoter.pk],
        "turnout": {"women": 14, "men": 11},
        "registrations": {"women": 4, "men": 2},
        "topics": ["registration"],
    }
    payload.update(changes)
    return payload


def test_meeting_post_twice_answers_201_then_200_with_one_meeting(client_as, own):
    client = client_as("officer")
    _office, promoter, _meeting = own
    payload = _meeting_payload(promoter)

    first = client.post("/api/v1/meetings/", payload, content_type="application/json")
    second = client.post("/api/v1/meetings/", payload, content_type="application/json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["turnout"] == {
        "total": 25,
        "women": 14,
        "men": 11,
        "other": 0,
        "not_recorded": 0,
    }
    assert (
        VillageMeeting.objects.filter(client_uuid=payload["client_uuid"]).count() == 1
    )


def test_a_promoter_posts_their_own_meeting(client_as, make_user, admin_user):
    user = make_user("promoter")
    promoter = PromoterFactory(person=PersonFactory(user=user))
    response = client_as("promoter").post(
        "/api/v1/meetings/", _meeting_payload(promoter), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["recorded_by"] == "promoter"


def test_meeting_post_errors_are_field_keyed(client_as, own):
    client = client_as("officer")
    _office, promoter, _meeting = own
    response = client.post(
        "/api/v1/meetings/",
        _meeting_payload(promoter, registrations={"women": 20}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {
        "registrations_women": [
            "Registrations of women (20) cannot be more than the turnout of women (14)."
        ]
    }


def test_officer_sees_and_changes_only_their_district(client_as, own, other):
    client = client_as("officer")
    own_meeting, other_meeting = own[2], other[2]
    listed = {row["id"] for row in client.get("/api/v1/meetings/").json()["results"]}
    assert listed == {own_meeting.pk}
    assert client.get(f"/api/v1/meetings/{other_meeting.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/meetings/{other_meeting.pk}/",
            {"notes": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/meetings/{other_meeting.pk}/").status_code == 404
    response = client.patch(
        f"/api/v1/meetings/{own_meeting.pk}/",
        {"notes": "Checked"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["notes"] == "Checked"
    # Posting for a promoter elsewhere: the promoter is not even visible.
    response = client.post(
        "/api/v1/meetings/",
        _meeting_payload(other[1]),
        content_type="application/json",
    )
    assert response.status_code == 400 and "led_by" in response.json()


@pytest.mark.parametrize("route", ["promoters", "offices"])
def test_officer_lists_and_opens_only_own_district(client_as, own, other, route):
    client = client_as("officer")
    own_id = own[1].pk if route == "promoters" else own[0].pk
    other_id = other[1].pk if route == "promoters" else other[0].pk
    listed = {row["id"] for row in client.get(f"/api/v1/{route}/").json()["results"]}
    assert listed == {own_id}
    assert client.get(f"/api/v1/{route}/{other_id}/").status_code == 404


def test_office_detail_has_coverage(client_as, own):
    office = own[0]
    VillageFactory(district=office.district)
    body = client_as("officer").get(f"/api/v1/offices/{office.pk}/").json()
    assert body["coverage"] == {"villages_known": 2, "villages_covered": 1, "rate": 0.5}


def test_officer_creates_promoters_in_own_district_only(client_as, own, other):
    client = client_as("officer")
    payload = {
        "person": PersonFactory(district=own[0].district).pk,
        "role": "village_chief",
        "office": own[0].pk,
        "village": VillageFactory(district=own[0].district).pk,
        "started_on": "2023-01-01",
    }
    assert client.post("/api/v1/promoters/", payload).status_code == 201
    payload.update(
        person=PersonFactory(district=own[0].district).pk,
        office=other[0].pk,
        village=other[1].village.pk,
    )
    response = client.post("/api/v1/promoters/", payload)
    assert response.status_code == 400 and "office" in response.json()
    assert (
        client.patch(f"/api/v1/promoters/{other[1].pk}/", {"role": "other"}).status_code
        == 404
    )


def test_manager_reads_everything_and_writes_nothing(client_as, own, other):
    client = client_as("manager")
    assert client.get("/api/v1/meetings/").json()["count"] == 2
    response = client.post(
        "/api/v1/meetings/", _meeting_payload(own[1]), content_type="application/json"
    )
    assert response.status_code == 403


def test_centres_and_visits_are_scoped(client_as, own, other, admin_user):
    centres = [
        InformationCentre.objects.create(
            name=f"Centre {n}",
            host_organisation="Chamber",
            host_kind="employer_association",
            district=office.district,
        )
        for n, office in enumerate((own[0], other[0]))
    ]
    for centre in centres:
        centre_visit_record(
            user=admin_user,
            centre=centre,
            date=datetime.date(2023, 6, 1),
            visitors={"men": 3},
        )
    client = client_as("officer")
    listed = [row["name"] for row in client.get("/api/v1/centres/").json()["results"]]
    assert listed == ["Centre 0"]
    visits = client.get("/api/v1/centre-visits/").json()["results"]
    assert [v["centre"] for v in visits] == [centres[0].pk]
    assert visits[0]["visitors"]["total"] == 3
    response = client.post(
        "/api/v1/centre-visits/",
        {"centre": centres[1].pk, "date": "2023-06-02", "visitors": {"women": 1}},
        content_type="application/json",
    )
    assert response.status_code == 400
    response = client.post(
        "/api/v1/centre-visits/",
        {
            "centre": centres[0].pk,
            "date": "2023-06-02",
            "visitors": {"women": 1},
            "topics": ["osh"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.post("/api/v1/centres/", {"name": "x"}).status_code == 403


def test_anonymous_gets_nothing(client, own):
    assert client.get("/api/v1/meetings/").status_code in (401, 403)


def test_staff_plan_a_team_led_drive_then_record_its_turnout(client_as, own):
    client = client_as("officer")
    office, promoter, _meeting = own
    payload = _meeting_payload(
        promoter,
        led_by=[],
        led_by_office=office.pk,
        led_by_team="LSSO mobile registration team",
        kind="mobile_drive",
        status="planned",
        turnout={},
        registrations={},
    )

    created = client.post("/api/v1/meetings/", payload, content_type="application/json")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["kind"], body["status"], body["led_by_office"]) == (
        "mobile_drive",
        "planned",
        office.pk,
    )
    planned = client.get("/api/v1/meetings/", {"status": "planned"}).json()
    assert [m["id"] for m in planned["results"]] == [body["id"]]
    done = client.patch(
        f"/api/v1/meetings/{body['id']}/",
        {
            "turnout": {"women": 30, "men": 20},
            "registrations": {"women": 7, "men": 4},
            "contributions_lak": 1_053_000,
            "contributions_people": 9,
        },
        content_type="application/json",
    )
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "done"
    assert done.json()["contributions_lak"] == 1_053_000


def test_a_promoter_cannot_post_a_team_led_activity(client_as, make_user):
    user = make_user("promoter")
    promoter = PromoterFactory(person=PersonFactory(user=user))
    payload = _meeting_payload(promoter, led_by=[], led_by_team="LSSO team")

    response = client_as("promoter").post(
        "/api/v1/meetings/", payload, content_type="application/json"
    )

    assert response.status_code == 400
    assert "led_by" in response.json()
    assert not VillageMeeting.objects.exists()
