"""The one spreadsheet layer: sheets in (read, matched, folded, typed, checked
row by row) and out (CSV and XLSX that a spreadsheet program cannot run).

Reading: ``sheet_read`` refuses a wrong type, size or shape (rows, columns, cells,
zip bombs) before anything is parsed; ``headers_match`` finds each ``Column`` by its
English or Lao name (or both, as the exports write them), folded by ``fold``: one
folding for every comparison of typed text (NFC, case, spaces, zero-width spaces).
Typed cells: ``cell_text``, ``cell_int``, ``cell_count``, ``cell_amount``,
``cell_date``, ``cell_gender`` (one list of gender words), ``cell_choice``; a cell
that is not what its column needs raises ``RowProblem`` (its column and message),
which an importer turns into a ``RowError`` of the row.

Writing: every export (sign-in sheets, lists, reports) goes through ``rows_to_csv``
or ``rows_to_xlsx``: a cell starting with a formula character is neutralised. In
XLSX a number (int, Decimal, float) is a number and a date a date (shown
17/02/2024), so a spreadsheet can sum, sort and pivot them; every text is a text
cell, never a formula, so phone numbers keep their leading zero or ``+``.

Each importer (sign-in sheets, promoters' lists, paper feedback) keeps only its
columns and the mapping of a row to a service call.
"""

import csv
import datetime
import functools
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from common.numbers import ascii_digits, plain_number
from common.xlsx import Limits, TooMany, worksheet_values, xml_parser

XLSX_MAGIC = b"PK\x03\x04"

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


# Errors -------------------------------------------------------------------------------


class SheetRefused(Exception):
    """The file as a whole cannot be read; nothing in it was looked at row by row."""


@dataclass
class RowError:
    """What is wrong with one cell: its row (1 is the header; 0 the whole file),
    its column's header and a message saying how to correct it."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class RowProblem(Exception):
    """A cell that is not what its column needs; the importer adds the row number."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message

    def at(self, row: int) -> RowError:
        return RowError(row, self.column, self.message)


def errors_shown(errors: list[RowError]) -> list[RowError]:
    """The errors an answer lists: the first ``SUKSA_IMPORT_ERRORS_SHOWN``. Every
    error of a hostile sheet would make an answer of megabytes; the count of all
    of them is given beside."""
    return errors[: settings.SUKSA_IMPORT_ERRORS_SHOWN]


class ErrorsShownMixin:
    """For an import report with ``errors``: the errors listed and how many not."""

    @property
    def errors_shown(self) -> list[RowError]:
        return errors_shown(self.errors)

    @property
    def errors_not_shown(self) -> int:
        return len(self.errors) - len(self.errors_shown)


# Folding and headers ------------------------------------------------------------------


# A sheet repeats the same few words in a column (districts, villages, genders,
# marks): each is folded once, not once per row.
@functools.lru_cache(maxsize=4096, typed=True)
def fold(text) -> str:
    """Typed text as it is compared: NFC (Lao vowels and tone marks typed in either
    order), case folded, zero-width spaces out, runs of spaces as one."""
    text = unicodedata.normalize("NFC", str(text or "")).casefold()
    return " ".join(text.replace("\u200b", "").split())


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its key, and its header in English and Lao. Exports
    write both (``header``); an import finds it by either, by both, by its key, or
    by a name without its bracketed hint ("Trainer" for "Trainer (1-5)")."""

    key: str
    english: str
    lao: str

    @property
    def header(self) -> str:
        return f"{self.english} / {self.lao}"

    def names(self) -> set[str]:
        names = {self.english, self.lao, self.header, self.key}
        names.add(self.key.replace("_", " "))
        names |= {re.sub(r"\s*\([^)]*\)$", "", name) for name in set(names)}
        return {_header_fold(name) for name in names} - {""}


def _header_fold(text) -> str:
    return fold(text).replace(" / ", "/")


def headers_match(header: list, columns) -> tuple[dict[int, str], list[int]]:
    """({index: column key} of the header's known titles, [indexes of the other
    non-empty titles]); each importer says what an unknown title means."""
    names = {name: column.key for column in columns for name in column.names()}
    keys, unknown = {}, []
    for index, title in enumerate(header):
        folded = _header_fold(cell_text(title))
        if not folded:
            continue
        if folded in names:
            keys[index] = names[folded]
        else:
            unknown.append(index)
    return keys, unknown


def unknown_column(title, *, source: str = "template") -> RowError:
    """The error for a header title no column has."""
    message = (
        _("Unknown column. Use the export's headers, in Lao or English.")
        if source == "export"
        else _("Unknown column. Use the template's headers, in Lao or English.")
    )
    return RowError(1, cell_text(title), message)


def row_values(keys: dict[int, str], cells: list) -> dict[str, str]:
    """One row's cells as text, by column key (a short row's missing cells empty)."""
    return {
        key: cell_text(cells[i]) if i < len(cells) else "" for i, key in keys.items()
    }


# Typed cells --------------------------------------------------------------------------

# The one list of words for a gender, in Lao and English (folded): every import reads
# a gender through ``cell_gender``. Values are people.models.Gender's.
GENDER_WORDS = {
    "woman": {"ຍິງ", "ເພດຍິງ", "ນາງ", "f", "female", "woman", "women", "w"},
    "man": {"ຊາຍ", "ເພດຊາຍ", "ທ້າວ", "m", "male", "man", "men"},
    "other": {"ອື່ນໆ", "ອື່ນ", "other", "o"},
    "not_recorded": {
        "",
        "-",
        "ບໍ່ລະບຸ",
        "ບໍ່ໄດ້ບັນທຶກ",
        "not recorded",
        "not_recorded",
        "unknown",
    },
}
GENDERS = {
    fold(word): gender for gender, words in GENDER_WORDS.items() for word in words
}


def cell_text(value) -> str:
    """A cell as text: whole numbers without ``.0``, a date as 2024-02-17, spaces
    collapsed, and the quote our CSV export puts before a formula character gone."""
    if value is None:
        return ""
    if type(value) is not str:  # most cells are text: no checks for them
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime) and value.time() == datetime.time():
            value = value.date()
        value = str(value)
    text = " ".join(value.split())
    if text.startswith("'") and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


def gender_or_none(text: str) -> str | None:
    """The gender a cell names (people.models.Gender's value), or None."""
    return GENDERS.get(fold(text))


def cell_gender(text: str, column: str) -> str:
    gender = gender_or_none(text)
    if gender is None:
        raise RowProblem(
            column,
            _("“%(value)s” is not a gender. Write ຍິງ or ຊາຍ (F/M, woman/man).")
            % {"value": text},
        )
    return gender


def cell_int(text: str) -> int | None:
    """Digits (Lao or ASCII) as a number; None when the cell is anything else."""
    text = ascii_digits(text or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def cell_count(text: str, column: str) -> int:
    """A number of people: digits, empty for 0."""
    if not (text or "").strip():
        return 0
    count = cell_int(text)
    if count is None:
        raise RowProblem(
            column,
            _("“%(value)s” is not a number of people. Write digits, e.g. 12.")
            % {"value": ascii_digits(text)},
        )
    return count


def cell_amount(text: str, column: str) -> int:
    """An amount of kip: digits, with or without thousands separators."""
    digits = ascii_digits(text or "").replace(",", "").replace(" ", "")
    if digits and not (digits.isascii() and digits.isdigit()):
        raise RowProblem(
            column,
            _("“%(value)s” is not an amount in kip. Write digits, e.g. 117000.")
            % {"value": text},
        )
    return int(digits or 0)


def date_or_none(text) -> datetime.date | None:
    """A date written 2023-05-31 or 31/05/2023 (Lao digits too), or a date cell."""
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    text = ascii_digits(cell_text(text))
    iso = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    else:
        local = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if not local:
            return None
        day, month, year = (int(part) for part in local.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def cell_date(text: str, column: str, *, required: bool = True):
    if not text:
        if required:
            raise RowProblem(column, _("The date is empty."))
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(ascii_digits(text), pattern).date()
        except ValueError:
            continue
    raise RowProblem(
        column,
        _("“%(value)s” is not a date. Write it as 2023-05-31 or 31/05/2023.")
        % {"value": text},
    )


def cell_choice(text: str, choices, column: str) -> str:
    """The value of one of ``choices`` (Django's (value, label)) named by its value
    or label, in English or the current language."""
    for value, label in choices:
        if fold(text) in {fold(value), fold(label), fold(_(str(label)))}:
            return value
    raise RowProblem(
        column,
        _("“%(value)s” is not one of: %(choices)s.")
        % {"value": text, "choices": ", ".join(str(label) for _v, label in choices)},
    )


# Reading ----------------------------------------------------------------------------


def sheet_read(*, content: bytes, filename: str) -> list[list]:
    """The file's cells as rows; refuses wrong type, size or shape before parsing."""
    if len(content) > settings.SUKSA_SHEET_MAX_BYTES:
        raise SheetRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": round(len(content) / 1_000_000, 1),
                "limit": round(settings.SUKSA_SHEET_MAX_BYTES / 1_000_000, 1),
            }
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith(".csv"):
        rows = _read_csv(content)
    else:
        raise SheetRefused(
            _("Upload the sheet as .xlsx (Excel) or .csv; “%(name)s” is neither.")
            % {"name": filename}
        )
    if len(rows) - 1 > settings.SUKSA_SHEET_MAX_ROWS:
        raise SheetRefused(
            _("The sheet has %(rows)s rows; the limit is %(limit)s.")
            % {"rows": len(rows) - 1, "limit": settings.SUKSA_SHEET_MAX_ROWS}
        )
    if not rows:
        raise SheetRefused(_("The sheet is empty."))
    return rows


# What a damaged or hostile .xlsx raises while it is opened or read (defusedxml's
# refusals are ValueErrors; broken XML inside the zip is a ParseError).
UNREADABLE_XLSX = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    ParseError,
    expat.ExpatError,
    KeyError,
    OSError,
    ValueError,
)
# A sign-in sheet unpacks to a few times its size; reading the XML of a zip bomb
# would keep a web process busy for minutes.
XLSX_MAX_EXPANSION = 10


def _refuse_zip_bomb(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise SheetRefused(
            _("This Excel file cannot be read; it may be damaged. Save it again.")
        ) from None
    if unpacked > settings.SUKSA_SHEET_MAX_BYTES * XLSX_MAX_EXPANSION:
        raise SheetRefused(
            _("This Excel file unpacks to more than the limit; it cannot be read.")
        )


def _read_xlsx(content: bytes) -> list[list]:
    if not content.startswith(XLSX_MAGIC):
        raise SheetRefused(_("This file is not a real Excel (.xlsx) file."))
    _refuse_zip_bomb(content)
    _refuse_unsafe_xml(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, *UNREADABLE_XLSX):
        raise SheetRefused(
            _("This Excel file cannot be read; it may be damaged. Save it again.")
        ) from None
    # Rows and cells are counted as they are read, whatever <dimension> claims
    # (only the first worksheet is read; the zip bomb check bounds the rest).
    limits = Limits(
        rows=settings.SUKSA_SHEET_MAX_ROWS + 1,  # and the header
        columns=settings.SUKSA_SHEET_MAX_COLUMNS,
        cells=settings.SUKSA_SHEET_MAX_CELLS,
    )
    try:
        return worksheet_values(
            workbook,
            workbook.worksheets[0],
            max_rows=settings.SUKSA_SHEET_MAX_ROWS + 2,
            limits=limits,
        )
    except TooMany as refusal:
        raise _shape_refused(refusal.what) from None
    except (TypeError, *UNREADABLE_XLSX) as error:
        raise SheetRefused(
            _("This Excel file cannot be read; it may be damaged. Save it again.")
        ) from error
    finally:
        workbook.close()


def _shape_refused(what: str) -> SheetRefused:
    if what == "rows":
        message = _("The sheet has more rows than the limit; the limit is %(limit)s.")
        limit = settings.SUKSA_SHEET_MAX_ROWS
    elif what == "columns":
        message = _(
            "The sheet has more columns than the limit; the limit is %(limit)s."
        )
        limit = settings.SUKSA_SHEET_MAX_COLUMNS
    else:
        message = _(
            "The sheet has more filled cells than the limit; the limit is %(limit)s."
        )
        limit = settings.SUKSA_SHEET_MAX_CELLS
    return SheetRefused(message % {"limit": limit})


def _refuse_unsafe_xml(content: bytes) -> None:
    """Parse every XML part of an .xlsx once, without handling its elements (C
    speed), before the file is opened as a workbook: broken XML and document type
    declarations (entity expansion) are refused here, whatever parser reads the
    part later. The worksheet's rows and cells are counted while it is read
    (``common.xlsx.Limits``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for entry in archive.infolist():
                if entry.filename.lower().endswith(".xml"):
                    with archive.open(entry) as source:
                        xml_parser().ParseFile(source)
    except UNREADABLE_XLSX:
        raise SheetRefused(
            _("This Excel file cannot be read; it may be damaged. Save it again.")
        ) from None


def _read_csv(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetRefused(
            _("The CSV file is not UTF-8 text. In Excel choose “CSV UTF-8”.")
        ) from None
    if "\x00" in text:
        raise SheetRefused(_("This is not a CSV text file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows, cells = [], 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            cells += len(row)
            if len(row) > settings.SUKSA_SHEET_MAX_COLUMNS:
                raise _shape_refused("columns")
            if len(rows) > settings.SUKSA_SHEET_MAX_ROWS:
                raise _shape_refused("rows")
            if cells > settings.SUKSA_SHEET_MAX_CELLS:
                raise _shape_refused("cells")
            rows.append(row)
    except csv.Error:
        raise SheetRefused(
            _("This CSV file cannot be read; it may be damaged. Save it again.")
        ) from None
    return rows
