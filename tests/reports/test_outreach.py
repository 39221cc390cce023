import datetime

import pytest
from django.utils import translation

from people.counts import GenderCounts
from promoters.models import InformationCentre, Topic
from promoters.services import centre_visit_record
from reports import selectors
from reports.filters import ReportFilters, scoped
from reports.sentences import in_languages, registration_sentence, trained_sentence
from tests.factories import (
    CampaignFactory,
    DistrictOfficeFactory,
    PromoterFactory,
    VillageFactory,
    record_meeting,
)

pytestmark = pytest.mark.django_db
YEAR_2023 = ReportFilters(
    date_from=datetime.date(2023, 1, 1), date_to=datetime.date(2023, 12, 31)
)


@pytest.fixture
def outreach(story, admin_user, make_user):
    office = DistrictOfficeFactory(
        district=story.district_a, officers=[make_user("officer")]
    )
    VillageFactory(district=story.district_a)  # a village with no promoter yet
    promoter = PromoterFactory(office=office)
    record_meeting(
        promoter,
        user=admin_user,
        date=datetime.date(2023, 1, 1),
        turnout={"women": 600, "men": 400},
        registrations={"women": 120, "men": 80},
    )
    record_meeting(
        promoter,
        user=admin_user,
        date=datetime.date(2023, 12, 31),
        turnout={"men": 240},
        registrations={"women": 0, "men": 73},
    )
    record_meeting(  # the day after the period
        promoter, user=admin_user, date=datetime.date(2024, 1, 1)
    )
    centre = InformationCentre.objects.create(
        name="Paksong centre",
        host_organisation="District office",
        host_kind=InformationCentre.HostKind.GOVERNMENT_OFFICE,
        district=story.district_a,
    )
    centre_visit_record(
        user=admin_user,
        centre=centre,
        date=datetime.date(2023, 3, 1),
        visitors={"women": 4, "other": 1},
        topics=[Topic.objects.get(code="registration")],
    )
    return promoter


def test_turnout_registrations_and_rate_in_the_period(outreach):
    total = selectors.outreach_total(YEAR_2023)

    assert total.meetings == 2
    assert total.turnout == GenderCounts(women=600, men=640)
    assert total.registrations == GenderCounts(women=120, men=153)
    assert round(100 * total.rate()) == 22


def test_coverage_centre_visits_by_district(outreach, story):
    (district,) = selectors.coverage(ReportFilters())
    assert district.district == story.district_a
    assert (district.coverage.villages_covered, district.coverage.villages_known) == (
        1,
        2,
    )
    visits = selectors.centre_visits_total(YEAR_2023)
    assert (visits.visits, visits.visitors) == (1, GenderCounts(women=4, other=1))
    assert [t.visitors.total for t in selectors.centre_visits_by_topic(YEAR_2023)] == [
        5
    ]


def test_the_registration_sentence_in_english_and_lao(outreach):
    total = selectors.outreach_total(YEAR_2023)

    sentences = in_languages(
        registration_sentence, turnout=total.turnout, registered=total.registrations
    )

    assert sentences["en"] == (
        "22 % of the 1,240 people who attended village meetings registered "
        "(120 women and 153 men)."
    )
    assert sentences["lo"] == (
        "22 % ຂອງ 1,240 ຄົນ ທີ່ເຂົ້າຮ່ວມກອງປະຊຸມບ້ານ ໄດ້ລົງທະບຽນ (ຍິງ 120 ຄົນ ແລະ ຊາຍ 153 ຄົນ)."
    )


def test_the_trained_sentence_in_english_and_lao():
    counts = GenderCounts(women=11, men=15)

    sentences = in_languages(trained_sentence, counts=counts)

    assert sentences["en"] == "26 people were trained (11 women and 15 men)."
    assert sentences["lo"] == "ໄດ້ຝຶກອົບຮົມ 26 ຄົນ (ຍິງ 11 ຄົນ ແລະ ຊາຍ 15 ຄົນ)."
    with translation.override("en"):
        assert trained_sentence(GenderCounts(women=1, not_recorded=1)) == (
            "2 people were trained (1 woman, 0 men and 1 not recorded)."
        )


def test_district_officers_see_their_district_only(outreach, story, make_user):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    filters = scoped(ReportFilters(), officer)

    assert filters.district == story.district_a
    assert selectors.trained_total(filters).total == 5
    assert selectors.outreach_total(filters).meetings == 3
    elsewhere = scoped(ReportFilters(district=story.district_b), officer)
    assert selectors.trained_total(elsewhere).total == 0
    assert selectors.outreach_total(elsewhere).meetings == 0


def test_trainers_see_no_outreach(outreach, make_user):
    filters = scoped(ReportFilters(), make_user("trainer"))
    assert selectors.outreach_total(filters).meetings == 0
    assert selectors.coverage(filters) == []


def test_outreach_is_the_same_on_the_page_the_export_and_the_api(
    outreach, client_in_english
):
    from tests.reports.test_views import csv_rows

    client = client_in_english("manager")
    query = {"year": "2023"}

    page = client.get("/admin/reports/", query).content.decode()
    rows = csv_rows(client.get("/admin/reports/export.csv", query).content)
    api = client.get("/api/v1/reports/outreach/", query).json()
    coverage = client.get("/api/v1/reports/coverage/").json()

    assert 'data-figure="turnout">1,240<' in page
    assert 'data-figure="registration-rate">22<' in page
    (turnout,) = [row for row in rows if row[1] == "Village meeting turnout"]
    assert turnout[2:4] == ["1240", "600"]
    assert api["turnout"]["total"] == 1240
    assert api["registrations"]["total"] == 273
    assert api["meetings"] == 2
    assert coverage["districts"][0]["villages_covered"] == 1


# Kinds of activity, campaigns, planned activities (issue 17) -----------------------


@pytest.fixture
def pilot(outreach, story, admin_user):
    """A campaign drive in district A (2023) and a planned one, beside the outreach
    meetings."""
    campaign = CampaignFactory(name_en="Mobile pilot", districts=[story.district_a])
    common = {
        "user": admin_user,
        "led_by": [],
        "led_by_team": "LSSO team",
        "kind": "mobile_drive",
        "campaign": campaign,
    }
    record_meeting(
        outreach,
        date=datetime.date(2023, 6, 1),
        turnout={"women": 30, "men": 20},
        registrations={"women": 7, "men": 4},
        contributions_lak=1_053_000,
        contributions_people=9,
        **common,
    )
    record_meeting(
        outreach,
        date=datetime.date(2023, 7, 1),
        status="planned",
        turnout=None,
        registrations=None,
        **common,
    )
    return campaign


def test_outreach_by_kind_and_by_campaign(pilot):
    by_kind = {item.kind: item for item in selectors.outreach_by_kind(YEAR_2023)}
    (campaign,) = selectors.outreach_by_campaign(YEAR_2023)

    assert by_kind["dissemination"].meetings == 2
    assert by_kind["mobile_drive"].meetings == 1
    assert round(100 * by_kind["mobile_drive"].rate()) == 22
    assert campaign.campaign == pilot
    assert (campaign.meetings, campaign.contributions_lak) == (1, 1_053_000)


def test_kind_and_campaign_filter_outreach_and_say_so(pilot):
    from dataclasses import replace

    from reports.scope import filters_summary

    drives = replace(YEAR_2023, kind="mobile_drive")
    in_campaign = replace(YEAR_2023, campaign=pilot)

    assert selectors.outreach_total(drives).turnout.total == 50
    assert selectors.outreach_total(in_campaign).meetings == 1
    assert [i.district.pk for i in selectors.outreach_by_district(drives)] == [
        pilot.districts.get().pk
    ]
    assert drives.as_query()["kind"] == "mobile_drive"
    assert in_campaign.as_query()["campaign"] == str(pilot.pk)
    with translation.override("en"):
        assert "Kind of activity: Mobile registration and payment drive" in (
            filters_summary(drives)
        )
        assert "Campaign: Mobile pilot" in filters_summary(in_campaign)


def test_the_report_page_export_and_api_show_kinds_and_campaigns(
    pilot, client_in_english
):
    from tests.reports.test_views import csv_rows

    client = client_in_english("manager")
    query = {"year": "2023", "campaign": pilot.pk}

    page = client.get("/admin/reports/", query).content.decode()
    rows = csv_rows(client.get("/admin/reports/export.csv", query).content)
    api = client.get("/api/v1/reports/outreach/", query).json()

    assert 'data-testid="outreach-by-campaign"' in page
    assert 'data-figure="registration-rate">22<' in page
    (row,) = [row for row in rows if row[0] == "Outreach by campaign" and row[2] == "1"]
    assert row[1] == "Mobile pilot"
    assert row[-2:] == ["1053000", "9"]
    assert api["meetings"] == 1
    assert api["contributions_lak"] == 1_053_000
    assert api["kinds"][0]["kind"] == "mobile_drive"
    assert api["campaigns"][0]["campaign"] == pilot.pk
    assert (
        client.get("/api/v1/reports/outreach/", {"kind": "workplace"}).json()[
            "meetings"
        ]
        == 0
    )


def test_an_officer_cannot_filter_by_a_campaign_outside_their_districts(
    pilot, client_as
):
    other = CampaignFactory()
    client = client_as("officer")

    allowed = client.get("/api/v1/reports/outreach/", {"campaign": pilot.pk})
    assert allowed.status_code == 200
    response = client.get("/api/v1/reports/outreach/", {"campaign": other.pk})
    assert response.status_code == 400
    assert "campaign" in response.json()


# Partner, funder and project (issue 17) -----------------------------------------


def test_partner_funder_and_project_narrow_meetings_visits_and_coverage(
    outreach, story, admin_user
):
    from promoters.models import CentreVisit, DistrictOffice, VillageMeeting
    from tests.factories import OrganisationFactory, ProjectFactory

    oxfam, eu = OrganisationFactory(name="Oxfam"), OrganisationFactory(name="EU")
    project = ProjectFactory()
    first = VillageMeeting.objects.get(date=datetime.date(2023, 1, 1))
    first.partners.add(oxfam)
    first.funders.add(eu)
    last = VillageMeeting.objects.get(date=datetime.date(2023, 12, 31))
    last.projects.add(project)
    centre = InformationCentre.objects.get()
    centre.projects.add(project)  # its visits count for the project
    CentreVisit.objects.get().funders.add(eu)
    DistrictOffice.objects.get().partners.add(oxfam)

    by_oxfam = ReportFilters(date_from=YEAR_2023.date_from, partner=oxfam)
    assert selectors.outreach_total(by_oxfam).meetings == 1
    assert selectors.outreach_total(by_oxfam).turnout == GenderCounts(600, 400)
    assert [r.meetings for r in selectors.outreach_by_district(by_oxfam)] == [1]
    assert selectors.centre_visits_total(by_oxfam).visits == 0
    assert [c.district for c in selectors.coverage(by_oxfam)] == [story.district_a]

    by_eu = ReportFilters(funder=eu)
    assert selectors.outreach_total(by_eu).meetings == 1
    assert selectors.centre_visits_total(by_eu).visits == 1
    assert selectors.coverage(by_eu) == []

    by_project = ReportFilters(project=project)
    assert selectors.outreach_total(by_project).turnout == GenderCounts(men=240)
    assert selectors.centre_visits_total(by_project).visitors.total == 5
    assert len(selectors.centre_visits_by_topic(by_project)) == 1
    assert selectors.coverage(by_project) == []
    assert selectors.outreach_total(ReportFilters(partner=oxfam, project=project)) == (
        selectors.promoters.RegistrationRate(GenderCounts(), GenderCounts())
    )


def test_a_meeting_named_by_two_filters_counts_once(outreach):
    from promoters.models import VillageMeeting
    from tests.factories import OrganisationFactory

    both = OrganisationFactory(name="Oxfam")
    meeting = VillageMeeting.objects.get(date=datetime.date(2023, 1, 1))
    meeting.partners.add(both)
    meeting.funders.add(both)

    total = selectors.outreach_total(ReportFilters(partner=both, funder=both))

    assert (total.meetings, total.turnout.total) == (1, 1000)
