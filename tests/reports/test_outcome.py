"""The outcome report drafted from the records (issue 17, items 4 and 5), without the
demo: the demo's figures are checked in test_outcome_demo.py (seeded once there)."""

import datetime

import pytest

from reports.filters import ReportFilters
from reports.outcome import outcome_report

PAGE = "/admin/reports/outcome/"
API = "/api/v1/reports/outcome/"


def year(value: int) -> ReportFilters:
    return ReportFilters(
        date_from=datetime.date(value, 1, 1), date_to=datetime.date(value, 12, 31)
    )


# Without the demo ----------------------------------------------------------------


@pytest.mark.django_db
def test_nothing_recorded_drafts_no_sentence():
    sections = outcome_report(year(2023), language="en")
    texts = {section.key: section.text for section in sections}
    assert texts["outcome"] == texts["contribution"] == texts["gender"] == ""
    assert texts["codes"] == "Year: 2023"


@pytest.mark.django_db
def test_the_page_says_when_nothing_was_recorded(client_in_english):
    page = client_in_english("manager").get(PAGE, {"year": 1999})
    assert page.status_code == 200
    assert b'data-testid="outcome-empty"' in page.content


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["promoter", "editor"])
def test_only_report_readers_open_the_outcome_report(client_as, username):
    client = client_as(username)
    assert client.get(PAGE).status_code in (302, 403)
    assert client.post(PAGE, {"format": "pdf"}).status_code in (302, 403)
    assert client.get(API).status_code == 403


@pytest.mark.django_db
def test_a_district_officer_reads_it_for_their_district(client_as):
    assert client_as("officer").get(API, {"year": 2023}).status_code == 200


@pytest.mark.django_db
def test_unknown_parameters_and_languages_are_refused(client_as):
    client = client_as("manager")
    unknown = client.get(API, {"year": 2023, "colour": "red"})
    assert unknown.status_code == 400
    assert unknown.json()["unknown"] == ["colour"]
    assert client.get(API, {"lang": "fr"}).status_code == 400
    assert client.get(API, {"project": 999999}).status_code == 400


@pytest.mark.django_db
def test_the_page_refuses_an_unknown_format(client_as):
    assert client_as("manager").post(PAGE, {"format": "odt"}).status_code == 400


def test_english_spells_one_to_nine_and_lao_uses_digits():
    from django.utils import translation

    from reports.sentences import centres_sentence

    with translation.override("en"):
        assert centres_sentence(count=4, when="May 2023", names=["A"]).startswith(
            "In May 2023, four information centres"
        )
        assert "12 information centres" in centres_sentence(
            count=12, when="May 2023", names=["A"]
        )
