import datetime

import pytest
from django.urls import reverse

from promoters.models import (
    GENDER_FIELDS,
    Campaign,
    CentreVisit,
    FollowUp,
    InformationCentre,
    Promoter,
    VillageMeeting,
)
from promoters.models import (
    GENDER_FIELDS as GENDERS,
)
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
def network(officer, admin_user):
    """The officer's office with a promoter, meeting, centre and visit, and the same
    in another district."""
    own_office = DistrictOfficeFactory(officers=[officer], name="Paksong DSSO")
    other_office = DistrictOfficeFactory(name="Elsewhere DSSO")
    records = {}
    for key, office in (("own", own_office), ("other", other_office)):
        promoter = PromoterFactory(office=office)
        centre = InformationCentre.objects.create(
            name=f"Centre {key}",
            host_organisation="Labour office",
            host_kind="government_office",
            district=office.district,
        )
        records[key] = {
            "office": office,
            "promoter": promoter,
            "meeting": record_meeting(promoter, user=admin_user),
            "centre": centre,
            "visit": centre_visit_record(
                user=admin_user,
                centre=centre,
                date=datetime.date(2023, 6, 1),
                visitors={"women": 2},
            ),
            "follow_up": FollowUp.objects.create(
                promoter=promoter,
                office=office,
                period_start=datetime.date(2023, 6, 5),
                weeks=8,
            ),
        }
    return records


OBJECT_ROUTES = [
    ("promoters", "promoter", ["edit", "delete", "inspect", "history", "usage"]),
    ("village_meetings", "meeting", ["edit", "delete", "inspect", "history", "usage"]),
    # Officers only read offices and centres: Wagtail's history and usage need
    # more than "view".
    ("district_offices", "office", ["inspect"]),
    ("information_centres", "centre", ["inspect"]),
    ("centre_visits", "visit", ["edit", "delete", "inspect", "history", "usage"]),
    ("follow_ups", "follow_up", ["edit", "inspect"]),
]


@pytest.mark.parametrize(("namespace", "key", "actions"), OBJECT_ROUTES)
def test_officer_opens_own_district_records_and_gets_404_elsewhere(
    client_as, network, namespace, key, actions
):
    client = client_as("officer")
    for action in actions:
        own = client.get(
            reverse(f"{namespace}:{action}", args=[network["own"][key].pk])
        )
        other = client.get(
            reverse(f"{namespace}:{action}", args=[network["other"][key].pk])
        )
        assert own.status_code == 200, (action, own.status_code)
        assert other.status_code == 404, (action, other.status_code)


@pytest.mark.parametrize(
    ("namespace", "key"),
    [
        ("promoters", "promoter"),
        ("village_meetings", "meeting"),
        ("district_offices", "office"),
        ("information_centres", "centre"),
        ("centre_visits", "visit"),
        ("follow_ups", "follow_up"),
    ],
)
def test_officer_listings_show_only_their_district(client_as, network, namespace, key):
    client = client_as("officer")
    page = client.get(reverse(f"{namespace}:index")).content.decode()
    own, other = network["own"][key], network["other"][key]
    assert reverse(f"{namespace}:inspect", args=[own.pk]) in page or str(own) in page
    assert reverse(f"{namespace}:edit", args=[other.pk]) not in page
    assert reverse(f"{namespace}:inspect", args=[other.pk]) not in page


def test_officer_cannot_delete_a_meeting_elsewhere_by_post(client_as, network):
    client = client_as("officer")
    other = network["other"]["meeting"]
    response = client.post(reverse("village_meetings:delete", args=[other.pk]))
    assert response.status_code == 404
    assert VillageMeeting.objects.filter(pk=other.pk).exists()
    own = network["own"]["meeting"]
    response = client.post(reverse("village_meetings:delete", args=[own.pk]))
    assert response.status_code == 302
    assert not VillageMeeting.objects.filter(pk=own.pk).exists()


def test_officer_exports_only_their_district(client_as, network):
    client = client_as("officer")
    for kind, key, text in (
        ("promoters", "promoter", lambda r: r.person.full_name),
        ("meetings", "meeting", lambda r: str(r.client_uuid)),
        ("visits", "visit", lambda r: r.centre.name),
    ):
        response = client.get(reverse("promoters_sheets:export", args=[kind, "csv"]))
        body = response.content.decode("utf-8-sig")
        assert response.status_code == 200
        assert text(network["own"][key]) in body
        assert text(network["other"][key]) not in body


def test_people_of_other_roles_cannot_export_or_import(client_as, network):
    client = client_as("trainer")
    export = client.get(reverse("promoters_sheets:export", args=["meetings", "csv"]))
    upload = client.get(reverse("promoters_sheets:import", args=["meetings"]))
    # Wagtail turns "permission denied" into a redirect to the admin home.
    assert (export.status_code, upload.status_code) == (302, 302)
    assert export.url == upload.url == reverse("wagtailadmin_home")
    client = client_as("promoter")
    assert client.get(reverse("village_meetings:index")).status_code in (302, 403)


def test_officer_records_a_meeting_in_the_admin(client_in_english, network):
    client = client_in_english("officer")
    promoter = network["own"]["promoter"]
    data = {
        "date": "2023-06-10",
        "village": promoter.village.pk,
        "led_by": [promoter.pk],
        "turnout_women": 12,
        "turnout_men": 10,
        "turnout_other": 0,
        "turnout_not_recorded": 0,
        "registrations_women": 13,
        "registrations_men": 1,
        "registrations_other": 0,
        "registrations_not_recorded": 0,
        "notes": "",
    }
    response = client.post(reverse("village_meetings:add"), data)
    assert response.status_code == 200
    assert (
        "Registrations of women (13) cannot be more than the turnout of women (12)."
        in response.content.decode()
    )
    data["registrations_women"] = 3
    response = client.post(reverse("village_meetings:add"), data)
    assert response.status_code == 302
    meeting = VillageMeeting.objects.get(date=datetime.date(2023, 6, 10))
    assert meeting.recorded_by.username == "officer"
    assert meeting.registrations.total == 4


def test_officer_cannot_pick_a_promoter_elsewhere(client_in_english, network):
    client = client_in_english("officer")
    other = network["other"]["promoter"]
    response = client.post(
        reverse("village_meetings:add"),
        {
            "date": "2023-06-10",
            "village": other.village.pk,
            "led_by": [other.pk],
            "turnout_women": 1,
        },
    )
    assert response.status_code == 200
    assert not VillageMeeting.objects.filter(date=datetime.date(2023, 6, 10)).exists()


def test_officer_adds_a_promoter_to_their_office_only(client_in_english, network):
    client = client_in_english("officer")
    own_office = network["own"]["office"]
    person = PersonFactory(district=own_office.district)
    data = {
        "person": person.pk,
        "role": "producer_group_leader",
        "office": own_office.pk,
        "village": VillageFactory(district=own_office.district).pk,
        "status": "active",
        "started_on": "2023-01-05",
    }
    assert client.post(reverse("promoters:add"), data).status_code == 302
    assert Promoter.objects.filter(person=person, office=own_office).exists()
    other_office = network["other"]["office"]
    data.update(
        person=PersonFactory(district=own_office.district).pk,
        office=other_office.pk,
        village=VillageFactory(district=other_office.district).pk,
    )
    response = client.post(reverse("promoters:add"), data)
    assert response.status_code == 200
    assert (
        not Promoter.objects.filter(office=other_office)
        .exclude(pk=network["other"]["promoter"].pk)
        .exists()
    )


def test_a_second_active_record_shows_the_rule_on_the_form(client_in_english, network):
    client = client_in_english("officer")
    existing = network["own"]["promoter"]
    response = client.post(
        reverse("promoters:add"),
        {
            "person": existing.person.pk,
            "role": "village_chief",
            "office": existing.office.pk,
            "village": existing.village.pk,
            "status": "active",
            "started_on": "2023-01-05",
        },
    )
    assert response.status_code == 200
    assert "is already an active promoter" in response.content.decode()


def test_office_page_shows_the_network(client_in_english, network, admin_user):
    from tests.factories import CourseFactory, SessionFactory, enrol
    from trainings.services import session_complete

    office = network["own"]["office"]
    promoter = network["own"]["promoter"]
    session = SessionFactory(course=CourseFactory(title_en="ToT on social protection"))
    [enrolment] = enrol(session, promoter.person)
    for day in session.days.all():
        from trainings.services import attendance_record_day

        attendance_record_day(day=day, statuses={enrolment.pk: "present"})
    session_complete(session=session, today=datetime.date(2022, 6, 17))
    VillageFactory(district=office.district)  # a village without a promoter

    page = (
        client_in_english("officer")
        .get(reverse("district_offices:inspect", args=[office.pk]))
        .content.decode()
    )
    assert promoter.person.full_name in page
    assert "ToT on social protection" in page
    assert "50 % — 1 of 2 known villages have an active promoter" in page


def test_follow_up_panel_on_the_officer_home_page(client_in_english, network):
    page = client_in_english("officer").get(reverse("wagtailadmin_home")).content
    page = page.decode()
    assert "Promoters to follow up" in page
    assert network["own"]["promoter"].person.full_name in page
    assert network["other"]["promoter"].person.full_name not in page


def test_manager_reads_but_cannot_change(client_as, network):
    client = client_as("manager")
    meeting = network["other"]["meeting"]
    assert (
        client.get(reverse("village_meetings:inspect", args=[meeting.pk])).status_code
        == 200
    )
    assert client.get(
        reverse("village_meetings:edit", args=[meeting.pk])
    ).status_code in (
        302,
        403,
        404,
    )
    assert CentreVisit.objects.count() == 2


@pytest.mark.parametrize(
    "namespace",
    [
        "promoters",
        "village_meetings",
        "district_offices",
        "information_centres",
        "centre_visits",
        "follow_ups",
        "promoter_topics",
        "campaigns",
    ],
)
def test_administrator_opens_every_listing_and_form(client_as, network, namespace):
    client = client_as("admin")
    assert client.get(reverse(f"{namespace}:index")).status_code == 200
    if namespace != "follow_ups":
        assert client.get(reverse(f"{namespace}:add")).status_code == 200


def test_meeting_page_and_listing_show_counts(client_in_english, network):
    meeting = network["own"]["meeting"]
    client = client_in_english("officer")
    listing = client.get(reverse("village_meetings:index")).content.decode()
    assert "Turnout" in listing and "18" in listing
    page = client.get(reverse("village_meetings:inspect", args=[meeting.pk]))
    assert page.status_code == 200
    assert (
        client.get(
            reverse("village_meetings:index")
            + "?date_from=2023-01-01&date_to=2023-12-31"
        ).status_code
        == 200
    )


def test_a_promoter_who_led_meetings_cannot_be_deleted(client_in_english, network):
    client = client_in_english("officer")
    promoter = network["own"]["promoter"]
    response = client.post(reverse("promoters:delete", args=[promoter.pk]), follow=True)
    assert "This promoter led meetings; end the record instead." in (
        response.content.decode()
    )
    assert Promoter.objects.filter(pk=promoter.pk).exists()
    newcomer = PromoterFactory(office=promoter.office)
    client.post(reverse("promoters:delete", args=[newcomer.pk]))
    assert not Promoter.objects.filter(pk=newcomer.pk).exists()


def test_the_promoter_form_offers_only_people_the_officer_may_see(
    client_in_english, network
):
    office = network["own"]["office"]
    local = PersonFactory(full_name="ນາງ ໃນເມືອງ", district=office.district)
    stranger = PersonFactory(full_name="ນາງ ຄົນແປກໜ້າ")
    page = client_in_english("officer").get(reverse("promoters:add")).content.decode()
    assert local.full_name in page
    assert stranger.full_name not in page


def test_the_sheet_photo_is_served_only_to_those_who_see_the_meeting(
    client_as, network, settings, tmp_path
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    meeting = network["own"]["meeting"]
    meeting.photo.save("sheet.jpg", ContentFile(b"\xff\xd8\xff\xe0 photo"))
    other = network["other"]["meeting"]
    other.photo.save("sheet.jpg", ContentFile(b"\xff\xd8\xff\xe0 other"))
    url = reverse("promoters_sheets:meeting_photo", args=[meeting.pk])

    officer = client_as("officer")
    response = officer.get(url)
    edit_page = officer.get(reverse("village_meetings:edit", args=[meeting.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).endswith(b" photo")
    assert "no-store" in response["Cache-Control"]
    assert meeting.photo.name.startswith("promoters/sheets/")
    assert "sheet" not in meeting.photo.name.rsplit("/", 1)[1]  # a random name
    assert url in edit_page.content.decode()
    assert meeting.photo.url not in edit_page.content.decode()
    other_url = reverse("promoters_sheets:meeting_photo", args=[other.pk])
    assert officer.get(other_url).status_code == 404
    assert client_as("editor").get(url).status_code == 404
    assert client_as("manager").get(url).status_code == 200


def test_a_manager_adds_a_campaign_and_an_officer_reads_their_districts(
    client_in_english, network
):
    own = network["own"]["office"].district
    data = {
        "name_lo": "ການທົດລອງຂຶ້ນທະບຽນເຄື່ອນທີ່",
        "name_en": "Mobile pilot",
        "kind": "mobile_drive",
        "description": "",
        "starts_on": "2023-05-01",
        "ends_on": "2023-04-01",
        "districts": [own.pk],
    }
    client = client_in_english("manager")

    refused = client.post(reverse("campaigns:add"), data)
    assert "The end date is before the start date." in refused.content.decode()
    data["ends_on"] = "2023-07-31"
    client.post(reverse("campaigns:add"), data)
    campaign = Campaign.objects.get()
    assert list(campaign.districts.all()) == [own]

    officer = client_in_english("officer")
    listing = officer.get(reverse("campaigns:index")).content.decode()
    assert "Mobile pilot" in listing
    assert officer.get(reverse("campaigns:edit", args=[campaign.pk])).status_code in (
        302,
        403,
    )
    campaign.districts.set([network["other"]["office"].district])
    assert officer.get(
        reverse("campaigns:inspect", args=[campaign.pk])
    ).status_code == (404)


def test_officer_plans_a_team_led_drive_and_finds_it_under_planned(
    client_in_english, network
):
    client = client_in_english("officer")
    office = network["own"]["office"]
    village = network["own"]["promoter"].village
    future = datetime.date.today() + datetime.timedelta(days=30)
    data = {
        "kind": "mobile_drive",
        "status": "planned",
        "date": future.isoformat(),
        "village": village.pk,
        "led_by_office": office.pk,
        "led_by_team": "LSSO mobile registration team",
        **{f"{p}_{g}": 0 for p in ("turnout", "registrations") for g in GENDERS},
        "notes": "",
    }

    response = client.post(reverse("village_meetings:add"), data)

    assert response.status_code == 302
    planned = VillageMeeting.objects.get(status="planned")
    assert (planned.kind, planned.led_by_office) == ("mobile_drive", office)
    listing = client.get(reverse("village_meetings:index")).content.decode()
    assert "?status=planned" in listing
    only_planned = client.get(reverse("village_meetings:index"), {"status": "planned"})
    assert [m.pk for m in only_planned.context["object_list"]] == [planned.pk]


def test_entering_the_turnout_of_a_planned_activity_in_the_admin_makes_it_done(
    client_in_english, network, admin_user
):
    promoter = network["own"]["promoter"]
    planned = record_meeting(
        promoter,
        user=admin_user,
        date=datetime.date(2023, 6, 10),
        status="planned",
        turnout=None,
        registrations=None,
    )
    data = {
        "kind": "dissemination",
        "status": "planned",
        "date": "2023-06-10",
        "village": promoter.village.pk,
        "led_by": [promoter.pk],
        **{f"{p}_{g}": 0 for p in ("turnout", "registrations") for g in GENDERS},
        "turnout_women": 15,
        "notes": "",
    }

    response = client_in_english("officer").post(
        reverse("village_meetings:edit", args=[planned.pk]), data
    )

    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.turnout.total) == ("done", 15)


def test_meeting_and_visit_forms_record_partners_funders_and_projects(
    client_in_english, network
):
    from tests.factories import OrganisationFactory, ProjectFactory

    client = client_in_english("officer")
    promoter = network["own"]["promoter"]
    oxfam, eu = OrganisationFactory(name="Oxfam"), OrganisationFactory(name="EU")
    project = ProjectFactory(code="LAO226-EU")
    form = client.get(reverse("village_meetings:add")).content.decode()
    assert "data-searchable-select" in form
    assert "LAO226-EU" in form
    data = {
        "date": "2023-06-10",
        "village": promoter.village.pk,
        "led_by": [promoter.pk],
        "partners": [oxfam.pk],
        "funders": [eu.pk],
        "projects": [project.pk],
        **{f"turnout_{gender}": 0 for gender in GENDER_FIELDS},
        **{f"registrations_{gender}": 0 for gender in GENDER_FIELDS},
        "turnout_women": 12,
        "registrations_women": 3,
        "notes": "",
    }
    assert client.post(reverse("village_meetings:add"), data).status_code == 302
    meeting = VillageMeeting.objects.get(date=datetime.date(2023, 6, 10))
    assert [list(meeting.partners.all()), list(meeting.funders.all())] == [
        [oxfam],
        [eu],
    ]
    assert list(meeting.projects.all()) == [project]

    visit = network["own"]["visit"]
    response = client.post(
        reverse("centre_visits:edit", args=[visit.pk]),
        {
            "centre": visit.centre_id,
            "date": "2023-06-01",
            "visitors_women": 2,
            "visitors_men": 0,
            "visitors_other": 0,
            "visitors_not_recorded": 0,
            "projects": [project.pk],
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert list(visit.projects.all()) == [project]


def test_office_and_centre_forms_link_projects(client_in_english, network):
    from tests.factories import ProjectFactory

    project = ProjectFactory(code="SOLAR")
    client = client_in_english("admin")
    office = network["own"]["office"]
    response = client.post(
        reverse("district_offices:edit", args=[office.pk]),
        {
            "district": office.district_id,
            "name": office.name,
            "opened_on": "2023-05-02",
            "projects": [project.pk],
        },
    )
    assert response.status_code == 302
    assert list(office.projects.all()) == [project]
    page = client.get(reverse("information_centres:add")).content.decode()
    assert 'name="projects"' in page and "SOLAR" in page
