"""Travel time: the shorter, the better; beyond the young person's own limit the rule gives 0.

Minutes come from the precomputed table (matching/travel.py). The value falls linearly from 1
at 0 minutes to 0 at the limit (the person's own, else 90 minutes). Unknown: the middle value.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vagval.matching.rules.base import OfferFacts, PersonFacts, Reason, RuleResult
from vagval.matching.travel import travel_minutes

CODE = "travel"
WEIGHT_FIELD = "travel"
DEFAULT_LIMIT = 90
STEPS = (15, 30, 45, 60, 90, 120)


def label() -> str:
    return _("Restid")


def key(person: PersonFacts, offer: OfferFacts) -> object:
    """What the rule reads of the offer (scoring.Scorer remembers the result per key)."""
    return offer.municipality


def evaluate(person: PersonFacts, offer: OfferFacts) -> RuleResult:
    minutes = travel_minutes(person.home_municipality, offer.municipality)
    if minutes is None:
        return RuleResult(0.5, Reason(gettext_noop("restid okänd")))
    limit = person.max_travel_minutes or DEFAULT_LIMIT
    if minutes > limit:
        return RuleResult(0.0, Reason(gettext_noop("restid över %(limit)s min"), limit=limit))
    value = max(0.0, 1.0 - minutes / limit) if limit else 0.0
    below = next((step for step in STEPS if minutes < step), None)
    if below is None:
        return RuleResult(value, Reason(gettext_noop("restid omkring %(minutes)s min"), minutes=minutes))
    return RuleResult(value, Reason(gettext_noop("restid under %(minutes)s min"), minutes=below))
