"""The catalogue's offer side as alice (coach in Ludvika) uses it, and a young person's offer list.

Each page answers 200, has one h1, passes axe, fits a 360-px phone and reports no browser errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from conftest import ctx_for
from tests.browser.conftest import assert_page_ok, login, visit_and_check
from vagval.catalogue.models import EmployerInterest, EmployerNeed, Offer, OfferKind, StudyKind
from vagval.catalogue.offer_links import offer_link_create
from vagval.catalogue.tests.factories import OfferFactory, ProviderContactFactory, ProviderFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(alice, alices_person, project, ludvika_unit):
    project.organisations.add(ludvika_unit.organisation)
    provider = ProviderFactory(name="Bergslagens Mekaniska AB", owner=ludvika_unit.organisation, sni_section="C")
    supervisor = ProviderContactFactory(provider=provider, name="Göran Lind", phone="0240-123 45")
    offer = OfferFactory(
        title="Praktik i verkstad", provider=provider, supervisor=supervisor, travel="Buss 1, 10 minuter."
    )
    school = OfferFactory(
        title="Second Chance School",
        kind=OfferKind.STUDY,
        study_kind=StudyKind.SECOND_CHANCE,
        ssyk_area="",
        provider=provider,
        capacity=12,
        starts_on=dt.date(2026, 8, 20),
    )
    need = EmployerNeed.objects.create(
        provider=provider, ssyk_area="7", headcount=6, stated_on=dt.date(2026, 1, 10), owner=ludvika_unit.organisation
    )
    interest = EmployerInterest.objects.create(
        provider=provider, kind="mentorer", contact=supervisor, owner=ludvika_unit.organisation
    )
    token = offer_link_create(ctx=ctx_for(alice), person_id=alices_person.pk).token
    return {
        "provider": provider,
        "supervisor": supervisor,
        "offer": offer,
        "need": need,
        "interest": interest,
        "person": alices_person,
        "token": token,
        "school": school,
    }


def test_the_catalogue_pages_are_accessible_and_fit_a_phone(page: Page, catalogue):
    login(page, "alice")
    provider, offer = catalogue["provider"], catalogue["offer"]
    for url in (
        reverse("catalogue:offer_list"),
        reverse("catalogue:offer_list") + "?kind=praktik&free=on",
        reverse("catalogue:offer_create"),
        reverse("catalogue:offer_detail", args=[offer.pk]),
        reverse("catalogue:offer_edit", args=[offer.pk]),
        reverse("catalogue:provider_list"),
        reverse("catalogue:provider_create"),
        reverse("catalogue:provider_detail", args=[provider.pk]),
        reverse("catalogue:provider_edit", args=[provider.pk]),
        reverse("catalogue:provider_contact_create", args=[provider.pk]),
        reverse("catalogue:provider_contact_edit", args=[provider.pk, catalogue["supervisor"].pk]),
        reverse("catalogue:need_list"),
        reverse("catalogue:need_create"),
        reverse("catalogue:need_edit", args=[catalogue["need"].pk]),
        reverse("catalogue:interest_list"),
        reverse("catalogue:interest_create"),
        reverse("catalogue:interest_edit", args=[catalogue["interest"].pk]),
        reverse("catalogue:person_offer_links", args=[catalogue["person"].pk]),
        reverse("catalogue:offer_detail", args=[catalogue["school"].pk]),
        reverse("matching:offer_preference", args=[offer.pk]),
    ):
        visit_and_check(page, url)


def test_alice_records_the_providers_preference_with_the_keyboard(page: Page, catalogue):
    login(page, "alice")
    page.goto(reverse("matching:offer_preference", args=[catalogue["offer"].pk]))
    page.get_by_label("Anordnaren föredrar unga som bor i erbjudandets kommun").press("Space")
    page.get_by_role("button", name="Spara önskemålen").press("Enter")
    page.wait_for_load_state()
    assert "Föredrar unga som bor i kommunen" in page.locator("main").inner_text()
    assert_page_ok(page)


def test_a_form_with_errors_is_accessible(page: Page, catalogue):
    login(page, "alice")
    page.goto(reverse("catalogue:offer_create"))
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert "Ange en rubrik." in page.locator("main").inner_text()
    assert_page_ok(page)


def test_alice_adds_an_offer_with_the_keyboard(page: Page, catalogue):
    login(page, "alice")
    page.goto(reverse("catalogue:offer_create"))
    page.get_by_label("Typ av erbjudande").select_option(label="Praktik")
    page.get_by_label("Rubrik").fill("Praktik på lagret")
    page.get_by_label("Anordnare").select_option(label="Bergslagens Mekaniska AB")
    page.get_by_label("Yrkesområde (SSYK 2012)").select_option(value="9")
    page.get_by_label("Status").select_option(label="Öppen")
    page.get_by_role("button", name="Spara").press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Praktik på lagret"
    assert Offer.objects.get(title="Praktik på lagret").owner == catalogue["provider"].owner


def test_the_young_persons_offer_list_is_accessible_on_a_phone(page: Page, catalogue):
    visit_and_check(page, reverse("catalogue:offer_link_public", args=[catalogue["token"]]))
    text = page.locator("main").inner_text()
    assert "Praktik i verkstad" in text
    assert "Göran Lind" not in text
    assert Client().get(reverse("catalogue:offer_link_public", args=["fel"])).status_code == 404
