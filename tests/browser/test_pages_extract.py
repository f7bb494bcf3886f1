"""The data-protection officer's pages in a real browser: the register extract form (also with
errors) and the legal holds. Each answers 200, has one h1, passes axe (WCAG 2.1 AA), fits 360 px,
works by keyboard and reports no browser errors."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible, assert_fits_phone, login, visit_and_check
from vagval.dataprotection.models import LegalHold

pytestmark = pytest.mark.browser


def test_the_extract_and_hold_pages_are_accessible_and_fit_a_phone(page: Page, ditte, alices_person):
    device = TOTPDevice.objects.create(user=ditte, name="Telefon", confirmed=True)
    LegalHold.objects.create(person=alices_person, reason="Tvist i tingsrätten", placed_by=ditte)
    login(page, "ditte", totp_device=device)
    for url in (
        reverse("dataprotection:extract"),
        reverse("dataprotection:holds"),
        reverse("dataprotection:deletion_log"),
    ):
        visit_and_check(page, url)
    # The extract form with errors, filled in and sent by keyboard only.
    page.goto(reverse("dataprotection:extract"))
    page.get_by_label("Personnummer eller samordningsnummer").fill("20010101-0000")
    page.keyboard.press("Tab")
    page.keyboard.type("Begäran från den registrerade")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "ogiltigt personnummer" in page.content()
    assert "20010101" not in page.url
    assert_accessible(page)
    assert_fits_phone(page)
