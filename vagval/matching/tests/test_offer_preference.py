"""The provider's preferences for an offer: recorded on a page by whoever maintains the offer,
read by the matching's provider rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vagval.audit.models import AccessLogEntry
from vagval.catalogue.tests import offer_helpers
from vagval.matching import selectors, services
from vagval.matching.models import OfferPreference

pytestmark = pytest.mark.django_db
catalogue_world = offer_helpers.catalogue_world


def _url(offer) -> str:
    return reverse("matching:offer_preference", args=[offer.pk])


def test_the_maintainer_records_that_the_provider_prefers_local_young_people(catalogue_world, alice_client):
    offer = catalogue_world["offer"]
    assert alice_client.get(_url(offer)).status_code == 200
    response = alice_client.post(_url(offer), {"prefers_local": "on", "version": "ny"})
    assert response.status_code == 302
    assert OfferPreference.objects.get(offer=offer).prefers_local is True
    entry = AccessLogEntry.objects.get(action="offer.changed")
    assert entry.detail["prefers_local"] == "ja"
    page = alice_client.get(reverse("catalogue:offer_detail", args=[offer.pk])).content.decode()
    assert "Föredrar unga som bor i kommunen" in page
    assert _url(offer) in page


def test_a_stale_edit_version_is_a_conflict_and_changes_nothing(catalogue_world, alice_client):
    offer = catalogue_world["offer"]
    seen = services.offer_preference_version(None)
    assert alice_client.post(_url(offer), {"prefers_local": "on", "version": seen}).status_code == 302
    assert alice_client.post(_url(offer), {"version": seen}).status_code == 409
    assert selectors.offer_preference_of(offer=offer).prefers_local is True


def test_another_organisation_and_read_only_staff_may_not_change_it(catalogue_world, charlie_client, bob_client):
    offer = catalogue_world["offer"]
    for client in (charlie_client, bob_client):
        assert client.get(_url(offer)).status_code == 403
        assert client.post(_url(offer), {"prefers_local": "on", "version": "ny"}).status_code == 403
    assert not OfferPreference.objects.exists()
