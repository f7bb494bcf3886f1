"""The offers the rules judge (selectors.open_offers, read without the ORM's per-row converters)
are what the ORM gives for the same offers: the same facts, of the same types, and free places."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vagval.catalogue.capacity import free_places
from vagval.catalogue.models import Offer, OfferKind, OfferStatus, PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory, PlacementFactory
from vagval.matching import selectors
from vagval.matching.models import OfferPreference
from vagval.matching.rules.base import OfferFacts
from vagval.organisations.models import Municipality

pytestmark = pytest.mark.django_db


def _orm_rows(offers: list[Offer]) -> dict[object, tuple[OfferFacts, str, int]]:
    rows = {}
    for offer in offers:
        offer.refresh_from_db()
        preference = OfferPreference.objects.filter(offer=offer).first()
        facts = OfferFacts(
            offer.pk,
            offer.kind,
            offer.ssyk_area,
            offer.municipality_id,
            offer.provider_id,
            "",
            offer.min_age,
            offer.max_age,
            offer.language,
            offer.requires_driving_licence,
            offer.hours_per_week,
            bool(preference and preference.prefers_local),
        )
        rows[offer.pk] = (facts, offer.title, free_places(offer))
    return rows


def test_the_rows_are_the_orms_values_with_their_types():
    ludvika = Municipality.objects.get(code="2085")
    offers = [
        OfferFactory(title="Verkstad", ssyk_area="7", municipality=ludvika, hours_per_week=Decimal("37.5"), capacity=3),
        OfferFactory(title="Chaufför", requires_driving_licence=True, min_age=18, max_age=29, language="svenska"),
        OfferFactory(title="Ingen tid", hours_per_week=None, kind=OfferKind.MENTORSHIP, capacity=0),
        OfferFactory(title="Samma tid", hours_per_week=Decimal("37.5")),
    ]
    OfferPreference.objects.create(offer=offers[0], prefers_local=True)
    OfferPreference.objects.create(offer=offers[1], prefers_local=False)
    PlacementFactory(offer=offers[0], status=PlacementStatus.STARTED)
    PlacementFactory(offer=offers[0], status=PlacementStatus.ENDED)
    OfferFactory(title="Utkast", status=OfferStatus.DRAFT)

    rows = {row.facts.id: row for row in selectors.open_offers()}
    expected = _orm_rows(offers)
    assert set(rows) == set(expected)
    for pk, (facts, title, free) in expected.items():
        row = rows[pk]
        assert (row.facts, row.title, row.free_places) == (facts, title, free)
        assert [type(value) for value in vars(row.facts).values()] == [type(value) for value in vars(facts).values()]
    assert rows[offers[0].pk].free_places == 2


def test_given_offers_are_read_open_or_not():
    draft = OfferFactory(status=OfferStatus.DRAFT)
    (row,) = selectors.open_offers([draft.pk])
    assert row.facts == _orm_rows([draft])[draft.pk][0]
    assert selectors.open_offers([]) == []
