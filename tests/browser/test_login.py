"""The login page in a real browser: accessible, keyboard-usable, fits a phone, and leads to the caseload."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_fits_phone, assert_no_browser_errors, login
from vagval.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.browser

_FOCUSED_NAME_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return (label || el.getAttribute('aria-label') || el.innerText || el.value || '').trim();
}
"""


def test_login_page_passes_axe_and_fits_a_phone(page: Page):
    response = page.goto(reverse("accounts:login"))
    assert response is not None
    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert_fits_phone(page)
    assert_no_browser_errors(page)


def test_tab_reaches_username_password_and_the_login_button_in_that_order(page: Page):
    page.goto(reverse("accounts:login"))
    # Where focus starts (the user name field may have autofocus), then each Tab stop.
    focused = [page.evaluate(_FOCUSED_NAME_JS)]
    for _ in range(20):
        page.keyboard.press("Tab")
        focused.append(page.evaluate(_FOCUSED_NAME_JS))
        if focused[-1].startswith("Logga in"):
            break
    wanted = ["Användarnamn", "Lösenord", "Logga in"]
    positions = [next((i for i, name in enumerate(focused) if name.startswith(w)), -1) for w in wanted]
    assert -1 not in positions, f"Tab never reached all of {wanted}; it went through {focused}"
    assert positions == sorted(positions), f"Tab order was {focused}"


def test_logging_in_with_the_keyboard_and_enter_works(page: Page, alice):
    page.goto(reverse("accounts:login"))
    page.get_by_label("Användarnamn").focus()
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('people:caseload')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina deltagare")


def test_alice_lands_on_mina_deltagare_with_her_person_listed(page: Page, alices_person):
    login(page, "alice")
    assert page.url.endswith(reverse("people:caseload"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina deltagare")
    expect(page.locator("main")).to_contain_text("Provsson")
    assert_no_browser_errors(page)


def test_a_wrong_password_keeps_alice_on_the_login_page(page: Page, alice):
    page.goto(reverse("accounts:login"))
    page.get_by_label("Användarnamn").fill("alice")
    page.get_by_label("Lösenord").fill("fel-losenord-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert reverse("accounts:login") in page.url
    expect(page.get_by_label("Användarnamn")).to_be_visible()
    assert_accessible(page)
