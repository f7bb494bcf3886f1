"""The scoring rules, one module each, in the order the explanation shows them.

Each module has CODE, WEIGHT_FIELD (its field on MatchingWeights), label(),
evaluate(person, offer) -> RuleResult and key(person, offer): everything evaluate reads of the
offer, so that one person's list judges each distinct key once (scoring.Scorer; a property test
holds the remembered results equal to evaluating every pair). Adding a rule: a module here, a line in RULES, a field on
MatchingWeights. How the parts add up to the score: vagval/matching/scoring.py.
"""

from __future__ import annotations

from types import ModuleType

from vagval.matching.rules import continuity, interest, provider, ranking, requirements, travel

RULES: tuple[ModuleType, ...] = (interest, travel, requirements, ranking, provider, continuity)
