"""Wagtail's own list exports, made as safe as ours (applied by ``CommonConfig``).

Every admin listing with ``list_export`` (and Wagtail's reports) exports through
``SpreadsheetExportMixin``; patched once at start-up, no listing added later can
forget it.
"""

import datetime

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from common.sheets import XLSX_DATE_FORMAT, safe_text


def protect_admin_exports() -> None:
    """Make Wagtail's list exports neutralise formulas in CSV as ``rows_to_csv`` does
    (its XLSX already writes formula-looking cells as text), and show dates in XLSX
    as ``rows_to_xlsx`` does (17/02/2024; its numbers are already numbers)."""
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
