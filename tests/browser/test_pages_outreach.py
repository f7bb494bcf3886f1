"""Outreach pages in a real browser: worklist, follow-up, contact, occupation and letter forms pass axe
(WCAG 2.1 AA), fit a 360-px phone, have one h1, and the forms work with the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible, assert_page_ok, login, visit_and_check
from vagval.outreach.models import ContactAttempt, Occupation, Outcome
from vagval.outreach.tests.factories import contact, on_list, young_person
from vagval.targetgroup.models import Episode

pytestmark = pytest.mark.browser


@pytest.fixture
def episode(karin, ludvika_kaa_unit) -> Episode:
    """Karin's list: one person over target, one reached, one protected."""
    long_waiting = on_list(ludvika_kaa_unit, young_person(first_name="Väntar"), opened_on=dt.date(2025, 9, 1))
    reached = on_list(ludvika_kaa_unit, young_person(first_name="Nådd"), opened_on=dt.date(2025, 10, 1))
    contact(reached, karin, on=dt.date(2025, 10, 2), outcome=Outcome.REACHED)
    on_list(
        ludvika_kaa_unit,
        young_person(first_name="Skyddad", protection="skyddad_folkbokforing"),
        opened_on=dt.date(2025, 9, 1),
    )
    return long_waiting


@pytest.mark.parametrize(
    "name",
    [
        "outreach:worklist",
        "outreach:followup",
        "outreach:contact_create",
        "outreach:occupation_create",
        "outreach:letter",
    ],
)
def test_outreach_pages_are_accessible_and_fit_a_phone(page: Page, episode, name):
    args = [] if name in {"outreach:worklist", "outreach:followup"} else [episode.person_id]
    login(page, "karin")
    visit_and_check(page, reverse(name, args=args))


def test_the_worklist_says_over_target_in_text_and_filters_by_status(page: Page, episode):
    login(page, "karin")
    page.goto(reverse("outreach:worklist"))
    assert page.get_by_text("Över målet").count() >= 1
    page.get_by_label("Status").select_option("nadd")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_load_state()
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "Nådd" in rows.first.inner_text()


def test_a_contact_attempt_is_recorded_with_the_keyboard_and_errors_are_accessible(page: Page, episode):
    login(page, "karin")
    page.goto(reverse("outreach:contact_create", args=[episode.person_id]))
    page.get_by_role("button", name="Spara kontaktförsöket").click()
    page.wait_for_load_state()
    assert page.get_by_text("Välj hur du försökte nå den unga.").count() == 1
    assert_accessible(page)
    page.get_by_label("Kanal").focus()
    page.get_by_label("Kanal").select_option("telefon")
    page.get_by_label("Utfall").select_option("nadd")
    page.get_by_label("Anteckning (frivillig)").fill("Pratade en stund.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('people:detail', args=[episode.person_id])}")
    assert ContactAttempt.objects.filter(person=episode.person, outcome="nadd").count() == 1
    assert page.get_by_text("Pratade en stund.").count() == 1
    assert_accessible(page)


def test_an_occupation_is_added_from_the_form(page: Page, episode):
    login(page, "karin")
    page.goto(reverse("outreach:occupation_create", args=[episode.person_id]))
    page.get_by_label("Sysselsättning").select_option("arbete")
    page.get_by_label("Från och med").fill("2026-01-12")
    page.get_by_label("Källa").select_option("af")
    page.get_by_role("button", name="Spara sysselsättningen").click()
    page.wait_for_url(f"**{reverse('people:detail', args=[episode.person_id])}")
    assert Occupation.objects.filter(person=episode.person, category="arbete").exists()


def test_karin_is_told_she_cannot_print_a_letter_to_a_protected_person(page: Page, episode):
    protected = Episode.objects.get(person__first_name="Skyddad")
    login(page, "karin")
    response = page.goto(reverse("outreach:letter", args=[protected.person_id]))
    assert response is not None
    assert response.status == 403
    assert page.get_by_text("Brev till personen kan bara skrivas ut av ansvarig coach.").count() == 1
    assert page.get_by_role("button", name="Skriv ut brevet (PDF)").count() == 0
    assert_accessible(page)


def test_a_long_worklist_is_paged_and_the_next_page_keeps_the_filter(page: Page, karin, ludvika_kaa_unit):
    """51 never contacted: 50 on the first page, the 51st on the second, the status filter kept."""
    for n in range(51):
        on_list(ludvika_kaa_unit, young_person(first_name=f"P{n:02d}"), opened_on=dt.date(2025, 9, 1) + dt.timedelta(n))
    login(page, "karin")
    page.goto(reverse("outreach:worklist"))
    page.get_by_label("Status").select_option("aldrig")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 50
    assert page.get_by_text("Visar 1–50 av 51").count() == 1
    assert_page_ok(page)
    page.get_by_role("link", name="Nästa").click()
    page.wait_for_load_state()
    assert page.get_by_text("Visar 51–51 av 51").count() == 1
    assert page.locator("tbody tr").count() == 1
    assert "P50" in page.locator("tbody tr").first.inner_text()
    assert page.get_by_label("Status").input_value() == "aldrig"
    assert page.get_by_role("link", name="Föregående").count() == 1
    assert_page_ok(page)
