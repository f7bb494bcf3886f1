"""The admission pages (Second Chance School intakes), visited as alice: each page and a form's
error state answers, has one h1, passes axe (WCAG 2.1 AA), fits 360 px, and the browser reports
no errors. Also a whole application from the board to an admitted student, by keyboard and mouse."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_page_ok, login, visit_and_check
from vagval.accounts.models import User
from vagval.catalogue.models import AdmissionRound, AdmissionStep, Application, OfferKind, StudyKind
from vagval.catalogue.tests.factories import OfferFactory
from vagval.people.models import Person

pytestmark = pytest.mark.browser


@pytest.fixture
def admission_round(alice: User, project) -> AdmissionRound:
    # Alice's organisation takes part in the project, so she maintains its offers and their rounds.
    project.organisations.add(alice.unit.organisation)
    school = OfferFactory(
        kind=OfferKind.STUDY,
        study_kind=StudyKind.SECOND_CHANCE,
        title="Second Chance School",
        owner=alice.unit.organisation,
    )
    return AdmissionRound.objects.create(offer=school, name="Hösten 2027", starts_on=dt.date(2027, 8, 16), places=5)


def test_the_admission_pages_are_accessible_and_an_application_reaches_a_decision(
    page: Page, alice: User, alices_person: Person, admission_round: AdmissionRound
):
    login(page, "alice")
    visit_and_check(page, reverse("catalogue:admission_rounds"))
    visit_and_check(page, reverse("catalogue:admission_round_create", args=[admission_round.offer.pk]))
    page.get_by_role("button", name="Spara").click()
    assert_page_ok(page)
    expect(page.locator("main .errorlist").first).to_be_visible()
    visit_and_check(page, reverse("catalogue:admission_round_edit", args=[admission_round.pk]))
    visit_and_check(page, reverse("catalogue:admission_board", args=[admission_round.pk]))

    page.get_by_role("link", name="Ny ansökan").click()
    assert_page_ok(page)
    page.get_by_label("Vem ansöker").select_option(label="Moa Provsson – VBU insatser för ungdomar")
    page.get_by_label("Varifrån kom ansökan").select_option(label="KAA")
    page.get_by_role("button", name="Registrera ansökan").click()
    assert_page_ok(page)
    application = Application.objects.get()

    for _step in ("vägledning", "intervju"):
        page.get_by_role("link", name="Moa Provsson").click()
        assert_page_ok(page)
        page.get_by_role("button", name="Spara steget").click()
    page.get_by_role("link", name="Moa Provsson").click()
    page.get_by_role("button", name="Spara steget").click()  # no decision chosen
    assert_page_ok(page)
    expect(page.locator("main .errorlist").first).to_be_visible()
    page.get_by_role("radio", name="Antagen", exact=True).check()
    page.get_by_role("button", name="Spara steget").click()
    assert_page_ok(page)
    application.refresh_from_db()
    assert application.step == AdmissionStep.DECISION
    assert application.decision == "antagen"
    expect(page.get_by_text("1 av 5 platser är tillsatta.")).to_be_visible()
