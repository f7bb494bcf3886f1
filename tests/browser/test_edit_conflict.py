"""The conflict page of a stale save (common/forms.show_conflict): both versions, nothing saved,
and the page passes axe, fits 360 px and has no browser errors."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from conftest import ctx_for
from tests.browser.conftest import assert_page_ok, login
from vagval.access.checks import person_access
from vagval.people import services
from vagval.plans.tests.factories import add_step, make_plan

pytestmark = pytest.mark.browser


def test_a_stale_person_save_shows_the_conflict_page(page: Page, live_server, alice, alices_person):
    login(page, "alice")
    page.goto(live_server.url + reverse("people:edit", args=[alices_person.pk]))
    # Someone else saves while alice writes.
    access = person_access(viewer=alice, person=alices_person)
    assert access is not None
    current = services.person_version(person=alices_person, access=access)
    data = services.PersonData(
        first_name=alices_person.first_name,
        last_name="Annansson",
        id_type=alices_person.id_type,
        id_number=alices_person.id_number or "",
        gender=alices_person.gender,
        protection=alices_person.protection,
        address=alices_person.address,
        postal_code=alices_person.postal_code,
        city=alices_person.city,
        phone=alices_person.phone,
        email=alices_person.email,
    )
    services.person_update(ctx=ctx_for(alice), person=alices_person, data=data, expected_version=current)

    page.get_by_label("Efternamn").fill("Alicesdotter")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("alert")).to_contain_text("Ändringen sparades inte")
    table = page.locator("table.conflict")
    expect(table).to_contain_text("Alicesdotter")
    expect(table).to_contain_text("Annansson")
    assert_page_ok(page)
    alices_person.refresh_from_db()
    assert alices_person.last_name == "Annansson"


def test_a_stale_plan_step_save_shows_the_conflict_page(page: Page, live_server, alice, alices_person, project):
    plan = make_plan(alices_person, by=alice, project=project, goals=["Jag vill ha ett jobb"])
    step = add_step(plan, by=alice, content="Söka tre jobb i veckan")
    login(page, "alice")
    page.goto(live_server.url + reverse("plans:step_edit", args=[plan.pk, step.pk]))
    step.content = "Söka fem jobb i veckan"
    step.save()

    page.get_by_label("Vad ska göras").fill("Söka ett jobb om dagen")
    page.get_by_role("button", name="Spara steget").click()

    expect(page.locator("table.conflict")).to_contain_text("Söka fem jobb i veckan")
    assert_page_ok(page)
