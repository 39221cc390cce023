"""A project's results (issue 17, item 3): each indicator's actual is the Reports
page's figure for the project's activities; targets, % of target, the gender
block, fixed filters, the user's scope; the table's XLSX and PDF."""

import datetime
import io
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from people.counts import GenderCounts
from projects.models import Figure, Indicator, IndicatorTarget
from promoters.models import InformationCentre
from promoters.services import links_add
from reports import selectors
from reports.filters import ReportFilters
from reports.results import period_target, project_results
from tests.factories import (
    CampaignFactory,
    DistrictOfficeFactory,
    ProjectFactory,
    PromoterFactory,
    record_meeting,
)
from trainings.services import session_update

pytestmark = pytest.mark.django_db

Y2022 = (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
Y2023 = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))


@pytest.fixture
def world(story, make_user, admin_user):
    """The report story, its ToT and August course for project P, January's for
    another project; in district A (Paksong) an office (opened May 2023) and a
    centre for P, a mobile drive and a meeting for P, one for the other project."""
    project, other = ProjectFactory(code="P"), ProjectFactory(code="Q")
    session_update(session=story.tot, projects=[project])
    session_update(session=story.august, projects=[project])
    session_update(session=story.january, projects=[other])
    officer = make_user("officer")
    office = DistrictOfficeFactory(district=story.district_a, officers=[officer])
    links_add(record=office, projects=[project])
    promoter = PromoterFactory(office=office)
    campaign = CampaignFactory(districts=[story.district_a])
    record_meeting(
        promoter, user=admin_user, projects=[project], kind="mobile_drive",
        campaign=campaign,
    )  # fmt: skip
    record_meeting(
        promoter,
        user=admin_user,
        projects=[project],
        date=datetime.date(2023, 7, 1),
        turnout={"women": 20},
        registrations={},
    )
    record_meeting(
        promoter,
        user=admin_user,
        projects=[other],
        turnout={"women": 50},
        registrations={"women": 50},
    )
    centre = InformationCentre.objects.create(
        name="Paksong centre",
        host_organisation="Provincial labour office",
        host_kind=InformationCentre.HostKind.GOVERNMENT_OFFICE,
        district=story.district_a,
        opened_on=datetime.date(2023, 5, 10),
    )
    links_add(record=centre, projects=[project])
    return {
        "project": project,
        "other": other,
        "story": story,
        "campaign": campaign,
        "officer": officer,
        "admin": admin_user,
    }


def indicator(project, figure, code="1", **fields) -> Indicator:
    return Indicator.objects.create(
        project=project,
        code=code,
        title_lo=f"ຕົວຊີ້ວັດ {code}",
        title_en=f"Indicator {code}",
        figure=figure,
        **fields,
    )


def target(indicator, value, *, year=None, **fields) -> IndicatorTarget:
    return IndicatorTarget.objects.create(
        indicator=indicator, value=Decimal(value), year=year, **fields
    )


def results(project, user, period=(None, None)):
    return project_results(
        project=project, user=user, date_from=period[0], date_to=period[1]
    )


def only(project, user, period=(None, None)):
    (result,) = results(project, user, period)
    return result


# The Reports page's figure for each indicator's figure, by its own selector.
REPORT_FIGURES = {
    Figure.PEOPLE_TRAINED: selectors.trained_total,
    Figure.WOMEN_TRAINED: lambda f: selectors.trained_total(f).women,
    Figure.TOT_GRADUATES: lambda f: selectors.tot_summary(f).graduates,
    Figure.CASCADE_REACH: lambda f: selectors.tot_summary(f).reach,
    Figure.MEETINGS: lambda f: selectors.outreach_total(f).meetings,
    Figure.TURNOUT: lambda f: selectors.outreach_total(f).turnout,
    Figure.REGISTRATIONS: lambda f: selectors.outreach_total(f).registrations,
    Figure.REGISTRATION_RATE: lambda f: round(
        100 * selectors.outreach_total(f).rate(), 1
    ),
    Figure.CENTRES_OPENED: selectors.centres_opened,
    Figure.CENTRE_VISITORS: lambda f: selectors.centre_visits_total(f).visitors,
    Figure.OFFICES_OPENED: selectors.offices_opened_count,
    Figure.MATERIALS_PUBLISHED: selectors.materials_published_count,
    Figure.MATERIALS_DOWNLOADED: lambda f: selectors.downloads(f).total,
}


def test_every_figure_has_its_report_selector():
    assert set(REPORT_FIGURES) == set(Figure)


@pytest.mark.parametrize("figure", list(Figure))
def test_each_actual_is_the_reports_figure_for_the_project(world, figure):
    project = world["project"]
    indicator(project, figure)

    for period in [(None, None), Y2022, Y2023]:
        actual = only(project, world["admin"], period).actual

        filters = ReportFilters(date_from=period[0], date_to=period[1], project=project)
        if figure == Figure.REGISTRATION_RATE and period == Y2022:
            assert actual is None  # nobody turned out in 2022
            continue
        assert actual == REPORT_FIGURES[figure](filters), period


def test_the_actuals_count_the_projects_activities_only(world):
    project, admin = world["project"], world["admin"]
    for code, figure in enumerate(
        [
            Figure.PEOPLE_TRAINED,
            Figure.TOT_GRADUATES,
            Figure.MEETINGS,
            Figure.TURNOUT,
            Figure.REGISTRATION_RATE,
            Figure.CENTRES_OPENED,
            Figure.OFFICES_OPENED,
        ]
    ):
        indicator(project, figure, code=str(code))

    actuals = [result.actual for result in results(project, admin)]

    # Not January's Lee and Bee (another project), nor the other project's meeting.
    assert actuals == [
        GenderCounts(women=2, men=2, other=1, not_recorded=1),
        GenderCounts(women=2, men=1),
        2,
        GenderCounts(women=30, men=8),
        round(100 * 5 / 38, 1),
        1,
        1,
    ]


def test_the_gender_block_for_people_a_number_otherwise(world):
    project, admin = world["project"], world["admin"]
    indicator(project, Figure.TOT_GRADUATES, code="1")
    indicator(project, Figure.WOMEN_TRAINED, code="2")

    graduates, women = results(project, admin, Y2022)

    assert graduates.by_gender and graduates.actual_total == 3
    assert graduates.actual.as_dict() == {
        "total": 3,
        "women": 2,
        "men": 1,
        "other": 0,
        "not_recorded": 0,
    }
    # Noy and Mali (the ToT; Noy again in August): women are counted once.
    assert not women.by_gender and women.actual == 2


def test_fixed_filters_narrow_the_actual(world):
    project, admin, story = world["project"], world["admin"], world["story"]
    indicator(project, Figure.PEOPLE_TRAINED, code="1", course_kind="tot")
    indicator(project, Figure.PEOPLE_TRAINED, code="2", district=story.district_b)
    indicator(project, Figure.TURNOUT, code="3", kind="mobile_drive")
    indicator(project, Figure.TURNOUT, code="4", campaign=world["campaign"])
    indicator(project, Figure.TURNOUT, code="5", kind="workplace")

    actuals = [result.actual_total for result in results(project, admin)]

    assert actuals == [3, 4, 18, 18, 0]


def test_target_and_percent_for_a_year_and_for_all_time(world):
    project, admin = world["project"], world["admin"]
    trained = indicator(project, Figure.PEOPLE_TRAINED, baseline=Decimal("2"))
    target(trained, 12, year=2022)
    target(trained, 8, year=2023)

    year = only(project, admin, Y2022)
    whole = only(project, admin)
    none = only(
        project, admin, (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    )

    assert (year.baseline, year.target, year.actual_total) == (2, 12, 6)
    assert year.percent == 50.0
    assert (whole.target, whole.percent) == (20, 30.0)
    assert (none.target, none.percent) == (None, None)


def test_a_target_inside_another_is_a_milestone_not_added(world):
    trained = indicator(world["project"], Figure.PEOPLE_TRAINED)
    year = target(trained, 12, year=2022)
    quarter = target(
        trained,
        5,
        date_from=datetime.date(2022, 4, 1),
        date_to=datetime.date(2022, 6, 30),
    )
    targets = [year, quarter]

    assert period_target(trained, targets, date_from=Y2022[0], date_to=Y2022[1]) == 12
    assert (
        period_target(
            trained, targets, date_from=quarter.date_from, date_to=quarter.date_to
        )
        == 5
    )


def test_a_rates_target_is_a_percentage_and_never_added(world):
    project, admin = world["project"], world["admin"]
    rate = indicator(project, Figure.REGISTRATION_RATE, kind="mobile_drive")
    target(rate, 25, year=2023)
    target(rate, 30, year=2024)

    result = only(project, admin, Y2023)
    whole = only(project, admin)

    # 5 of 18 registered: 27.8 % against 25 %.
    assert (result.actual, result.target, result.percent) == (27.8, 25, 111.2)
    assert whole.target is None


def test_a_line_per_place_with_targets_of_its_own(world):
    project, admin, story = world["project"], world["admin"], world["story"]
    trained = indicator(project, Figure.PEOPLE_TRAINED)
    target(trained, 10, year=2022)
    target(trained, 4, year=2022, district=story.district_b)

    whole, district_b = results(project, admin, Y2022)

    assert whole.place is None and (whole.actual_total, whole.target) == (6, 10)
    assert district_b.place == story.district_b
    assert (district_b.actual_total, district_b.target) == (4, 4)
    assert district_b.percent == 100.0


def test_an_officer_counts_their_district_and_sees_no_national_target(world):
    project, story = world["project"], world["story"]
    turnout = indicator(project, Figure.TURNOUT)
    target(turnout, 100, year=2023)
    target(turnout, 19, year=2023, district=story.district_a)
    trained = indicator(project, Figure.PEOPLE_TRAINED, code="2")
    target(trained, 10, year=2023)

    lines = results(project, world["officer"], Y2023)

    whole, paksong, people = lines
    assert (whole.actual_total, whole.target, whole.percent) == (38, None, None)
    assert (paksong.actual_total, paksong.target, paksong.percent) == (38, 19, 200.0)
    # A national target is not the officer's district's.
    assert people.target is None


def test_an_officer_counts_nothing_outside_their_district(world):
    project, story = world["project"], world["story"]
    indicator(project, Figure.PEOPLE_TRAINED, code="1", district=story.district_b)
    indicator(project, Figure.TURNOUT, code="2", district=story.district_a)

    admin = [line.actual_total for line in results(project, world["admin"])]
    officer = [line.actual_total for line in results(project, world["officer"])]

    assert admin == [4, 38]
    assert officer == [0, 38]


def test_the_filters_period_is_the_only_one_asked(world):
    filters = ReportFilters(date_from=Y2023[0], date_to=Y2023[1])
    project = world["project"]
    indicator(project, Figure.MEETINGS)

    assert (
        only(project, world["admin"], Y2023).actual
        == selectors.outreach_total(replace(filters, project=project)).meetings
    )


# The admin page and its downloads ---------------------------------------------


@pytest.fixture
def with_indicators(world):
    project = world["project"]
    trained = indicator(project, Figure.PEOPLE_TRAINED, code="1.1")
    target(trained, 12, year=2022)
    indicator(project, Figure.CENTRES_OPENED, code="3.1", baseline=0)
    return world


def test_the_results_page_shows_target_actual_and_percent(
    client_in_english, with_indicators
):
    project = with_indicators["project"]

    response = client_in_english("manager").get(
        f"/admin/reports/results/?project={project.pk}&year=2022"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-indicator="1.1"' in html and 'data-indicator="3.1"' in html
    assert 'data-value="percent">50 %' in html
    assert "/admin/reports/results.xlsx?" in html


def test_the_results_page_without_a_project_lists_the_projects(client_as, world):
    response = client_as("manager").get("/admin/reports/results/")

    assert response.status_code == 200
    assert f'href="?project={world["project"].pk}"' in response.content.decode()


def test_a_project_without_indicators_says_so(client_in_english, world):
    response = client_in_english("manager").get(
        f"/admin/reports/results/?project={world['project'].pk}"
    )

    assert "has no indicators yet" in response.content.decode()


@pytest.mark.parametrize("role", ["editor", "promoter"])
def test_roles_that_do_not_read_reports_are_refused(client_as, world, role):
    client = client_as(role)
    project = world["project"]

    page = client.get(f"/admin/reports/results/?project={project.pk}")
    sheet = client.get(f"/admin/reports/results.xlsx?project={project.pk}")

    assert page.status_code in (302, 403)
    assert sheet.status_code in (302, 403)


def test_the_xlsx_opens_with_the_table(client_in_english, with_indicators):
    project = with_indicators["project"]

    response = client_in_english("manager").get(
        f"/admin/reports/results.xlsx?project={project.pk}&year=2022"
    )

    assert response["Content-Disposition"].endswith('suksa-results-p-2022.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(
        [
            "Code",
            "Indicator",
            "Place",
            "Baseline",
            "Target",
            "Actual",
            "Women",
            "Men",
            "Other",
            "Not recorded",
            "Target reached (%)",
        ]
    )
    assert rows[header + 1][:6] == ["1.1", "Indicator 1.1", None, None, 12, 6]
    assert rows[header + 1][6:] == [2, 2, 1, 1, 50]
    assert rows[header + 2][:6] == ["3.1", "Indicator 3.1", None, 0, None, 0]


@pytest.mark.parametrize("language", ["lo", "en"])
def test_the_pdf_is_a_pdf(client_as, with_indicators, language):
    project = with_indicators["project"]

    response = client_as("manager").get(
        f"/admin/reports/results.pdf?project={project.pk}&year=2022&language={language}"
    )

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_a_download_without_a_project_is_missing(client_as, world):
    assert client_as("manager").get("/admin/reports/results.xlsx").status_code == 404


# The API -------------------------------------------------------------------------


def test_the_api_answers_the_table(client_as, with_indicators):
    project = with_indicators["project"]

    response = client_as("manager").get(
        f"/api/v1/projects/{project.pk}/results/", {"year": 2022}
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["project"], body["code"]) == (project.pk, "P")
    assert (body["date_from"], body["date_to"]) == ("2022-01-01", "2022-12-31")
    trained, centres = body["indicators"]
    assert {"code", "title", "baseline", "target", "actual", "percent"} <= set(trained)
    assert trained["code"] == "1.1" and trained["figure"] == "people_trained"
    assert (trained["baseline"], trained["target"], trained["percent"]) == (
        None,
        12,
        50.0,
    )
    assert trained["actual"] == {
        "total": 6,
        "women": 2,
        "men": 2,
        "other": 1,
        "not_recorded": 1,
    }
    assert (centres["baseline"], centres["target"], centres["actual"]) == (0, None, 0)
    assert centres["percent"] is None


def test_the_api_takes_dates(client_as, with_indicators):
    project = with_indicators["project"]

    body = (
        client_as("manager")
        .get(
            f"/api/v1/projects/{project.pk}/results/",
            {"date_from": "2023-05-01", "date_to": "2023-05-31"},
        )
        .json()
    )

    assert [line["actual"] for line in body["indicators"]][1] == 1  # the centre


@pytest.mark.parametrize(
    "query",
    [{"year": 2022, "province": 1}, {"project": 1}, {"by": "district"}],
)
def test_the_api_refuses_unknown_parameters(client_as, world, query):
    response = client_as("manager").get(
        f"/api/v1/projects/{world['project'].pk}/results/", query
    )

    assert response.status_code == 400
    assert "year" in response.json()["accepted"]


def test_the_api_refuses_a_bad_period(client_as, world):
    response = client_as("manager").get(
        f"/api/v1/projects/{world['project'].pk}/results/",
        {"date_from": "2023-05-01", "date_to": "2023-01-31"},
    )

    assert response.status_code == 400


@pytest.mark.parametrize("role", ["editor", "promoter"])
def test_the_api_refuses_roles_that_do_not_read_reports(client_as, world, role):
    response = client_as(role).get(f"/api/v1/projects/{world['project'].pk}/results/")

    assert response.status_code == 403


def test_the_api_scopes_an_officer(client_as, world):
    project, story = world["project"], world["story"]
    indicator(project, Figure.PEOPLE_TRAINED, code="1")
    indicator(project, Figure.TURNOUT, code="2")

    body = client_as("officer").get(f"/api/v1/projects/{project.pk}/results/").json()

    # Their district (A): the ToT's three, none of August's (district B).
    assert [line["actual"]["total"] for line in body["indicators"]] == [3, 38]
    assert story.district_a.pk != story.district_b.pk


def test_an_unknown_project_is_missing(client_as, world):
    assert (
        client_as("manager").get("/api/v1/projects/999999/results/").status_code == 404
    )
