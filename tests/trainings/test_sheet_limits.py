"""Cheap uploads that cost a lot (issue 14, item 5): an .xlsx without (or with a
lying) ``<dimension>`` is counted while it is read, and an import answer lists the
first errors only, with their count."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from common.sheets import SheetRefused, sheet_read
from tests.factories import SessionFactory
from trainings.imports import sheet_import

pytestmark = pytest.mark.django_db


def _xlsx_with_sheet_xml(sheet_xml: str) -> bytes:
    """A real workbook whose first worksheet's XML is ``sheet_xml``."""
    workbook = Workbook()
    workbook.active.append(["Full name"])
    original = io.BytesIO()
    workbook.save(original)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(original) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            target.writestr(entry, data)
    return output.getvalue()


def _sheet_xml(rows: list[str], *, dimension: str = "") -> str:
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension}<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )


def _row(number: int, cells: int) -> str:
    cell = '<c t="inlineStr"><is><t>h</t></is></c>'
    return f'<row r="{number}">{cell * cells}</row>'


def test_300000_header_cells_without_a_dimension_are_refused_at_the_first_too_many(
    monkeypatch,
):
    """Refused at the first cell past the limit, not after reading them all: how
    much of the worksheet's XML the reader took in is counted (a time limit would
    fail on a slow machine and pass a slow reader on a fast one)."""
    import common.xlsx

    taken = []

    class Counted:
        def __init__(self, source):
            self.source = source

        def read(self, size=-1):
            data = self.source.read(size)
            taken.append(len(data))
            return data

    class Parser:
        """The reader's expat parser, reading its source through ``Counted``."""

        def __init__(self, parser):
            object.__setattr__(self, "parser", parser)

        def __setattr__(self, name, value):
            setattr(self.parser, name, value)

        def ParseFile(self, source):  # noqa: N802 (expat's name)
            return self.parser.ParseFile(Counted(source))

    make_parser = common.xlsx.xml_parser
    monkeypatch.setattr(
        common.xlsx, "xml_parser", lambda **options: Parser(make_parser(**options))
    )
    sheet_xml = _sheet_xml([_row(1, 300_000)])
    content = _xlsx_with_sheet_xml(sheet_xml)

    with pytest.raises(SheetRefused, match="more columns than the limit"):
        sheet_read(content=content, filename="sheet.xlsx")

    assert 0 < sum(taken) < len(sheet_xml) / 100


def test_a_lying_dimension_does_not_hide_columns():
    xml = _sheet_xml([_row(1, 500)], dimension='<dimension ref="A1:B1"/>')

    with pytest.raises(SheetRefused, match="more columns than the limit"):
        sheet_read(content=_xlsx_with_sheet_xml(xml), filename="sheet.xlsx")


def test_a_lying_dimension_does_not_hide_rows():
    rows = [_row(number, 1) for number in range(1, 6)]
    xml = _sheet_xml(rows, dimension='<dimension ref="A1:A1"/>')

    assert len(sheet_read(content=_xlsx_with_sheet_xml(xml), filename="s.xlsx")) == 5


def test_a_cell_far_to_the_right_counts_as_that_many_columns():
    far = '<c r="XFD1" t="inlineStr"><is><t>h</t></is></c>'
    xml = _sheet_xml([f'<row r="1">{far}</row>'])

    with pytest.raises(SheetRefused, match="more columns than the limit"):
        sheet_read(content=_xlsx_with_sheet_xml(xml), filename="sheet.xlsx")


def test_a_row_far_down_counts_as_that_many_rows():
    xml = _sheet_xml([_row(1, 1), _row(1_048_576, 1)])

    with pytest.raises(SheetRefused, match="more rows than the limit"):
        sheet_read(content=_xlsx_with_sheet_xml(xml), filename="sheet.xlsx")


def test_filled_cells_have_a_cap_of_their_own(settings):
    settings.SUKSA_SHEET_MAX_CELLS = 50
    xml = _sheet_xml([_row(number, 10) for number in range(1, 7)])

    with pytest.raises(SheetRefused, match="more filled cells than the limit"):
        sheet_read(content=_xlsx_with_sheet_xml(xml), filename="sheet.xlsx")


def test_a_csv_is_counted_while_it_is_read(settings):
    settings.SUKSA_SHEET_MAX_CELLS = 50

    with pytest.raises(SheetRefused, match="more filled cells than the limit"):
        sheet_read(content=b"a,b,c,d,e,f,g,h,i,j\n" * 6, filename="sheet.csv")


def test_an_import_answer_lists_the_first_errors_and_counts_them_all(
    settings, client_as
):
    settings.SUKSA_IMPORT_ERRORS_SHOWN = 3
    session = SessionFactory()
    content = ("Full name,Birth year\n" + "ນາງ ແສງ,not a year\n" * 40).encode()

    report = sheet_import(
        session=session, content=content, filename="s.csv", dry_run=True
    )
    answer = report.as_dict()

    assert len(report.errors) == 40
    assert len(answer["errors"]) == 3
    assert answer["error_count"] == 40


def test_the_import_page_lists_the_first_errors_and_says_how_many_more(
    settings, client_in_english
):
    settings.SUKSA_IMPORT_ERRORS_SHOWN = 3
    client = client_in_english("admin")
    session = SessionFactory()
    content = ("Full name,Birth year\n" + "ນາງ ແສງ,not a year\n" * 40).encode()
    url = f"/admin/sessions/{session.pk}/import/"
    upload = io.BytesIO(content)
    upload.name = "s.csv"

    response = client.post(url, {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200, url
    assert len(re.findall(r"is not a year of birth", page)) == 3
    assert "And 37 more errors, not listed." in page


def test_an_import_counts_the_capacity_again_under_the_session_lock(monkeypatch):
    """Issue 14, item 9: a check before the write (the preview's) can be stale when
    someone enrols in between; the write counts again with the session locked."""
    from people.models import Person
    from tests.factories import PersonFactory, enrol

    session = SessionFactory(capacity=2)
    enrol(session, PersonFactory())
    # As if the preview's check ran before someone else took the last place.
    monkeypatch.setattr("trainings.imports._check_capacity", lambda *args: None)
    content = "Full name\nນາງ ແສງ\nທ້າວ ຄຳ\n".encode()

    report = sheet_import(
        session=session, content=content, filename="s.csv", dry_run=False
    )

    assert not report.committed
    assert "takes 2 participants; this sheet would make 3" in report.errors[0].message
    assert Person.objects.count() == 1
    assert session.enrolments.count() == 1
