import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from people.models import Gender
from periods.models import PeriodApproval
from tests.factories import PersonFactory, SessionFactory, enrol
from tests.reports.conftest import complete

pytestmark = pytest.mark.django_db
REPORT = "/admin/reports/"


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def csv_rows(content: bytes) -> list[list]:
    """The CSV's rows, without the blank one between the filters and the table."""
    return [row for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) if row]


def refused(response) -> bool:
    """Wagtail answers a refused admin page with a redirect to the admin home."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def summary_line(rows, label="People trained") -> list[str]:
    (line,) = [row for row in rows if row[1] == label]
    return [str(value) for value in line[2:7]]


@pytest.mark.parametrize(
    "user, allowed",
    [
        ("manager", True),
        ("admin", True),
        ("trainer", True),
        ("promoter", False),
        ("editor", False),
    ],
)
def test_who_opens_the_report_page(client_in_english, story, user, allowed):
    client = client_in_english(user)
    for url in (REPORT, REPORT + "export.csv", REPORT + "dhis2.json"):
        response = client.get(url)
        assert (response.status_code == 200) is allowed
        assert refused(response) is not allowed


def test_anonymous_is_sent_to_sign_in(client, story):
    response = client.get(REPORT)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_same_numbers_on_the_page_the_exports_and_the_api(client_in_english, story):
    client = client_in_english("manager")
    query = {"year": "2022"}

    page = client.get(REPORT, query).content.decode()
    xlsx = xlsx_rows(client.get(REPORT + "export.xlsx", query).content)
    rows = csv_rows(client.get(REPORT + "export.csv", query).content)
    api = client.get("/api/v1/reports/trained/", query).json()

    assert 'data-figure="trained-total">6<' in page
    assert 'data-figure="trained-women">2<' in page
    assert summary_line(xlsx) == summary_line(rows) == ["6", "2", "2", "1", "1"]
    assert api == {
        "total": 6,
        "women": 2,
        "men": 2,
        "other": 1,
        "not_recorded": 1,
        "aggregate": {"total": 0, "women": 0, "men": 0, "other": 0, "not_recorded": 0},
    }
    assert 'data-figure="tot-total">3<' in page
    assert summary_line(rows, "Training of Trainers graduates")[0] == "3"
    assert client.get("/api/v1/reports/tot/", query).json()["graduates"]["total"] == 3
    by_district = client.get(
        "/api/v1/reports/trained/", {**query, "by": "district"}
    ).json()["rows"]
    csv_districts = {
        row[1]: row[2] for row in rows if row[0] == "People trained by district"
    }
    assert csv_districts == {"Paksong": "3", "Phin": "4"}
    assert sorted(str(row["total"]) for row in by_district) == ["3", "4"]


def test_sentences_in_both_languages_with_a_copy_button(client_in_english, story):
    page = client_in_english("manager").get(REPORT, {"year": "2022"}).content.decode()

    assert "6 people were trained (2 women, 2 men, 1 other and 1 not recorded)." in (
        page
    )
    assert 'lang="lo"' in page
    assert 'class="button button-small button-secondary suksa-copy"' in page


def test_the_page_opens_on_this_year_and_all_time_is_one_click(
    client_in_english, story
):
    client = client_in_english("manager")
    this_year = timezone.localdate().year

    page = client.get(REPORT).content.decode()
    assert f'name="year" value="{this_year}"' in page
    assert 'data-figure="trained-total">0<' in page  # the story is 2022–2023
    assert f"date_from={this_year}-01-01" in page  # the export links carry it

    all_time = client.get(REPORT, {"year": ""}).content.decode()
    assert 'data-testid="report-scope">All of Laos, all time<' in all_time
    assert 'data-figure="trained-total">7<' in all_time


def test_the_heading_says_abroad_when_the_report_counts_people_abroad(
    client_in_english, story
):
    """i18h item 3: the totals include people trained abroad; so does the heading."""
    from tests.factories import PersonFactory, abroad_session

    abroad_session(people=[PersonFactory()])
    client = client_in_english("manager")

    all_time = client.get(REPORT, {"year": ""}).content.decode()
    assert 'data-testid="report-scope">All of Laos and abroad, all time<' in all_time
    assert 'data-figure="trained-total">8<' in all_time
    a_year_before = client.get(REPORT, {"year": "2020"}).content.decode()
    assert 'data-testid="report-scope">All of Laos, 2020<' in a_year_before


def test_charts_are_inline_svg_with_a_title_and_a_table(client_in_english, story):
    page = client_in_english("manager").get(REPORT, {"year": ""}).content.decode()

    assert "<svg" in page and "<title>People trained by district</title>" in page
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>")[0].replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert 'data-row="' in page


def test_exports_neutralise_formulas_and_mask_phones_for_managers(
    client_in_english, story
):
    client = client_in_english("manager")

    rows = csv_rows(client.get(REPORT + "people.csv").content)
    sheet = xlsx_rows(client.get(REPORT + "people.xlsx").content)

    names = [row[0] for row in rows]
    assert '\'=HYPERLINK("x")' in names
    assert "020 ••• ••34" in [row[4] for row in sheet]
    assert "020 5555 1234" not in client.get(REPORT + "people.csv").content.decode()
    admin_sheet = xlsx_rows(
        client_in_english("admin").get(REPORT + "people.xlsx").content
    )
    assert "020 5555 1234" in [row[4] for row in admin_sheet]
    workbook = load_workbook(io.BytesIO(client.get(REPORT + "people.xlsx").content))
    cells = [c for row in workbook.active.iter_rows() for c in row if c.value]
    # Texts (phones, names) are text cells, years numbers, nothing a formula.
    assert all(cell.data_type in ("s", "n") for cell in cells)
    assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))


def test_aggregate_records_are_marked_on_the_page_exports_and_people_list(
    client_in_english, story
):
    from tests.factories import HistoricalTrainingFactory

    HistoricalTrainingFactory(
        district=story.district_a,
        starts_on=datetime.date(2022, 3, 1),
        ends_on=datetime.date(2022, 3, 2),
    )
    client = client_in_english("manager")
    query = {"year": "2022"}

    page = client.get(REPORT, query).content.decode()
    rows = csv_rows(client.get(REPORT + "export.csv", query).content)
    people = csv_rows(client.get(REPORT + "people.csv", query).content)

    assert 'data-figure="trained-total">36<' in page
    assert "of whom 30 from aggregate records, no names" in page
    assert "+ 30 from aggregate records, no names" in page
    assert summary_line(rows) == ["36", "14", "20", "1", "1"]
    assert summary_line(
        rows, "Of whom from aggregate records (totals only, no names)"
    ) == ["30", "12", "18", "0", "0"]
    assert people[-1] == ["Not listed: 30 more from aggregate records, no names"]
    assert len(people) == 3 + 1 + 6 + 1  # filters, header, six named people, note


def test_only_managers_and_administrators_get_lists_of_people(client_in_english, story):
    assert refused(client_in_english("trainer").get(REPORT + "people.csv"))
    assert client_in_english("admin").get(REPORT + "people.xlsx").status_code == 200


def test_pdf_report_in_lao_and_english(client_in_english, story):
    client = client_in_english("manager")
    for language in ("lo", "en"):
        response = client.get(
            REPORT + "export.pdf", {"year": "2022", "language": language}
        )
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        assert f"-{language}.pdf" in response["Content-Disposition"]


def test_bad_filters_get_a_message_and_no_error(client_in_english, story):
    page = client_in_english("manager").get(
        REPORT, {"quarter": "2", "date_from": "2023-01-01", "date_to": "2022-01-01"}
    )
    assert page.status_code == 200
    assert "Choose the year of the quarter." in page.content.decode()
    assert "The end of the period is before its start." in page.content.decode()


def test_dashboard_on_the_admin_home_for_managers(client_in_english, story):
    home = client_in_english("manager").get("/admin/").content.decode()
    assert "suksa-dashboard" in home
    assert "Open the reports" in home
    assert "css/admin-reports.css" in home  # aligned heading, numbers on the right
    trainer_home = client_in_english("trainer").get("/admin/").content.decode()
    assert "suksa-dashboard" not in trainer_home


def test_report_page_filters_fold_away_on_a_phone(client_in_english, story):
    page = client_in_english("manager").get(REPORT).content.decode()

    assert '<details class="suksa-report-filters-box" open' in page
    assert 'matchMedia("(max-width: 50em)")' in page  # folded on a phone
    assert "css/admin-reports.css" in page
    assert "js/report-filters.js" in page  # a province narrows the districts


def test_report_page_queries_do_not_grow_with_the_data(client_in_english, story):
    client = client_in_english("manager")
    this_year = timezone.localdate().year  # the period both pages open on

    def queries() -> tuple[int, int]:
        from reports.figures import uncached

        counted = []
        for url in (REPORT, "/admin/"):  # the report page and the home dashboard
            # Every figure computed (what the cache holds depends on which part
            # of the data was written last).
            with uncached(), CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counted.append(len(captured))
        return tuple(counted)

    def add_session(day: int, led_by) -> None:
        session = SessionFactory(
            district=story.district_b,
            starts_on=datetime.date(this_year, 1, day),
            ends_on=datetime.date(this_year, 1, day),
            led_by=[led_by],
        )
        people = [PersonFactory(gender=Gender.WOMAN) for _ in range(4)]
        enrol(session, *people)
        complete(session, *people)

    add_session(
        1, story.people["kham"]
    )  # a ToT this year, so the figures are not empty
    before = queries()
    for day in range(2, 12):
        add_session(day, story.people["noy"])  # led by a ToT graduate: a cascade
    assert queries() == before


# Period approval ---------------------------------------------------------------------


def test_a_manager_approves_and_unapproves_with_a_reason(client_in_english, story):
    client = client_in_english("manager")
    response = client.post(
        REPORT + "approvals/",
        {"district": story.district_a.pk, "kind": "month", "year": 2022, "number": 6},
    )
    assert response.status_code == 302
    approval = PeriodApproval.objects.get()

    confirm = client.get(REPORT + f"approvals/{approval.pk}/unapprove/")
    assert "Yes, un-approve" in confirm.content.decode()
    refused = client.post(REPORT + f"approvals/{approval.pk}/unapprove/", {})
    assert refused.status_code == 200
    approval.refresh_from_db()
    assert approval.is_active

    client.post(
        REPORT + f"approvals/{approval.pk}/unapprove/", {"reason": "Late sheet"}
    )
    approval.refresh_from_db()
    assert approval.revoke_reason == "Late sheet"
    history = client.get(REPORT + "approvals/?show=all").content.decode()
    assert "Late sheet" in history


def test_approving_twice_says_so(client_in_english, story):
    client = client_in_english("manager")
    data = {
        "district": story.district_a.pk,
        "kind": "quarter",
        "year": 2022,
        "number": 2,
    }
    client.post(REPORT + "approvals/", data)
    response = client.post(REPORT + "approvals/", data)
    assert "already approved" in response.content.decode()
    assert PeriodApproval.objects.count() == 1


@pytest.mark.parametrize("user", ["trainer", "officer", "promoter"])
def test_only_managers_approve(client_in_english, story, user):
    client = client_in_english(user)
    assert refused(client.get(REPORT + "approvals/"))
    response = client.post(
        REPORT + "approvals/",
        {"district": story.district_a.pk, "kind": "month", "year": 2022, "number": 6},
    )
    assert refused(response)
    assert not PeriodApproval.objects.exists()


# DHIS2 -------------------------------------------------------------------------------


def test_dhis2_data_values_by_district_quarter_and_sex(client_in_english, story):
    client = client_in_english("manager")
    payload = json.loads(client.get(REPORT + "dhis2.json", {"year": "2022"}).content)
    values = {
        (v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"]): v[
            "value"
        ]
        for v in payload["dataValues"]
    }
    assert values[("SUKSA_PEOPLE_TRAINED", "2022Q2", "1604", "FEMALE")] == "2"
    assert values[("SUKSA_PEOPLE_TRAINED", "2022Q2", "1604", "MALE")] == "1"
    assert values[("SUKSA_PEOPLE_TRAINED", "2022Q3", "1307", "OTHER")] == "1"
    assert values[("SUKSA_TOT_GRADUATES", "2022Q2", "1604", "FEMALE")] == "2"
    # Zeros are sent, so a count corrected to zero reaches DHIS2 (test_dhis2.py).
    assert values[("SUKSA_TOT_GRADUATES", "2022Q3", "1307", "MALE")] == "0"
    rows = csv_rows(client.get(REPORT + "dhis2.csv", {"year": "2022"}).content)
    assert rows[0][:3] == ["dataelement", "period", "orgunit"]
    assert len(rows) == len(payload["dataValues"]) + 1


def test_tot_impact_section_follows_the_filters(client_in_english, story):
    client = client_in_english("manager")

    page = client.get(REPORT, {"year": "2022"}).content.decode()
    api = client.get("/api/v1/reports/tot/", {"year": "2022"}).json()
    later = client.get(REPORT, {"year": "2023"}).content.decode()

    assert 'data-testid="tot-impact"' in page
    assert 'data-figure="tot-sessions-led">1<' in page  # Kham led August
    assert api["sessions_led"] == 1 and api["meetings_led"] == 0
    assert '<tr data-row="tot_reach"><th scope="row">People they trained' in page
    assert 'data-testid="tot-impact-empty"' in later
