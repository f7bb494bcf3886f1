"""The scoring rules, one module each, in the order the explanation shows them.

Each module has CODE, WEIGHT_FIELD (its field on MatchingWeights), label() and
evaluate(person, offer) -> RuleResult. Adding a rule: a module here, a line in RULES, a field on
MatchingWeights. How the parts add up to the score: vagval/matching/scoring.py.
"""

from __future__ import annotations

from types import ModuleType

from vagval.matching.rules import continuity, interest, provider, ranking, requirements, travel

RULES: tuple[ModuleType, ...] = (interest, travel, requirements, ranking, provider, continuity)
