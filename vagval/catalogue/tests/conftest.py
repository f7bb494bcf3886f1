"""Placement fixtures: an open offer with two places, alice's person's enrolment, a plan."""

import pytest

from vagval.catalogue.tests.factories import OfferFactory, ProviderContactFactory
from vagval.people.models import Enrolment
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory


@pytest.fixture
def offer(ludvika_unit):
    offer = OfferFactory(
        capacity=2, title="Praktik på verkstaden", owner=ludvika_unit.organisation, address="Verkstadsgatan 1"
    )
    offer.provider.owner = ludvika_unit.organisation
    offer.provider.name = "Ludvika Mekaniska AB"
    offer.provider.save()
    offer.supervisor = ProviderContactFactory(provider=offer.provider, name="Hanna Handledare")
    offer.save()
    return offer


@pytest.fixture
def alices_enrolment(alices_person) -> Enrolment:
    return Enrolment.objects.get(person=alices_person)


@pytest.fixture
def enrol_at_alice(alice, project):
    """Another young person enrolled at Ludvika with alice as coach."""

    def make(**person) -> Enrolment:
        return EnrolmentFactory(person=PersonFactory(**person), project=project, unit=alice.unit, coach=alice)

    return make
