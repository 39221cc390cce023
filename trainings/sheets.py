"""Sign-in sheets as spreadsheets: the template out, the filled sheet back in.

Reading a sheet never writes; ``sheet_import`` (services) writes a parsed sheet in one
transaction. Headers are bilingual and matched loosely (case, spacing, either language).
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException

from common.numbers import ascii_digits, plain_number
from config.spreadsheets import FORMULA_STARTS, rows_to_csv, rows_to_xlsx  # noqa: F401
from people.models import Gender
from people.normalise import is_masked, phone_key
from periods.services import day_ensure_happened

from .models import Attendance, Session

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Column:
    key: str
    english: str
    lao: str

    @property
    def header(self) -> str:
        return f"{self.english} / {self.lao}"


COLUMNS = [
    Column("full_name", "Full name", "ຊື່ ແລະ ນາມສະກຸນ"),
    Column("latin_name", "Name in Latin letters", "ຊື່ເປັນອັກສອນລາແຕັງ"),
    Column("gender", "Gender", "ເພດ"),
    Column("birth_year", "Birth year", "ປີເກີດ"),
    Column("phone", "Phone", "ເບີໂທ"),
    Column("organisation", "Organisation", "ອົງການຈັດຕັ້ງ"),
    Column("position", "Position", "ຕຳແໜ່ງ"),
    Column("district", "District", "ເມືອງ"),
    Column("village", "Village", "ບ້ານ"),
    Column("pre_score", "Pre-test score", "ຄະແນນກ່ອນຝຶກອົບຮົມ"),
    Column("post_score", "Post-test score", "ຄະແນນຫຼັງຝຶກອົບຮົມ"),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
# Columns of numbers: Lao digits in them are read as ASCII ones.
NUMBER_COLUMNS = {"birth_year", "phone", "pre_score", "post_score"}
# Test scores are enrolment fields, not the person's: 0–100, two decimals at most.
SCORE_COLUMNS = ("pre_score", "post_score")

GENDER_WORDS = {
    Gender.WOMAN: {"ຍິງ", "ເພດຍິງ", "f", "female", "woman", "women", "w", "ນາງ"},
    Gender.MAN: {"ຊາຍ", "ເພດຊາຍ", "m", "male", "man", "men", "ທ້າວ"},
    Gender.OTHER: {"other", "ອື່ນໆ", "ອື່ນ", "o"},
    Gender.NOT_RECORDED: {"", "not recorded", "-", "ບໍ່ລະບຸ"},
}
GENDERS = {word: gender for gender, words in GENDER_WORDS.items() for word in words}
MARK_WORDS = {
    Attendance.Status.PRESENT: {"1", "x", "✓", "✔", "p", "present", "ມາ", "yes", "y"},
    Attendance.Status.ABSENT: {"0", "", "a", "absent", "ບໍ່ມາ", "no", "n", "-"},
    Attendance.Status.LATE: {"l", "late", "ມາຊ້າ", "ຊ້າ"},
    Attendance.Status.EXCUSED: {"e", "excused", "ລາພັກ", "ລາ"},
}
MARKS = {word: status for status, words in MARK_WORDS.items() for word in words}
TEMPLATE_MARKS = {
    Attendance.Status.PRESENT: "1",
    Attendance.Status.LATE: "L",
    Attendance.Status.EXCUSED: "E",
    Attendance.Status.ABSENT: "0",
}


class SheetRefused(Exception):
    """The file as a whole cannot be read; nothing in it was looked at row by row."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


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


@dataclass
class SheetRow:
    number: int
    values: dict[str, str]
    marks: dict[datetime.date, str] = field(default_factory=dict)


@dataclass
class ParsedSheet:
    rows: list[SheetRow]
    day_columns: dict[datetime.date, str]
    errors: list[RowError]


def _fold(text) -> str:
    text = unicodedata.normalize("NFC", str(text or "")).casefold()
    return " ".join(text.replace("\u200b", "").split())


def _header_key(header) -> str | None:
    folded = _fold(header)
    for column in COLUMNS:
        names = {_fold(column.english), _fold(column.lao), _fold(column.header)}
        names.add(_fold(column.key.replace("_", " ")))
        if folded in names or folded.replace(" / ", "/") in {
            n.replace(" / ", "/") for n in names
        }:
            return column.key
    return None


def _header_date(header) -> datetime.date | None:
    if isinstance(header, datetime.datetime):
        return header.date()
    if isinstance(header, datetime.date):
        return header
    text = str(header or "")
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


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    if text.startswith("'") and text[1:2] in FORMULA_STARTS:
        text = text[1:]  # the quote our CSV export puts before a formula character
    return text


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
    _refuse_too_many_cells(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, *UNREADABLE_XLSX):
        raise SheetRefused(
            _("This Excel file cannot be read; it may be damaged. Save it again.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        # The cells were counted: read them all, whatever <dimension> claims.
        sheet.reset_dimensions()
        rows = []
        for row in sheet.iter_rows(values_only=True):
            if len(rows) > settings.SUKSA_SHEET_MAX_ROWS + 1:
                break
            rows.append(list(row))
        return rows
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


def _refuse_too_many_cells(content: bytes) -> None:
    """Count the rows and cells of every XML part of an .xlsx as it streams, and
    stop at the first one past a limit, before the file is opened as a workbook.

    The ``<dimension>`` a worksheet declares is not trusted: a file can leave it
    out (and the reader then scans the whole sheet to look for it), or lie, and
    have 300,000 cells in its first row. A cell's own address counts too (``XFD1``
    is column 16,384), because the reader fills the cells a row skips. Expat builds
    no tree, so counting costs little.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for entry in archive.infolist():
                if entry.filename.lower().endswith(".xml"):
                    with archive.open(entry) as source:
                        _count_cells(source)
    except UNREADABLE_XLSX:
        raise SheetRefused(
            _("This Excel file cannot be read; it may be damaged. Save it again.")
        ) from None


def _count_cells(source) -> None:
    """Refuse the rows or cells of one XML part past the limits."""
    max_rows = settings.SUKSA_SHEET_MAX_ROWS + 1  # and the header
    max_columns = settings.SUKSA_SHEET_MAX_COLUMNS
    max_cells = settings.SUKSA_SHEET_MAX_CELLS
    counts = {"rows": 0, "cells": 0, "in_row": 0}

    def start(name, attributes):
        tag = name.rsplit(":", 1)[-1]
        if tag == "row":
            counts["rows"] += 1
            counts["in_row"] = 0
            number = attributes.get("r", "")
            if counts["rows"] > max_rows or (
                number.isdigit() and int(number) > max_rows
            ):
                raise _shape_refused("rows")
        elif tag == "c":
            counts["in_row"] += 1
            counts["cells"] += 1
            address = attributes.get("r", "")
            letters = address.rstrip("0123456789")
            column = column_index_from_string(letters) if letters else 0
            if counts["in_row"] > max_columns or column > max_columns:
                raise _shape_refused("columns")
            if counts["cells"] > max_cells:
                raise _shape_refused("cells")

    def no_document_types(*_args):
        raise ValueError("document type declarations are not read")

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_document_types
    parser.EntityDeclHandler = no_document_types
    parser.ParseFile(source)


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


def sheet_parse(*, rows: list[list], session: Session) -> ParsedSheet:
    """Map headers to columns and session days; check every cell's shape."""
    header, *body = rows
    columns: dict[int, str] = {}
    days: dict[int, datetime.date] = {}
    session_days = set(session.days.values_list("date", flat=True))
    errors: list[RowError] = []
    for index, title in enumerate(header):
        key = _header_key(title)
        if key is not None:
            columns[index] = key
            continue
        when = _header_date(title)
        if when is not None:
            if when not in session_days:
                errors.append(
                    RowError(
                        1,
                        _cell_text(title),
                        _("%(date)s is not a day of this session.") % {"date": when},
                    )
                )
            days[index] = when
        elif _cell_text(title):
            errors.append(
                RowError(
                    1,
                    _cell_text(title),
                    _("Unknown column. Use the template's headers, in Lao or English."),
                )
            )
    if "full_name" not in columns.values():
        errors.append(
            RowError(
                1, COLUMNS_BY_KEY["full_name"].header, _("This column is missing.")
            )
        )
    parsed_rows = []
    for offset, cells in enumerate(body, start=2):
        if not any(_cell_text(cell) for cell in cells):
            continue
        values = {
            key: _cell_text(cells[i]) if i < len(cells) else ""
            for i, key in columns.items()
        }
        for key in NUMBER_COLUMNS & values.keys():
            values[key] = ascii_digits(values[key])
        marks = {
            when: _cell_text(cells[i]) if i < len(cells) else ""
            for i, when in days.items()
        }
        row = SheetRow(offset, values, marks)
        errors += _row_errors(row)
        parsed_rows.append(row)
    return ParsedSheet(parsed_rows, {d: "" for d in days.values()}, errors)


LIMITS = {
    "full_name": 200,
    "latin_name": 200,
    "phone": 32,
    "position": 200,
    "organisation": 200,
    "district": 120,
    "village": 120,
}


def _row_errors(row: SheetRow) -> list[RowError]:
    errors = []

    def error(key: str, message: str):
        errors.append(RowError(row.number, COLUMNS_BY_KEY[key].header, message))

    values = row.values
    if not values.get("full_name"):
        error("full_name", _("The name is empty; every row needs a name."))
    for key, limit in LIMITS.items():
        if len(values.get(key, "")) > limit:
            error(key, _("Too long: at most %(limit)s characters.") % {"limit": limit})
    if _fold(values.get("gender", "")) not in GENDERS:
        error(
            "gender",
            _("“%(value)s” is not a gender. Write ຍິງ or ຊາຍ (F/M, woman/man).")
            % {"value": values["gender"]},
        )
    year = values.get("birth_year", "")
    is_year = year.isascii() and year.isdigit()
    if year and not (is_year and 1900 <= int(year) <= datetime.date.today().year):
        error(
            "birth_year",
            _("“%(value)s” is not a year of birth. Write 4 digits, e.g. 1985.")
            % {"value": year},
        )
    phone = values.get("phone", "")
    if phone and not is_masked(phone) and not 6 <= len(phone_key(phone)) <= 12:
        error(
            "phone",
            _(
                "“%(value)s” is not a phone number. Write e.g. 020 5551 2345 or "
                "+856 20 5551 2345."
            )
            % {"value": phone},
        )
    for key in SCORE_COLUMNS:
        if values.get(key) and score_from_cell(values[key]) is None:
            error(
                key,
                _("“%(value)s” is not a score. Write a number from 0 to 100.")
                % {"value": values[key]},
            )
    for when, mark in row.marks.items():
        if mark:
            try:
                day_ensure_happened(day=when)
            except ValidationError as error:
                message = error.messages[0]
                if when > timezone.localdate():
                    message = _(
                        "Row %(row)s has a mark for %(date)s, a day still to come: "
                        "attendance is recorded from that day on. Leave the cell "
                        "empty."
                    ) % {"row": row.number, "date": when.strftime("%d/%m/%Y")}
                errors.append(RowError(row.number, when.isoformat(), message))
        if _fold(mark) not in MARKS:
            errors.append(
                RowError(
                    row.number,
                    when.isoformat(),
                    _(
                        "“%(value)s” is not an attendance mark. Write 1 or ມາ "
                        "(present), "
                        "0 or ບໍ່ມາ (absent), L (late) or E (excused)."
                    )
                    % {"value": mark},
                )
            )
    return errors


def score_from_cell(value: str) -> Decimal | None:
    """A score typed as 0–100 (``,`` or ``.`` before decimals); None if it is not."""
    text = ascii_digits(str(value)).strip().replace(",", ".")
    if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", text):
        return None
    score = Decimal(text)
    return score if 0 <= score <= 100 else None


def score_cell(value) -> str:
    """A stored score as the sheet shows it: ``72.5``, ``80``, or empty."""
    if value is None:
        return ""
    return f"{Decimal(value):.2f}".rstrip("0").rstrip(".")


def score_value(value) -> Decimal | str:
    """A stored score as a sheet's number: ``Decimal("72.5")``, ``Decimal("80")``,
    or empty; a number cell in XLSX, ``72.5`` in CSV."""
    if value is None:
        return ""
    return Decimal(plain_number(value))


def gender_from_cell(value: str) -> str:
    return GENDERS[_fold(value)]


def mark_from_cell(value: str) -> str:
    return MARKS[_fold(value)]


def fold(value: str) -> str:
    return _fold(value)


# Writing ----------------------------------------------------------------------------

TEMPLATE_HELP = gettext_lazy(
    "Attendance: 1 = present, 0 = absent, L = late, E = excused. Gender: ຍິງ / ຊາຍ."
)


def template_rows(*, session: Session, for_user=None) -> list[list]:
    """Header plus one row per enrolled person, attendance filled in as marks;
    phone numbers as ``for_user`` may see them (masked for nobody in particular)."""
    from access.policy import phone_shown

    from .selectors import session_attendance_grid

    days, enrolments, statuses = session_attendance_grid(session=session)
    header = [column.header for column in COLUMNS] + [d.date.isoformat() for d in days]
    rows = [header]
    for enrolment in enrolments:
        person = enrolment.person
        gender_cell = {"woman": "ຍິງ", "man": "ຊາຍ", "other": "ອື່ນໆ"}.get(
            person.gender, ""
        )
        rows.append(
            [
                person.full_name,
                person.latin_name,
                gender_cell,
                person.birth_year or "",
                phone_shown(for_user, person.phone),
                person.organisation.name if person.organisation else "",
                person.position,
                person.district.name_lo if person.district else "",
                person.village.name_lo if person.village else "",
                score_value(enrolment.pre_score),
                score_value(enrolment.post_score),
            ]
            + [
                TEMPLATE_MARKS.get(statuses.get((enrolment.pk, day.pk)), "")
                for day in days
            ]
        )
    return rows
