"""The outcome report drafted from the records (issue 17, items 4 and 5): the demo's
2023 and 2022 reports carry the ILO document's figures, in English and Lao; the
admin page exports the edited text as DOCX and PDF; the API answers the sections."""

import datetime
import io
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from docx import Document

from operations.demo import demo_seed
from projects.models import Project
from reports.filters import ReportFilters
from reports.outcome import SECTION_KEYS, outcome_report

PAGE = "/admin/reports/outcome/"
API = "/api/v1/reports/outcome/"


def year(value: int) -> ReportFilters:
    return ReportFilters(
        date_from=datetime.date(value, 1, 1), date_to=datetime.date(value, 12, 31)
    )


def text_of(sections) -> str:
    return "\n".join(section.text for section in sections)


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


# One demo load for every check: loading it takes a while.
@pytest.mark.django_db
@pytest.mark.slow
def test_the_demo_reports_carry_the_documents_figures():
    demo_seed(password="demo-pass")
    _english_2023()
    _english_2022()
    _lao_2023()
    _a_project_narrows_the_figures()
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="admin"))
    _page_and_files(admin)
    _api(admin)


def _english_2023():
    sections = outcome_report(year(2023), language="en")
    assert [section.key for section in sections] == list(SECTION_KEYS)
    outcome = sections[0].text
    assert "22 % of the 150 people who attended the mobile registration" in outcome
    assert "in 3 villages of Vientiane Capital registered" in outcome
    assert "The Paksong District Social Security Office opened in May 2023" in outcome
    assert "target areas of the project SOLAR" in outcome
    assert "In May 2023, four information centres were set up" in outcome
    assert "in coordination with Oxfam" in outcome
    contribution = sections[1].text
    assert sections[1].title == (
        "Contribution of International Labour Organization (ILO) to the outcome"
    )
    assert "with funding from European Union" in contribution
    assert "at Mahidol University, Thailand" in contribution
    assert contribution.startswith("International Labour Organization (ILO)")
    assert "SDG 8: Decent work and economic growth" in sections[3].text
    codes = sections[4].text
    assert "Year: 2023" in codes and "LAO226" in codes and "8.2.1" in codes
    # A figure of zero gets no sentence: no ToT took place in 2023.
    assert "Training of Trainers in" not in contribution
    assert " 0 " not in text_of(sections).replace("(0", "")


def _english_2022():
    text = text_of(outcome_report(year(2022), language="en"))
    assert "26 people (11 women and 15 men) were trained at the Training of " in text
    assert "Trainers in June 2022" in text
    assert "Decision No. 4369/MoLSW" in text
    # No pilot, office or centre in 2022.
    assert "information centres were set up" not in text
    assert "registration and payment drives" not in text


def _lao_2023():
    sections = outcome_report(year(2023), language="lo")
    text = text_of(sections)
    assert "22 %" in text
    assert "ນະຄອນຫຼວງວຽງຈັນ" in text
    assert "ພຶດສະພາ 2023" in text
    # Lao writes the four centres in digits, and the sentences in Lao.
    assert "ສູນຂໍ້ມູນຂ່າວສານ 4 ແຫ່ງ" in text
    assert "four" not in text
    assert "were set up" not in text and "registered (" not in text
    assert sections[0].title == "ຜົນໄດ້ຮັບທີ່ບັນລຸ"
    lao_2022 = text_of(outcome_report(year(2022), language="lo"))
    assert "26 ຄົນ (ຍິງ 11 ຄົນ ແລະ ຊາຍ 15 ຄົນ)" in lao_2022


def _a_project_narrows_the_figures():
    solar = Project.objects.get(code="SOLAR")
    text = text_of(outcome_report(year(2023), project=solar, language="en"))
    assert "Paksong District Social Security Office" in text
    assert "registration and payment drives" not in text
    assert "Projects: SOLAR" in text


def _page_and_files(admin):
    page = admin.get(PAGE, {"year": 2023, "lang": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "four information centres" in html
    assert 'name="text_outcome"' in html and 'value="docx"' in html
    query = "?year=2023&lang=en"

    edited = {f"text_{key}": f"Edited {key} text." for key in SECTION_KEYS} | {
        "text_outcome": "Edited: 22 % registered in Vientiane Capital."
    }
    docx = admin.post(PAGE + query, {**edited, "format": "docx"})
    assert docx.status_code == 200
    assert docx["Content-Disposition"].endswith('suksa-outcome-2023-en.docx"')
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "Edited: 22 % registered in Vientiane Capital." in paragraphs
    assert "Outcome achieved" in paragraphs
    assert not any("four information centres" in p for p in paragraphs)

    pdf = admin.post(PAGE + query, {**edited, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert "Edited: 22 % registered in Vientiane Capital." in pdf_text(pdf.content)

    lao = admin.post(
        PAGE + "?year=2023&lang=lo", {"text_outcome": "ທົດລອງ", "format": "pdf"}
    )
    assert "ທົດລອງ" in pdf_text(lao.content)


def _api(admin):
    answer = admin.get(API, {"year": 2023, "lang": "en"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["year"] == 2023 and body["language"] == "en"
    assert body["project"] is None
    assert [s["key"] for s in body["sections"]] == list(SECTION_KEYS)
    assert set(body["sections"][0]) == {"key", "title", "text"}
    assert "four information centres" in body["sections"][0]["text"]
    solar = Project.objects.get(code="SOLAR")
    narrowed = admin.get(API, {"year": 2023, "lang": "lo", "project": solar.pk})
    assert narrowed.json()["project"] == solar.pk
    assert narrowed.json()["language"] == "lo"


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
