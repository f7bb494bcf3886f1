"""A young person's offer list through a personal link: made by the coach, logged, revocable, expiring."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, ctx_for
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.catalogue import offer_links
from vagval.catalogue.models import OfferListLink, OfferStatus
from vagval.catalogue.tests import offer_helpers
from vagval.catalogue.tests.factories import OfferFactory

catalogue_world = offer_helpers.catalogue_world


def _public(token: str):
    return Client().get(reverse("catalogue:offer_link_public", args=[token]))


def test_the_coach_makes_a_link_that_shows_only_open_offers_and_logs_each_opening(
    catalogue_world, alice, alices_person
):
    OfferFactory(title="Utkast som inte syns", status=OfferStatus.DRAFT, provider=catalogue_world["provider"])
    created = offer_links.offer_link_create(ctx=ctx_for(alice), person_id=alices_person.pk)
    response = _public(created.token)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Praktik i verkstad" in text
    assert "Utkast som inte syns" not in text
    assert "Greta Handledare" not in text  # no contact persons on the young person's page
    assert alices_person.last_name not in text
    opened = AccessLogEntry.objects.get(action="offer_link.opened")
    assert (opened.person_id, opened.basis) == (alices_person.pk, AccessBasis.SELF)
    assert AccessLogEntry.objects.filter(action="offer_link.created", person_id=alices_person.pk).count() == 1
    assert response["Cache-Control"] == "no-store"
    assert OfferListLink.objects.get().token_hash != created.token


def test_a_revoked_or_expired_link_is_refused_and_logged(catalogue_world, alice, alices_person):
    revoked = offer_links.offer_link_create(ctx=ctx_for(alice), person_id=alices_person.pk)
    offer_links.offer_link_revoke(ctx=ctx_for(alice), link_id=revoked.link.pk)
    assert _public(revoked.token).status_code == 410
    expired = offer_links.offer_link_create(ctx=ctx_for(alice), person_id=alices_person.pk)
    OfferListLink.objects.filter(pk=expired.link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _public(expired.token).status_code == 410
    assert AccessLogEntry.objects.filter(action="offer_link.refused").count() == 2
    assert _public("inte-en-token").status_code == 404


def test_another_unit_and_read_only_cannot_make_a_link(catalogue_world, alices_person, bob, charlie):
    url = reverse("catalogue:person_offer_links", args=[alices_person.pk])
    assert client_for(charlie).post(url).status_code == 404
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(bob).post(url).status_code == 403
    assert client_for(bob).get(url).status_code == 200
    assert not OfferListLink.objects.exists()


def test_the_coach_page_shows_the_address_once(catalogue_world, alice, alices_person):
    client = client_for(alice)
    url = reverse("catalogue:person_offer_links", args=[alices_person.pk])
    made = client.post(url).content.decode()
    assert "/katalog/for-dig/" in made
    assert "/katalog/for-dig/" not in client.get(url).content.decode()
