"""A pair's score (0–1000) and its explanation, from the rules and the project's weights.

Each rule gives a value v in [0, 1] and has a weight w (MatchingWeights). Its part of the score
is floor(1000 · w · v / W), W the sum of the weights; the score is the sum of the parts, so the
parts always add up exactly to the score and the score never exceeds 1000 (flooring loses at
most a point per rule). A rule's block (a hard requirement not met) removes the pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vagval.matching.rules import RULES
from vagval.matching.rules.base import OfferFacts, PersonFacts

MAX_SCORE = 1000
DEFAULT_WEIGHTS: dict[str, int] = {
    "interest": 35,
    "travel": 20,
    "requirements": 10,
    "ranking": 15,
    "provider": 10,
    "continuity": 10,
}


@dataclass(frozen=True)
class Part:
    rule: str
    points: int
    reason: str

    @property
    def label(self) -> str:
        """The rule's Swedish name, for the explanation."""
        return next(str(rule.label()) for rule in RULES if self.rule == rule.CODE)


@dataclass(frozen=True)
class Explanation:
    score: int
    parts: tuple[Part, ...]
    blocks: tuple[str, ...]

    @property
    def blocked(self) -> bool:
        return bool(self.blocks)

    def top_reasons(self, n: int = 3) -> list[str]:
        """The reasons of the parts that gave the most points (the first n), for the list."""
        ranked = sorted((p for p in self.parts if p.points > 0 and p.reason), key=lambda p: -p.points)
        return [p.reason for p in ranked[:n]]


def score_pair(person: PersonFacts, offer: OfferFacts, weights: Mapping[str, int]) -> Explanation:
    total = sum(max(weights.get(rule.WEIGHT_FIELD, 0), 0) for rule in RULES)
    parts: list[Part] = []
    blocks: list[str] = []
    for rule in RULES:
        result = rule.evaluate(person, offer)
        if result.block:
            blocks.append(result.block)
            continue
        weight = max(weights.get(rule.WEIGHT_FIELD, 0), 0)
        value = min(max(result.value, 0.0), 1.0)
        points = int(MAX_SCORE * weight * value // total) if total else 0
        parts.append(Part(rule.CODE, points, result.reason))
    if blocks:
        return Explanation(0, (), tuple(blocks))
    return Explanation(sum(p.points for p in parts), tuple(parts), ())
