"""Numbers as numbers, dates as dates (issue 16, item 5): one date format per
language (17/02/2024), one number format on screens, in PDFs and exports (1,240,
72.5, 80), and XLSX cells a spreadsheet can sum and sort."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation
from openpyxl import load_workbook

from common.numbers import number, short_date
from common.sheets import rows_to_csv, rows_to_xlsx

DAY = datetime.date(2024, 2, 7)


@pytest.mark.parametrize("language", ["lo", "en"])
def test_one_date_format_with_leading_zeros(language):
    moment = datetime.datetime(2024, 2, 7, 9, 5)
    with translation.override(language):
        assert short_date(DAY) == "07/02/2024"
        assert formats.date_format(DAY) == "07/02/2024"  # DATE_FORMAT too
        assert formats.date_format(moment, "DATETIME_FORMAT") == "07/02/2024 09:05"
        assert Template("{{ day }}").render(Context({"day": DAY})) == "07/02/2024"


@pytest.mark.parametrize("language", ["lo", "en"])
def test_one_number_format_in_both_languages(language):
    with translation.override(language):
        assert number(1240) == "1,240"
        assert number(Decimal("72.50")) == "72.5"
        assert number(Decimal("50.00")) == "50"
        assert number(72.0) == "72"
        assert number(None) == ""


def test_the_number_filter_needs_no_load():
    template = Template("{{ score|number }} / {{ rule|number }}")
    with translation.override("lo"):
        assert (
            template.render(Context({"score": Decimal("72.00"), "rule": Decimal("50")}))
            == "72 / 50"
        )


def test_xlsx_numbers_are_numbers_and_dates_are_dates():
    moment = timezone.make_aware(datetime.datetime(2024, 2, 7, 9, 5))
    rows = [
        ["Name", "Year", "Score", "Day", "At", "Phone"],
        ["Noy", 1996, Decimal("72.5"), DAY, moment, "020 5555 1234"],
    ]

    sheet = load_workbook(io.BytesIO(rows_to_xlsx(rows, title="t"))).active
    name, year, score, day, at, phone = sheet[2]

    assert (year.value, year.data_type) == (1996, "n")
    assert (score.value, score.data_type) == (72.5, "n")
    assert day.value == datetime.datetime(2024, 2, 7) and day.is_date
    assert day.number_format == "DD/MM/YYYY"
    assert at.value == datetime.datetime(2024, 2, 7, 9, 5) and at.is_date
    assert (phone.value, phone.data_type) == ("020 5555 1234", "s")
    assert (name.value, name.data_type) == ("Noy", "s")


def test_the_header_row_stays_in_view_below_a_preamble():
    rows = [["Report", "2024"], [], ["Figure", "Total"], ["Trained", 3]]

    sheet = load_workbook(
        io.BytesIO(rows_to_xlsx(rows, title="t", header_row=3))
    ).active

    assert sheet.freeze_panes == "B4"
    assert sheet["B4"].value == 3


def test_csv_writes_numbers_plainly_and_dates_as_iso():
    content = rows_to_csv([[Decimal("72.50"), Decimal("80.00"), 1240, DAY]])

    (row,) = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    assert row == ["72.5", "80", "1240", "2024-02-07"]


@pytest.mark.django_db
def test_admin_listing_exports_show_dates_as_the_pages_do(client_as):
    from tests.factories import SessionFactory

    session = SessionFactory()

    response = client_as("admin").get("/admin/sessions/", {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    starts_on = sheet[2][2]  # code, course, starts on (SessionViewSet.list_export)
    assert starts_on.is_date and starts_on.number_format == "DD/MM/YYYY"
    assert str(starts_on.value)[:10] == session.starts_on.isoformat()
