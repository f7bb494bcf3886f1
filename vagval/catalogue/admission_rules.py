"""Who may manage an offer's admission rounds."""

from __future__ import annotations

from vagval.accounts.models import Role, User
from vagval.catalogue.models import Offer


def may_manage_round(*, user: User, offer: Offer) -> bool:
    """Staff who may write, at a unit of the organisation that owns the offer; administrators."""
    if not user.is_active or user.read_only:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.unit is not None and user.unit.organisation_id == offer.owner_id and user.role != Role.EVALUATOR
