"""The target-group pages as karin (KAA-ansvarig in Ludvika) uses them: the KAA and UVAS lists,
the handover at 20, the municipality setting and the person page's section. Each answers 200,
has one h1, passes axe, fits a 360-px phone and reports no browser errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from tests.browser.conftest import assert_no_browser_errors, login, visit_and_check
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Protection
from vagval.targetgroup.models import Episode
from vagval.targetgroup.services import target_group_refresh
from vagval.targetgroup.tests.conftest import in_register, nightly, study, young

pytestmark = pytest.mark.browser


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 2, 28)


@pytest.fixture
def register(karin, ludvika_kaa_unit, ludvika_unit) -> dict[str, object]:
    """Ludvika's register: one in KAA with an avbrott, one protected, one who turned 20 three days ago."""
    today = timezone.localdate()
    project = ProjectFactory(name="Unga vuxna Ludvika", starts_on=today - dt.timedelta(days=400))
    project.organisations.add(ludvika_unit.organisation)
    ebba = young(_years_before(today, 17), first_name="Ebba", last_name="Avbrottsson")
    study(ludvika_kaa_unit, karin, ebba, form="GY", status="avbrott", programme="EE", end=today - dt.timedelta(60))
    hidden = young(_years_before(today, 18), first_name="Sara", last_name="Skyddad",
                   protection=Protection.PROTECTED_REGISTRATION)  # fmt: skip
    tove = young(_years_before(today - dt.timedelta(days=3), 20), first_name="Tove", last_name="Tjugo")
    for person in (ebba, hidden, tove):
        in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=today - dt.timedelta(days=10), ctx=nightly())
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=today, ctx=nightly())
    return {"ebba": ebba, "tove": tove, "handover": Episode.objects.get(person=tove, target_list="kaa")}


def test_the_target_group_pages_are_accessible_and_fit_a_phone(page: Page, register):
    login(page, "karin")
    visit_and_check(page, reverse("targetgroup:list"))
    visit_and_check(page, reverse("targetgroup:list") + "?lista=uvas")
    visit_and_check(page, reverse("targetgroup:handover", kwargs={"episode_id": register["handover"].pk}))
    visit_and_check(page, reverse("targetgroup:settings"))
    visit_and_check(page, reverse("people:detail", kwargs={"person_id": register["ebba"].pk}))


def test_karin_hands_over_a_person_who_turned_20_with_the_keyboard(page: Page, register):
    login(page, "karin")
    page.goto(reverse("targetgroup:list"))
    assert page.get_by_text("avbrott GY EE").is_visible()
    page.get_by_role("link", name="Överlämna Tove Tjugo").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.get_by_label("Projekt för unga vuxna").select_option(label="Unga vuxna Ludvika")
    page.get_by_role("button", name="Överlämna").press("Enter")
    page.wait_for_load_state()
    assert "överlämnad" in page.locator("main").inner_text()
    register["handover"].refresh_from_db()
    assert register["handover"].handed_over_at is not None
    assert_no_browser_errors(page)


def test_karin_changes_the_im_setting(page: Page, register):
    login(page, "karin")
    page.goto(reverse("targetgroup:settings"))
    page.get_by_label("Studier på introduktionsprogram tar personen ur KAA").uncheck()
    page.get_by_label("Mål för första kontakt (arbetsdagar)").fill("3")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert page.get_by_text("Inställningarna är sparade.").is_visible()
    assert not page.get_by_label("Studier på introduktionsprogram tar personen ur KAA").is_checked()
    assert_no_browser_errors(page)
