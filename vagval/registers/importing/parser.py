"""Parsing an import file into records and rejected rows, lazily.

    with open_import_file(upload, kind=ImportKind.BEFOLKNING, progress=show) as parsed:
        parsed.unknown_columns          # known as soon as the file is open
        for item in parsed:             # one row at a time; nothing is collected
            if isinstance(item, RejectedRow): ...
            else: ...                   # a PopulationRow
        parsed.counts                   # ParseCounts(read, accepted, rejected)

Opening reads the file far enough to raise every FileError it can (format, encoding, binary
data, damaged XLSX, header, no data rows) before a single row is handed out.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, overload

from vagval.common.identity import IdentityNumber, looks_like_identity_number

from .columns import HeaderMatch, ImportKind, match_header
from .errors import FileError
from .reading import CellValue, FileFormat, RawRow, RowSource, Source, open_rows, row_is_blank
from .records import ParseCounts, PopulationRow, Problem, RejectedRow, StudyRow
from .reference import municipality_codes
from .values import (
    ValueProblem,
    cell_text,
    parse_date,
    parse_email,
    parse_identity,
    parse_municipality_code,
    parse_phone,
    parse_postal_code,
    parse_skolform,
    parse_status,
    parse_text,
    parse_yes_no,
)

RecordT = TypeVar("RecordT", PopulationRow, StudyRow)
ProgressCallback = Callable[[ParseCounts], None]
# A caller's own rule on a valid record (e.g. "another municipality", "duplicate row"): a Problem
# turns the record into a RejectedRow that keeps the raw values, so it lands in the rejected-rows file.
RecordCheck = Callable[[Any], "Problem | None"]

# Longest values accepted (the register's field sizes).
NAME_MAX = 100
ADDRESS_MAX = 200
CITY_MAX = 100
PROGRAMME_MAX = 50
SCHOOL_UNIT_MAX = 200


# A column's parser: cell → value, or ValueProblem.
Parse = Callable[[CellValue], Any]


class _Validator(Generic[RecordT]):
    """Checks one row at a time: its shape, then each column present in the file, in spec order."""

    def __init__(self, match: HeaderMatch, *, width: int, file_format: FileFormat, today: dt.date, epoch: dt.datetime):
        self.columns = match.columns
        self.labels = match.labels
        self.width = width
        self.named_width = match.named_width
        self.strict_width = file_format == "csv"
        self.today = today
        self.epoch = epoch
        # (column, record attribute, position in the row, parser) for the columns the file has.
        self.fields: list[tuple[str, str, int, Parse]] = [
            (column, attribute, match.columns[column], parse)
            for column, attribute, parse in self.field_parsers()
            if column in match.columns
        ]

    def field_parsers(self) -> list[tuple[str, str, Parse]]:
        raise NotImplementedError  # pragma: no cover

    def __call__(self, raw: RawRow) -> RecordT | RejectedRow:
        cells = raw.cells
        shape = self._shape_problem(cells)
        if shape is not None:
            return RejectedRow(line=raw.line, column="", reason=shape, values=cells, problems=(Problem("", shape),))
        count = len(cells)
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for column, attribute, position, parse in self.fields:
            try:
                values[attribute] = parse(cells[position] if position < count else None)
            except ValueProblem as problem:
                problems.append(Problem(column, problem.reason))
        self._cross_check(values, problems)
        if not problems:
            record = self._record(raw.line, values, problems)
            if record is not None:
                return record
        first = problems[0]
        identity: IdentityNumber | None = values.get("identity")
        return RejectedRow(
            line=raw.line,
            column=first.column,
            reason=first.reason,
            values=cells,
            problems=tuple(problems),
            column_label=self.labels.get(first.column, first.column),
            identity_number=identity.digits if identity is not None else None,
        )

    def _shape_problem(self, cells: tuple[CellValue, ...]) -> str | None:
        """A CSV row must have a value for every named column and nothing beyond the header
        (empty values beyond it are tolerated: trailing separators). In an XLSX row, cells are
        where they are: a short row is fine and cells right of the header are ignored."""
        count = len(cells)
        if not self.strict_width or self.named_width <= count <= self.width:
            return None
        if count > self.width:
            if row_is_blank(cells[self.width :]):
                return None
            while not cell_text(cells[count - 1]):
                count -= 1
        return f"raden har {count} värden men rubrikraden har {self.width} kolumner (fel avgränsare eller citattecken?)"

    def _cross_check(self, values: dict[str, Any], problems: list[Problem]) -> None:
        """Rules between columns of one row."""

    def _record(self, line: int, values: dict[str, Any], problems: list[Problem]) -> RecordT | None:
        raise NotImplementedError  # pragma: no cover


class _PopulationValidator(_Validator[PopulationRow]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.known_codes = municipality_codes()
        super().__init__(*args, **kwargs)
        # First accepted line per identity number: a person is in a population extract once.
        # About 110 bytes per accepted row (an int key and an int value in a dict): 11 MB per 100,000.
        self.seen: dict[int, int] = {}

    def field_parsers(self) -> list[tuple[str, str, Parse]]:
        today = self.today
        return [
            ("personnummer", "identity", functools.partial(parse_identity, today=today)),
            (
                "fornamn",
                "first_name",
                functools.partial(parse_text, max_length=NAME_MAX, required_reason="förnamn saknas"),
            ),
            (
                "efternamn",
                "last_name",
                functools.partial(parse_text, max_length=NAME_MAX, required_reason="efternamn saknas"),
            ),
            ("adress", "address", functools.partial(parse_text, max_length=ADDRESS_MAX)),
            ("postnummer", "postal_code", parse_postal_code),
            ("postort", "city", functools.partial(parse_text, max_length=CITY_MAX)),
            ("kommunkod", "municipality_code", functools.partial(parse_municipality_code, known=self.known_codes)),
            ("skyddad", "protected", parse_yes_no),
            ("telefon", "phone", parse_phone),
            ("epost", "email", parse_email),
            ("tidigare_nummer", "previous_identity", functools.partial(_optional_identity, today=today)),
        ]

    def _cross_check(self, values: dict[str, Any], problems: list[Problem]) -> None:
        previous, identity = values.get("previous_identity"), values.get("identity")
        if previous is not None and identity is not None and previous.digits == identity.digits:
            problems.append(Problem("tidigare_nummer", "tidigare_nummer är samma som personnummer"))

    def _record(self, line: int, values: dict[str, Any], problems: list[Problem]) -> PopulationRow | None:
        key = int(values["identity"].digits)
        earlier = self.seen.get(key)
        if earlier is not None:
            problems.append(Problem("personnummer", f"personen finns redan på rad {earlier}"))
            return None
        self.seen[key] = line
        return PopulationRow(line=line, **values)


def _optional_identity(value: CellValue, *, today: dt.date) -> IdentityNumber | None:
    if not cell_text(value):
        return None
    return parse_identity(value, today=today)


class _StudyValidator(_Validator[StudyRow]):
    def field_parsers(self) -> list[tuple[str, str, Parse]]:
        epoch = self.epoch
        return [
            ("personnummer", "identity", functools.partial(parse_identity, today=self.today)),
            ("skolform", "school_form", parse_skolform),
            ("program", "programme", functools.partial(parse_text, max_length=PROGRAMME_MAX)),
            ("skolenhet", "school_unit", functools.partial(parse_text, max_length=SCHOOL_UNIT_MAX)),
            ("status", "status", parse_status),
            ("startdatum", "start_date", functools.partial(parse_date, epoch=epoch)),
            ("slutdatum", "end_date", functools.partial(parse_date, epoch=epoch)),
        ]

    def _cross_check(self, values: dict[str, Any], problems: list[Problem]) -> None:
        start, end = values.get("start_date"), values.get("end_date")
        if start is not None and end is not None and end < start:
            problems.append(Problem("slutdatum", "slutdatum före startdatum"))

    def _record(self, line: int, values: dict[str, Any], problems: list[Problem]) -> StudyRow | None:
        return StudyRow(line=line, **values)


class ImportFile(Generic[RecordT]):
    """An open import file. Iterate it once to get each data row as a record or a RejectedRow,
    in file order. Use it as a context manager (or call close()); it also closes itself when the
    iteration ends.
    """

    def __init__(
        self,
        *,
        kind: ImportKind,
        rows: RowSource,
        match: HeaderMatch,
        first: RawRow,
        validator: _Validator[RecordT],
        progress: ProgressCallback | None,
        progress_every: int,
        check: RecordCheck | None = None,
    ) -> None:
        self.kind = kind
        self._check = check
        self.file_format: FileFormat = rows.file_format
        self.encoding = rows.encoding  # "utf-8", "utf-8-sig", "cp1252", "utf-16"; None for XLSX
        self.separator = rows.separator  # ";", ",", "\t"; None for XLSX
        self.header = rows.header  # the header row as written in the file
        self.header_line = rows.header_line
        self.columns = dict(match.columns)  # canonical column name → position
        self.column_labels = dict(match.labels)  # canonical column name → name as written
        self.unknown_columns = match.unknown  # extra columns, ignored
        self.error_column = match.error_column  # position of a `fel` column (a corrected rejected-rows file)
        self._rows = rows
        self._first: RawRow | None = first
        self._validator: _Validator[RecordT] = validator
        self._progress = progress
        self._every = max(1, progress_every)
        self._read = self._accepted = self._rejected = 0
        self._started = False

    @property
    def counts(self) -> ParseCounts:
        return ParseCounts(read=self._read, accepted=self._accepted, rejected=self._rejected)

    def has_column(self, name: str) -> bool:
        """Whether the file has the (canonical) column: a missing column means "not stated"."""
        return name in self.columns

    def __iter__(self) -> Iterator[RecordT | RejectedRow]:
        if self._started:
            raise RuntimeError("an ImportFile can be iterated only once")
        self._started = True
        return self._iterate()

    def _iterate(self) -> Iterator[RecordT | RejectedRow]:
        validate = self._validator
        progress, every = self._progress, self._every
        reported = -1
        try:
            first, self._first = self._first, None
            for raw in _prepend(first, self._rows.rows()):
                item = validate(raw)
                if self._check is not None and not isinstance(item, RejectedRow):
                    item = self._checked(item, raw.cells)
                self._read += 1
                if isinstance(item, RejectedRow):
                    self._rejected += 1
                else:
                    self._accepted += 1
                if progress is not None and self._read % every == 0:
                    progress(self.counts)
                    reported = self._read
                yield item
            if progress is not None and reported != self._read:
                progress(self.counts)
        finally:
            self.close()

    def _checked(self, record: RecordT, cells: tuple[CellValue, ...]) -> RecordT | RejectedRow:
        assert self._check is not None
        problem = self._check(record)
        if problem is None:
            return record
        return RejectedRow(
            line=record.line,
            column=problem.column,
            reason=problem.reason,
            values=cells,
            problems=(problem,),
            column_label=self.column_labels.get(problem.column, problem.column),
            identity_number=record.identity.digits,
        )

    def close(self) -> None:
        self._rows.close()

    def __enter__(self) -> ImportFile[RecordT]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _prepend(first: RawRow | None, rest: Iterator[RawRow]) -> Iterator[RawRow]:
    if first is not None:
        yield first
    yield from rest


@overload
def open_import_file(
    source: Source,
    *,
    kind: Literal[ImportKind.BEFOLKNING, "befolkning"],
    progress: ProgressCallback | None = ...,
    progress_every: int = ...,
    today: dt.date | None = ...,
    check: RecordCheck | None = ...,
) -> ImportFile[PopulationRow]: ...
@overload
def open_import_file(
    source: Source,
    *,
    kind: Literal[ImportKind.STUDIER, "studier"],
    progress: ProgressCallback | None = ...,
    progress_every: int = ...,
    today: dt.date | None = ...,
    check: RecordCheck | None = ...,
) -> ImportFile[StudyRow]: ...
@overload
def open_import_file(
    source: Source,
    *,
    kind: ImportKind | str,
    progress: ProgressCallback | None = ...,
    progress_every: int = ...,
    today: dt.date | None = ...,
    check: RecordCheck | None = ...,
) -> ImportFile[PopulationRow] | ImportFile[StudyRow]: ...
def open_import_file(
    source: Source,
    *,
    kind: ImportKind | str,
    progress: ProgressCallback | None = None,
    progress_every: int = 1000,
    today: dt.date | None = None,
    check: RecordCheck | None = None,
) -> ImportFile[PopulationRow] | ImportFile[StudyRow]:
    """Open a population ("befolkning") or studies ("studier") file: a path, bytes or a binary
    file object (e.g. an uploaded file; read from its position, not closed).

    Raises FileError (one Swedish message) when the file cannot be imported at all.
    `progress` is called with the counts every `progress_every` rows and once at the end.
    `today` decides the century of short identity numbers (default: today).
    `check` may reject a valid record with a Problem of its own (counted and reported as rejected).
    """
    kind = ImportKind(kind)
    rows = open_rows(source)
    try:
        match = _match_header(rows, kind=kind)
        first = next(iter(rows.rows()), None)
        if first is None:
            raise FileError("Filen har bara en rubrikrad och inga rader med uppgifter.")
        validator: _Validator[Any]
        validator_class = _PopulationValidator if kind is ImportKind.BEFOLKNING else _StudyValidator
        validator = validator_class(
            match,
            width=len(rows.header),
            file_format=rows.file_format,
            today=today or dt.date.today(),
            epoch=rows.epoch,
        )
        return ImportFile[Any](
            kind=kind,
            rows=rows,
            match=match,
            first=first,
            validator=validator,
            progress=progress,
            progress_every=progress_every,
            check=check,
        )
    except BaseException:
        rows.close()
        raise


def _match_header(rows: RowSource, *, kind: ImportKind) -> HeaderMatch:
    try:
        return match_header(rows.header, kind=kind)
    except FileError as exc:
        if any(looks_like_identity_number(cell) for cell in rows.header):
            raise FileError(
                f"Filen saknar rubrikrad: rad {rows.header_line} innehåller uppgifter i stället för kolumnnamn. "
                f"Lägg till en rubrikrad överst. {exc.message}"
            ) from exc
        raise


@dataclass(frozen=True)
class ParseResult(Generic[RecordT]):
    """A whole file parsed into lists: for tests and small files (the import streams instead)."""

    records: list[RecordT]
    rejected: list[RejectedRow]
    counts: ParseCounts
    unknown_columns: tuple[str, ...]
    header: tuple[str, ...]
    file_format: FileFormat
    encoding: str | None
    separator: str | None


@overload
def parse_import_file(
    source: Source, *, kind: Literal[ImportKind.BEFOLKNING, "befolkning"], today: dt.date | None = ...
) -> ParseResult[PopulationRow]: ...
@overload
def parse_import_file(
    source: Source, *, kind: Literal[ImportKind.STUDIER, "studier"], today: dt.date | None = ...
) -> ParseResult[StudyRow]: ...
@overload
def parse_import_file(
    source: Source, *, kind: ImportKind | str, today: dt.date | None = ...
) -> ParseResult[PopulationRow] | ParseResult[StudyRow]: ...
def parse_import_file(
    source: Source, *, kind: ImportKind | str, today: dt.date | None = None
) -> ParseResult[PopulationRow] | ParseResult[StudyRow]:
    """Parse a whole file into lists (see open_import_file)."""
    with open_import_file(source, kind=kind, today=today) as parsed:
        records: list[Any] = []
        rejected: list[RejectedRow] = []
        for item in parsed:
            if isinstance(item, RejectedRow):
                rejected.append(item)
            else:
                records.append(item)
        return ParseResult(
            records=records,
            rejected=rejected,
            counts=parsed.counts,
            unknown_columns=parsed.unknown_columns,
            header=parsed.header,
            file_format=parsed.file_format,
            encoding=parsed.encoding,
            separator=parsed.separator,
        )
