"""An offer's places: the one rule for how many are taken and how many are free.

A place is taken by a placement in an occupying status (erbjuden, accepterad, påbörjad), of any
unit: occupancy is a count, not personal data, so every member of staff sees it. Services that
take a place lock the offer row first (catalogue.placement_services), so two confirmations at
the same moment cannot both take the last place.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Greatest

from vagval.catalogue.models import OCCUPYING_STATUSES, Offer

_TAKEN = Q(placements__status__in=OCCUPYING_STATUSES)


def with_places(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """Annotate `taken_places` and `free_places` (never below zero)."""
    taken = Count("placements", filter=_TAKEN)
    return offers.annotate(taken_places=taken, free_places=Greatest(F("capacity") - taken, Value(0)))


def taken_places(offer: Offer) -> int:
    return Offer.objects.filter(pk=offer.pk).aggregate(n=Count("placements", filter=_TAKEN))["n"]


def free_places(offer: Offer) -> int:
    return max(offer.capacity - taken_places(offer), 0)
