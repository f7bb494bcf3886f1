"""Person search as you type (htmx): results appear without pressing Enter, and an identity number
typed into the search never travels in a URL."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, Request, expect

from tests.browser.conftest import assert_accessible, assert_no_browser_errors, login

pytestmark = pytest.mark.browser


def _search_field(page: Page):
    main = page.locator("main")
    return main.get_by_role("searchbox").or_(main.locator("input[type='text'], input:not([type])")).first


def test_typing_part_of_a_name_shows_results_without_pressing_enter(page: Page, alices_person, charlies_person):
    login(page, "alice")
    page.goto(reverse("people:search"))
    search_url = page.url
    _search_field(page).press_sequentially("Provs", delay=50)
    expect(page.locator("main")).to_contain_text("Moa Provsson")
    # Charlie's person is in another municipality: never a hit for alice.
    expect(page.locator("main")).not_to_contain_text("Testberg")
    assert page.url.split("?")[0] == search_url.split("?")[0], "the search should not leave the page"
    assert_accessible(page)
    assert_no_browser_errors(page)


def test_an_identity_number_typed_in_the_search_is_never_sent_in_a_url(page: Page, alices_person):
    requests: list[Request] = []
    login(page, "alice")
    page.on("request", lambda request: requests.append(request))
    page.goto(reverse("people:search"))
    number = alices_person.id_number
    _search_field(page).press_sequentially(number, delay=30)
    expect(page.locator("main")).to_contain_text("Moa Provsson")
    forms = {number, number[2:], f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}"}
    digits_only = re.compile(r"\D")
    for request in requests:
        url_digits = digits_only.sub("", request.url)
        assert not any(digits_only.sub("", f) in url_digits for f in forms), (
            f"{request.method} {request.url} carries the identity number"
        )
