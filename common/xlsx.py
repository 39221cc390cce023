"""The cell values of an XLSX worksheet, read in one expat pass.

openpyxl opens the workbook (its parts, shared strings, date styles, epoch); its
read-only row reader builds an element tree and a dict for every cell, which costs
most of an import's reading time. ``worksheet_values`` reads the same rows with the
same values as ``sheet.iter_rows(values_only=True)`` after ``reset_dimensions()``
with ``data_only=True``: numbers as int or float, dates by their cell style, shared
and inline strings, booleans, formula results and error codes; a row as long as its
last cell, missing rows empty. ``tests/common/test_xlsx.py`` holds it to openpyxl's.
"""

from dataclasses import dataclass
from xml.parsers import expat

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

MAIN = SHEET_MAIN_NS + "}"
ROW, CELL, VALUE = MAIN + "row", MAIN + "c", MAIN + "v"
INLINE, TEXT, RUN = MAIN + "is", MAIN + "t", MAIN + "r"


class _Enough(Exception):
    """Raised inside the parser when no more rows are wanted."""


class TooMany(Exception):
    """The sheet goes past one of its ``Limits``: ``what`` is "rows", "columns" or
    "cells". Raised while it is read, at the first element past the limit."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


@dataclass(frozen=True)
class Limits:
    """What a sheet may hold. The ``<dimension>`` a worksheet declares is not
    trusted (a file can leave it out or lie): rows and cells are counted as they
    are read, and a cell's or row's own address counts too (``XFD1`` is column
    16,384), because the rows are filled up to their last cell."""

    rows: int
    columns: int
    cells: int


def _number(text: str):
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _cell_value(kind, value, style, inline, plain, workbook_values):
    """A cell's value by its type (openpyxl's ``WorkSheetParser.parse_cell``)."""
    if kind == "inlineStr":
        if inline is None:
            return None
        return "".join(([plain] if plain is not None else []) + inline)
    value = value or None
    if value is None:
        return None
    shared_strings, date_styles, timedelta_styles, epoch = workbook_values
    if kind == "n":
        value = _number(value)
        if style in date_styles:
            try:
                return from_excel(value, epoch, timedelta=style in timedelta_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return value
    if kind == "s":
        return shared_strings[int(value)]
    if kind == "b":
        return bool(int(value))
    if kind == "d":
        return from_ISO8601(value)
    return value


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(number)


def worksheet_values(
    workbook, sheet, *, max_rows: int, limits: Limits | None = None
) -> list[list]:
    """The rows of ``sheet`` (of ``workbook``, opened read-only with data only) as
    lists of values; at most ``max_rows`` rows. With ``limits``, raises ``TooMany``
    at the first row or cell past them.

    Expat's handlers keep openpyxl's ``WorkSheetParser`` rules; they are closures
    over local state (an expat pass calls them 300,000 times for a 10,000-row
    sheet: a local variable costs less than an attribute)."""
    workbook_values = (
        sheet._shared_strings,
        workbook._date_formats,
        workbook._timedelta_formats,
        workbook.epoch,
    )
    rows: list[list] = []
    columns: dict[str, int] = {}  # a column's letters: its number
    row_number = 0  # the last row read (openpyxl's row counter)
    next_row = 1  # the next row to add (``_cells_by_row``'s counter)
    column = 0
    cells: dict[int, object] = {}
    kind, style = "n", 0
    inside: list[str] = []  # the current cell and its elements open; [] outside
    text: list[str] | None = None  # the text being gathered
    gathering = 0  # how many elements were open when gathering began
    into = ""  # where the text goes: VALUE, INLINE (the string's own) or RUN
    value = plain = None
    inline: list[str] | None = None
    rows_read = cells_read = in_row = 0

    def start(name, attributes):
        nonlocal text, gathering, into, inline, kind, style, column, row_number
        nonlocal value, plain, cells, rows_read, cells_read, in_row
        if inside:
            depth = len(inside)
            inside.append(name)
            if depth == 1:  # a child of the cell
                if name == VALUE:
                    text, gathering, into = [], 2, VALUE
                elif name == INLINE:
                    inline = []
            elif name == TEXT and inside[1] == INLINE:
                # The inline string's own text, or one of its runs'.
                if depth == 2:
                    text, gathering, into = [], 3, INLINE
                elif depth == 3 and inside[2] == RUN:
                    text, gathering, into = [], 4, RUN
        elif name == CELL:
            kind = attributes.get("t", "n")
            style = int(attributes.get("s") or 0)
            coordinate = attributes.get("r")
            if coordinate:
                # The column of an address (``coordinate_to_tuple``'s), kept by
                # its letters once one address with them has been read.
                letters = coordinate.rstrip("0123456789")
                found = columns.get(letters) if letters != coordinate else None
                if found is None:
                    found = columns[letters] = coordinate_to_tuple(coordinate)[1]
                column = found
            else:
                column += 1
            value = inline = plain = None
            inside.append(name)
            if limits is not None:
                in_row += 1
                cells_read += 1
                if max(in_row, column) > limits.columns:
                    raise TooMany("columns")
                if cells_read > limits.cells:
                    raise TooMany("cells")
        elif name == ROW:
            number = attributes.get("r")
            row_number = row_number + 1 if number is None else _row_number(number)
            column = 0
            cells = {}
            if limits is not None:
                rows_read += 1
                in_row = 0
                if max(rows_read, row_number) > limits.rows:
                    raise TooMany("rows")

    def characters(data):
        if text is not None:
            text.append(data)

    def end(name):
        nonlocal text, value, plain
        if not inside:
            if name == ROW:
                row_end()
            return
        if text is not None and len(inside) == gathering:
            if into == VALUE:
                if value is None:  # openpyxl's findtext: the first <v>
                    value = "".join(text)
            elif into == INLINE:
                plain = "".join(text) or None
            elif joined := "".join(text):
                inline.append(joined)
            text = None
        inside.pop()
        if not inside:
            cells[column] = _cell_value(
                kind, value, style, inline, plain, workbook_values
            )

    def row_end():
        nonlocal next_row
        while next_row < row_number:  # rows the sheet leaves out
            add([])
        if next_row <= row_number:
            # As wide as the row's last cell (openpyxl's ``_get_row``).
            width = column if cells else 0
            values = [None] * width
            for number, cell in cells.items():
                if 1 <= number <= width:
                    values[number - 1] = cell
            add(values)

    def add(values):
        nonlocal next_row
        next_row += 1
        rows.append(values)
        if len(rows) >= max_rows:
            raise _Enough

    parser = xml_parser(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    with workbook._archive.open(sheet._worksheet_path) as source:
        try:
            parser.ParseFile(source)
        except _Enough:
            pass
    return rows


def xml_parser(**options):
    """An expat parser that refuses document type declarations (and so entity
    expansion) with a ValueError."""
    parser = expat.ParserCreate(**options)
    parser.StartDoctypeDeclHandler = _refuse_document_types
    parser.EntityDeclHandler = _refuse_document_types
    return parser


def _refuse_document_types(*_args):
    raise ValueError("document type declarations are not read")
