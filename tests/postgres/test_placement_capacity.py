"""Capacity under concurrent confirmation: two coaches offer the last place at the same moment.

Real concurrency needs real row locks: on PostgreSQL each thread has its own connection and
transaction, and both wait at a barrier before offering. Exactly one gets the place; the other
gets OfferFull. (The deterministic half, that the lock is taken before the places are counted,
runs on every database in vagval/catalogue/tests/test_placement_lifecycle.py.)
"""

import threading

import pytest
from django.db import connection, connections

from conftest import ctx_for
from vagval.catalogue import placement_services as services
from vagval.catalogue.models import Placement, PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory
from vagval.common import scoping
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks between connections need PostgreSQL (run: scripts/with-postgres.sh .venv/bin/pytest)",
)

pytestmark = [
    requires_postgresql,
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("coaches", [2, 6])
def test_concurrent_offers_never_take_more_places_than_the_offer_has(alice, project, coaches):
    offer = OfferFactory(capacity=1, owner=alice.unit.organisation)
    enrolments = [
        EnrolmentFactory(person=PersonFactory(), project=project, unit=alice.unit, coach=alice) for _ in range(coaches)
    ]
    suggested = [
        services.placement_create(ctx=ctx_for(alice), enrolment=e, offer=offer, status=PlacementStatus.SUGGESTED)
        for e in enrolments
    ]
    barrier = threading.Barrier(coaches)
    outcomes: list[str] = []
    lock = threading.Lock()

    def confirm(placement):
        try:
            with scoping.activated(ctx_for(alice), "test: samtidig bekräftelse"):
                barrier.wait()
                try:
                    services.placement_change_status(
                        ctx=ctx_for(alice), placement=placement, status=PlacementStatus.OFFERED
                    )
                    result = "placed"
                except services.OfferFull:
                    result = "full"
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(p,)) for p in suggested]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full"] * (coaches - 1) + ["placed"]
    assert Placement.objects.filter(offer=offer, status=PlacementStatus.OFFERED).count() == 1
