"""Parsing a cost file exported from a municipality's accounting system (pure; tested by hand).

The format (docs/ARCHITECTURE.md, "Budget and cost"): a text file, UTF-8 (a BOM is allowed;
Windows-1252 is read when the file is not UTF-8), fields separated by semicolons, a header row
naming at least the columns `månad`, `kostnadstyp` and `belopp` in any order (other columns,
such as `konto` or `text`, are ignored; names are case-insensitive, `manad` also works):

    månad;kostnadstyp;belopp;text
    2025-01;personal;125 000,00;Lön coacher januari
    2025-01;Köpta tjänster;8450,50;Handledning

- månad: ÅÅÅÅ-MM (ÅÅÅÅ-MM-DD is read as its month);
- kostnadstyp: the code or the Swedish name (personal, lokaler, köpta tjänster, resor, övrigt);
- belopp: kronor, decimal comma or point, spaces as thousands separators, a minus sign for a
  credit (a correction); at most two decimals.

Every row that breaks a rule is rejected with its line number (the header is line 1) and the
reason; the good rows are kept. Rows for the same month and cost type are summed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from vagval.budget.models import CostType

REQUIRED = ("månad", "kostnadstyp", "belopp")
MAX_AMOUNT = Decimal("9999999999.99")
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-\d{2})?$")
_NAMES = {
    **{value: value for value in CostType.values},
    **{str(label).lower(): value for value, label in CostType.choices},
    "kopta tjanster": CostType.SERVICES,
    "köpta tjänster": CostType.SERVICES,
    "ovrigt": CostType.OTHER,
    "övrigt": CostType.OTHER,
}


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass
class Parsed:
    totals: dict[tuple[str, dt.date], Decimal] = field(default_factory=dict)  # (cost type, month) → sum
    accepted: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    error: str = ""  # the whole file was refused (no header, unreadable)

    @property
    def months(self) -> list[dt.date]:
        return sorted({month for _type, month in self.totals})


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def parse_month(text: str) -> dt.date | None:
    match = _MONTH.match(text.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return dt.date(year, month, 1) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


def parse_amount(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace("−", "-")
    if "," in cleaned:
        if "." in cleaned:
            return None  # both separators: ambiguous
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", cleaned):
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if abs(amount) <= MAX_AMOUNT else None


def parse_cost_type(text: str) -> str | None:
    return _NAMES.get(text.strip().lower())


def _header(row: list[str]) -> dict[str, int] | None:
    names = [cell.strip().lower().replace("manad", "månad") for cell in row]
    if not all(name in names for name in REQUIRED):
        return None
    return {name: names.index(name) for name in REQUIRED}


def _row_error(cells: list[str], columns: dict[str, int]) -> tuple[str, tuple[str, dt.date, Decimal] | None]:
    if len(cells) <= max(columns.values()):
        return _("Raden har för få fält."), None
    month = parse_month(cells[columns["månad"]])
    if month is None:
        return _("Månaden ska skrivas ÅÅÅÅ-MM."), None
    cost_type = parse_cost_type(cells[columns["kostnadstyp"]])
    if cost_type is None:
        return _("Okänd kostnadstyp (personal, lokaler, köpta tjänster, resor eller övrigt)."), None
    amount = parse_amount(cells[columns["belopp"]])
    if amount is None:
        return _("Beloppet ska vara ett tal i kronor med högst två decimaler."), None
    return "", (cost_type, month, amount)


def parse_costs(text: str) -> Parsed:
    parsed = Parsed()
    reader = csv.reader(io.StringIO(text), delimiter=";")
    columns = _header(next(reader, []))
    if columns is None:
        parsed.error = _(
            "Filen saknar en rubrikrad med kolumnerna månad, kostnadstyp och belopp (semikolonseparerade)."
        )
        return parsed
    sums: dict[tuple[str, dt.date], Decimal] = defaultdict(Decimal)
    for cells in reader:
        line = reader.line_num  # the file's line where the row ends (a quoted field may span lines)
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is no row
        reason, value = _row_error(cells, columns)
        if value is None:
            parsed.rejected.append(Rejected(line, reason))
            continue
        cost_type, month, amount = value
        sums[(cost_type, month)] += amount
        parsed.accepted += 1
    parsed.totals = dict(sums)
    return parsed
