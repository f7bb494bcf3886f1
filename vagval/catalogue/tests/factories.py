import datetime as dt

import factory

from vagval.catalogue.models import (
    Offer,
    OfferKind,
    OfferStatus,
    Placement,
    PlacementStatus,
    Provider,
    ProviderContact,
    ProviderKind,
)
from vagval.organisations.tests.factories import OrganisationFactory
from vagval.people.tests.factories import EnrolmentFactory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provföretaget {n} AB")
    kind = ProviderKind.EMPLOYER
    sni_section = "C"
    owner = factory.SubFactory(OrganisationFactory)


class ProviderContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderContact

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Handledare {n}")
    role = "handledare"
    email = factory.Sequence(lambda n: f"handledare{n}@example.se")


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    kind = OfferKind.INTERNSHIP
    title = factory.Sequence(lambda n: f"Praktik på verkstad {n}")
    description = "Du får prova på arbete i en verkstad."
    provider = factory.SubFactory(ProviderFactory)
    owner = factory.SelfAttribute("provider.owner")
    ssyk_area = "7"
    capacity = 2
    hours_per_week = 20
    status = OfferStatus.OPEN


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    enrolment = factory.SubFactory(EnrolmentFactory)
    person = factory.SelfAttribute("enrolment.person")
    unit = factory.SelfAttribute("enrolment.unit")
    offer = factory.SubFactory(OfferFactory)
    status = PlacementStatus.OFFERED
    starts_on = dt.date(2026, 3, 2)
