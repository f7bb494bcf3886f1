"""The offer side's forms parse input and answer in Swedish; the services check the rest."""

from __future__ import annotations

from vagval.catalogue.offer_forms import NeedForm, OfferFilterForm, OfferForm, ProviderForm


def _offer_form(data):
    return OfferForm(data, providers=[("p", "P")], contacts=[], municipalities=[("2085", "Ludvika")])


def test_the_offer_form_answers_in_swedish(db):
    form = _offer_form({"kind": "okänd", "title": "", "capacity": "x", "status": "oppen", "ends_on": "2026-13-01"})
    assert not form.is_valid()
    assert form.errors["kind"] == ["Välj ett av alternativen."]
    assert form.errors["title"] == ["Ange en rubrik."]
    assert form.errors["capacity"] == ["Ange ett tal."]
    assert form.errors["ends_on"] == ["Ange ett datum som ÅÅÅÅ-MM-DD."]


def test_only_an_administrators_form_has_the_owner_field(db):
    assert "owner_id" not in _offer_form(None).fields
    admin = OfferForm(None, providers=[], contacts=[], municipalities=[], owners=[("o", "Ludvika kommun")])
    assert "owner_id" in admin.fields
    assert "owner_id" not in ProviderForm(None, municipalities=[]).fields


def test_the_provider_form_offers_every_sni_section(db):
    choices = dict(ProviderForm(None, municipalities=[]).fields["sni_section"].choices)
    assert choices["C"] == "C Tillverkning"
    assert len(choices) == 22  # 21 sections and "none chosen"


def test_an_invalid_filter_shows_every_offer_rather_than_none(db):
    form = OfferFilterForm({"period_from": "igår"}, municipalities=[])
    assert form.filters().period_from is None
    assert form.errors["period_from"] == ["Ange ett datum som ÅÅÅÅ-MM-DD."]


def test_a_need_needs_a_positive_headcount(db):
    form = NeedForm(
        {"provider_id": "p", "ssyk_area": "7", "headcount": "0", "horizon": "nu", "stated_on": "2026-01-10"},
        providers=[("p", "P")],
        contacts=[],
    )
    assert form.errors["headcount"] == ["Talet är för litet."]
