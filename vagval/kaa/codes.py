"""The KAA code lists, read from CSV files at runtime so they can be edited without code changes.

The files live in `vagval/kaa/codes/` unless the setting KAA_CODES_DIR points elsewhere. Each file
has the columns code;scb_code;label (lines starting with # are comments). `code` is Vägval's own
code and is what the database stores; `scb_code` is what goes into the statistics file when it is
filled in (SCB's exact codes are unverified); `label` is the Swedish text shown to users.
Every list must contain the code "okand": unknown codes in the data are reported as that.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from vagval.common.errors import InvalidInput

DEFAULT_DIR = Path(__file__).resolve().parent / "codes"
UNKNOWN = "okand"
COLUMNS = ["code", "scb_code", "label"]

# The list name (used in code) and its file.
FILES = {
    "registration": "registreringsorsaker.csv",
    "measure_kind": "insatser.csv",
    "occupation_after": "sysselsattning_efter.csv",
    "deregistration": "avregistreringsorsaker.csv",
}


class CodeListError(InvalidInput):
    """A code file is missing or broken; the message names the file and the line."""


@dataclass(frozen=True)
class Code:
    code: str
    scb_code: str
    label: str

    @property
    def reported(self) -> str:
        """The value written to the statistics file: SCB's code when known, else ours."""
        return self.scb_code or self.code


@dataclass(frozen=True)
class CodeList:
    name: str
    codes: dict[str, Code]

    def get(self, code: str) -> Code:
        """The code, or "okänd" for a code the list does not know."""
        return self.codes.get(code) or self.codes[UNKNOWN]

    def knows(self, code: str) -> bool:
        return code in self.codes

    def choices(self, *, include_unknown: bool = False) -> list[tuple[str, str]]:
        return [(c.code, c.label) for c in self.codes.values() if include_unknown or c.code != UNKNOWN]


def codes_dir() -> Path:
    return Path(getattr(settings, "KAA_CODES_DIR", DEFAULT_DIR))


def _parse(name: str, path: Path) -> CodeList:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CodeListError(f"Kodlistan {path.name} saknas i {path.parent}.") from None
    except (OSError, UnicodeDecodeError):
        raise CodeListError(f"Kodlistan {path.name} går inte att läsa som UTF-8-text.") from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    lines = [(n, line) for n, line in lines if not line.lstrip().startswith("#")]
    if not lines:
        raise CodeListError(f"Kodlistan {path.name} är tom.")
    # One line is one row: a code list has no quoted line breaks.
    rows = [next(csv.reader([line], delimiter=";")) for _, line in lines]
    if [c.strip() for c in rows[0]] != COLUMNS:
        raise CodeListError(f"Kodlistan {path.name} ska ha kolumnerna {';'.join(COLUMNS)} på första raden.")
    codes: dict[str, Code] = {}
    for (number, _line), row in zip(lines[1:], rows[1:], strict=True):
        values = [value.strip() for value in row]
        if len(values) != len(COLUMNS) or not values[0] or not values[2]:
            raise CodeListError(f"Kodlistan {path.name}, rad {number}: ange kod, SCB-kod (får vara tom) och text.")
        if values[0] in codes:
            raise CodeListError(f"Kodlistan {path.name}, rad {number}: koden {values[0]} finns redan.")
        codes[values[0]] = Code(*values)
    if UNKNOWN not in codes:
        raise CodeListError(f"Kodlistan {path.name} saknar koden {UNKNOWN} (Okänd).")
    return CodeList(name=name, codes=codes)


def load_code_list(name: str) -> CodeList:
    """One list, read from disk now (the files are small; an edit shows up on the next request)."""
    return _parse(name, codes_dir() / FILES[name])


@dataclass(frozen=True)
class CodeLists:
    registration: CodeList
    measure_kind: CodeList
    occupation_after: CodeList
    deregistration: CodeList


def load_code_lists() -> CodeLists:
    return CodeLists(**{name: load_code_list(name) for name in FILES})
