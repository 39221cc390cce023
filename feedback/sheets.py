"""Paper feedback forms as a spreadsheet: a template per session out, the filled
sheet back in.

Reading, header matching and folding are the one spreadsheet layer's
(``common.sheets``: size, rows and cells capped, .xlsx or .csv, headers in Lao or
English); ratings may be typed in Lao digits. Each row is checked by the paper
grid's own form and saved by the grid's service, all rows or none: the preview runs
the service and rolls back.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.numbers import ascii_digits
from common.sheets import (
    Column,
    ErrorsShownMixin,
    RowError,
    SheetRefused,
    fold,
    headers_match,
    row_values,
    rows_to_xlsx,
    sheet_read,
    unknown_column,
)
from trainings.models import Session

from .forms import PaperFeedbackForm
from .services import feedback_paper_record

COLUMNS = [
    Column("relevance", "Relevance (1-5)", "ຄວາມກ່ຽວຂ້ອງກັບວຽກ (1-5)"),
    Column("trainer", "Trainer (1-5)", "ຄູຝຶກ (1-5)"),
    Column("materials", "Materials (1-5)", "ເອກະສານ (1-5)"),
    Column(
        "recommend",
        "Would recommend (yes/no)",
        "ຈະແນະນຳໃຫ້ຜູ້ອື່ນ (ແມ່ນ/ບໍ່)",
    ),
    Column("improve", "What to improve", "ສິ່ງທີ່ຄວນປັບປຸງ"),
]
RATING_KEYS = ("relevance", "trainer", "materials")
KEY_ORDER = {column.header: place for place, column in enumerate(COLUMNS)} | {"": 99}
RECOMMEND_WORDS = {
    "yes": {"yes", "y", "ແມ່ນ", "ເຈົ້າ", "ແນະນຳ", "1", "x", "✓", "✔"},
    "no": {"no", "n", "ບໍ່", "ບໍ່ແນະນຳ", "0"},
    "": {"", "-", "–"},
}
RECOMMEND = {word: value for value, words in RECOMMEND_WORDS.items() for word in words}


@dataclass
class PaperImport(ErrorsShownMixin):
    """What a sheet holds: one ``(row, answers)`` per filled row, or the errors."""

    forms: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class _Rollback(Exception):
    pass


def paper_template(*, session: Session) -> bytes:
    """The empty sheet to fill: the bilingual header row, nothing else."""
    return rows_to_xlsx(
        [[column.header for column in COLUMNS]], title=f"{session.code} feedback"
    )


def _columns(header: list) -> tuple[dict[int, str], list[RowError]]:
    keys, unknown = headers_match(header, COLUMNS)
    errors = [unknown_column(header[index]) for index in unknown]
    missing = [
        c for c in COLUMNS if c.key in RATING_KEYS and c.key not in keys.values()
    ]
    errors += [
        RowError(1, column.header, _("This column is missing from the sheet."))
        for column in missing
    ]
    return keys, errors


def _row(number: int, keys: dict[int, str], cells: list, report: PaperImport):
    values = row_values(keys, cells)
    if not any(values.values()):
        return
    headers = {column.key: column.header for column in COLUMNS}
    data = {key: ascii_digits(values.get(key, "")) for key in RATING_KEYS}
    data["improve"] = values.get("improve", "")
    recommend = fold(values.get("recommend", ""))
    errors = []
    if recommend not in RECOMMEND:
        errors.append(
            RowError(
                number,
                headers["recommend"],
                _("Write yes or no (ແມ່ນ or ບໍ່), or leave it empty."),
            )
        )
    data["recommend"] = RECOMMEND.get(recommend, "")
    form = PaperFeedbackForm(data)
    if not form.is_valid():
        errors += [
            RowError(number, headers.get(name, ""), " ".join(messages))
            for name, messages in form.errors.items()
        ]
    if errors:
        report.errors += sorted(errors, key=lambda error: KEY_ORDER[error.column])
        return
    report.forms.append((number, form.cleaned_data))


def paper_sheet_import(
    *, session: Session, content: bytes, filename: str, by, dry_run: bool
) -> PaperImport:
    """Check (``dry_run``) or save a filled sheet of paper forms; all or nothing."""
    report = PaperImport()
    try:
        rows = sheet_read(content=content, filename=filename)
    except SheetRefused as refused:
        report.errors.append(RowError(0, "", str(refused)))
        return report
    keys, report.errors = _columns(rows[0])
    if report.errors:
        return report
    for number, cells in enumerate(rows[1:], start=2):
        _row(number, keys, cells, report)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            feedback_paper_record(
                session=session, forms=[answers for _n, answers in report.forms], by=by
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except ValidationError as error:
        report.errors.append(RowError(0, "", " ".join(error.messages)))
    return report
