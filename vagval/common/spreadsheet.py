"""Cells of the CSV and XLSX files we produce, defused so a spreadsheet never runs one as a formula.

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
from collections.abc import Iterable
from typing import Any, TypeVar

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_APOSTROPHE = "'"

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


def xlsx_cells(sheet: Any, values: Iterable[object]) -> list[Any]:
    """The values as cells for `sheet.append` (a normal or a write-only sheet): texts as text
    cells, never formulas, a formula-like one with Excel's quote prefix; other values as they are."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[Any] = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            if looks_like_formula(value):
                cell.quotePrefix = True
            cells.append(cell)
        else:
            cells.append(value)
    return cells
