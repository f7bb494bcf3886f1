"""Withdrawing a consent takes effect at once: a partner who sees a person's page under the
consent (in one browser) gets "ingen behörighet" on the next load after the coach withdraws it
(in another browser). The withdrawal form works with the keyboard alone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import (
    DESKTOP,
    assert_accessible,
    assert_fits_phone,
    assert_no_browser_errors,
    join_request_threads,
    login,
)
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.consent.models import Consent, ConsentCategory
from vagval.consent.tests.factories import share
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import OrganisationFactory, UnitFactory

pytestmark = pytest.mark.browser

NO_ACCESS = "Sidan finns inte, eller så har du ingen behörighet att se den."
WITHDRAWN = "Samtycket är återkallat. Det gäller från och med nu."
MAX_TABS = 80


@pytest.fixture
def af_consent(alice, alices_person) -> Consent:
    """frida, a partner at Arbetsförmedlingen, sees alice's person through this consent."""
    af_unit = UnitFactory(
        organisation=OrganisationFactory(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE),
        name="Ludvika",
    )
    UserFactory(username="frida", first_name="Frida", unit=af_unit, role=Role.PARTNER)
    today = timezone.localdate()
    return share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        categories=[ConsentCategory.IDENTITY, ConsentCategory.PLAN],
        valid_from=today - dt.timedelta(days=10),
        valid_to=today + dt.timedelta(days=300),
        purpose="Planera praktik tillsammans med Arbetsförmedlingen",
    )


@pytest.fixture
def second_page(browser: Browser, live_server) -> Iterator[tuple[Page, list[str]]]:
    """A page in a browser context of its own (its own cookies: another user), with its script errors."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page, errors
    finally:
        context.close()
        join_request_threads()


def _tab_to(page: Page, target: Locator) -> None:
    """Press Tab until the target has the focus (as a keyboard user would)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{target} could not be reached with Tab")


def test_the_partner_loses_the_person_page_at_once_when_the_consent_is_withdrawn(
    page: Page, second_page: tuple[Page, list[str]], af_consent: Consent, alices_person
):
    person_url = reverse("people:detail", args=[alices_person.pk])
    # The partner, in one browser, sees the person under the consent.
    login(page, "frida")
    response = page.goto(person_url)
    assert response is not None
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text("Moa Provsson")

    # The coach, in another browser, withdraws the whole consent through the form.
    coach, coach_errors = second_page
    login(coach, "alice")
    coach.goto(reverse("consent:withdraw", args=[af_consent.pk]))
    coach.get_by_label("Hela samtycket, för alla mottagare").check()
    coach.get_by_label("Kommentar (frivillig)").fill("Moa sa nej på mötet")
    coach.get_by_role("button", name="Återkalla nu").click()
    coach.wait_for_load_state()
    expect(coach.locator("main")).to_contain_text(WITHDRAWN)
    assert coach_errors == []

    # The partner's next load of the same page: no access, and the name is gone.
    response = page.reload()
    assert response is not None
    assert response.status == 404
    main = page.locator("main")
    expect(main).to_contain_text(NO_ACCESS)
    expect(page.locator("body")).not_to_contain_text("Provsson")
    expect(page.locator("body")).not_to_contain_text("Moa")
    assert "Provsson" not in page.title()
    assert_accessible(page)
    assert_fits_phone(page)
    assert_no_browser_errors(page)
    consent = Consent.objects.get()
    assert consent.withdrawn_at is not None
    assert consent.withdrawal_note == "Moa sa nej på mötet"


def test_the_withdrawal_form_can_be_completed_with_the_keyboard_alone(page: Page, af_consent: Consent):
    login(page, "alice")
    page.goto(reverse("consent:withdraw", args=[af_consent.pk]))
    main = page.locator("main")

    # Submitting without a choice with Enter: the error is shown and tied to the question.
    submit = main.get_by_role("button", name="Återkalla nu")
    _tab_to(page, submit)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(main).to_contain_text("Välj vad som ska återkallas.")
    expect(main.get_by_role("group", name="Vad ska återkallas?")).to_have_attribute(
        "aria-describedby", re.compile(r"\S")
    )

    # Choose "only for Arbetsförmedlingen" with Tab, the arrow key and Space; write a note; Enter.
    whole = main.get_by_label("Hela samtycket, för alla mottagare")
    only_af = main.get_by_label("Bara för Arbetsförmedlingen – Ludvika")
    _tab_to(page, whole)
    page.keyboard.press("ArrowDown")
    expect(only_af).to_be_focused()
    page.keyboard.press("Space")
    expect(only_af).to_be_checked()
    page.keyboard.press("Tab")
    note = main.get_by_label("Kommentar (frivillig)")
    expect(note).to_be_focused()
    page.keyboard.type("Sa nej i telefon")
    page.keyboard.press("Tab")
    expect(main.get_by_role("button", name="Återkalla nu")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(main).to_contain_text(WITHDRAWN)
    assert_no_browser_errors(page)

    recipient = af_consent.recipients.get()
    assert recipient.withdrawn_at is not None
