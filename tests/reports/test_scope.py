"""Reports say what they show (issue 16, item 4): the place, the period and the
other filters, in the reader's language, on the page, in the PDF, CSV and XLSX; file
names carry the period."""

import datetime

import pytest
from django.utils import translation

from reports.filters import ReportFilters
from reports.scope import (
    filters_described,
    filters_summary,
    not_filtered,
    period_label,
    period_slug,
    place_label,
)
from tests.factories import DistrictFactory, ProvinceFactory
from tests.reports.test_views import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db
REPORT = "/admin/reports/"


def between(start, end) -> ReportFilters:
    return ReportFilters(date_from=datetime.date(*start), date_to=datetime.date(*end))


@pytest.mark.parametrize(
    ("filters", "english", "lao", "slug"),
    [
        (between((2024, 1, 1), (2024, 12, 31)), "2024", "ປີ 2024", "2024"),
        (
            between((2024, 4, 1), (2024, 6, 30)),
            "Q2 2024",
            "ໄຕມາດ 2 ປີ 2024",
            "2024-Q2",
        ),
        (between((2024, 2, 1), (2024, 2, 29)), "02/2024", "ເດືອນ 02/2024", "2024-02"),
        (
            between((2024, 2, 17), (2024, 3, 5)),
            "17/02/2024 – 05/03/2024",
            "17/02/2024 – 05/03/2024",
            "2024-02-17_2024-03-05",
        ),
        (
            ReportFilters(date_from=datetime.date(2024, 2, 7)),
            "from 07/02/2024",
            "ຈາກ 07/02/2024",
            "from-2024-02-07",
        ),
        (ReportFilters(), "All time", "ທຸກໄລຍະເວລາ", "all-time"),
    ],
)
def test_the_period_in_words_and_in_file_names(filters, english, lao, slug):
    with translation.override("en"):
        assert period_label(filters) == english
    with translation.override("lo"):
        assert period_label(filters) == lao
    assert period_slug(filters) == slug


def test_the_place_in_words():
    champasak = ProvinceFactory(
        code="16", iso="LA-CH", name_en="Champasak", name_lo="ຈຳປາສັກ"
    )
    paksong = DistrictFactory(
        code="1604", name_en="Paksong", name_lo="ປາກຊ່ອງ", province=champasak
    )
    capital = ProvinceFactory(
        code="01", iso="LA-VT", name_en="Vientiane Capital", name_lo="ນະຄອນຫຼວງວຽງຈັນ"
    )

    with translation.override("en"):
        assert place_label(ReportFilters(province=champasak)) == "Champasak province"
        assert place_label(ReportFilters(district=paksong)) == (
            "Paksong district, Champasak province"
        )
        assert place_label(ReportFilters(province=capital)) == "Vientiane Capital"
        assert place_label(ReportFilters()) == "All of Laos"
    with translation.override("lo"):
        assert place_label(ReportFilters(province=champasak)) == "ແຂວງ ຈຳປາສັກ"
        assert place_label(ReportFilters(district=paksong)) == (
            "ເມືອງ ປາກຊ່ອງ, ແຂວງ ຈຳປາສັກ"
        )
        assert place_label(ReportFilters(province=capital)) == "ນະຄອນຫຼວງວຽງຈັນ"
        assert place_label(ReportFilters()) == "ທົ່ວປະເທດ"


def test_the_place_says_abroad_when_people_trained_abroad_are_counted():
    """i18h item 3: with no place chosen the totals include programmes abroad; the
    heading says so when the period counts anyone trained abroad, not otherwise."""
    from people.models import Gender
    from tests.factories import PersonFactory, abroad_session

    abroad_session(people=[PersonFactory(gender=Gender.WOMAN)])  # ends 31/08/2023
    province = ProvinceFactory(code="16", name_en="Champasak", name_lo="ຈຳປາສັກ")
    with_abroad = [ReportFilters(), between((2023, 1, 1), (2023, 12, 31))]
    without = [between((2010, 1, 1), (2010, 12, 31))]

    with translation.override("en"):
        for filters in with_abroad:
            assert place_label(filters) == "All of Laos and abroad"
        for filters in without:
            assert place_label(filters) == "All of Laos"
        assert place_label(ReportFilters(province=province)) == "Champasak province"
        assert filters_summary(ReportFilters()) == "All of Laos and abroad, all time"
    with translation.override("lo"):
        assert place_label(ReportFilters()) == "ທົ່ວປະເທດ ແລະ ຕ່າງປະເທດ"
        assert place_label(without[0]) == "ທົ່ວປະເທດ"


def test_an_abroad_programme_nobody_completed_is_not_counted():
    from tests.factories import PersonFactory, abroad_session

    abroad_session(people=[PersonFactory()], completed=False)
    with translation.override("en"):
        assert place_label(ReportFilters()) == "All of Laos"


def test_the_summary_names_place_period_and_the_other_filters(story):
    filters = ReportFilters(
        date_from=datetime.date(2022, 1, 1),
        date_to=datetime.date(2022, 12, 31),
        province=story.district_a.province,
        course=story.august.course,
        course_kind="short_course",
    )

    with translation.override("en"):
        assert filters_summary(filters) == (
            "Champasak province, 2022 · Course: Farm workers · "
            "Course kind: Short course"
        )


def test_the_page_and_its_sentences_say_where_and_when(client_in_english, story):
    province = story.district_a.province
    page = (
        client_in_english("manager")
        .get(REPORT, {"year": "2022", "province": province.pk})
        .content.decode()
    )

    assert 'data-testid="report-scope">Champasak province, 2022<' in page
    assert 'data-sentence="en">Champasak province, 2022: 3 people were trained' in page
    assert 'data-sentence="lo">ແຂວງ ຈຳປາສັກ, ປີ 2022: ໄດ້ຝຶກອົບຮົມ 3 ຄົນ' in page


@pytest.mark.parametrize(
    ("url", "query", "name"),
    [
        ("export.csv", {"year": "2022"}, "suksa-report-2022.csv"),
        ("export.xlsx", {"year": "2022", "quarter": "3"}, "suksa-report-2022-Q3.xlsx"),
        ("export.pdf", {"language": "en"}, "suksa-report-all-time-en.pdf"),
        ("people.csv", {"year": "2023"}, "suksa-trained-2023.csv"),
        (
            "dhis2.json",
            {"date_from": "2022-06-01", "date_to": "2022-08-31"},
            "suksa-dhis2-2022-06-01_2022-08-31.json",
        ),
    ],
)
def test_file_names_carry_the_period_not_today(
    client_in_english, story, url, query, name
):
    response = client_in_english("admin").get(REPORT + url, query)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_csv_and_xlsx_start_with_their_filters(client_in_english, story):
    client = client_in_english("manager")
    query = {"year": "2022", "province": story.district_b.province.pk}

    for rows in (
        csv_rows(client.get(REPORT + "export.csv", query).content),
        xlsx_rows(client.get(REPORT + "export.xlsx", query).content),
    ):
        assert rows[0][:2] == ["Suksa report", "Savannakhet province, 2022"]
        assert rows[1][:2] == ["Place", "Savannakhet province"]
        assert rows[2][:2] == ["Period", "2022"]
        # Coverage is today's network: the file says the period does not apply.
        assert rows[3][:2] == ["Promoter network coverage", "Not filtered by period"]
        assert ["Section", "Figure", "Total"] in [row[:3] for row in rows[4:6]]


def test_the_people_list_starts_with_its_filters_in_lao(client_as, story):
    rows = xlsx_rows(
        client_as("manager")
        .get(REPORT + "people.xlsx", {"year": "2022", "district": story.district_b.pk})
        .content
    )

    assert rows[0][0] == "ບຸກຄົນທີ່ໄດ້ຮັບການຝຶກອົບຮົມ"
    assert rows[1][1].startswith("ເມືອງ ")
    assert rows[2][1] == "ປີ 2022"


def test_the_english_pdf_says_its_filters_in_english(client_in_english, story):
    from tests.reports.test_pdf import pdf_text

    content = (
        client_in_english("manager")
        .get(
            REPORT + "export.pdf",
            {"language": "en", "province": story.district_b.province.pk},
        )
        .content
    )

    text = pdf_text(content)
    assert "Savannakhet province, all time" in text
    assert "ທຸກໄລຍະເວລາ" not in text


def test_each_section_says_which_chosen_filter_it_leaves_out(story):
    from tests.factories import OrganisationFactory, ProjectFactory

    oxfam = OrganisationFactory(name="Oxfam")
    project = ProjectFactory(code="LAO226-EU", title_en="ILO support")
    filters = ReportFilters(course_kind="tot", partner=oxfam, project=project)

    with translation.override("en"):
        described = filters_described(filters)
        statements = dict(not_filtered(filters))

    assert ("Partner", "Oxfam") in described
    assert ("Project", "LAO226-EU · ILO support") in described
    assert statements == {
        "Village meetings": "Not filtered by course kind",
        "Information centre visits": "Not filtered by course kind",
        "Promoter network coverage": "Not filtered by course kind",
        "Downloads of materials": "Not filtered by course kind",
    }
    assert not_filtered(ReportFilters(partner=oxfam, project=project)) == []


def test_the_page_states_what_outreach_is_not_filtered_by(client_in_english, story):
    page = client_in_english("manager").get(
        REPORT, {"year": "2023", "course": story.tot.course_id}
    )

    assert 'data-testid="not-filtered"' in page.content.decode()
    assert "Not filtered by period, course" in page.content.decode()
