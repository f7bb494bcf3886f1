"""Writing rejected rows back out, so the user can fix them and import them again.

The file has the same format as the input (CSV with ';' and a UTF-8 BOM, which Excel opens
directly; or XLSX when the input was XLSX), the original header and values as read, and
a column `fel` with every reason. `fel` is the first column, so it is the first thing seen in
Excel and stays in place even on rows that had too many or too few values; when the file already
has a `fel` column (a corrected file rejected again), that column is reused. The import ignores
a `fel` column, so the corrected file can be imported as it is.

Every cell goes through vagval.common.spreadsheet: a text that a spreadsheet would run as a
formula gets an apostrophe in CSV (the import drops it again when the file comes back) and stays
a text cell in XLSX.

Rows are written as they come: a writer can run alongside the parse without collecting them.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterable, Sequence
from typing import IO

from vagval.common.spreadsheet import csv_writer, xlsx_cells

from .columns import ERROR_COLUMN, normalise_name
from .reading import CellValue, FileFormat
from .records import RejectedRow
from .values import cell_text

CSV_SEPARATOR = ";"


class RejectedRowsWriter:
    """Write RejectedRows to `target` (a path or a binary file object, left open) as CSV or XLSX."""

    def __init__(
        self,
        target: str | os.PathLike[str] | IO[bytes],
        *,
        header: Sequence[str],
        file_format: FileFormat,
    ) -> None:
        self.file_format = file_format
        self.count = 0
        self._stack = contextlib.ExitStack()
        if isinstance(target, str | os.PathLike):
            self._target: IO[bytes] = self._stack.enter_context(open(target, "wb"))  # noqa: SIM115
        else:
            self._target = target
        existing = [position for position, name in enumerate(header) if normalise_name(name) == ERROR_COLUMN]
        self._error_position = existing[0] if existing else None
        out_header = list(header) if existing else [ERROR_COLUMN, *header]
        self._closed = False
        if file_format == "xlsx":
            from openpyxl import Workbook

            self._workbook = Workbook(write_only=True)
            self._sheet = self._workbook.create_sheet("Fel")
            self._sheet.append(xlsx_cells(self._sheet, out_header))
        else:
            self._text = io.TextIOWrapper(self._target, encoding="utf-8-sig", newline="")  # type: ignore[type-var]
            self._writer = csv_writer(self._text, delimiter=CSV_SEPARATOR)
            self._writer.writerow(out_header)

    def _values(self, row: RejectedRow) -> list[CellValue]:
        values = list(row.values)
        if self._error_position is None:
            return [row.error_text, *values]
        values.extend([None] * (self._error_position + 1 - len(values)))
        values[self._error_position] = row.error_text
        return values

    def write(self, row: RejectedRow) -> None:
        values = self._values(row)
        if self.file_format == "xlsx":
            self._sheet.append(xlsx_cells(self._sheet, values))
        else:
            self._writer.writerow(
                ["" if value is None else cell_text(value) if not isinstance(value, str) else value for value in values]
            )
        self.count += 1

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.file_format == "xlsx":
            self._workbook.save(self._target)
        else:
            self._text.flush()
            self._text.detach()  # leave the caller's file open
        self._stack.close()

    def __enter__(self) -> RejectedRowsWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def write_rejected_rows(
    target: str | os.PathLike[str] | IO[bytes],
    rows: Iterable[RejectedRow],
    *,
    header: Sequence[str],
    file_format: FileFormat,
) -> int:
    """Write `rows` to `target` in one go; returns how many were written."""
    with RejectedRowsWriter(target, header=header, file_format=file_format) as writer:
        for row in rows:
            writer.write(row)
        return writer.count
