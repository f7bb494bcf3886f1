"""A protected person's placement never reveals its offer, provider or address to anyone but the
responsible coach: not to colleagues at the same unit (bob, read-only; pia, project leader), not
to a partner under a consent covering everything (frida), on any page or API answer that shows
the placement. For both protection levels; an unprotected control shows the partner does see it
under the same consent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for, ctx_for
from tests.permissions.conftest import PROTECTIONS
from vagval.api.tests.helpers import api_client_for, call
from vagval.catalogue import placement_services as services
from vagval.catalogue.models import PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory, ProviderContactFactory
from vagval.consent.tests.factories import share
from vagval.people.models import Enrolment
from vagval.plans.tests.factories import make_plan

pytestmark = pytest.mark.django_db

SECRETS = ("Hemliga Verkstaden AB", "Gömda gatan 7", "Praktik hos hemlig")


@pytest.fixture
def placed(alice, alices_person, project, af_unit):
    offer = OfferFactory(title="Praktik hos hemlig verkstad", address="Gömda gatan 7", capacity=3)
    offer.provider.name = "Hemliga Verkstaden AB"
    offer.provider.save()
    offer.supervisor = ProviderContactFactory(provider=offer.provider)
    offer.save()
    share(alices_person, documented_by=alice, to_unit=af_unit)  # every category, before the protection
    make_plan(alices_person, by=alice, project=project)
    ctx = ctx_for(alice)
    enrolment = Enrolment.objects.get(person=alices_person)
    placement = services.placement_create(ctx=ctx, enrolment=enrolment, offer=offer, status=PlacementStatus.OFFERED)
    return services.placement_change_status(ctx=ctx, placement=placement, status=PlacementStatus.ACCEPTED)


def _everything(user, placement) -> list[tuple[str, int, str]]:
    web = client_for(user)
    pages = [
        reverse("people:detail", args=[placement.person_id]),
        reverse("catalogue:placement_detail", args=[placement.pk]),
        reverse("plans:person_plans", args=[placement.person_id]),
    ]
    answers = []
    for url in pages:
        response = web.get(url)
        answers.append((url, response.status_code, response.content.decode()))
    api = api_client_for(user)
    for path in (f"/placements/{placement.pk}", "/placements", f"/placements?person_id={placement.person_id}"):
        response = call(api, "get", path)
        answers.append((path, response.status_code, response.content.decode()))
    return answers


@pytest.mark.parametrize("protection", PROTECTIONS)
@pytest.mark.parametrize("viewer", ["bob", "pia", "frida"])
def test_only_the_responsible_coach_sees_where_a_protected_person_is_placed(
    request, protection, viewer, alices_person, placed
):
    alices_person.protection = protection
    alices_person.save()
    user = request.getfixturevalue(viewer)
    for where, _status, body in _everything(user, placed):
        for secret in SECRETS:
            assert secret not in body, f"{viewer} saw {secret!r} on {where}"
    # The offer's own page names its provider, of course: there, the person must not be listed.
    offer_page = client_for(user).get(reverse("catalogue:placement_offer_list", args=[placed.offer_id]))
    assert alices_person.full_name not in offer_page.content.decode()
    coach_bodies = " ".join(body for _where, _status, body in _everything(request.getfixturevalue("alice"), placed))
    assert all(secret in coach_bodies for secret in SECRETS)


def test_the_partner_does_see_an_unprotected_persons_placement_under_the_same_consent(frida, placed):
    bodies = " ".join(body for _where, _status, body in _everything(frida, placed))
    assert "Hemliga Verkstaden AB" in bodies
