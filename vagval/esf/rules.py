"""ESF+ rules that are pure functions of their inputs: gender groups, long-term unemployment,
age at entry and rural area (from a data file). No database access here."""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from vagval.people.models import Gender

# The three columns ESF+ breaks every figure down by (../shared/spec/domain.md).
WOMEN = "kvinnor"
MEN = "man"
NON_BINARY = "icke_binara"
GROUPS = (WOMEN, MEN, NON_BINARY)

# "Annat" (another gender identity, seed 001) is reported with the non-binary: ESF+ has three
# categories, and the third is for whoever is neither woman nor man. "Vill inte svara" and an
# empty gender make the record incomplete.
GENDER_GROUP = {
    Gender.WOMAN.value: WOMEN,
    Gender.MAN.value: MEN,
    Gender.NON_BINARY.value: NON_BINARY,
    Gender.OTHER.value: NON_BINARY,
}

DATA = Path(__file__).resolve().parent / "data"


def gender_group(gender: str) -> str:
    """kvinnor, man, icke_binara, or "" (unknown: the record is incomplete)."""
    return GENDER_GROUP.get(gender, "")


def age_on(*, birth_date: dt.date | None, day: dt.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (0 if end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def is_long_term_unemployed(*, unemployed_since: dt.date | None, entry_on: dt.date, age: int | None) -> bool:
    """More than 6 months unemployed under 25, more than 12 months from 25 (ESF+ EECO03).

    Without an age the stricter 12 months applies: a record without age is incomplete anyway."""
    from vagval.esf.models import LONG_TERM_AGE, LONG_TERM_MONTHS_OLDER, LONG_TERM_MONTHS_YOUNG

    if unemployed_since is None:
        return False
    limit = LONG_TERM_MONTHS_YOUNG if age is not None and age < LONG_TERM_AGE else LONG_TERM_MONTHS_OLDER
    months = months_between(unemployed_since, entry_on)
    # "More than N months": N whole months and at least one day more.
    if months > limit:
        return True
    if months == limit:
        return _add_months(unemployed_since, limit) < entry_on
    return False


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def rural_file() -> Path:
    return Path(getattr(settings, "VAGVAL_ESF_RURAL_FILE", "") or DATA / "landsbygd.csv")


@functools.cache
def _rural_codes(path: str, mtime: float) -> frozenset[str]:
    with open(path, encoding="utf-8", newline="") as file:
        return frozenset(row["kommunkod"] for row in csv.DictReader(file) if row.get("landsbygd", "").strip() == "1")


def rural_codes() -> frozenset[str]:
    """Municipality codes counted as rural areas (EECO17), read from the data file (re-read when it changes)."""
    path = rural_file()
    return _rural_codes(str(path), path.stat().st_mtime)


def is_rural(municipality_code: str | None) -> bool:
    return bool(municipality_code) and municipality_code in rural_codes()


@dataclass(frozen=True)
class IscedLevel:
    code: int
    name: str
    esf_group: str


@functools.cache
def isced_levels() -> tuple[IscedLevel, ...]:
    """ISCED 2011 levels 0–8 with their ESF+ group (vagval/reference/isced2011.csv)."""
    path = Path(__file__).resolve().parent.parent / "reference" / "isced2011.csv"
    with open(path, encoding="utf-8", newline="") as file:
        return tuple(
            IscedLevel(code=int(row["isced"]), name=row["benamning_sv"], esf_group=row["esf_grupp"])
            for row in csv.DictReader(file)
        )
