"""/placements: the same services, scope and edit versions as the pages."""

import pytest

from conftest import ctx_for
from vagval.api.tests.helpers import api_client_for, call
from vagval.catalogue import placement_services as services
from vagval.catalogue.models import Placement, PlacementStatus
from vagval.consent.tests.factories import share
from vagval.people.models import Protection

pytestmark = pytest.mark.django_db

S = PlacementStatus


@pytest.fixture
def placement(alice, alices_enrolment, offer):
    return services.placement_create(ctx=ctx_for(alice), enrolment=alices_enrolment, offer=offer, status=S.OFFERED)


def test_alice_creates_lists_and_reads_a_placement(alice, alices_enrolment, offer):
    client = api_client_for(alice)
    created = call(
        client,
        "post",
        "/placements",
        {"enrolment_id": str(alices_enrolment.pk), "offer_id": str(offer.pk), "status": "erbjuden"},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "erbjuden"
    assert body["provider"] == "Ludvika Mekaniska AB"
    listed = call(client, "get", "/placements").json()
    assert [row["id"] for row in listed] == [body["id"]]
    detail = call(client, "get", f"/placements/{body['id']}")
    assert detail.status_code == 200
    assert detail["ETag"] == f'"{body["etag"]}"'


def test_a_status_change_needs_the_current_etag(alice, placement):
    client = api_client_for(alice)
    path = f"/placements/{placement.pk}"
    assert call(client, "put", path, {"status": "accepterad"}).status_code == 428
    assert call(client, "put", path, {"status": "accepterad"}, if_match='"0"').status_code == 412
    etag = call(client, "get", path)["ETag"]
    changed = call(client, "put", path, {"status": "accepterad"}, if_match=etag)
    assert changed.status_code == 200
    assert changed.json()["status"] == "accepterad"
    assert changed["ETag"] != etag


def test_invalid_transitions_and_a_full_offer_answer_422(alice, placement, offer, enrol_at_alice):
    client = api_client_for(alice)
    path = f"/placements/{placement.pk}"
    etag = call(client, "get", path)["ETag"]
    refused = call(client, "put", path, {"status": "foreslagen"}, if_match=etag)
    assert refused.status_code == 422
    assert "status" in refused.json()["errors"]
    offer.capacity = 1
    offer.save()
    other = enrol_at_alice()
    full = call(
        client,
        "post",
        "/placements",
        {"enrolment_id": str(other.pk), "offer_id": str(offer.pk), "status": "erbjuden"},
    )
    assert full.status_code == 422
    assert "fullt" in full.json()["errors"]["status"][0]
    assert not Placement.objects.filter(enrolment=other).exists()


def test_the_schemas_are_strict(alice, placement):
    client = api_client_for(alice)
    path = f"/placements/{placement.pk}"
    etag = call(client, "get", path)["ETag"]
    assert call(client, "put", path, {"status": "accepterad", "offer_id": "x"}, if_match=etag).status_code == 422
    assert call(client, "put", path, {"status": "okänd"}, if_match=etag).status_code == 422


def test_bob_reads_but_cannot_write_and_charlie_gets_404(bob, charlie, placement, alices_enrolment, offer):
    path = f"/placements/{placement.pk}"
    bob_client = api_client_for(bob)
    etag = call(bob_client, "get", path)["ETag"]
    assert call(bob_client, "put", path, {"status": "accepterad"}, if_match=etag).status_code == 403
    charlie_client = api_client_for(charlie)
    assert call(charlie_client, "get", path).status_code == 404
    assert call(charlie_client, "get", "/placements").json() == []
    body = {"enrolment_id": str(alices_enrolment.pk), "offer_id": str(offer.pk)}
    assert call(charlie_client, "post", "/placements", body).status_code == 404


def test_frida_sees_the_placement_only_under_a_consent_covering_plan(frida, alice, af_unit, placement):
    client = api_client_for(frida)
    path = f"/placements/{placement.pk}"
    assert call(client, "get", path).status_code == 404
    share(placement.person, documented_by=alice, to_unit=af_unit, categories=["identitet"])
    assert call(client, "get", "/placements").json() == []
    share(placement.person, documented_by=alice, to_unit=af_unit, categories=["plan"])
    assert call(client, "get", path).status_code == 200
    assert [row["id"] for row in call(client, "get", "/placements").json()] == [str(placement.pk)]


def test_a_protected_persons_placement_hides_offer_and_provider_from_colleagues(
    alice, bob, frida, af_unit, alices_person, placement
):
    share(alices_person, documented_by=alice, to_unit=af_unit)
    alices_person.protection = Protection.CONFIDENTIALITY_MARK
    alices_person.save()
    path = f"/placements/{placement.pk}"
    shown = call(api_client_for(bob), "get", path).json()
    assert (shown["offer_id"], shown["offer_title"], shown["provider"], shown["address"]) == (None, None, None, None)
    assert "Mekaniska" not in call(api_client_for(bob), "get", "/placements").content.decode()
    coach = call(api_client_for(alice), "get", path).json()
    assert coach["provider"] == "Ludvika Mekaniska AB"
    assert coach["address"] == "Verkstadsgatan 1"
    assert call(api_client_for(frida), "get", path).status_code == 404


def test_the_schemas_name_every_status_and_end_reason():
    from typing import get_args

    from vagval.catalogue.models import PlacementEndReason
    from vagval.catalogue.placement_api import EndReasonValue, StatusValue

    assert set(get_args(StatusValue)) == set(PlacementStatus.values)
    assert set(get_args(EndReasonValue)) == {*PlacementEndReason.values, ""}
