"""common.xlsx reads the values openpyxl's read-only reader reads, row for row."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from common.xlsx import worksheet_values


def _openpyxl_rows(content: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _our_rows(content: bytes, max_rows: int = 1000) -> list[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return worksheet_values(workbook, workbook.worksheets[0], max_rows=max_rows)
    finally:
        workbook.close()


def _saved(workbook: Workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _typed_workbook(epoch_1904: bool = False) -> bytes:
    workbook = Workbook()
    if epoch_1904:
        workbook.epoch = datetime.datetime(1904, 1, 1)
    sheet = workbook.active
    sheet.append(["Name / ຊື່", "Born", datetime.date(2024, 2, 17), "Score"])
    sheet.append(["ສົມພອນ", 1985, "ມາ", Decimal("7.5")])
    sheet.append([" spaced  text ", 1.0, 2.25, True])
    sheet.append([False, datetime.datetime(2023, 5, 31, 14, 30), None, "=SUM(B2:B3)"])
    sheet.cell(row=5, column=2, value=datetime.time(9, 15))
    sheet.cell(row=5, column=6, value=datetime.timedelta(hours=30))
    sheet.cell(row=8, column=3, value="after a gap")  # rows 6 and 7 left out
    sheet.cell(row=9, column=1, value=1e21)
    sheet.cell(row=9, column=2, value=-0.5)
    sheet.cell(
        row=10,
        column=1,
        value=CellRichText("plain ", TextBlock(InlineFont(b=True), "bold")),
    )
    return _saved(workbook)


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_typed_cells_as_openpyxl_reads_them(epoch_1904):
    content = _typed_workbook(epoch_1904)

    assert _our_rows(content) == _openpyxl_rows(content)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# As Excel writes text: in a table of shared strings, one with runs of formatting.
SHARED_STRINGS = (
    f'<sst xmlns="{MAIN}"><si><t xml:space="preserve"> ສົມພອນ </t></si>'
    "<si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r></si>"
    "<si><t>x005F_x000D_ escaped</t></si></sst>"
)
SHARED_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_STRINGS_LINK = (
    '<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def _with_sheet_xml(sheet_data: str, prefix: bytes = b"") -> bytes:
    """A workbook whose first sheet's rows are ``sheet_data`` as written, with
    ``SHARED_STRINGS``."""
    source = zipfile.ZipFile(io.BytesIO(_saved(Workbook())))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = (
                    prefix
                    + (
                        f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData>'
                        "</worksheet>"
                    ).encode()
                )
            elif entry.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>", f"{SHARED_STRINGS_TYPE}</Types>".encode()
                )
            elif entry.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    f"{SHARED_STRINGS_LINK}</Relationships>".encode(),
                )
            target.writestr(entry, data)
        target.writestr("xl/sharedStrings.xml", SHARED_STRINGS)
    return output.getvalue()


HAND_WRITTEN = {
    "inline strings": (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>plain</t></is></c>'
        '<c r="B1" t="inlineStr"><is><r><t>rich </t></r><r><t>runs</t></r>'
        '<rPh sb="0" eb="1"><t>phonetic</t></rPh></is></c>'
        '<c r="C1" t="inlineStr"><is><t/></is></c></row>'
    ),
    "cells and rows without addresses": (
        '<row><c t="s"><v>0</v></c><c><v>12</v></c><c t="s"><v>1</v></c>'
        '<c t="s"><v>2</v></c></row>'
        '<row><c t="str"><v>formula text</v></c><c t="e"><v>#N/A</v></c></row>'
    ),
    "out of order and repeated": (
        '<row r="3"><c r="C3"><v>3</v></c><c r="A3"><v>1</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c></row>'
        '<row r="5"></row><row r="6"><c r="B6" t="b"><v>1</v></c></row>'
    ),
    "empty values and ISO dates": (
        '<row r="1"><c r="A1"><v></v></c><c r="B1" t="d"><v>2024-02-17T00:00:00</v>'
        '</c><c r="C1" t="s"><f>A1</f><v>0</v></c><c r="D1"><f>1+1</f></c></row>'
        '<row r="2.0"><c r="AA2"><v>1.5E3</v></c></row>'
    ),
}


@pytest.mark.parametrize("name", HAND_WRITTEN)
def test_hand_written_sheets_as_openpyxl_reads_them(name):
    content = _with_sheet_xml(HAND_WRITTEN[name])

    assert _our_rows(content) == _openpyxl_rows(content)


def test_stops_at_the_number_of_rows_asked():
    workbook = Workbook()
    for number in range(10):
        workbook.active.append([number])

    rows = _our_rows(_saved(workbook), max_rows=4)

    assert rows == [[0], [1], [2], [3]]


def test_refuses_document_type_declarations():
    """Its own refusal, beside defusedxml's when openpyxl opens the workbook."""
    hostile = _with_sheet_xml("", prefix=b'<!DOCTYPE x [<!ENTITY a "b">]>')
    workbook = load_workbook(
        io.BytesIO(_with_sheet_xml("")), read_only=True, data_only=True
    )
    workbook._archive = zipfile.ZipFile(io.BytesIO(hostile))

    with pytest.raises(ValueError, match="document type"):
        worksheet_values(workbook, workbook.worksheets[0], max_rows=10)


def test_a_text_element_inside_a_value_is_part_of_the_value():
    """Excel never writes it; a hand-made file may. It raised AttributeError (a
    server error) before; openpyxl reads only the <v>'s own text."""
    content = _with_sheet_xml('<row r="1"><c r="A1" t="str"><v>a<t>b</t></v></c></row>')

    assert _our_rows(content) == [["ab"]]
