"""What an ESF+ indicator is: a code, its Swedish definition, and a condition on a participant row.

Each indicator lives in a module of its own (eeco01.py … eecr06.py) and is listed in the
registry (`vagval.esf.indicators.REGISTRY`). The condition is a `Q` over the names that
`vagval.esf.indicators.compute.participant_rows` annotates, so that every indicator of the
table is counted by one aggregate query (not a Python loop over persons).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.utils.functional import Promise


class Kind(StrEnum):
    # Output indicators count participants who entered during the period (their first start).
    OUTPUT = "output"
    # Result indicators count participants who left during the period (their latest exit).
    RESULT = "result"


@dataclass(frozen=True)
class Indicator:
    code: str
    title: Promise
    definition: Promise
    kind: Kind
    # The condition on a participant row, besides being in the period and having a complete record.
    condition: Callable[[], Q]
    # Only EECO01 (all participants) counts records that are incomplete on gender, status, age
    # or education, and only in its total column: the rule in ../shared/spec/domain.md.
    counts_incomplete: bool = False
    # Special-category data (GDPR art. 9): answered voluntarily, reported in aggregate only.
    special_category: bool = False
