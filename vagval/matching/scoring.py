"""A pair's score (0–1000) and its explanation, from the rules and the project's weights.

Each rule gives a value v in [0, 1] and has a weight w (MatchingWeights). Its part of the score
is floor(1000 · w · v / W), W the sum of the weights; the score is the sum of the parts, so the
parts always add up exactly to the score and the score never exceeds 1000 (flooring loses at
most a point per rule). A rule's block (a hard requirement not met) removes the pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from vagval.matching.rules import RULES
from vagval.matching.rules.base import OfferFacts, PersonFacts, Reason

MAX_SCORE = 1000
DEFAULT_WEIGHTS: dict[str, int] = {
    "interest": 35,
    "travel": 20,
    "requirements": 10,
    "ranking": 15,
    "provider": 10,
    "continuity": 10,
}


class Part(NamedTuple):
    rule: str
    points: int
    why: Reason

    @property
    def reason(self) -> str:
        return str(self.why)

    @property
    def label(self) -> str:
        """The rule's Swedish name, for the explanation."""
        return next(str(rule.label()) for rule in RULES if self.rule == rule.CODE)


@dataclass(frozen=True)
class Explanation:
    score: int
    parts: tuple[Part, ...]
    why_blocked: tuple[Reason, ...]

    @property
    def blocked(self) -> bool:
        return bool(self.why_blocked)

    @property
    def blocks(self) -> tuple[str, ...]:
        return tuple(str(reason) for reason in self.why_blocked)

    def top_reasons(self, n: int = 3) -> list[str]:
        """The reasons of the parts that gave the most points (the first n), for the list."""
        ranked = sorted((p for p in self.parts if p.points > 0 and p.why.text), key=lambda p: -p.points)
        return [p.reason for p in ranked[:n]]


class Scorer:
    """Scores one person against many offers. A rule's part depends only on its key (what it
    reads of the offer), so each distinct key is judged once per person: 5,000 offers share a
    few dozen municipalities, areas and requirement sets."""

    def __init__(self, person: PersonFacts, weights: Mapping[str, int]) -> None:
        self.person = person
        self.weights = [max(weights.get(rule.WEIGHT_FIELD, 0), 0) for rule in RULES]
        self.total = sum(self.weights)
        self.memo: list[dict[object, Part | Reason]] = [{} for _ in RULES]

    def _judge(self, index: int, offer: OfferFacts) -> Part | Reason:
        rule = RULES[index]
        result = rule.evaluate(self.person, offer)
        if result.block is not None:
            return result.block
        value = min(max(result.value, 0.0), 1.0)
        points = int(MAX_SCORE * self.weights[index] * value // self.total) if self.total else 0
        return Part(rule.CODE, points, result.reason)

    def score(self, offer: OfferFacts) -> Explanation:
        parts: list[Part] = []
        blocks: list[Reason] = []
        person = self.person
        for index, rule in enumerate(RULES):
            memo = self.memo[index]
            key = rule.key(person, offer)
            judged = memo.get(key)
            if judged is None:
                judged = memo[key] = self._judge(index, offer)
            if isinstance(judged, Part):
                parts.append(judged)
            else:
                blocks.append(judged)
        if blocks:
            return Explanation(0, (), tuple(blocks))
        return Explanation(sum(p.points for p in parts), tuple(parts), ())


def score_pair(person: PersonFacts, offer: OfferFacts, weights: Mapping[str, int]) -> Explanation:
    """One pair, judged afresh."""
    return Scorer(person, weights).score(offer)
