"""Sign-in sheets as spreadsheets: the template out, the filled sheet back in.

Reading a sheet never writes; ``sheet_import`` (services) writes a parsed sheet in one
transaction. Headers are bilingual and matched loosely (case, spacing, either language).
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.numbers import ascii_digits, plain_number
from common.phones import is_masked, phone_key
from common.sheets import (
    Column,
    RowError,
    cell_text,
    date_or_none,
    fold,
    gender_or_none,
    headers_match,
    unknown_column,
)
from periods.services import day_ensure_happened

from .models import Attendance, Session

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

MARK_WORDS = {
    Attendance.Status.PRESENT: {"1", "x", "✓", "✔", "p", "present", "ມາ", "yes", "y"},
    Attendance.Status.ABSENT: {"0", "", "a", "absent", "ບໍ່ມາ", "no", "n", "-"},
    Attendance.Status.LATE: {"l", "late", "ມາຊ້າ", "ຊ້າ"},
    Attendance.Status.EXCUSED: {"e", "excused", "ລາພັກ", "ລາ"},
}
MARKS = {fold(word): status for status, words in MARK_WORDS.items() for word in words}
TEMPLATE_MARKS = {
    Attendance.Status.PRESENT: "1",
    Attendance.Status.LATE: "L",
    Attendance.Status.EXCUSED: "E",
    Attendance.Status.ABSENT: "0",
}


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


def sheet_parse(*, rows: list[list], session: Session) -> ParsedSheet:
    """Map headers to columns and session days; check every cell's shape."""
    header, *body = rows
    days: dict[int, datetime.date] = {}
    session_days = set(session.days.values_list("date", flat=True))
    errors: list[RowError] = []
    columns, others = headers_match(header, COLUMNS)
    for index in others:
        title = header[index]
        when = date_or_none(title)
        if when is None:
            errors.append(unknown_column(title))
            continue
        if when not in session_days:
            errors.append(
                RowError(
                    1,
                    cell_text(title),
                    _("%(date)s is not a day of this session.") % {"date": when},
                )
            )
        days[index] = when
    if "full_name" not in columns.values():
        errors.append(
            RowError(
                1, COLUMNS_BY_KEY["full_name"].header, _("This column is missing.")
            )
        )
    # Whether a day may have marks depends on the day only: asked once a day.
    day_refusals = {when: _day_refusal(when) for when in days.values()}
    parsed_rows = []
    for offset, cells in enumerate(body, start=2):
        texts = [cell_text(cell) for cell in cells]  # each cell read once
        if not any(texts):
            continue
        values = {key: texts[i] if i < len(texts) else "" for i, key in columns.items()}
        for key in NUMBER_COLUMNS & values.keys():
            values[key] = ascii_digits(values[key])
        marks = {when: texts[i] if i < len(texts) else "" for i, when in days.items()}
        row = SheetRow(offset, values, marks)
        errors += _row_errors(row, day_refusals)
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


def _day_refusal(when: datetime.date) -> str:
    """Why a day may not have marks (``day_ensure_happened``), or ""."""
    try:
        day_ensure_happened(day=when)
    except ValidationError as error:
        return error.messages[0]
    return ""


def _row_errors(row: SheetRow, day_refusals: dict) -> list[RowError]:
    errors = []

    def error(key: str, message: str):
        errors.append(RowError(row.number, COLUMNS_BY_KEY[key].header, message))

    values = row.values
    if not values.get("full_name"):
        error("full_name", _("The name is empty; every row needs a name."))
    for key, limit in LIMITS.items():
        if len(values.get(key, "")) > limit:
            error(key, _("Too long: at most %(limit)s characters.") % {"limit": limit})
    if gender_or_none(values.get("gender", "")) is None:
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
        if mark and day_refusals[when]:
            message = day_refusals[when]
            if when > timezone.localdate():
                message = _(
                    "Row %(row)s has a mark for %(date)s, a day still to come: "
                    "attendance is recorded from that day on. Leave the cell "
                    "empty."
                ) % {"row": row.number, "date": when.strftime("%d/%m/%Y")}
            errors.append(RowError(row.number, when.isoformat(), message))
        if fold(mark) not in MARKS:
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
    return gender_or_none(value)


def mark_from_cell(value: str) -> str:
    return MARKS[fold(value)]


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
