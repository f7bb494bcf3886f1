"""Travel minutes between municipalities, precomputed (data/restider.csv, see data/README.md).

Looked up per pair from a dict loaded once; a pair not in the file falls back to a simple rule:
20 minutes inside one municipality, 90 inside one county (the first two digits of the SCB code),
180 otherwise.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "restider.csv"
SAME_MUNICIPALITY = 20
SAME_COUNTY = 90
ELSEWHERE = 180


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], int]:
    table: dict[tuple[str, str], int] = {}
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            minutes = int(row["minuter"])
            table[(row["fran"], row["till"])] = minutes
            table[(row["till"], row["fran"])] = minutes
    return table


def travel_minutes(origin: str | None, destination: str | None) -> int | None:
    """Minutes from `origin` to `destination` (SCB codes); None when either is unknown."""
    if not origin or not destination:
        return None
    known = _table().get((origin, destination))
    if known is not None:
        return known
    if origin == destination:
        return SAME_MUNICIPALITY
    if origin[:2] == destination[:2]:
        return SAME_COUNTY
    return ELSEWHERE
