"""The to-do list in the browser: the list (filtered by kind and by person), the mark page with its
error state, the notifications, the mail setting, the own-view links page and the administrator's
jobs page pass axe, have one h1 and fit 360 px; the young person's own plan view opens from its
link on a 360 px phone, and a revoked link is refused in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE_WIDTH, assert_page_ok, login, visit_and_check
from vagval.followup.models import FollowUpStatus, Situation, Source
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.people.models import Enrolment
from vagval.plans.tests.factories import add_step, make_plan
from vagval.worklist.jobs import JOBS
from vagval.worklist.models import JobRun, JobRunStatus

pytestmark = pytest.mark.browser

PHONE = {"width": PHONE_WIDTH, "height": 740}


@pytest.fixture
def items(alice, alices_person, project):
    """A plan step at its follow-up date, a due follow-up, and an answered one (a notification)."""
    today = timezone.localdate()
    plan = make_plan(alices_person, by=alice, project=project)
    step = add_step(plan, by=alice, content="Besöka Komvux", follow_up_on=today + dt.timedelta(days=2))
    enrolment = Enrolment.objects.get(person=alices_person)
    left = ExitFactory(enrolment=enrolment, recorded_by=alice, exit_on=today - dt.timedelta(days=40))
    FollowUpFactory(exit=left, kind="dag28", due_on=today - dt.timedelta(days=12), status=FollowUpStatus.DUE)
    FollowUpFactory(
        exit=left,
        kind="dag90",
        due_on=today - dt.timedelta(days=1),
        status=FollowUpStatus.DONE,
        outcome=Situation.STUDYING,
        source=Source.YOUNG_PERSON,
        recorded_at=timezone.now(),
    )
    return plan, step


def test_the_coachs_worklist_pages_pass_axe(page: Page, alice, alices_person, items):
    plan, step = items
    login(page, "alice")
    visit_and_check(page, reverse("worklist:list"))
    expect(page.locator("main")).to_contain_text("Besöka Komvux")
    visit_and_check(page, reverse("worklist:list") + "?typ=steg")
    visit_and_check(page, reverse("worklist:list") + f"?person={alices_person.pk}")
    mark_url = reverse("worklist:mark", args=["steg", step.pk])
    visit_and_check(page, mark_url)
    # The error state: moving without a date or a reason.
    page.get_by_label("Flytta till ett senare datum").check()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_page_ok(page)
    visit_and_check(page, reverse("worklist:notifications"))
    expect(page.locator("main")).to_contain_text("Ett svar på en uppföljning har kommit")
    visit_and_check(page, reverse("worklist:settings"))
    visit_and_check(page, reverse("worklist:own_view_links", args=[plan.pk]))


def test_the_young_persons_own_view_opens_from_its_link_on_a_phone(page: Page, alice, items):
    plan, _step = items
    login(page, "alice")
    page.goto(reverse("worklist:own_view_links", args=[plan.pk]))
    page.get_by_role("button", name="Skapa en ny länk").click()
    page.wait_for_load_state()
    assert_page_ok(page)  # the links page with the new link shown once
    url = page.get_by_label("Länken").input_value()
    path = url[url.index("/att-gora/") :]

    page.set_viewport_size(PHONE)
    response = page.goto(path)
    assert response is not None
    assert response.status == 200
    expect(page.locator("main")).to_contain_text("Besöka Komvux")
    assert page.locator("nav").count() == 0
    assert_page_ok(page)

    page.goto(reverse("worklist:own_view_links", args=[plan.pk]))
    page.get_by_role("button", name="Återkalla").click()
    page.wait_for_load_state()
    response = page.goto(path)
    assert response is not None
    assert response.status == 410
    assert_page_ok(page)


def test_the_administrators_jobs_page_passes_axe_with_a_failed_run(page: Page, dana):
    JobRun.objects.create(job=JOBS[0].name, period="2026-12-01", status=JobRunStatus.FAILED, error="RuntimeError")
    device = TOTPDevice.objects.create(user=dana, name="Telefon", confirmed=True)
    login(page, "dana", totp_device=device)
    visit_and_check(page, reverse("worklist:jobs"))
    expect(page.locator("main")).to_contain_text("Misslyckades")
