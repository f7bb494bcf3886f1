"""The two file kinds, their columns, and matching a header row against them.

Header names match case-insensitively, ignoring surrounding spaces, accents (å/ä → a, ö → o,
é → e) and the characters space, '-' and '_' inside the name, so "Förnamn", " FORNAMN ",
"E-post" and "tidigare nummer" all match.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import FileError


class ImportKind(enum.StrEnum):
    BEFOLKNING = "befolkning"
    STUDIER = "studier"

    @property
    def label(self) -> str:
        return "befolkningsfil" if self is ImportKind.BEFOLKNING else "studiefil"


@dataclass(frozen=True)
class ColumnSpec:
    name: str  # canonical name as in register-import.md
    required: bool


POPULATION_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("personnummer", True),
    ColumnSpec("fornamn", True),
    ColumnSpec("efternamn", True),
    ColumnSpec("adress", False),
    ColumnSpec("postnummer", False),
    ColumnSpec("postort", False),
    ColumnSpec("kommunkod", True),
    ColumnSpec("skyddad", False),
    ColumnSpec("telefon", False),
    ColumnSpec("epost", False),
    # The previous number when a samordningsnummer was replaced by a personnummer.
    ColumnSpec("tidigare_nummer", False),
)

STUDY_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("personnummer", True),
    ColumnSpec("skolform", True),
    ColumnSpec("program", False),
    ColumnSpec("skolenhet", False),
    ColumnSpec("status", True),
    ColumnSpec("startdatum", False),
    ColumnSpec("slutdatum", False),
)

COLUMNS: dict[ImportKind, tuple[ColumnSpec, ...]] = {
    ImportKind.BEFOLKNING: POPULATION_COLUMNS,
    ImportKind.STUDIER: STUDY_COLUMNS,
}

# The column the rejected-rows file adds: known, so a corrected file re-imports without remarks.
ERROR_COLUMN = "fel"


def normalise_name(name: str) -> str:
    """The form header names are compared in: "  Förnamn " → "fornamn", "E-post" → "epost"."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    letters = (char for char in decomposed if not unicodedata.combining(char))
    return "".join(char for char in letters if char not in " -_\u00a0")


def _swedish_list(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " och " + names[-1]


@dataclass(frozen=True)
class HeaderMatch:
    columns: dict[str, int]  # canonical name → position in the row
    labels: dict[str, str]  # canonical name → the name as written in the file
    unknown: tuple[str, ...]  # extra columns as written in the file, in file order
    error_column: int | None  # position of an existing `fel` column
    named_width: int  # columns up to and including the last one with a name


def match_header(header: Sequence[str], *, kind: ImportKind) -> HeaderMatch:
    """Map the file's header row onto the columns of `kind`, or raise one clear FileError."""
    specs = COLUMNS[kind]
    by_key = {normalise_name(spec.name): spec.name for spec in specs}
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    error_column: int | None = None
    named = len(header)
    while named and not header[named - 1].strip():
        named -= 1  # unnamed columns at the end: trailing separators, not worth a remark
    for position, written in enumerate(header[:named]):
        key = normalise_name(written)
        canonical = by_key.get(key)
        if canonical is not None:
            if canonical in columns:
                raise FileError(
                    f"Kolumnen {canonical} finns två gånger i rubrikraden "
                    f"(kolumn {columns[canonical] + 1} och {position + 1}). Ta bort den ena och försök igen."
                )
            columns[canonical] = position
            labels[canonical] = written.strip()
        elif key == ERROR_COLUMN and error_column is None:
            error_column = position
        elif key:
            unknown.append(written.strip())
        else:
            unknown.append(f"kolumn {position + 1} (utan rubrik)")
    missing = [spec.name for spec in specs if spec.required and spec.name not in columns]
    if missing:
        raise FileError(_missing_message(missing, header=header, kind=kind))
    return HeaderMatch(
        columns=columns, labels=labels, unknown=tuple(unknown), error_column=error_column, named_width=named
    )


def _missing_message(missing: list[str], *, header: Sequence[str], kind: ImportKind) -> str:
    required = [spec.name for spec in COLUMNS[kind] if spec.required]
    if len(missing) == 1:
        first = f"Kolumnen {missing[0]} saknas i rubrikraden."
    else:
        first = f"Kolumnerna {_swedish_list(missing)} saknas i rubrikraden."
    message = f"{first} En {kind.label} ska ha kolumnerna {_swedish_list(required)}."
    other = ImportKind.STUDIER if kind is ImportKind.BEFOLKNING else ImportKind.BEFOLKNING
    keys = {normalise_name(name) for name in header}
    if all(normalise_name(spec.name) in keys for spec in COLUMNS[other] if spec.required):
        message += f" Filen ser ut att vara en {other.label}: har du valt fel sorts import?"
    elif len(header) == 1:
        message += " Rubrikraden har bara en kolumn: använd semikolon, komma eller tabb mellan kolumnerna."
    return message
