"""Sign-in through an identity provider in a real browser: the login page with its "Logga in med …"
choice, a whole OpenID Connect trip to the local provider on 127.0.0.1 (signed in, and refused),
and the administrators' pages. Each answers, has one h1, passes axe (WCAG 2.1 AA), fits 360 px
and reports no browser errors."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from tests.browser.conftest import assert_page_ok, login, visit_and_check
from vagval.sso.tests.conftest import link, oidc_world  # noqa: F401 — the local provider's fixture

pytestmark = pytest.mark.browser


def test_the_login_page_offers_the_organisations_login(page: Page, oidc_world):  # noqa: F811
    visit_and_check(page, reverse("accounts:login"))
    assert page.get_by_role("link", name="Logga in med Freja eID").is_visible()


def test_a_coach_signs_in_through_the_local_provider(page: Page, oidc_world, alice):  # noqa: F811
    link(oidc_world.provider, alice, "alice@ludvika.se")
    oidc_world.op.claims = {"email": "alice@ludvika.se"}
    page.goto(reverse("accounts:login"))
    page.get_by_role("link", name="Logga in med Freja eID").click()
    page.wait_for_url(f"**{reverse('people:caseload')}")
    assert_page_ok(page)


def test_an_unknown_person_sees_a_clear_refusal(page: Page, oidc_world, alice):  # noqa: F811
    oidc_world.op.claims = {"email": "okand@ludvika.se"}
    page.goto(reverse("accounts:login"))
    page.get_by_role("link", name="Logga in med Freja eID").click()
    page.wait_for_url("**/oidc/callback/**")
    assert page.get_by_role("heading", name="Inloggningen nekades").is_visible()
    assert "inget konto i Vägval" in page.content()
    assert_page_ok(page)


def test_the_administrators_sign_in_pages_are_accessible(page: Page, oidc_world, dana, alice, ludvika_unit):  # noqa: F811
    link(oidc_world.provider, alice, "alice@ludvika.se")
    device = TOTPDevice.objects.create(user=dana, name="Telefon", confirmed=True)
    login(page, "dana", totp_device=device)
    for url in (
        reverse("sso:provider_list"),
        reverse("sso:provider_create"),
        reverse("sso:provider_edit", args=[oidc_world.provider.pk]),
        reverse("sso:policies"),
        reverse("sso:policy_edit", args=[ludvika_unit.organisation.pk]),
    ):
        visit_and_check(page, url)
    # The new-provider form with errors.
    page.goto(reverse("sso:provider_create"))
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert_page_ok(page)
