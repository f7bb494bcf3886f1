"""The offer side's pages, by persona: who sees, who edits, Swedish field errors, the conflict page."""

from __future__ import annotations

from django.urls import reverse

from conftest import client_for
from vagval.catalogue.models import Offer, OfferStatus, Provider
from vagval.catalogue.offer_services import record_version
from vagval.catalogue.tests import offer_helpers
from vagval.catalogue.tests.factories import OfferFactory, ProviderFactory

catalogue_world = offer_helpers.catalogue_world


def _offer_form(offer: Offer, **changes: str) -> dict[str, str]:
    stored = Offer.objects.get(pk=offer.pk)
    return {
        "kind": stored.kind,
        "title": stored.title,
        "provider_id": str(stored.provider_id),
        "ssyk_area": stored.ssyk_area,
        "capacity": str(stored.capacity),
        "status": stored.status,
        "version": record_version(stored),
        **changes,
    }


def test_anonymous_users_are_sent_to_log_in(client, catalogue_world):
    response = client.get(reverse("catalogue:offer_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_charlie_sees_ludvikas_offer_but_cannot_edit_it(catalogue_world, charlie):
    offer = catalogue_world["offer"]
    client = client_for(charlie)
    page = client.get(reverse("catalogue:offer_detail", args=[offer.pk]))
    assert page.status_code == 200
    assert "Praktik i verkstad" in page.content.decode()
    assert reverse("catalogue:offer_edit", args=[offer.pk]) not in page.content.decode()
    assert client.get(reverse("catalogue:offer_edit", args=[offer.pk])).status_code == 403
    refused = client.post(reverse("catalogue:offer_edit", args=[offer.pk]), _offer_form(offer, title="Kapad"))
    assert refused.status_code == 403
    assert Offer.objects.get(pk=offer.pk).title == "Praktik i verkstad"


def test_bob_read_only_cannot_write(catalogue_world, bob):
    client = client_for(bob)
    offer = catalogue_world["offer"]
    assert client.get(reverse("catalogue:offer_create")).status_code == 403
    assert client.post(reverse("catalogue:offer_edit", args=[offer.pk]), _offer_form(offer)).status_code == 403
    assert client.post(reverse("catalogue:offer_status", args=[offer.pk]), {"status": "stangd"}).status_code == 403
    assert client.get(reverse("catalogue:offer_list")).status_code == 200


def test_frida_publishes_an_offer_of_arbetsformedlingen(catalogue_world, frida):
    provider = ProviderFactory(name="Arbetsförmedlingen Ludvika", kind="myndighet", owner=frida.unit.organisation)
    response = client_for(frida).post(
        reverse("catalogue:offer_create"),
        {
            "kind": "gruppaktivitet",
            "title": "Jobbsökarverkstad",
            "provider_id": str(provider.pk),
            "capacity": "12",
            "status": "oppen",
        },
    )
    offer = Offer.objects.get(title="Jobbsökarverkstad")
    assert response.status_code == 302
    assert offer.owner == frida.unit.organisation
    assert offer.status == OfferStatus.OPEN


def test_the_offer_form_shows_swedish_field_errors(catalogue_world, alice):
    response = client_for(alice).post(
        reverse("catalogue:offer_create"),
        {
            "kind": "studieplats",
            "title": "",
            "provider_id": str(catalogue_world["provider"].pk),
            "capacity": "-1",
            "status": "oppen",
            "starts_on": "2026-13-01",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ange en rubrik." in text
    assert "Ange ett datum som ÅÅÅÅ-MM-DD." in text
    assert "Talet är för litet." in text


def test_a_study_place_without_study_kind_is_a_service_error_on_the_field(catalogue_world, alice):
    response = client_for(alice).post(
        reverse("catalogue:offer_create"),
        {
            "kind": "studieplats",
            "title": "Folkhögskola",
            "provider_id": str(catalogue_world["provider"].pk),
            "capacity": "5",
            "status": "oppen",
        },
    )
    assert "Välj vilken typ av utbildning studieplatsen är." in response.content.decode()
    assert not Offer.objects.filter(title="Folkhögskola").exists()


def test_a_stale_edit_shows_both_versions_and_saves_nothing(catalogue_world, alice):
    offer = catalogue_world["offer"]
    form = _offer_form(offer, title="Alices rubrik")
    Offer.objects.filter(pk=offer.pk).update(capacity=7)  # someone else saves meanwhile
    response = client_for(alice).post(reverse("catalogue:offer_edit", args=[offer.pk]), form)
    assert response.status_code == 409
    assert "Någon annan har sparat en ändring" in response.content.decode()
    assert Offer.objects.get(pk=offer.pk).title == "Praktik i verkstad"


def test_alice_edits_and_changes_the_status_of_her_organisations_offer(catalogue_world, alice):
    offer = catalogue_world["offer"]
    client = client_for(alice)
    saved = client.post(reverse("catalogue:offer_edit", args=[offer.pk]), _offer_form(offer, capacity="4"))
    assert saved.status_code == 302
    closed = client.post(reverse("catalogue:offer_status", args=[offer.pk]), {"status": "stangd"})
    assert closed.status_code == 302
    stored = Offer.objects.get(pk=offer.pk)
    assert (stored.capacity, stored.status) == (4, OfferStatus.CLOSED)


def test_the_list_filters_on_kind_ssyk_and_free_places(catalogue_world, charlie):
    OfferFactory(title="Vårdpraktik", ssyk_area="5", capacity=0, provider=catalogue_world["provider"])
    client = client_for(charlie)
    by_ssyk = client.get(reverse("catalogue:offer_list"), {"ssyk_area": "5"}).content.decode()
    assert "Vårdpraktik" in by_ssyk
    assert "Praktik i verkstad" not in by_ssyk
    free = client.get(reverse("catalogue:offer_list"), {"free": "on"}).content.decode()
    assert "Vårdpraktik" not in free
    assert "Praktik i verkstad" in free


def test_a_provider_form_refuses_a_wrong_organisation_number(catalogue_world, alice):
    response = client_for(alice).post(
        reverse("catalogue:provider_create"),
        {"name": "Nya Verkstaden", "kind": "arbetsgivare", "organisation_number": "556016-0681"},
    )
    assert "kontrollsiffran stämmer inte" in response.content.decode()
    assert not Provider.objects.filter(name="Nya Verkstaden").exists()


def test_charlie_cannot_add_a_contact_to_ludvikas_provider(catalogue_world, charlie):
    url = reverse("catalogue:provider_contact_create", args=[catalogue_world["provider"].pk])
    assert client_for(charlie).post(url, {"name": "Kapare"}).status_code == 403


def test_an_unknown_offer_is_404(catalogue_world, alice):
    import uuid

    assert client_for(alice).get(reverse("catalogue:offer_detail", args=[uuid.uuid4()])).status_code == 404


def test_the_catalogue_pages_are_in_english_too(catalogue_world, alice):
    client = client_for(alice)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("catalogue:offer_list"), headers={"accept-language": "en"}).content.decode()
    assert "Filter offers" in page
    assert "Only with free places" in page
