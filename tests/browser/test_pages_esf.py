"""ESF+ pages in a real browser: the coach's entry form (also with errors) and incomplete list, the
person page's ESF section, the project leader's report and SCB months, the administrator's ESF
funding page. Each answers 200, has one h1, passes axe (WCAG 2.1 AA), fits 360 px and reports no
browser errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible, assert_fits_phone, login, visit_and_check
from vagval.esf.tests.factories import EsfProjectFactory
from vagval.people.models import Enrolment

pytestmark = pytest.mark.browser


@pytest.fixture
def world(alice, pia, dana, alices_person, project) -> dict[str, Any]:
    EsfProjectFactory(project=project)
    enrolment = Enrolment.objects.get(person=alices_person, project=project)
    device = TOTPDevice.objects.create(user=dana, name="Telefon", confirmed=True)
    return {"person": alices_person, "enrolment": enrolment, "project": project, "device": device}


def test_the_coachs_esf_pages_are_accessible_and_fit_a_phone(page: Page, world: dict[str, Any]):
    login(page, "alice")
    for url in (
        reverse("esf:entry_edit", args=[world["enrolment"].pk]),
        reverse("esf:incomplete"),
        reverse("people:detail", args=[world["person"].pk]),
    ):
        visit_and_check(page, url)
    # The form with errors: unemployed without a date.
    page.goto(reverse("esf:entry_edit", args=[world["enrolment"].pk]))
    page.get_by_label("Situation på arbetsmarknaden vid start").select_option("arbetslos")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert "Ange sedan när personen är arbetslös." in page.content()
    assert_accessible(page)
    assert_fits_phone(page)


def test_the_project_leaders_report_and_scb_months_are_accessible(page: Page, world: dict[str, Any]):
    login(page, "pia")
    project = world["project"]
    visit_and_check(page, reverse("esf:report"))
    visit_and_check(page, f"{reverse('esf:report')}?project={project.pk}&start=2024-01-01&end=2026-12-31")
    visit_and_check(page, reverse("esf:scb_months", args=[project.pk]))


def test_the_administrators_esf_funding_page_is_accessible(page: Page, world: dict[str, Any]):
    login(page, "dana", totp_device=world["device"])
    visit_and_check(page, reverse("esf:project_funding", args=[world["project"].pk]))
