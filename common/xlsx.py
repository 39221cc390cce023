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
IN_CELL = (CELL,)
# Where a text of an inline string is: the string's own, or one of its runs'.
IN_INLINE = ((CELL, INLINE), (CELL, INLINE, RUN))


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


class _SheetReader:
    """Expat handlers keeping openpyxl's ``WorkSheetParser`` rules for one sheet."""

    def __init__(self, workbook, sheet, max_rows: int, limits: Limits | None):
        self.shared_strings = sheet._shared_strings
        self.date_styles = workbook._date_formats
        self.timedelta_styles = workbook._timedelta_formats
        self.epoch = workbook.epoch
        self.max_rows = max_rows
        self.rows: list[list] = []
        self.row_number = 0  # the last row read (openpyxl's row counter)
        self.next_row = 1  # the next row to yield (``_cells_by_row``'s counter)
        self.column = 0
        self.cells: dict[int, object] = {}
        self.cell_type = self.style = None
        self.path: tuple[str, ...] = ()  # the cell and its elements open
        self.columns: dict[str, int] = {}
        self.text: list[str] | None = None  # the text being gathered
        self.value: str | None = None
        self.inline: list[str] | None = None
        self.plain: str | None = None
        self.limits = limits
        self.rows_read = self.cells_read = self.in_row = 0

    def start(self, name, attributes):
        path = self.path
        if path:
            if path == IN_CELL:
                if name == VALUE:
                    self.text = []
                elif name == INLINE:
                    self.inline = []
            elif name == TEXT and path in IN_INLINE:
                self.text = []
            self.path = (*path, name)
        elif name == CELL:
            self.cell_type = attributes.get("t", "n")
            self.style = int(attributes.get("s") or 0)
            coordinate = attributes.get("r")
            self.column = self._column(coordinate) if coordinate else self.column + 1
            self.value = self.inline = self.plain = None
            self.path = IN_CELL
            if self.limits is not None:
                self._count_cell()
        elif name == ROW:
            number = attributes.get("r")
            if number is None:
                self.row_number += 1
            else:
                self.row_number = _row_number(number)
            self.column = 0
            self.cells = {}
            if self.limits is not None:
                self._count_row()

    def _count_row(self):
        self.rows_read += 1
        self.in_row = 0
        if max(self.rows_read, self.row_number) > self.limits.rows:
            raise TooMany("rows")

    def _count_cell(self):
        self.in_row += 1
        self.cells_read += 1
        if max(self.in_row, self.column) > self.limits.columns:
            raise TooMany("columns")
        if self.cells_read > self.limits.cells:
            raise TooMany("cells")

    def _column(self, coordinate: str) -> int:
        """The column of a cell address (``coordinate_to_tuple``'s), kept by its
        letters once one address with them has been read."""
        letters = coordinate.rstrip("0123456789")
        column = self.columns.get(letters) if letters != coordinate else None
        if column is None:
            column = self.columns[letters] = coordinate_to_tuple(coordinate)[1]
        return column

    def characters(self, data):
        if self.text is not None:
            self.text.append(data)

    def end(self, name):
        path = self.path
        if not path:
            if name == ROW:
                self._row_end()
            return
        self.path = path = path[:-1]
        if not path:
            self.cells[self.column] = self._cell_value()
        elif name == VALUE and path == IN_CELL:
            if self.value is None:  # openpyxl's findtext: the first <v>
                self.value = "".join(self.text)
            self.text = None
        elif name == TEXT and self.text is not None:
            text = "".join(self.text) or None
            if path == IN_INLINE[0]:
                self.plain = text  # a nested text: the element's own text
            elif text is not None:
                self.inline.append(text)
            self.text = None

    def _cell_value(self):
        kind = self.cell_type
        if kind == "inlineStr":
            if self.inline is None:
                return None
            return "".join(
                ([self.plain] if self.plain is not None else []) + self.inline
            )
        value = self.value or None
        if value is None:
            return None
        if kind == "n":
            value = _number(value)
            if self.style in self.date_styles:
                try:
                    return from_excel(
                        value,
                        self.epoch,
                        timedelta=self.style in self.timedelta_styles,
                    )
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return value
        if kind == "s":
            return self.shared_strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value

    def _row_end(self):
        while self.next_row < self.row_number:  # rows the sheet leaves out
            self._append([])
        if self.next_row <= self.row_number:
            # As wide as the row's last cell (openpyxl's ``_get_row``).
            width = self.column if self.cells else 0
            values = [None] * width
            for column, value in self.cells.items():
                if 1 <= column <= width:
                    values[column - 1] = value
            self._append(values)

    def _append(self, values):
        self.next_row += 1
        self.rows.append(values)
        if len(self.rows) >= self.max_rows:
            raise _Enough


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
    at the first row or cell past them."""
    reader = _SheetReader(workbook, sheet, max_rows, limits)
    parser = xml_parser(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    with workbook._archive.open(sheet._worksheet_path) as source:
        try:
            parser.ParseFile(source)
        except _Enough:
            pass
    return reader.rows


def xml_parser(**options):
    """An expat parser that refuses document type declarations (and so entity
    expansion) with a ValueError."""
    parser = expat.ParserCreate(**options)
    parser.StartDoctypeDeclHandler = _refuse_document_types
    parser.EntityDeclHandler = _refuse_document_types
    return parser


def _refuse_document_types(*_args):
    raise ValueError("document type declarations are not read")
