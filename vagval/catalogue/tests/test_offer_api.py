"""The offers API: the same rule as the pages, strict input, ETag/If-Match against lost updates."""

from __future__ import annotations

from vagval.api.tests.helpers import api_client_for, call
from vagval.catalogue.models import Offer
from vagval.catalogue.tests import offer_helpers
from vagval.catalogue.tests.factories import OfferFactory

catalogue_world = offer_helpers.catalogue_world


def _body(provider, **changes):
    return {"kind": "praktik", "title": "Butikspraktik", "provider_id": str(provider.pk), "ssyk_area": "5", **changes}


def test_every_member_of_staff_lists_offers_with_free_places(catalogue_world, erik):
    response = call(api_client_for(erik), "GET", "/offers")
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert (item["title"], item["capacity"], item["free_places"]) == ("Praktik i verkstad", 2, 2)


def test_the_list_filters_on_free_places_and_ssyk(catalogue_world, alice):
    OfferFactory(title="Full", capacity=0, ssyk_area="5", provider=catalogue_world["provider"])
    client = api_client_for(alice)
    assert [i["title"] for i in call(client, "GET", "/offers?free_only=true").json()["items"]] == ["Praktik i verkstad"]
    assert [i["title"] for i in call(client, "GET", "/offers?ssyk_area=5").json()["items"]] == ["Full"]


def test_alice_creates_an_offer_owned_by_her_organisation(catalogue_world, alice):
    response = call(api_client_for(alice), "POST", "/offers", _body(catalogue_world["provider"]))
    assert response.status_code == 201
    assert response.json()["owner_id"] == str(alice.unit.organisation_id)


def test_unknown_fields_are_refused(catalogue_world, alice):
    response = call(api_client_for(alice), "POST", "/offers", _body(catalogue_world["provider"], colour="röd"))
    assert response.status_code == 422
    assert response.json()["errors"]["colour"] == ["Okänt fält."]


def test_a_service_rule_answers_422_with_the_field(catalogue_world, alice):
    response = call(api_client_for(alice), "POST", "/offers", _body(catalogue_world["provider"], ssyk_area=""))
    assert response.status_code == 422
    assert "ssyk_area" in response.json()["errors"]


def test_charlie_reads_ludvikas_offer_but_a_change_is_403(catalogue_world, charlie):
    offer = catalogue_world["offer"]
    client = api_client_for(charlie)
    got = call(client, "GET", f"/offers/{offer.pk}")
    assert got.status_code == 200
    refused = call(client, "PATCH", f"/offers/{offer.pk}", {"title": "Kapad"}, if_match=got["ETag"])
    assert refused.status_code == 403
    assert Offer.objects.get(pk=offer.pk).title == "Praktik i verkstad"


def test_bob_read_only_cannot_create(catalogue_world, bob):
    assert call(api_client_for(bob), "POST", "/offers", _body(catalogue_world["provider"])).status_code == 403


def test_a_change_needs_if_match_and_a_stale_one_is_412(catalogue_world, alice):
    offer = catalogue_world["offer"]
    client = api_client_for(alice)
    path = f"/offers/{offer.pk}"
    first = call(client, "GET", path)["ETag"]
    assert call(client, "PATCH", path, {"capacity": 5}).status_code == 428
    patched = call(client, "PATCH", path, {"capacity": 5}, if_match=first)
    assert patched.status_code == 200
    assert patched.json()["capacity"] == 5
    assert patched["ETag"] != first
    stale = call(client, "PUT", path, _body(catalogue_world["provider"], title="Gammal"), if_match=first)
    assert stale.status_code == 412
    assert Offer.objects.get(pk=offer.pk).title == "Praktik i verkstad"
    fresh = call(client, "PUT", path, _body(catalogue_world["provider"], title="Ny"), if_match=patched["ETag"])
    assert fresh.status_code == 200
    assert fresh.json()["title"] == "Ny"
    assert fresh.json()["supervisor_id"] is None  # PUT replaces every field


def test_patch_with_null_clears_an_optional_field_and_keeps_a_required_one(catalogue_world, alice):
    offer = catalogue_world["offer"]
    client = api_client_for(alice)
    path = f"/offers/{offer.pk}"
    etag = call(client, "GET", path)["ETag"]
    response = call(client, "PATCH", path, {"supervisor_id": None, "title": None}, if_match=etag)
    assert response.status_code == 200
    assert (response.json()["supervisor_id"], response.json()["title"]) == (None, "Praktik i verkstad")


def test_an_administrator_may_change_any_offer(catalogue_world, dana):
    offer = catalogue_world["offer"]
    client = api_client_for(dana)
    etag = call(client, "GET", f"/offers/{offer.pk}")["ETag"]
    assert call(client, "PATCH", f"/offers/{offer.pk}", {"status": "stangd"}, if_match=etag).status_code == 200
