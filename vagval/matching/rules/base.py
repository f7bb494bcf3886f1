"""What a scoring rule sees and answers. Plain data, no database: scoring 5,000 offers for one
person must stay a loop over tuples (benchmarks/bench_suggestions.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class PersonFacts:
    age: int | None
    home_municipality: str | None  # SCB code
    ssyk_areas: frozenset[str] = frozenset()
    offer_kinds: frozenset[str] = frozenset()
    max_travel_minutes: int | None = None
    hours_per_week: int | None = None
    has_driving_licence: bool = False
    languages: str = ""
    # offer id (str) → place in the young person's own ranking, 0 = first
    ranking: dict[str, int] = field(default_factory=dict)
    # provider ids where an earlier placement went well / was broken off
    providers_went_well: frozenset[uuid.UUID] = frozenset()
    providers_broken_off: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True)
class OfferFacts:
    id: uuid.UUID
    kind: str
    ssyk_area: str
    municipality: str | None  # SCB code
    provider_id: uuid.UUID
    provider_name: str = ""
    min_age: int | None = None
    max_age: int | None = None
    language: str = ""
    requires_driving_licence: bool = False
    hours_per_week: Decimal | None = None
    prefers_local: bool = False


@dataclass(frozen=True)
class RuleResult:
    """value: how well the pair does on this rule, 0.0–1.0; reason: short plain Swedish;
    block: a Swedish reason the pair is not allowed at all (hard requirement), else None."""

    value: float
    reason: str
    block: str | None = None
