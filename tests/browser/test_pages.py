"""Every page, visited by its agreed URL name as the persona who uses it: it answers 200, has one h1,
passes axe (WCAG 2.1 AA), does not scroll sideways at 360 px, and the browser reports no errors
(CSP violations, missing files, script errors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_page_ok, login, visit_and_check
from vagval.accounts.services import api_token_revoke_all
from vagval.accounts.tests.factories import api_token_create
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.organisations.tests.factories import MethodFactory
from vagval.people.models import Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory, make_personnummer

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class World:
    ids: dict[str, Any]
    admin_device: TOTPDevice


@pytest.fixture
def world(alice, bob, dana, alices_person, charlies_person, project, ludvika_unit) -> World:
    """Alice's caseload, the organisation tree, a method, a protected person and some access-log rows."""
    method = MethodFactory(name="Gnestamodellen")
    enrolment = alices_person.enrolments.get()
    protected = PersonFactory(
        first_name="Ronja",
        last_name="Skyddsson",
        protection=Protection.PROTECTED_REGISTRATION,
        id_number=make_personnummer(dt.date(2004, 6, 1), 412),
    )
    EnrolmentFactory(person=protected, project=project, unit=ludvika_unit, coach=alice, method=method)
    access_log_record(
        ctx=AccessContext(user=alice, client_address="127.0.0.1"),
        action="person.viewed",
        person_id=alices_person.pk,
        basis=AccessBasis.OWN_UNIT,
    )
    device = TOTPDevice.objects.create(user=dana, name="Telefon", confirmed=True)
    # API tokens, so that the token tables (own page, user administration) are checked filled in:
    # one working, one revoked.
    api_token_create(user=alice, name="Lönesystemet")
    api_token_create(user=bob, name="Schemasystemet")
    api_token_revoke_all(ctx=AccessContext(user=bob, client_address="127.0.0.1"), user=bob)
    api_token_create(user=bob, name="Rapportverktyget")
    return World(
        ids={
            "person": alices_person.pk,
            "protected_person": protected.pk,
            "enrolment": enrolment.pk,
            "organisation": ludvika_unit.organisation.pk,
            "unit": ludvika_unit.pk,
            "project": project.pk,
            "method": method.pk,
            "user": bob.pk,
        },
        admin_device=device,
    )


# (url name, {url kwarg: key in World.ids})
ALICE_PAGES = [
    ("people:caseload", {}),
    ("people:search", {}),
    ("people:create", {}),
    ("people:detail", {"person_id": "person"}),
    ("people:detail", {"person_id": "protected_person"}),
    ("people:edit", {"person_id": "person"}),
    ("people:enrolment_create", {"person_id": "person"}),
    ("people:enrolment_edit", {"enrolment_id": "enrolment"}),
    ("people:merge", {"person_id": "person"}),
    ("accounts:two_factor", {}),
    ("accounts:api_tokens", {}),
]
ADMIN_PAGES = [
    ("organisations:index", {}),
    ("organisations:organisation_list", {}),
    ("organisations:organisation_create", {}),
    ("organisations:organisation_detail", {"organisation_id": "organisation"}),
    ("organisations:organisation_edit", {"organisation_id": "organisation"}),
    ("organisations:unit_create", {"organisation_id": "organisation"}),
    ("organisations:unit_edit", {"unit_id": "unit"}),
    ("organisations:project_list", {}),
    ("organisations:project_create", {}),
    ("organisations:project_detail", {"project_id": "project"}),
    ("organisations:project_edit", {"project_id": "project"}),
    ("organisations:method_list", {}),
    ("organisations:method_create", {}),
    ("organisations:method_edit", {"method_id": "method"}),
    ("accounts:user_list", {}),
    ("accounts:user_create", {}),
    ("accounts:user_edit", {"user_id": "user"}),
    ("accounts:user_password", {"user_id": "user"}),
    ("audit:log", {}),
    # The administrator's own pages elsewhere: the two-factor status, and the municipality choice
    # of the target-group setting (a KAA-ansvarig goes straight to the form, in test_pages_targetgroup).
    ("accounts:two_factor", {}),
    ("targetgroup:settings", {}),
    # Lowering a protected person's protection (reached from the person lookup).
    ("people:protection_lower", {"person_id": "protected_person"}),
]


def _page_id(param: tuple[str, dict[str, str]]) -> str:
    name, kwargs = param
    return name + "".join(f"[{v}]" for v in kwargs.values())


def _url(world: World, name: str, kwargs: dict[str, str]) -> str:
    try:
        return reverse(name, kwargs={arg: world.ids[key] for arg, key in kwargs.items()})
    except NoReverseMatch:
        pytest.fail(f"URL name {name!r} is not registered yet (with arguments {sorted(kwargs)})")


@pytest.mark.parametrize(("name", "kwargs"), ALICE_PAGES, ids=[_page_id(p) for p in ALICE_PAGES])
def test_alices_pages_are_accessible_and_fit_a_phone(page: Page, world: World, name, kwargs):
    url = _url(world, name, kwargs)
    login(page, "alice")
    visit_and_check(page, url)


@pytest.mark.parametrize(("name", "kwargs"), ADMIN_PAGES, ids=[_page_id(p) for p in ADMIN_PAGES])
def test_administration_pages_are_accessible_and_fit_a_phone(page: Page, world: World, name, kwargs):
    url = _url(world, name, kwargs)
    login(page, "dana", totp_device=world.admin_device)
    visit_and_check(page, url)


def test_an_administrator_must_pass_the_totp_form_before_administration(page: Page, world: World):
    login(page, "dana")
    page.goto(reverse("organisations:index"))
    assert reverse("accounts:two_factor") in page.url
    assert_page_ok(page)  # the form for the code


def test_the_person_lookup_of_the_access_log_is_accessible_and_fits_a_phone(page: Page, world: World):
    """audit:person_lookup answers the lookup form's POST: the persons found, or the form with its error."""
    PersonFactory(first_name="Max", last_name="Provsson")
    login(page, "dana", totp_device=world.admin_device)
    for query, shown in (("Provsson", "2 personer hittades."), ("Okändsson", "Ingen person hittades.")):
        page.goto(reverse("audit:log"))
        page.get_by_label("Personnummer, samordningsnummer eller namn").fill(query)
        with page.expect_response(lambda r: r.request.method == "POST" and r.request.is_navigation_request()) as info:
            page.get_by_role("button", name="Sök på person").click()
        page.wait_for_load_state()
        assert info.value.status == 200, f"the lookup of {query!r} answered {info.value.status}"
        assert page.url.endswith(reverse("audit:person_lookup"))
        expect(page.locator("main")).to_contain_text(shown)
        assert_page_ok(page)


def test_the_registration_form_offers_the_units_own_possible_duplicate(
    page: Page, world: World, alice, project, ludvika_unit
):
    """Registering without a number, with the names and birth date of one of alice's own persons:
    the form shows that person and asks before saving (axe, 360 px on the asking form too)."""
    person = PersonFactory(
        first_name="Dubbel", last_name="Gångarsson", id_number=None, id_type="none", birth_date=dt.date(2007, 8, 9)
    )
    EnrolmentFactory(person=person, project=project, unit=ludvika_unit, coach=alice)
    login(page, "alice")
    page.goto(reverse("people:create"))
    page.get_by_label("Typ av nummer").select_option("none")
    page.get_by_label("Förnamn").fill("Dubbel")
    page.get_by_label("Efternamn").fill("Gångarsson")
    page.get_by_label("Födelsedatum").fill("2007-08-09")
    page.get_by_label("Projekt").select_option(str(project.pk))
    page.get_by_label("Startdatum").fill("2026-02-01")
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_role("heading", name="Finns personen redan på din enhet?")).to_be_visible()
    assert_page_ok(page)
    page.get_by_role("button", name="Det är en annan person: registrera ny").click()
    expect(page.get_by_text("Personen är registrerad och inskriven på din enhet.")).to_be_visible()
