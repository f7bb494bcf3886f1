"""Matching pages in a real browser: the profile, one person's suggestions, the overview, the
weights, the demand and interest view and an intake. Each answers 200, has one h1, passes axe
(WCAG 2.1 AA), fits 360 px and reports no browser errors. Then a whole intake by keyboard and
mouse: choose persons and offers, solve, change one pair with a reason, confirm."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from conftest import ctx_for
from tests.browser.conftest import login, visit_and_check
from vagval.catalogue.models import Placement, PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory
from vagval.matching import intake_services, services
from vagval.matching.models import MatchingIntake
from vagval.people.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def world(alice, alices_person, project) -> dict[str, Any]:
    services.profile_save(
        ctx=ctx_for(alice),
        person_id=alices_person.pk,
        data=services.ProfileData(ssyk_areas=["7"], offer_kinds=["praktik"], wishes="Vill jobba med händerna"),
        expected_version=None,
    )
    second = EnrolmentFactory(project=project, unit=alice.unit, coach=alice).person
    workshop = OfferFactory(title="Praktik på verkstaden", capacity=1)
    shop = OfferFactory(title="Praktik i butiken", ssyk_area="5", capacity=1)
    OfferFactory(title="Chaufför", requires_driving_licence=True)
    services.suggestion_propose(ctx=ctx_for(alice), person_id=alices_person.pk, offer_id=shop.pk)
    intake = intake_services.intake_create(
        ctx=ctx_for(alice),
        name="Sommarjobb",
        person_ids=[alices_person.pk, second.pk],
        offer_ids=[workshop.pk, shop.pk],
    )
    intake_services.intake_solve(ctx=ctx_for(alice), intake_id=intake.pk)
    return {"person": alices_person, "second": second, "intake": intake, "offers": [workshop, shop]}


def test_alices_matching_pages_are_accessible_and_fit_a_phone(page: Page, world: dict[str, Any]):
    login(page, "alice")
    person = world["person"]
    for url in (
        reverse("matching:profile", args=[person.pk]),
        reverse("matching:suggestions", args=[person.pk]),
        reverse("matching:overview"),
        reverse("matching:demand"),
        reverse("matching:intake_create"),
        reverse("matching:intake", args=[world["intake"].pk]),
    ):
        visit_and_check(page, url)


def test_the_project_leaders_pages_are_accessible(page: Page, pia, project, world: dict[str, Any]):
    login(page, "pia")
    visit_and_check(page, reverse("matching:overview"))
    visit_and_check(page, reverse("matching:weights", args=[project.pk]))


def test_a_whole_intake_choose_solve_adjust_one_pair_confirm(page: Page, world: dict[str, Any]):
    login(page, "alice")
    page.goto(reverse("matching:intake_create"))
    page.get_by_label("Namn på intaget").fill("Höstens praktik")
    page.get_by_label(world["person"].full_name).check()
    page.get_by_label(world["second"].full_name).check()
    page.get_by_label("Praktik på verkstaden", exact=False).check()
    page.get_by_label("Praktik i butiken", exact=False).check()
    page.get_by_role("button", name="Skapa intaget").click()
    page.wait_for_load_state()
    intake = MatchingIntake.objects.get(name="Höstens praktik")
    page.get_by_role("button", name="Lös intaget").click()
    page.wait_for_load_state()
    assert "Bevisat bästa fördelning" in page.content()
    # Take the first person out of the assignment, with a reason.
    first_row = page.locator("tbody tr").first
    first_row.get_by_label("Erbjudande").select_option(label="Inget")
    first_row.get_by_label("Motivering").fill("Vill vänta till hösten")
    first_row.get_by_role("button", name="Ändra paret").click()
    page.wait_for_load_state()
    assert "Vill vänta till hösten" in page.locator("main").inner_text()
    page.get_by_role("button", name="Bekräfta intaget").click()
    page.wait_for_load_state()
    assert "Intaget är bekräftat" in page.locator("main").inner_text()
    intake.refresh_from_db()
    assert Placement.objects.filter(status=PlacementStatus.OFFERED).count() == 1
