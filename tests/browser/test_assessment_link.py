"""Mapping in the browser: the young person's form behind a personal link on a 360 px phone (axe,
no sideways scrolling, keyboard and labels), the supervisor's form, refused links, and the staff
pages for mappings, progress, links, the cohort and instrument administration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE_WIDTH, assert_page_ok, login, visit_and_check
from vagval.accounts.models import ProjectRole, Role
from vagval.accounts.tests.factories import UserFactory
from vagval.assessments.models import AssessmentLink, Response
from vagval.assessments.tests.helpers import make_link, record, vf_answers

pytestmark = pytest.mark.browser

PHONE = {"width": PHONE_WIDTH, "height": 740}
AREA_TITLES = [
    "Motivation och mål",
    "Vardagsrutiner",
    "Hälsa och mående",
    "Socialt nätverk",
    "Grundläggande färdigheter",
    "Att söka jobb eller studier",
    "Arbetsvanor",
    "Boende och ekonomi",
]


def test_the_young_person_answers_on_a_phone(page: Page, alice, alices_person):
    _link, token = make_link(alices_person, alice)
    page.set_viewport_size(PHONE)
    response = page.goto(reverse("assessments:link_form", args=[token]))
    assert response is not None
    assert response.status == 200
    expect(page.locator("main")).to_contain_text("Hej Moa!")
    expect(page.locator("main")).not_to_contain_text("Provsson")
    assert page.locator("nav").count() == 0
    assert_page_ok(page)

    # Submitting with one area unanswered shows the errors, linked to the question, still accessible.
    for title in AREA_TITLES[:-1]:
        group = page.get_by_role("group", name=f"{title}: vilket steg passar bäst just nu?")
        group.get_by_label("4. Jag klarar det oftast, med lite stöd").check()
    page.get_by_role("button", name="Skicka in").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("Välj ett av alternativen.")
    assert_page_ok(page)
    page.get_by_role("alert").get_by_role("link").first.click()
    last = page.get_by_role("group", name="Boende och ekonomi: vilket steg passar bäst just nu?")
    expect(last.get_by_label("1. Jag har fastnat")).to_be_focused()
    # The choices already made are kept; answer the last one with the keyboard.
    expect(
        page.get_by_role("group", name="Motivation och mål: vilket steg passar bäst just nu?").get_by_label(
            "4. Jag klarar det oftast, med lite stöd"
        )
    ).to_be_checked()
    page.keyboard.press("Space")
    page.get_by_label("Kommentar (frivilligt)").first.fill("Jag vill börja plugga")
    page.get_by_role("button", name="Skicka in").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Tack!")
    assert_page_ok(page)
    saved = Response.objects.get()
    assert saved.answers["boende_ekonomi"]["steg"] == 1
    assert saved.answers["motivation"] == {"steg": 4, "kommentar": "Jag vill börja plugga"}


def test_the_supervisor_form_and_a_refused_link_work_on_a_phone(page: Page, alice, alices_person):
    _link, token = make_link(
        alices_person, alice, slug="arbetsplatsbedomning", respondent="handledare", context="praktik"
    )
    _old, old_token = make_link(alices_person, alice, expires_at=timezone.now() - dt.timedelta(days=1))
    page.set_viewport_size(PHONE)
    page.goto(reverse("assessments:link_form", args=[token]))
    expect(page.locator("main")).to_contain_text("Bedömning av praktikanten Moa.")
    assert_page_ok(page)
    response = page.goto(reverse("assessments:link_form", args=[old_token]))
    assert response is not None
    assert response.status == 410
    expect(page.locator("main")).to_contain_text("Länken har slutat gälla.")
    assert_page_ok(page)


@pytest.fixture
def mapped(alice, alices_person):
    record(alices_person, alice, answers=vf_answers(2), on=dt.date(2026, 1, 10))
    record(
        alices_person,
        alice,
        answers=vf_answers([3, 3, 2, 4, 2, 3, 2, 2]),
        on=dt.date(2026, 4, 10),
        context="uppfoljning",
    )
    record(
        alices_person,
        alice,
        slug="halsokartlaggning",
        answers={"delaktighet__bestamma": "3", "levnadsvanor__somn": "2"},
        on=dt.date(2026, 1, 12),
        respondent="coach_med_den_unga",
    )
    link, _token = make_link(alices_person, alice)
    return link


def test_the_staff_mapping_pages_are_accessible_and_fit_a_phone(page: Page, alice, alices_person, mapped):
    login(page, "alice")
    person_url = reverse("assessments:person", args=[alices_person.pk])
    for url in [
        person_url,
        reverse("assessments:response_create", args=[alices_person.pk, "vagen-framat"]),
        reverse("assessments:response_create", args=[alices_person.pk, "behovskartlaggning"]),
        reverse("assessments:response_detail", args=[Response.objects.first().pk]),
        reverse("assessments:link_detail", args=[mapped.pk]),
    ]:
        visit_and_check(page, url)
    # A new link: its address and QR code are shown once.
    page.goto(person_url)
    page.get_by_label("Formulär och vem som ska svara").select_option("arbetsplatsbedomning:handledare")
    page.get_by_role("button", name="Skapa länk").click()
    page.wait_for_load_state()
    expect(page.get_by_role("img", name="QR-kod med länken till formuläret Arbetsplatsbedömning")).to_be_visible()
    assert_page_ok(page)
    assert AssessmentLink.objects.count() == 2


def test_the_cohort_and_instrument_pages_are_accessible(page: Page, dana, ludvika_unit, project, mapped):
    leader = UserFactory(username="lena", unit=ludvika_unit, role=Role.PROJECT_LEADER)
    ProjectRole.objects.create(user=leader, project=project, role=Role.PROJECT_LEADER)
    login(page, "lena")
    page.goto(reverse("assessments:cohort"))
    expect(page.locator("main")).to_contain_text("<5")
    assert_page_ok(page)
    page.context.clear_cookies()
    device = TOTPDevice.objects.create(user=dana, name="Telefon", confirmed=True)
    login(page, "dana", totp_device=device)
    for url in [
        reverse("assessments:instrument_list"),
        reverse("assessments:instrument_version", args=["vagen-framat", 1]),
    ]:
        visit_and_check(page, url)
