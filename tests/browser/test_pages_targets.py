"""Targets, budget and the project leader's start page in a real browser: every page answers 200,
has one h1, passes axe (WCAG 2.1 AA), fits 360 px and reports no browser errors; the leader lands
on their projects, adds a target by keyboard-reachable form, and an import shows its rejected rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.conftest import assert_page_ok, login, visit_and_check
from vagval.budget.models import BudgetLine, Cost
from vagval.targets.models import Figure, Target
from vagval.targets.tests.helpers import enrol, target

pytestmark = pytest.mark.browser


@pytest.fixture
def world(project, ludvika_unit, pia):
    today = dt.date.today()
    target(project, Figure.PARTICIPANTS, "300", today - dt.timedelta(days=60), today + dt.timedelta(days=300))
    target(project, Figure.WORK_OR_STUDIES_90, "30", today - dt.timedelta(days=60), today + dt.timedelta(days=300))
    for serial in range(6):
        enrol(project, ludvika_unit, serial=serial + 1, starts_on=today - dt.timedelta(days=10 * serial))
    BudgetLine.objects.create(project=project, cost_type="personal", amount=Decimal("600000"))
    Cost.objects.create(project=project, cost_type="personal", month=today.replace(day=1), amount=Decimal("42000"))
    return project


def test_the_leaders_pages_are_accessible_and_fit_a_phone(page: Page, world):
    login(page, "pia")
    assert page.url.endswith(reverse("leader_start"))
    assert_page_ok(page)
    for url in (
        reverse("targets:project", args=[world.pk]),
        reverse("targets:create", args=[world.pk]),
        reverse("budget:project", args=[world.pk]),
        reverse("budget:lines", args=[world.pk]),
        reverse("budget:month", args=[world.pk]),
        f"{reverse('budget:month', args=[world.pk])}?manad=2026-01",
        reverse("budget:import", args=[world.pk]),
        reverse("targets:edit", args=[Target.objects.get(project=world, figure=Figure.PARTICIPANTS).pk]),
    ):
        visit_and_check(page, url)


def test_a_target_is_added_and_a_wrong_one_explained(page: Page, world):
    login(page, "pia")
    visit_and_check(page, reverse("targets:create", args=[world.pk]))
    page.get_by_label("Mått").select_option("narmare_arbetsmarknaden")
    page.get_by_label("Målvärde").fill("170")
    page.get_by_label("Periodens första dag").fill("2026-01-01")
    page.get_by_label("Periodens sista dag").fill("2026-12-31")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert "En andel kan vara högst 100 procent." in page.content()
    assert_page_ok(page)
    page.get_by_label("Målvärde").fill("70")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("targets:project", args=[world.pk]))
    assert_page_ok(page)


def test_an_import_lists_its_rejected_rows(page: Page, world, tmp_path):
    upload = tmp_path / "ekonomi.csv"
    upload.write_text("månad;kostnadstyp;belopp\n2025-01;personal;1 000,00\n2025-01;bilar;5\n", encoding="utf-8")
    login(page, "pia")
    visit_and_check(page, reverse("budget:import", args=[world.pk]))
    page.get_by_label("Fil från ekonomisystemet (CSV)").set_input_files(str(upload))
    page.get_by_role("button", name="Importera", exact=True).click()
    page.wait_for_load_state()
    assert "1 rader inlästa, 1 avvisade" in page.content()
    assert page.get_by_role("table", name="Avvisade rader").is_visible()
    assert_page_ok(page)
