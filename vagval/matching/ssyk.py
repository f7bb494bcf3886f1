"""SSYK 2012 areas (vagval/reference/ssyk2012-yrkesomraden.csv): code → Swedish name."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "reference" / "ssyk2012-yrkesomraden.csv"


@lru_cache(maxsize=1)
def ssyk_areas() -> dict[str, str]:
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        return {row["kod"]: row["benamning"] for row in csv.DictReader(handle)}


def ssyk_choices() -> list[tuple[str, str]]:
    return list(ssyk_areas().items())


def ssyk_name(code: str) -> str:
    return ssyk_areas().get(code, code)
