"""Rows pasted from a spreadsheet, read as the sign-in sheet import reads a file.

A trainer copies rows from Excel or Google Sheets (cells separated by tabs) and
pastes them into a text box. Without a header row the columns are, in order:
name, gender, phone, organisation, position; with one, the sheet template's headers
(Lao or English) say which column is which. The pasted rows become a CSV file that
``sheet_import`` reads, so the preview, the checks and the saving are the import's.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.sheets import date_or_none, headers_match

from .imports import ImportReport, sheet_import
from .models import Session
from .sheets import COLUMNS, COLUMNS_BY_KEY, RowError

# The columns of rows pasted without a header, in this order.
PASTE_COLUMNS = ("full_name", "gender", "phone", "organisation", "position")
PASTE_FILENAME = "pasted.csv"


@dataclass
class PastedSheet:
    content: bytes
    # Lines put before the pasted ones (a header row written for them): the
    # import's row numbers, less this, are the numbers of the pasted lines.
    added_lines: int = 0
    errors: list[RowError] = field(default_factory=list)


def _is_header(cells: list[str]) -> bool:
    keys, others = headers_match(cells, COLUMNS)
    return bool(keys) or any(date_or_none(cells[index]) for index in others)


def paste_read(text: str) -> PastedSheet:
    """The pasted text as a CSV sheet; a row with more cells than the paste
    columns (and no header to name them) is an error naming the row."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rows = [line.split("\t") for line in lines]
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    errors = []
    added_lines = 0
    if rows and not _is_header(rows[0]):
        added_lines = 1
        for number, cells in enumerate(rows, start=1):
            extra = [cell for cell in cells[len(PASTE_COLUMNS) :] if cell.strip()]
            if extra:
                errors.append(
                    RowError(
                        number,
                        _("column %(number)s") % {"number": len(PASTE_COLUMNS) + 1},
                        _(
                            "Too many cells. Paste five columns: name, gender, "
                            "phone, organisation, position — or include the "
                            "template's header row."
                        ),
                    )
                )
        rows.insert(0, [COLUMNS_BY_KEY[key].header for key in PASTE_COLUMNS])
    output = io.StringIO()
    # Every cell quoted: the import's delimiter sniffing then finds the commas.
    csv.writer(output, quoting=csv.QUOTE_ALL).writerows(rows)
    return PastedSheet(output.getvalue().encode(), added_lines, errors)


def paste_import(
    *, session: Session, pasted: PastedSheet, dry_run: bool, by=None
) -> ImportReport:
    """``sheet_import`` of the pasted rows, its row numbers those of the paste."""
    if pasted.errors:
        return ImportReport(errors=list(pasted.errors))
    report = sheet_import(
        session=session,
        content=pasted.content,
        filename=PASTE_FILENAME,
        dry_run=dry_run,
        by=by,
    )
    if pasted.added_lines:
        for error in report.errors:
            if error.row:
                error.row -= pasted.added_lines
        for plan in report.rows:
            plan.number -= pasted.added_lines
    return report
