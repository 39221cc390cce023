"""The Lao report PDF renders Lao (issue 16, item 2): its charts are drawn with the
Noto Lao fonts, not with a system font's dotted circles."""

import subprocess

import pytest
from django.utils import translation

from reports.filters import ReportFilters
from reports.report import report_build
from tests.factories import (
    DistrictFactory,
    PersonFactory,
    ProvinceFactory,
    SessionFactory,
    enrol,
)
from tests.reports.conftest import complete

pytestmark = pytest.mark.django_db
REPORT = "/admin/reports/"


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


def pdf_fonts(content: bytes) -> list[str]:
    lines = subprocess.run(
        ["pdffonts", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return [line.split()[0] for line in lines.splitlines()[2:]]


@pytest.fixture
def lao_places(db):
    """Two provinces with Lao names, eight people trained in June 2022."""
    salavan = ProvinceFactory(
        code="14", iso="LA-SL", name_lo="ສາລະວັນ", name_en="Salavan"
    )
    champasak = ProvinceFactory(
        code="16", iso="LA-CH", name_lo="ຈຳປາສັກ", name_en="Champasak"
    )
    for province, count in ((salavan, 3), (champasak, 5)):
        district = DistrictFactory(province=province)
        session = SessionFactory(district=district)
        people = [PersonFactory() for _ in range(count)]
        enrol(session, *people)
        complete(session, *people)
    return salavan, champasak


def test_the_lao_report_pdf_embeds_only_noto_fonts(client_as, lao_places):
    content = (
        client_as("manager")
        .get(REPORT + "export.pdf", {"year": "2022", "language": "lo"})
        .content
    )

    fonts = pdf_fonts(content)
    assert fonts, "no font embedded"
    # The Noto subsets of static/fonts, as "Suksa Sans" and "Suksa Sans Lao".
    assert all("+Suksa-Sans" in font for font in fonts), fonts
    assert any("Suksa-Sans-Lao" in font for font in fonts)


def test_the_lao_charts_print_lao_words(client_as, lao_places):
    content = (
        client_as("manager").get(REPORT + "export.pdf", {"language": "lo"}).content
    )

    text = pdf_text(content)
    assert "◌" not in text  # the dotted circle of a mark shaped alone
    # Each province is named twice in its section: by its bar and in the table.
    assert text.count("ສາລະວັນ") >= 2
    assert text.count("ຈຳປາສັກ") >= 2
    # The chart's legend, in Lao.
    assert "ຍິງ" in text and "ຊາຍ" in text


def test_the_pdf_charts_are_html_and_the_page_charts_svg(lao_places):
    with translation.override("lo"):
        report = report_build(ReportFilters())
        (_key, _title, page_chart, _rows) = report.charts()[0]
        report.for_print = True
        (_key, _title, pdf_chart, _rows) = report.charts()[0]

    assert page_chart.startswith("<svg")
    assert "<svg" not in pdf_chart and "ສາລະວັນ" in pdf_chart
    assert "<svg" not in report.summary_chart()
