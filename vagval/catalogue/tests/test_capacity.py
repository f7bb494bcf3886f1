from vagval.catalogue.capacity import free_places, taken_places, with_places
from vagval.catalogue.models import Offer, PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory, PlacementFactory


def test_only_offered_accepted_and_started_placements_take_a_place(db):
    offer = OfferFactory(capacity=3)
    for status in (PlacementStatus.OFFERED, PlacementStatus.ACCEPTED, PlacementStatus.STARTED):
        PlacementFactory(offer=offer, status=status)
    for status in (PlacementStatus.SUGGESTED, PlacementStatus.DECLINED, PlacementStatus.WAITING):
        PlacementFactory(offer=offer, status=status)
    PlacementFactory(offer=offer, status=PlacementStatus.ENDED, end_reason="genomford")
    assert taken_places(offer) == 3
    assert free_places(offer) == 0


def test_free_places_never_go_below_zero_and_the_annotation_agrees(db):
    full = OfferFactory(capacity=1)
    PlacementFactory.create_batch(2, offer=full, status=PlacementStatus.STARTED)
    empty = OfferFactory(capacity=2)
    annotated = {o.pk: (o.taken_places, o.free_places) for o in with_places(Offer.objects.all())}
    assert annotated[full.pk] == (2, 0)
    assert free_places(full) == 0
    assert annotated[empty.pk] == (0, 2)
    assert free_places(empty) == 2
