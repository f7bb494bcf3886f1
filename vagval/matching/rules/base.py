"""What a scoring rule sees and answers. Plain data, no database: scoring 5,000 offers for one
person must stay a loop over tuples (benchmarks/bench_suggestions.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext


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


class Reason:
    """A short reason in plain Swedish, translated only when shown: scoring 5,000 offers must not
    format 30,000 texts of which the page shows a few (mark the text with gettext_noop)."""

    __slots__ = ("params", "text")

    def __init__(self, text: str, **params: object) -> None:
        self.text = text
        self.params = params

    def __str__(self) -> str:
        message = gettext(self.text)
        return message % {k: str(v) for k, v in self.params.items()} if self.params else message

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Reason({str(self)!r})"


class Reasons(Reason):
    """Several short reasons met at once ("uppfyller ålderskravet, har körkort")."""

    __slots__ = ("texts",)

    def __init__(self, texts: list[str]) -> None:
        super().__init__("")
        self.texts = texts

    def __str__(self) -> str:
        return ", ".join(gettext(text) for text in self.texts)


NO_REASON = Reason("")  # a blocked pair's reason: only its block is shown


class RuleResult(NamedTuple):
    """value: how well the pair does on this rule, 0.0–1.0; reason: short plain Swedish;
    block: a Swedish reason the pair is not allowed at all (hard requirement), else None.
    (A NamedTuple: one is made per rule and pair, 30,000 for one person's list.)"""

    value: float
    reason: Reason
    block: Reason | None = None
