"""Writes of the offer side: providers, contacts, offers, needs and interests."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.catalogue import offer_services as services
from vagval.catalogue.models import Offer, OfferKind, OfferStatus, Provider, StudyKind
from vagval.catalogue.tests import offer_helpers
from vagval.common.errors import Conflict, InvalidInput, PermissionDenied

# 556016-0680 is a valid organisationsnummer (Luhn); 556016-0681 is not.
VALID_NUMBER = "5560160680"

catalogue_world = offer_helpers.catalogue_world


def _offer_data(provider, **changes) -> services.OfferData:
    data = services.OfferData(
        kind=OfferKind.INTERNSHIP, title="Lagerpraktik", provider_id=provider.pk, ssyk_area="9", capacity=3
    )
    return replace(data, **changes)


def test_a_provider_created_by_alice_belongs_to_her_organisation_and_is_logged(catalogue_world, alice):
    provider = services.provider_create(
        ctx=ctx_for(alice),
        data=services.ProviderData(
            name="Vård och omsorg Ludvika", kind="arbetsgivare", organisation_number=VALID_NUMBER, sni_section="q"
        ),
    )
    assert provider.owner == alice.unit.organisation
    assert provider.organisation_number == "556016-0680"
    assert provider.sni_section == "Q"
    assert AccessLogEntry.objects.filter(action="provider.created", user=alice).count() == 1


def test_a_wrong_organisation_number_and_unknown_sni_are_swedish_field_errors(catalogue_world, alice):
    with pytest.raises(InvalidInput) as caught:
        services.provider_create(
            ctx=ctx_for(alice),
            data=services.ProviderData(
                name="X", kind="arbetsgivare", organisation_number="556016-0681", sni_section="Ö"
            ),
        )
    errors = caught.value.field_errors
    assert "kontrollsiffran" in errors["organisation_number"][0]
    assert "SNI 2007" in errors["sni_section"][0]
    assert not Provider.objects.filter(name="X").exists()


def test_charlie_cannot_edit_ludvikas_provider(catalogue_world, charlie):
    provider = catalogue_world["provider"]
    with pytest.raises(PermissionDenied):
        services.provider_update(
            ctx=ctx_for(charlie), provider=provider, data=services.ProviderData(name="Kapad", kind="arbetsgivare")
        )


def test_an_offer_needs_a_study_kind_only_when_it_is_a_study_place(catalogue_world, alice):
    provider = catalogue_world["provider"]
    with pytest.raises(InvalidInput) as caught:
        services.offer_create(ctx=ctx_for(alice), data=_offer_data(provider, study_kind=StudyKind.KOMVUX))
    assert "studieplatser" in caught.value.field_errors["study_kind"][0]
    with pytest.raises(InvalidInput) as caught:
        services.offer_create(ctx=ctx_for(alice), data=_offer_data(provider, kind=OfferKind.STUDY, ssyk_area=""))
    assert "study_kind" in caught.value.field_errors
    offer = services.offer_create(
        ctx=ctx_for(alice),
        data=_offer_data(provider, kind=OfferKind.STUDY, study_kind=StudyKind.SECOND_CHANCE, ssyk_area=""),
    )
    assert offer.study_kind == StudyKind.SECOND_CHANCE


def test_a_work_like_offer_needs_an_ssyk_area_and_dates_in_order(catalogue_world, alice):
    provider = catalogue_world["provider"]
    with pytest.raises(InvalidInput) as caught:
        services.offer_create(
            ctx=ctx_for(alice),
            data=_offer_data(provider, ssyk_area="", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 4, 1)),
        )
    assert set(caught.value.field_errors) == {"ssyk_area", "ends_on"}
    assert Offer.objects.count() == 1


def test_a_supervisor_must_work_at_the_offers_provider(catalogue_world, alice):
    other = services.provider_create(
        ctx=ctx_for(alice), data=services.ProviderData(name="Annan AB", kind="arbetsgivare")
    )
    with pytest.raises(InvalidInput) as caught:
        services.offer_create(
            ctx=ctx_for(alice), data=_offer_data(other, supervisor_id=catalogue_world["supervisor"].pk)
        )
    assert "supervisor_id" in caught.value.field_errors


def test_bob_read_only_cannot_create_an_offer(catalogue_world, bob):
    with pytest.raises(PermissionDenied):
        services.offer_create(ctx=ctx_for(bob), data=_offer_data(catalogue_world["provider"]))


def test_frida_publishes_an_offer_owned_by_arbetsformedlingen(catalogue_world, frida):
    offer = services.offer_create(
        ctx=ctx_for(frida), data=_offer_data(catalogue_world["provider"], status=OfferStatus.OPEN)
    )
    assert offer.owner == frida.unit.organisation


def test_an_administrator_must_name_the_owner(catalogue_world, dana, alice):
    with pytest.raises(InvalidInput) as caught:
        services.offer_create(ctx=ctx_for(dana), data=_offer_data(catalogue_world["provider"]))
    assert "owner_id" in caught.value.field_errors
    offer = services.offer_create(
        ctx=ctx_for(dana), data=_offer_data(catalogue_world["provider"], owner_id=alice.unit.organisation_id)
    )
    assert offer.owner_id == alice.unit.organisation_id


def test_a_stale_edit_is_refused_and_saves_nothing(catalogue_world, alice):
    offer = Offer.objects.get(pk=catalogue_world["offer"].pk)  # as an edit page reads it
    seen = services.record_version(offer)
    data = services.offer_data_of(offer)
    services.offer_update(ctx=ctx_for(alice), offer=offer, data=replace(data, capacity=5), expected_version=seen)
    with pytest.raises(Conflict):
        services.offer_update(
            ctx=ctx_for(alice), offer=offer, data=replace(data, title="Ändrad"), expected_version=seen
        )
    offer.refresh_from_db()
    assert (offer.title, offer.capacity) == ("Praktik i verkstad", 5)


def test_an_edit_logs_which_fields_changed_and_nothing_when_none(catalogue_world, alice):
    offer = catalogue_world["offer"]
    data = services.offer_data_of(offer)
    services.offer_update(ctx=ctx_for(alice), offer=offer, data=data)
    assert not AccessLogEntry.objects.filter(action="offer.changed").exists()
    services.offer_update(ctx=ctx_for(alice), offer=offer, data=replace(data, capacity=4, title="Ny rubrik"))
    entry = AccessLogEntry.objects.get(action="offer.changed")
    assert entry.detail["fields"] == "capacity,title"


def test_a_status_change_is_logged_with_before_and_after(catalogue_world, alice, charlie):
    offer = catalogue_world["offer"]
    services.offer_status_change(ctx=ctx_for(alice), offer=offer, status=OfferStatus.CLOSED)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CLOSED
    entry = AccessLogEntry.objects.get(action="offer.status_changed")
    assert (entry.detail["before"], entry.detail["after"]) == ("oppen", "stangd")
    with pytest.raises(PermissionDenied):
        services.offer_status_change(ctx=ctx_for(charlie), offer=offer, status=OfferStatus.OPEN)


def test_a_need_takes_the_employers_sni_section_unless_given(catalogue_world, alice):
    need = services.need_create(
        ctx=ctx_for(alice),
        data=services.NeedData(
            provider_id=catalogue_world["provider"].pk, ssyk_area="7", headcount=3, stated_on=dt.date(2026, 1, 10)
        ),
    )
    assert need.sni_section == "C"
    with pytest.raises(InvalidInput) as caught:
        services.need_create(
            ctx=ctx_for(alice),
            data=services.NeedData(
                provider_id=catalogue_world["provider"].pk, ssyk_area="", headcount=0, stated_on=dt.date(2026, 1, 10)
            ),
        )
    assert set(caught.value.field_errors) == {"ssyk_area", "headcount"}


def test_an_interest_follow_up_is_versioned(catalogue_world, alice):
    interest = services.interest_create(
        ctx=ctx_for(alice),
        data=services.InterestData(provider_id=catalogue_world["provider"].pk, kind="mentorer"),
    )
    seen = services.record_version(interest)
    data = services.InterestData(
        provider_id=interest.provider_id, kind="mentorer", status="kontaktad", next_contact_on=dt.date(2026, 2, 1)
    )
    updated = services.interest_update(ctx=ctx_for(alice), interest=interest, data=data, expected_version=seen)
    assert updated.status == "kontaktad"
    with pytest.raises(Conflict):
        services.interest_update(ctx=ctx_for(alice), interest=interest, data=data, expected_version=seen)


def test_a_contact_email_must_be_valid(catalogue_world, alice):
    with pytest.raises(InvalidInput) as caught:
        services.provider_contact_create(
            ctx=ctx_for(alice),
            provider=catalogue_world["provider"],
            data=services.ContactData(name="Kim", email="inte-en-adress"),
        )
    assert caught.value.field_errors["email"] == ["Ange en giltig e-postadress."]
