"""The steering-group report in a real browser (Swedish locale): the project leader's list and
report page, with charts, data tables and a period filter; the evaluator's view. Each answers 200,
has one h1, passes axe (WCAG 2.1 AA), fits 360 px and reports no browser errors (the charts' SVG
carries no inline style for the CSP to refuse)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.conftest import assert_page_ok, login, visit_and_check
from vagval.accounts.models import ProjectRole, Role
from vagval.reporting.tests import world as report_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(pia, erik, alice, project, ludvika_unit, smedjebacken_unit) -> dict[str, Any]:
    report_world.build(project=project, ludvika=ludvika_unit, smedjebacken=smedjebacken_unit, recorder=alice)
    ProjectRole.objects.create(user=erik, project=project, role=Role.EVALUATOR)
    return {"project": project}


def test_the_project_leader_reads_the_steering_group_report(page: Page, world: dict[str, Any]):
    login(page, "pia")
    visit_and_check(page, reverse("reporting:index"))
    page.get_by_role("link", name="VBU insatser för ungdomar").click()
    page.wait_for_load_state()
    assert_page_ok(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Styrgruppsrapport för VBU insatser för ungdomar"
    # Every chart is an image named by its title, with its figures in a table beside it.
    chart = page.get_by_role("img", name="Deltagare per kommun")
    assert chart.count() == 1
    table = page.get_by_role("table", name="Deltagare per kommun (diagrammets siffror)")
    assert "<5" in table.inner_text()
    # The period filter, by keyboard.
    page.get_by_label("Från och med").fill("2026-01-01")
    page.get_by_label("Till och med").fill("2026-11-30")
    page.get_by_label("Till och med").press("Enter")
    page.wait_for_load_state()
    assert "fran=2026-01-01" in page.url
    assert_page_ok(page)
    assert page.get_by_role("link", name="Ladda ner PDF").count() == 1


def test_the_report_at_360_px(page: Page, world: dict[str, Any]):
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "pia")
    visit_and_check(page, reverse("reporting:steering", args=[world["project"].pk]))


def test_the_evaluator_reads_the_report_of_the_project_they_evaluate(page: Page, world: dict[str, Any]):
    login(page, "erik")
    visit_and_check(page, reverse("reporting:index"))
    visit_and_check(page, reverse("reporting:steering", args=[world["project"].pk]))
    assert "Ludviksson" not in page.content()
