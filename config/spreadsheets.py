"""Spreadsheets out of the system: CSV and XLSX that a spreadsheet program cannot run.

Every export (sign-in sheets, lists, reports) goes through ``rows_to_csv`` or
``rows_to_xlsx``: a cell starting with a formula character is neutralised, and every
XLSX cell is text, so phone numbers keep their leading zero or ``+``.
"""

import csv
import io

from openpyxl import Workbook

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


def rows_to_xlsx(rows: list[list], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(["" if value is None else str(value) for value in row])
    for sheet_row in sheet.iter_rows():
        for cell in sheet_row:
            # Every cell is text: a phone number keeps its leading zero or +, and a
            # cell starting with "=" is shown, never run as a formula.
            cell.data_type = "s"
    for column_cells in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column_cells)
        sheet.column_dimensions[column_cells[0].column_letter].width = min(
            width + 2, 40
        )
    sheet.freeze_panes = "B2"
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
    """Text a spreadsheet will not run: a leading formula character is quoted."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def protect_admin_exports() -> None:
    """Make Wagtail's own list exports (``list_export`` on any admin listing, and
    its reports) neutralise formulas in CSV as ``rows_to_csv`` does; its XLSX
    already writes formula-looking cells as text.

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

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
