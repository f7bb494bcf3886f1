"""Placement records for the permission sweep (tests/permissions/test_every_url.py), made on
first use inside each test's savepoint: a group activity of Ludvika with the sweep person
offered a place and one session, and a second offer to create a placement in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vagval.catalogue.models import GroupSession, Offer, OfferKind, Placement, PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory, PlacementFactory

GROUP_TITLE = "Svepets gruppaktivitet"
OTHER_TITLE = "Svepets praktik"


def _offer(w: Any, title: str, kind: str) -> Offer:
    offer = Offer.objects.filter(title=title).first()
    if offer is None:
        offer = OfferFactory(title=title, kind=kind, capacity=5)
        offer.owner = offer.provider.owner = w.ludvika.organisation
        offer.provider.save()
        offer.save()
    return offer


def sweep_offer(w: Any) -> Offer:
    return _offer(w, GROUP_TITLE, OfferKind.GROUP_ACTIVITY)


def sweep_other_offer(w: Any) -> Offer:
    return _offer(w, OTHER_TITLE, OfferKind.INTERNSHIP)


def sweep_placement(w: Any) -> Placement:
    offer = sweep_offer(w)
    placement = Placement.objects.filter(offer=offer, person=w.person).first()
    if placement is None:
        placement = PlacementFactory(
            enrolment=w.enrolment, offer=offer, status=PlacementStatus.OFFERED, coach=w.users["alice"], version=1
        )
    return placement


def sweep_session(w: Any) -> GroupSession:
    sweep_placement(w)
    offer = sweep_offer(w)
    return offer.sessions.first() or GroupSession.objects.create(offer=offer, held_on=dt.date(2026, 11, 3), hours=3)
