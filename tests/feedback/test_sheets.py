"""Paper feedback forms from a spreadsheet: the template, reading, all or nothing."""

import io

import pytest
from openpyxl import load_workbook

from common.sheets import rows_to_xlsx
from feedback.models import Feedback
from feedback.sheets import COLUMNS, paper_sheet_import, paper_template
from periods.models import PeriodApproval
from periods.services import period_approve
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

HEADER = [column.header for column in COLUMNS]


def _template_filled(session, rows) -> bytes:
    """The downloaded template with ``rows`` typed under its header."""
    workbook = load_workbook(io.BytesIO(paper_template(session=session)))
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _import(session, content, by, *, dry_run=False, filename="forms.xlsx"):
    return paper_sheet_import(
        session=session, content=content, filename=filename, by=by, dry_run=dry_run
    )


def test_the_template_has_the_bilingual_header_and_no_rows(make_user):
    session = SessionFactory(created_by=make_user("trainer"))

    sheet = load_workbook(io.BytesIO(paper_template(session=session))).active

    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Relevance (1-5) / ຄວາມກ່ຽວຂ້ອງກັບວຽກ (1-5)"
    assert header[-1] == "What to improve / ສິ່ງທີ່ຄວນປັບປຸງ"
    assert sheet.max_row == 1


def test_the_filled_template_imports_every_row_as_paper_feedback(make_user):
    trainer = make_user("trainer")
    session = SessionFactory(created_by=trainer)
    content = _template_filled(
        session,
        [
            [5, 4, 3, "yes", "More practice"],
            ["໔", "໕", "໒", "ບໍ່", None],  # Lao digits and words
            [],  # an empty row is skipped
            [3, 3, 3, None, "=cmd"],
        ],
    )

    report = _import(session, content, trainer)

    assert report.errors == []
    saved = Feedback.objects.filter(session=session).order_by("pk")
    assert [(f.relevance, f.trainer, f.materials, f.recommend) for f in saved] == [
        (5, 4, 3, True),
        (4, 5, 2, False),
        (3, 3, 3, None),
    ]
    assert {f.source for f in saved} == {Feedback.Source.PAPER}
    assert {f.entered_by for f in saved} == {trainer}
    assert saved[0].improve == "More practice"


def test_the_preview_reads_the_rows_and_saves_nothing(make_user):
    trainer = make_user("trainer")
    session = SessionFactory(created_by=trainer)

    report = _import(
        session, _template_filled(session, [[5, 5, 5, "", ""]]), trainer, dry_run=True
    )

    assert report.errors == []
    assert [number for number, _answers in report.forms] == [2]
    assert not Feedback.objects.exists()


def test_headers_in_lao_only_are_read():
    trainer_headers = ["ຄວາມກ່ຽວຂ້ອງກັບວຽກ", "ຄູຝຶກ", "ເອກະສານ", "ສິ່ງທີ່ຄວນປັບປຸງ"]
    content = rows_to_xlsx([trainer_headers, [4, 4, 4, "ດີ"]], title="x")
    session = SessionFactory()

    report = _import(session, content, None, dry_run=True)

    assert report.errors == []
    assert report.forms[0][1]["improve"] == "ດີ"


def test_each_wrong_cell_is_named_by_row_and_column_and_nothing_is_saved(make_user):
    trainer = make_user("trainer")
    session = SessionFactory(created_by=trainer)
    content = _template_filled(
        session,
        [
            [5, 5, 5, "yes", ""],
            [7, 5, 5, "", ""],
            [5, 9, 5, "maybe", ""],
            [5, 5, "", "", ""],
        ],
    )

    report = _import(session, content, trainer)

    where = [(error.row, error.column.split(" /")[0]) for error in report.errors]
    assert where == [
        (3, "Relevance (1-5)"),
        (4, "Trainer (1-5)"),
        (4, "Would recommend (yes/no)"),
        (5, "Materials (1-5)"),
    ]
    assert not Feedback.objects.exists()


def test_an_unknown_or_missing_column_refuses_the_sheet():
    content = rows_to_xlsx(
        [["Relevance", "Trainer", "Colour"], [5, 5, "red"]], title="x"
    )

    report = _import(SessionFactory(), content, None, dry_run=True)

    messages = {(error.row, error.column) for error in report.errors}
    assert (1, "Colour") in messages
    assert (1, COLUMNS[2].header) in messages  # materials is missing


def test_a_sheet_without_forms_or_of_another_type_is_refused():
    session = SessionFactory()

    empty = _import(session, rows_to_xlsx([HEADER], title="x"), None, dry_run=True)
    wrong = _import(session, b"hello", None, filename="forms.pdf", dry_run=True)

    assert "at least one form" in empty.errors[0].message
    assert wrong.errors and wrong.errors[0].row == 0


def test_a_session_in_an_approved_period_takes_no_imported_forms(make_user):
    trainer = make_user("trainer")
    session = SessionFactory(created_by=trainer)
    period_approve(
        district=session.district,
        kind=PeriodApproval.Kind.MONTH,
        year=session.starts_on.year,
        number=session.starts_on.month,
        by=make_user("manager"),
    )

    report = _import(session, _template_filled(session, [[5, 5, 5]]), trainer)

    assert "is approved" in report.errors[0].message
    assert not Feedback.objects.exists()
