"""The demo catalogue: believable for Ludvika/Smedjebacken, valid by the services' rules, made once."""

from __future__ import annotations

from vagval.catalogue import offer_selectors
from vagval.catalogue.models import EmployerInterest, Offer, OfferKind, OfferStatus, Provider, StudyKind
from vagval.catalogue.offer_services import offer_data_of, offer_problems
from vagval.demo.catalogue import generate_catalogue
from vagval.demo.world import build_world


def test_the_demo_catalogue_has_employers_in_three_industries_a_folk_high_school_and_2cs(db):
    world = build_world(password="demo-losen-123")
    result = generate_catalogue(world=world)
    assert result is not None
    assert {"C", "Q", "G"} <= set(Provider.objects.values_list("sni_section", flat=True))
    studies = set(Offer.objects.filter(kind=OfferKind.STUDY).values_list("study_kind", flat=True))
    assert {StudyKind.FOLK_HIGH_SCHOOL, StudyKind.SECOND_CHANCE} <= studies
    assert Offer.objects.filter(kind=OfferKind.ASSOCIATION_ACTIVITY, status=OfferStatus.OPEN).exists()
    assert EmployerInterest.objects.exists()
    assert offer_selectors.employer_demand_by_ssyk()["5"] == 17
    assert generate_catalogue(world=world) is None  # the second run changes nothing


def test_every_demo_offer_passes_the_services_rules(db):
    generate_catalogue(world=build_world(password="demo-losen-123"))
    for offer in Offer.objects.all():
        assert offer_problems(offer_data_of(offer)) == {}, offer.title
