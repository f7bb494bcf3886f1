"""Reading CSV and XLSX files as a lazy stream of rows, whatever the file looks like.

The format is decided by content, never by the file name: an XLSX file is a zip archive (it
starts with "PK"); anything else is read as text. Text is UTF-8 with or without BOM, or
Windows-1252 (UTF-8 is tried strictly over the whole file first; a UTF-16 file with BOM, which
Excel writes as "Unicode-text", is read too). The separator (; , or tab) is the one that occurs
most often in the header line, outside quotes.

Line numbers are those the user sees: the physical line in a text editor for CSV (header on
line 1; for a quoted value spanning lines, the line where the row starts), the row number in
Excel for XLSX. Empty lines (also lines with only separators or spaces) are skipped.

Everything that makes the file as a whole unreadable is found before the first row is handed
out, with two exceptions that can only show further into the file (see FileError).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import itertools
import os
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

from .errors import FileError

# What a cell can hold: text for CSV; whatever openpyxl gives for XLSX.
CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None
Source = str | os.PathLike[str] | bytes | IO[bytes]
FileFormat = Literal["csv", "xlsx"]

_CHUNK = 1 << 18
_SPOOL_LIMIT = 16 << 20
# C0 control characters that have no business in a register file (tab, newlines and the old
# DOS end-of-file mark Ctrl-Z are allowed).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f\x7f]")
# Excel's optional first line naming the separator.
_SEP_LINE = re.compile(r'^"?sep=([;,\t|])"?$', re.IGNORECASE)
# UTF-8 read as Windows-1252: "Ã¥" is å, "Ã¶" is ö, "Ã©" is é ... never in a real name or address.
_MOJIBAKE = re.compile("Ã[\u00a4\u00a5\u00b6\u00a9\u00bc\u2026\u201e\u2013\u0153]")
# More control characters than this share of the text means binary data, not a text file.
_CONTROL_SHARE = 0.001

EMPTY = "Filen är tom."
BINARY = (
    "Filen är varken en CSV-fil eller en Excel-fil (xlsx): den innehåller binära data. "
    "Spara uppgifterna som CSV eller xlsx och försök igen."
)
BROKEN_XLSX = (
    "Excel-filen är skadad eller ofullständig och går inte att öppna (kanske avbröts uppladdningen "
    "eller sparandet). Spara filen på nytt i Excel och försök igen."
)
MIXED_ENCODINGS = (
    "Filen blandar två teckenkodningar (UTF-8 och Windows-1252), så å, ä och ö går inte att läsa säkert. "
    "Spara hela filen på nytt som CSV (UTF-8) och försök igen."
)
OLD_EXCEL = (
    "Filen är i Excels gamla format (xls) eller är lösenordsskyddad. Spara den i Excel som "
    "Excel-arbetsbok (xlsx) eller CSV, utan lösenord, och försök igen."
)


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int
    cells: tuple[CellValue, ...]


def _is_blank(cell: CellValue) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def row_is_blank(cells: tuple[CellValue, ...] | list[Any]) -> bool:
    return all(_is_blank(cell) for cell in cells)


class RowSource:
    """An open file: its header, and its data rows one at a time."""

    file_format: FileFormat
    encoding: str | None = None
    separator: str | None = None
    epoch: dt.datetime = dt.datetime(1899, 12, 30)  # Excel's day 0 (1900 date system)
    header: tuple[str, ...] = ()
    header_line: int = 1

    def rows(self) -> Iterator[RawRow]:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def open_rows(source: Source) -> RowSource:
    """Open `source` (a path, bytes or a binary file object) and read up to its header row.

    Raises FileError when the file is empty, binary, a damaged or foreign zip, or has no header.
    A file object passed in is read from its current position and is not closed.
    """
    stack = contextlib.ExitStack()
    try:
        stream = _binary_stream(source, stack)
        start = stream.tell()
        head = stream.read(8)
        if not isinstance(head, bytes):
            raise TypeError("open the file in binary mode ('rb')")
        stream.seek(start)
        if not head:
            raise FileError(EMPTY)
        reader: RowSource
        if head.startswith(b"PK"):
            reader = _XlsxRows(stream, stack)
        elif head.startswith(b"\xd0\xcf\x11\xe0"):
            raise FileError(OLD_EXCEL)
        else:
            reader = _CsvRows(stream, stack)
        return reader
    except BaseException:
        stack.close()
        raise


def _binary_stream(source: Source, stack: contextlib.ExitStack) -> IO[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source))
    if isinstance(source, str | os.PathLike):
        try:
            handle = open(source, "rb")  # noqa: SIM115 - closed by the ExitStack
        except OSError as exc:
            raise FileError("Filen gick inte att öppna.") from exc
        stack.callback(handle.close)
        return handle
    seekable = getattr(source, "seekable", None)
    if seekable is not None and seekable():
        return source
    # A one-way stream (a pipe): keep a copy, in memory up to a limit and on disk after that.
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_LIMIT)  # noqa: SIM115 - closed by the ExitStack
    stack.callback(spool.close)
    shutil.copyfileobj(source, spool)
    spool.seek(0)
    return spool  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------
# CSV


def _detect_encoding(stream: IO[bytes]) -> str:
    """Decide the encoding by reading the whole file once, in chunks; the position is restored.

    Also rejects binary data: bytes neither UTF-8 nor Windows-1252 can decode, NUL characters,
    or more than a few control characters.
    """
    start = stream.tell()
    head = stream.read(4)
    stream.seek(start)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        stream.seek(start)
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        characters = controls = 0
        mixed = False
        try:
            while chunk := stream.read(_CHUNK):
                text = decoder.decode(chunk)
                if "\x00" in text:
                    raise FileError(BINARY)
                characters += len(text)
                controls += len(CONTROL_CHARACTERS.findall(text))
                mixed = mixed or (encoding == "cp1252" and _MOJIBAKE.search(text) is not None)
            characters += len(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(start)
        if controls > max(2, characters * _CONTROL_SHARE):
            raise FileError(BINARY)
        if mixed:
            raise FileError(MIXED_ENCODINGS)
        return encoding
    raise FileError(BINARY)


def _count_outside_quotes(line: str, separator: str) -> int:
    count = 0
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            count += 1
    return count


def detect_separator(header_line: str) -> str:
    """The candidate (; , tab) that occurs most often in the header line outside quotes.

    Ties go to ';' (what Swedish Excel writes), then tab, then ','. A header without any
    separator is one column: ';' is returned and the column check explains the problem.
    """
    counts = {separator: _count_outside_quotes(header_line, separator) for separator in (";", "\t", ",")}
    best = max(counts, key=lambda separator: counts[separator])  # first of equals wins
    return best if counts[best] > 0 else ";"


class _CsvRows(RowSource):
    file_format: FileFormat = "csv"

    def __init__(self, stream: IO[bytes], stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self.encoding = _detect_encoding(stream)
        # newline="" hands the csv module line endings untranslated, as it requires; lines are
        # still split on \r\n, \n and \r.
        self._text = io.TextIOWrapper(stream, encoding=self.encoding, newline="")  # type: ignore[type-var]
        stack.callback(self._text.detach)  # never close the caller's stream through the wrapper
        skipped, line = self._content_line(0)
        declared = _SEP_LINE.match(line.rstrip("\r\n"))
        if declared:  # Excel's "sep=;" line names the separator; the header comes after it
            skipped, line = self._content_line(skipped + 1)
        self.separator = declared.group(1) if declared else detect_separator(line)
        self._reader = csv.reader(itertools.chain((line,), self._text), delimiter=self.separator)
        self._offset = skipped
        header = self._next()
        if header is None:
            raise FileError(EMPTY)
        self.header_line = header.line
        self.header = tuple(str(cell).strip() for cell in header.cells)

    def _content_line(self, skipped: int) -> tuple[int, str]:
        """The next line with a letter or digit in it (not blank, not just ";;;;"), and how many
        lines lie before it in the file."""
        for line in self._text:
            if any(char.isalnum() for char in line):
                return skipped, line
            skipped += 1
        raise FileError(EMPTY)

    def _next(self) -> RawRow | None:
        """The next non-blank row, or None at the end of the file."""
        reader = self._reader
        while True:
            before = reader.line_num
            try:
                cells = next(reader)
            except StopIteration:
                return None
            except csv.Error as exc:
                raise FileError(
                    f'Filen går inte att läsa från rad {before + 1 + self._offset}: ett citattecken (") '
                    "avslutas aldrig eller ett värde är orimligt långt. Rätta filen och försök igen."
                ) from exc
            if cells and not row_is_blank(cells):
                return RawRow(line=before + 1 + self._offset, cells=tuple(cells))

    def rows(self) -> Iterator[RawRow]:
        while (row := self._next()) is not None:
            yield row

    def close(self) -> None:
        self._stack.close()


# ---------------------------------------------------------------------------------------------
# XLSX


def _check_zip(stream: IO[bytes]) -> None:
    """Raise FileError unless `stream` is an undamaged zip archive holding an Excel workbook."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise FileError(BROKEN_XLSX) from exc
    try:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            if "mimetype" in names or "content.xml" in names:
                raise FileError(
                    "Filen är ett OpenDocument-kalkylark (ods). Spara den som Excel-arbetsbok (xlsx) "
                    "eller CSV och försök igen."
                )
            raise FileError(
                "Filen är en zip-fil men ingen Excel-fil (xlsx). Välj Excel-filen eller en CSV-fil och försök igen."
            )
        # Reads every member once and checks its checksum: finds damage before any row is read.
        if archive.testzip() is not None:
            raise FileError(BROKEN_XLSX)
    except FileError:
        archive.close()
        raise
    except Exception as exc:  # zlib.error, EOFError, ... from a damaged member
        archive.close()
        raise FileError(BROKEN_XLSX) from exc
    archive.close()
    stream.seek(0)


class _XlsxRows(RowSource):
    file_format: FileFormat = "xlsx"

    def __init__(self, stream: IO[bytes], stack: contextlib.ExitStack) -> None:
        import openpyxl

        self._stack = stack
        start = stream.tell()
        if start:
            # zipfile wants the archive to start at 0: copy the rest of the stream.
            rest = tempfile.SpooledTemporaryFile(max_size=_SPOOL_LIMIT)  # noqa: SIM115
            stack.callback(rest.close)
            shutil.copyfileobj(stream, rest)
            rest.seek(0)
            stream = rest  # type: ignore[assignment]
        _check_zip(stream)
        try:
            with warnings.catch_warnings():
                # openpyxl warns about features it does not read (data validation, styles): harmless here.
                warnings.simplefilter("ignore", UserWarning)
                workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged or odd workbook
            raise FileError(BROKEN_XLSX) from exc
        stack.callback(workbook.close)
        if not workbook.worksheets:
            raise FileError("Excel-filen har inget kalkylblad med uppgifter.")
        sheet = workbook.worksheets[0]
        # The stored size is often wrong (or missing) in files from other programs: read what is there.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        self.epoch = workbook.epoch
        self._rows = self._iterate(sheet)
        first = next(self._rows, None)
        if first is None:
            raise FileError(
                "Det första bladet i Excel-filen är tomt. Uppgifterna ska ligga på det första bladet, "
                "med rubrikraden överst."
            )
        self.header_line = first.line
        cells = ["" if cell is None else str(cell).strip() for cell in first.cells]
        while cells and not cells[-1]:
            cells.pop()
        self.header = tuple(cells)

    @staticmethod
    def _iterate(sheet: Any) -> Iterator[RawRow]:
        rows = sheet.iter_rows(min_row=1, values_only=True)
        line = 0
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet only shows while it is read
                raise FileError(
                    f"Excel-filen är skadad efter rad {line}. Spara filen på nytt i Excel och försök igen."
                ) from exc
            line += 1
            if not row_is_blank(cells):
                yield RawRow(line=line, cells=tuple(cells))

    def rows(self) -> Iterator[RawRow]:
        return self._rows

    def close(self) -> None:
        self._stack.close()
