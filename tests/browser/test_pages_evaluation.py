"""The evaluation pages in a real browser: the evaluator's start page, a project's data page, an
export being approved and downloaded, the project leader's page, survey results and the partner's
survey behind a personal link. Each answers 200, has one h1, passes axe (WCAG 2.1 AA), fits 360 px
and reports no browser errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from conftest import ctx_for
from tests.browser.conftest import assert_page_ok, login, visit_and_check
from vagval.evaluation import services
from vagval.evaluation.tests.helpers import enrol, make_evaluator

pytestmark = pytest.mark.browser


@pytest.fixture
def world(project, ludvika_unit, af_unit, erik, pia) -> dict[str, Any]:
    make_evaluator(erik, project)
    project.organisations.set([ludvika_unit.organisation, af_unit.organisation])
    for i in range(6):
        enrol(project, ludvika_unit, serial=300 + i)
    export = services.export_prepare(ctx=ctx_for(erik), project_id=project.pk, file_format="csv")
    survey = services.survey_round_create(
        ctx=ctx_for(pia),
        project_id=project.pk,
        title="Samverkan hösten",
        closes_on=timezone.localdate() + dt.timedelta(days=10),
    )
    tokens = services.survey_links_create(
        ctx=ctx_for(pia), round_id=survey.pk, organisation_id=af_unit.organisation.pk, count=7
    )
    for token in tokens[:5]:
        services.survey_submit(token=token, ratings={"mal": 4, "ansvar": 3}, strengths="Korta vägar", weaknesses="")
    return {"export": export, "survey": survey, "token": tokens[5], "last_token": tokens[6], "used": tokens[0]}


def test_the_evaluators_pages_are_accessible_and_fit_a_phone(page: Page, world: dict[str, Any], project):
    login(page, "erik")
    assert page.url.endswith(reverse("evaluation:start"))
    for url in (
        reverse("evaluation:start"),
        reverse("evaluation:project", args=[project.pk]),
        reverse("evaluation:export", args=[world["export"].pk]),
        reverse("evaluation:survey", args=[world["survey"].pk]),
    ):
        visit_and_check(page, url)


def test_the_project_leaders_pages_are_accessible_and_approving_works(page: Page, world: dict[str, Any]):
    login(page, "pia")
    visit_and_check(page, reverse("evaluation:leader"))
    visit_and_check(page, reverse("evaluation:export", args=[world["export"].pk]))
    page.get_by_role("button", name="Godkänn", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("evaluation:leader"))
    assert_page_ok(page)
    visit_and_check(page, reverse("evaluation:survey", args=[world["survey"].pk]))
    page.get_by_label("Antal länkar").fill("2")
    page.get_by_role("button", name="Skapa länkar").click()
    page.wait_for_load_state()
    assert page.locator(".token-list li").count() == 2
    assert_page_ok(page)


def test_the_partners_survey_is_accessible_and_thanks_after_answering(page: Page, world: dict[str, Any]):
    visit_and_check(page, reverse("evaluation:survey_form", args=[world["token"]]))
    page.get_by_role("group", name="Det är tydligt vem som ansvarar för vad.").get_by_label("5 – stämmer helt").check()
    page.get_by_role("button", name="Skicka svaren").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Tack för dina svar"
    assert_page_ok(page)
    response = page.goto(reverse("evaluation:survey_form", args=[world["used"]]))
    assert response is not None
    assert response.status == 410
    assert_page_ok(page)
