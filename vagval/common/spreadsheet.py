"""The CSV and XLSX files we produce: one writer for each (`write_csv`, `write_xlsx`), and their
cells defused so that a spreadsheet never runs one as a formula.

The files are made as Swedish Excel reads them: CSV in UTF-8 with a BOM (so å, ä, ö come out
right), semicolons, CRLF line ends; XLSX with bold header rows (`Header`) and columns as wide as
their first rows' texts. An export builds its rows and hands them here; views send the bytes with
`common.http.download_response`.

A cell that starts with =, +, - or @ (or a tab or carriage return, which some programs skip
before looking) is a formula to Excel and LibreOffice: "=HYPERLINK(...)" in a name or an
address would run when the file is opened. Every CSV and XLSX writer in Vägval goes through
this module, so the rule is written once:

- CSV: such a text gets a leading apostrophe (`defuse_cell`), which spreadsheets show as text.
  Our own import reads a value that starts with an apostrophe and a formula character back
  without the apostrophe (`restore_cell`), so a rejected-rows file can be corrected and
  imported again.
- XLSX: every text is stored as a text cell (openpyxl would store "=..." as a formula), and a
  formula-like one is marked with Excel's quote prefix, so it stays text when edited too. The
  value itself is unchanged.

Only texts are touched: numbers, dates and None are left as they are.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_APOSTROPHE = "'"
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: Excel then reads å, ä, ö
# Column widths (in characters) come from the texts of a sheet's first rows, within these bounds.
WIDTH_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 50

T = TypeVar("T")


def looks_like_formula(value: object) -> bool:
    """Whether a spreadsheet could take this value for a formula (a text starting with FORMULA_START)."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def defuse_cell(value: T) -> T | str:
    """The value for a CSV cell: a formula-like text with a leading apostrophe, anything else as it is."""
    if looks_like_formula(value):
        return _APOSTROPHE + str(value)
    return value


def restore_cell(text: str) -> str:
    """A text read from a file as it was before defuse_cell (only the apostrophe defuse_cell adds goes)."""
    if text.startswith(_APOSTROPHE) and looks_like_formula(text[1:]):
        return text[1:]
    return text


class DefusedCsvWriter:
    """csv.writer whose rows are defused cell by cell; writerow returns what csv.writer returns."""

    def __init__(self, file: Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([defuse_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file: Any, *, delimiter: str = ";", lineterminator: str = "\r\n") -> DefusedCsvWriter:
    """A CSV writer as Swedish Excel reads it (semicolons, CRLF) that defuses every cell."""
    return DefusedCsvWriter(file, delimiter=delimiter, lineterminator=lineterminator)


def xlsx_cells(sheet: Any, values: Iterable[object], *, bold: bool = False) -> list[Any]:
    """The values as cells for `sheet.append` (a normal or a write-only sheet): texts as text
    cells, never formulas, a formula-like one with Excel's quote prefix; other values as they are
    (in bold cells when `bold`)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells: list[Any] = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            if looks_like_formula(value):
                cell.quotePrefix = True
        elif bold:
            cell = WriteOnlyCell(sheet, value=value)
        else:
            cells.append(value)
            continue
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    return cells


# --- Whole files ------------------------------------------------------------------------------


def write_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file: the header, then the rows; UTF-8 with BOM, semicolons, CRLF, every cell defused."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(CSV_ENCODING)


class Header(tuple[object, ...]):
    """A row of column names: bold in a workbook (`Sheet`)."""

    __slots__ = ()


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title and its rows, read once (a generator is fine), so a
    large export streams. Header rows are bold; an empty row is a blank line."""

    title: str
    rows: Iterable[Sequence[object]]


def _widths(rows: Sequence[Sequence[object]]) -> list[int]:
    """Each column's width in characters, from these rows' values. A row of one cell is a
    caption or a paragraph, which may run over the next columns, so it widens nothing."""
    widths: list[int] = []
    for row in rows:
        if len(row) < 2:
            continue
        for index, value in enumerate(row):
            length = 0 if value is None else len(str(value))
            if index == len(widths):
                widths.append(MIN_WIDTH)
            widths[index] = max(widths[index], min(MAX_WIDTH, length + 2))
    return widths


def write_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """A workbook (write-only, so memory stays flat however long a sheet is) with these sheets."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for sheet in sheets:
        out = book.create_sheet(sheet.title)
        rows = iter(sheet.rows)
        first = list(itertools.islice(rows, WIDTH_ROWS))
        # Widths go before the first row: a write-only sheet writes its columns first.
        for index, width in enumerate(_widths(first), start=1):
            out.column_dimensions[get_column_letter(index)].width = width
        for row in itertools.chain(first, rows):
            out.append(xlsx_cells(out, row, bold=isinstance(row, Header)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
