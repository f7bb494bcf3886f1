"""The placement pages, visited as alice (coach): the person page's section, a new placement,
one placement with its history and actions, an offer's placements and waiting list, and the
attendance register of a group activity. Each page and the main error state of its forms has
one h1, passes axe (WCAG 2.1 AA), fits 360 px and leaves no browser errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from conftest import ctx_for
from tests.browser.conftest import assert_page_ok, login, visit_and_check
from vagval.accounts.models import User
from vagval.catalogue import group_activities
from vagval.catalogue import placement_services as services
from vagval.catalogue.models import OfferKind, PlacementStatus
from vagval.catalogue.tests.factories import OfferFactory, ProviderContactFactory
from vagval.people.models import Enrolment, Person
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

pytestmark = pytest.mark.browser

S = PlacementStatus


def _submit(page: Page, button: str, error: str) -> None:
    """Submit a form of the page as it stands; the answer shows the error and is checked."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.request.is_navigation_request()) as info:
        page.locator("main").get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    assert info.value.status == 400
    expect(page.locator("main")).to_contain_text(error)
    assert_page_ok(page)


def test_the_placement_pages_are_accessible_and_fit_a_phone(page: Page, alice: User, alices_person: Person, project):
    ctx = ctx_for(alice)
    enrolment = Enrolment.objects.get(person=alices_person)
    group = OfferFactory(
        kind=OfferKind.GROUP_ACTIVITY, title="Friluftsgruppen", capacity=1, owner=alice.unit.organisation
    )
    group.supervisor = ProviderContactFactory(provider=group.provider)
    group.save()
    placement = services.placement_create(ctx=ctx, enrolment=enrolment, offer=group, status=S.OFFERED)
    placement = services.placement_change_status(ctx=ctx, placement=placement, status=S.ACCEPTED)
    placement = services.placement_change_status(
        ctx=ctx, placement=placement, status=S.STARTED, on=dt.date(2026, 11, 2)
    )
    waiting = EnrolmentFactory(person=PersonFactory(), project=project, unit=alice.unit, coach=alice)
    services.placement_create(ctx=ctx, enrolment=waiting, offer=group, status=S.WAITING)
    session = group_activities.group_session_create(ctx=ctx, offer=group, held_on=dt.date(2026, 11, 3), hours=3)
    group_activities.attendance_record(ctx=ctx, session=session, attended={placement.pk: True})

    login(page, "alice")
    visit_and_check(page, reverse("people:detail", args=[alices_person.pk]))
    expect(page.locator("#placements-heading")).to_be_visible()
    visit_and_check(page, reverse("catalogue:placement_create", args=[alices_person.pk]))
    _submit(page, "Spara placeringen", "Välj ett erbjudande.")
    visit_and_check(page, reverse("catalogue:placement_detail", args=[placement.pk]))
    expect(page.locator("main")).to_contain_text("Närvarotimmar")
    _submit(page, "Ändra status", "Välj en status.")
    visit_and_check(page, reverse("catalogue:placement_offer_list", args=[group.pk]))
    expect(page.locator("main")).to_contain_text("Väntelista")
    _submit(page, "Lägg till träffen", "Ange datum.")
    visit_and_check(page, reverse("catalogue:placement_attendance", args=[session.pk]))
