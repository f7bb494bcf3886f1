"""Retention pages in a real browser (the administrator's): the rules, a rule form (also with
errors), a rule with its dry runs, a dry run's list and the deletion log. Each answers 200, has
one h1, passes axe (WCAG 2.1 AA), fits 360 px and reports no browser errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from conftest import ctx_for
from tests.browser.conftest import assert_accessible, assert_fits_phone, login, visit_and_check
from vagval.dataprotection.models import DeletionLogEntry
from vagval.dataprotection.retention_services import review_create
from vagval.dataprotection.tests.helpers import file_at, rule_for

pytestmark = pytest.mark.browser


def test_the_administrators_retention_pages_are_accessible_and_fit_a_phone(page: Page, dana, ludvika_unit):
    device = TOTPDevice.objects.create(user=dana, name="Telefon", confirmed=True)
    file_at(ludvika_unit, last_entry=dt.date(2015, 3, 1))
    rule = rule_for(ludvika_unit, dana, research_exception=True)
    review = review_create(ctx=ctx_for(dana), rule=rule)
    DeletionLogEntry.objects.create(
        rule=rule, record_type="person_file", organisation_name="Ludvika kommun", decision_reference="KS 1", deleted=2
    )
    login(page, "dana", totp_device=device)
    for url in (
        reverse("dataprotection:rules"),
        reverse("dataprotection:rule_create"),
        reverse("dataprotection:rule", args=[rule.pk]),
        reverse("dataprotection:rule_edit", args=[rule.pk]),
        reverse("dataprotection:review", args=[review.pk]),
        reverse("dataprotection:deletion_log"),
    ):
        visit_and_check(page, url)
    # The form with errors: nothing filled in.
    page.goto(reverse("dataprotection:rule_create"))
    with page.expect_navigation():
        page.get_by_role("button", name="Spara").click()
    assert page.locator("main .errorlist").count() > 0
    assert_accessible(page)
    assert_fits_phone(page)
