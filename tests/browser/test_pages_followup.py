"""followup in the browser: every page (exit, the person's exits, the list, one follow-up with its
error state, figures, settings) passes axe, has one h1, fits 360 px; and the young person's
follow-up form works on a 360 px phone, by keyboard, with its errors linked to the questions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE_WIDTH, assert_page_ok, login, visit_and_check
from vagval.followup import jobs
from vagval.followup.models import FollowUp, FollowUpLink, FollowUpStatus
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.people.models import Enrolment

pytestmark = pytest.mark.browser

PHONE = {"width": PHONE_WIDTH, "height": 740}


def _due_follow_up(alice, person) -> FollowUp:
    enrolment = Enrolment.objects.get(person=person)
    left = ExitFactory(enrolment=enrolment, recorded_by=alice, exit_on=timezone.localdate() - dt.timedelta(days=40))
    return FollowUpFactory(
        exit=left, kind="dag28", due_on=timezone.localdate() - dt.timedelta(days=12), status=FollowUpStatus.DUE
    )


def _token(follow_up: FollowUp) -> str:
    link = FollowUpLink.objects.create(
        follow_up=follow_up,
        person=follow_up.person,
        unit=follow_up.unit,
        token_hash="-",
        sent_on=follow_up.due_on,
        sent_via="sms",
        expires_at=timezone.now() + dt.timedelta(days=10),
    )
    token = jobs.link_token(link.pk)
    FollowUpLink.objects.filter(pk=link.pk).update(token_hash=jobs.token_hash(token))
    return token


def test_the_coachs_followup_pages_pass_axe(page: Page, alice, alices_person, pia):
    follow_up = _due_follow_up(alice, alices_person)
    FollowUp.objects.filter(pk=follow_up.pk).update(suggested_outcome="i_utbildning")
    enrolment = Enrolment.objects.get(person=alices_person)
    login(page, "alice")
    visit_and_check(page, reverse("followup:exit_create", args=[enrolment.pk]))
    # The exit form's error state: nothing filled in.
    page.get_by_role("button", name="Avsluta deltagandet").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_page_ok(page)
    visit_and_check(page, reverse("followup:person", args=[alices_person.pk]))
    visit_and_check(page, reverse("followup:list"))
    visit_and_check(page, reverse("followup:detail", args=[follow_up.pk]))
    # The outcome form's error state.
    page.get_by_role("button", name="Spara resultatet").click()
    page.wait_for_load_state()
    assert_page_ok(page)
    visit_and_check(page, reverse("followup:figures"))
    visit_and_check(page, reverse("followup:figures") + "?per=gender")


def test_the_project_leaders_settings_page_passes_axe(page: Page, pia, project):
    login(page, "pia")
    visit_and_check(page, reverse("followup:settings", args=[project.pk]))
    visit_and_check(page, reverse("followup:figures"))


def test_the_young_person_answers_the_follow_up_on_a_phone(page: Page, alice, alices_person):
    follow_up = _due_follow_up(alice, alices_person)
    token = _token(follow_up)
    page.set_viewport_size(PHONE)
    response = page.goto(reverse("followup:answer", args=[token]))
    assert response is not None
    assert response.status == 200
    expect(page.locator("main")).to_contain_text("Hej Moa!")
    expect(page.locator("main")).not_to_contain_text("Provsson")
    assert page.locator("nav").count() == 0
    assert_page_ok(page)

    # Sending with nothing chosen shows the errors, still accessible.
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_page_ok(page)

    # Answer by keyboard: focus the first choice and select with space.
    page.get_by_label("Jag studerar").focus()
    page.keyboard.press("Space")
    page.get_by_role("group", name=re.compile("betyg, intyg eller certifikat")).get_by_label("Nej").check()
    page.get_by_role("group", name=re.compile("hör av oss till dig")).get_by_label("Nej").check()
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för ditt svar!")
    assert_page_ok(page)
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.outcome, follow_up.source) == (FollowUpStatus.DONE, "i_utbildning", "ungdomen")

    # The same link again: refused, in words.
    response = page.goto(reverse("followup:answer", args=[token]))
    assert response is not None
    assert response.status == 410
    assert_page_ok(page)
