"""Spreadsheets out of the system: CSV and XLSX that a spreadsheet program cannot run.

Every export (sign-in sheets, lists, reports) goes through ``rows_to_csv`` or
``rows_to_xlsx``: a cell starting with a formula character is neutralised. In XLSX a
number (int, Decimal, float) is a number and a date a date (shown 17/02/2024), so a
spreadsheet can sum, sort and pivot them; every text is a text cell, never a formula,
so phone numbers keep their leading zero or ``+``.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

from common.numbers import plain_number

# How XLSX shows dates: one format, day/month/year with leading zeros, as the pages.
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"

# The full-width forms (＝ ＋ － ＠) too: some spreadsheet programs read them as the
# ASCII ones when a CSV is opened.
FORMULA_STARTS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)


def _xlsx_value(value):
    """(value, number format) of a cell: numbers and dates as such, the rest text."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return str(value), None
    if isinstance(value, int | float | Decimal):
        return value, None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value, XLSX_DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return value, XLSX_DATE_FORMAT
    return str(value), None


def _shown_width(value) -> int:
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, Decimal | float):
        return len(plain_number(value))
    return len(str(value))


def rows_to_xlsx(rows: list[list], *, title: str, header_row: int = 1) -> bytes:
    """``header_row`` (1-based) is the table's header, kept in view when scrolling;
    rows above it (a title, the filters) scroll away."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    widths: dict[int, int] = {}
    for row_number, row in enumerate(rows, start=1):
        for column, raw in enumerate(row, start=1):
            value, number_format = _xlsx_value(raw)
            if value == "":
                continue
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                # Text stays text: a phone number keeps its leading zero or +, and
                # a cell starting with "=" is shown, never run as a formula.
                cell.data_type = "s"
            elif number_format:
                cell.number_format = number_format
            widths[column] = max(widths.get(column, 0), _shown_width(value))
    for column, width in widths.items():
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = min(width + 2, 40)
    sheet.freeze_panes = f"B{header_row + 1}"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def rows_to_csv(rows: list[list]) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output)
    for row in rows:
        writer.writerow([safe_text(value) for value in row])
    return output.getvalue().encode("utf-8-sig")


def safe_text(value) -> str:
    """Text a spreadsheet will not run: a leading formula character is quoted.
    Numbers are written plainly (72.5, 1240), dates as 2024-02-17."""
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return plain_number(value)
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def protect_admin_exports() -> None:
    """Make Wagtail's own list exports (``list_export`` on any admin listing, and
    its reports) neutralise formulas in CSV as ``rows_to_csv`` does (its XLSX
    already writes formula-looking cells as text), and show dates in XLSX as
    ``rows_to_xlsx`` does (17/02/2024; its numbers are already numbers).

    Patched once, at start-up, so that no listing added later can forget it.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = original(self, field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return safe_text(value)
        return value

    original_row = SpreadsheetExportMixin.generate_xlsx_row

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        cells = original_row(self, worksheet, row_dict, date_format=date_format)
        for value, cell in zip(row_dict.values(), cells, strict=True):
            if isinstance(value, datetime.date) and not isinstance(
                value, datetime.datetime
            ):
                cell.number_format = XLSX_DATE_FORMAT
            yield cell

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.generate_xlsx_row = generate_xlsx_row
