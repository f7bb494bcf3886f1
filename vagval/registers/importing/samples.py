"""Synthetic import files for tests and benchmarks: made-up people, valid check digits.

Nothing here is real: names are invented and identity numbers are computed, not looked up.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from vagval.common.identity import luhn_check_digit

POPULATION_HEADER = (
    "personnummer",
    "fornamn",
    "efternamn",
    "adress",
    "postnummer",
    "postort",
    "kommunkod",
    "skyddad",
    "telefon",
    "epost",
)
STUDY_HEADER = ("personnummer", "skolform", "program", "skolenhet", "status", "startdatum", "slutdatum")

FIRST_NAMES = ("Alva", "Elias", "Maja", "Noah", "Saga", "Olle", "Ebba", "Åke", "Märta", "Örjan", "Élise", "Liam")
LAST_NAMES = ("Lindqvist", "Berg", "Nyström", "Åberg", "Öhman", "Ekström", "Sjöberg", "Hägg", "Dahl", "Strand")
STREETS = ("Storgatan", "Björkvägen", "Skolgatan", "Ängsvägen", "Bergslagsvägen")


def identity_number(birth: dt.date, serial: int, *, coordination: bool = False) -> str:
    """A valid 12-digit number YYYYMMDDNNNC (day + 60 for a samordningsnummer)."""
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    return f"{birth:%Y}{nine[2:]}{luhn_check_digit(nine)}"


def with_wrong_check_digit(digits: str) -> str:
    return digits[:-1] + str((int(digits[-1]) + 1) % 10)


def csv_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    separator: str = ";",
    encoding: str = "utf-8-sig",
    line_ending: str = "\r\n",
) -> bytes:
    """A CSV file as Excel or a register system writes it."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=separator, lineterminator=line_ending)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """An XLSX file with one sheet; numbers and dates are stored as such (not as text)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Blad1")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def population_rows(count: int, *, seed: int = 1, municipality_code: str = "2085") -> Iterator[list[str]]:
    """`count` valid, distinct population rows (as text) in POPULATION_HEADER order."""
    rng = random.Random(seed)
    start = dt.date(1997, 1, 1)
    for index in range(count):
        birth = start + dt.timedelta(days=index % 4700)  # ~1997–2009: ages 16–29
        serial = 1 + index // 4700
        digits = identity_number(birth, serial)
        yield [
            f"{digits[:8]}-{digits[8:]}",
            rng.choice(FIRST_NAMES),
            rng.choice(LAST_NAMES),
            f"{rng.choice(STREETS)} {rng.randint(1, 80)}",
            f"771 {rng.randint(30, 99)}",
            "Ludvika",
            municipality_code,
            rng.choice("NNNNNNNNNJ"),
            f"070-{rng.randint(1000000, 9999999)}",
            f"ung{index}@example.se",
        ]


def study_rows(count: int, *, seed: int = 1) -> Iterator[list[str]]:
    """`count` valid study rows (as text) in STUDY_HEADER order, for the people of population_rows."""
    rng = random.Random(seed)
    for row in population_rows(count, seed=seed):
        start = dt.date(2024, 8, 19) + dt.timedelta(days=rng.randint(0, 400))
        dropped = rng.random() < 0.2
        yield [
            row[0],
            rng.choice(("GY", "GY", "GY", "IM", "KOMVUX")),
            rng.choice(("EE", "BA", "NA", "SA", "IMYRK")),
            "Ludvika gymnasium",
            "avbrott" if dropped else "pagaende",
            start.isoformat(),
            (start + dt.timedelta(days=rng.randint(30, 300))).isoformat() if dropped else "",
        ]
