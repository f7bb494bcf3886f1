"""The collaboration pages (consent, plans, referrals, journal notes, the staff side of mappings)
and the start page with its alerts, visited as the persona who uses them: each page and the main
error state of each form answers, has one h1, passes axe (WCAG 2.1 AA), does not scroll sideways
at 360 px, and the browser reports no errors (CSP violations, missing files, script errors).

One test per app and persona keeps the number of logins and database flushes down. The cohort
(project leader) and instrument administration pages (TOTP-verified administrator) are checked in
test_assessment_link.py."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import ctx_for
from tests.browser.conftest import assert_no_browser_errors, assert_page_ok, login, visit_and_check
from vagval.accounts.models import Role, User
from vagval.accounts.tests.factories import UserFactory
from vagval.assessments.models import AssessmentLink, Response
from vagval.assessments.tests.helpers import make_link, record, vf_answers
from vagval.consent.models import Consent
from vagval.consent.tests.factories import share
from vagval.journal import services as journal_services
from vagval.journal.models import Note
from vagval.organisations.models import OrganisationKind, Unit
from vagval.organisations.tests.factories import OrganisationFactory, ProjectFactory, UnitFactory
from vagval.people.models import Person
from vagval.people.tests.factories import EnrolmentFactory
from vagval.plans.models import Plan, PlanStep
from vagval.plans.tests.factories import add_step, make_plan
from vagval.referrals import services as referral_services
from vagval.referrals.models import Referral

pytestmark = pytest.mark.browser

FORM_HAS_ERRORS = "Formuläret innehåller fel. Rätta de markerade fälten."
# The instruments, and whether every question is optional (then only a missing date is an error).
INSTRUMENTS = [
    ("vagen-framat", False),
    ("behovskartlaggning", False),
    ("halsokartlaggning", True),
    ("arbetsplatsbedomning", False),
]


# --- the world -------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    person: Person
    af_unit: Unit
    consent: Consent
    plan: Plan
    youth_step: PlanStep
    af_step: PlanStep
    referral: Referral
    note: Note
    response: Response
    link: AssessmentLink


@pytest.fixture
def world(alice: User, alices_person: Person, project) -> World:
    """Alice's person with a consent for Arbetsförmedlingen that ends within 30 days, a plan with
    two steps, an overdue referral to Arbetsförmedlingen, a note, mappings and a personal link.
    frida is the partner handläggare at Arbetsförmedlingen."""
    today = timezone.localdate()
    af_unit = UnitFactory(
        organisation=OrganisationFactory(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE),
        name="Ludvika",
    )
    UserFactory(username="frida", first_name="Frida", unit=af_unit, role=Role.PARTNER)
    consent = share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        valid_from=today - dt.timedelta(days=60),
        valid_to=today + dt.timedelta(days=20),
        purpose="Planera praktik tillsammans med Arbetsförmedlingen",
    )
    plan = make_plan(alices_person, by=alice, project=project, goals=["Jag vill ha ett jobb", "Jag vill ta körkort"])
    youth_step = add_step(plan, by=alice, content="Söka tre jobb i veckan")
    af_step = add_step(plan, by=alice, content="Arbetsmarknadsutbildning", unit=af_unit)
    referral = referral_services.referral_send(
        ctx=ctx_for(alice),
        person=alices_person,
        data=referral_services.ReferralData(
            to_unit_id=af_unit.pk, reason="Vill börja arbeta", requested_measure="Praktik"
        ),
    )
    # Sent three weeks ago and not answered in time: the start page warns about it.
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=21), response_deadline=today - dt.timedelta(days=10)
    )
    note = journal_services.note_write(
        ctx=ctx_for(alice),
        person=alices_person,
        data=journal_services.NoteData(text="Första mötet. Moa vill prova en praktik inom handel."),
    )
    response = record(alices_person, alice, answers=vf_answers(2), on=dt.date(2026, 1, 10))
    record(
        alices_person,
        alice,
        answers=vf_answers([3, 3, 2, 4, 2, 3, 2, 2]),
        on=dt.date(2026, 4, 10),
        context="uppfoljning",
    )
    link, _token = make_link(alices_person, alice)
    return World(
        person=alices_person,
        af_unit=af_unit,
        consent=consent,
        plan=plan,
        youth_step=youth_step,
        af_step=af_step,
        referral=referral,
        note=note,
        response=response,
        link=link,
    )


# --- helpers ---------------------------------------------------------------------------------


def _submit_invalid(page: Page, button: str, error: str | re.Pattern[str]) -> None:
    """Submit the form as it stands (empty or made invalid); the page shows the error, and is checked."""
    url = page.url
    with page.expect_response(lambda r: r.request.method == "POST" and r.request.is_navigation_request()) as info:
        page.locator("main").get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    status = info.value.status
    assert status in {200, 400}, f"submitting {button!r} on {url} answered {status}"
    assert page.url == url, f"submitting {button!r} on {url} with invalid input went on to {page.url}"
    expect(page.locator("main")).to_contain_text(error)
    assert_page_ok(page)


# --- consent ---------------------------------------------------------------------------------


def test_the_consent_pages_are_accessible_and_fit_a_phone(page: Page, world: World):
    login(page, "alice")
    visit_and_check(page, reverse("consent:person_consents", args=[world.person.pk]))
    visit_and_check(page, reverse("consent:record", args=[world.person.pk]))
    _submit_invalid(page, "Spara samtycket", "Välj minst en mottagare.")
    visit_and_check(page, reverse("consent:detail", args=[world.consent.pk]))
    visit_and_check(page, reverse("consent:withdraw", args=[world.consent.pk]))
    _submit_invalid(page, "Återkalla nu", "Välj vad som ska återkallas.")
    assert Consent.objects.get().withdrawn_at is None
    visit_and_check(page, reverse("consent:overview", args=[world.person.pk]))


# --- plans -----------------------------------------------------------------------------------


def test_the_plan_pages_are_accessible_and_fit_a_phone(page: Page, world: World, alice: User):
    plan = world.plan
    login(page, "alice")
    visit_and_check(page, reverse("plans:person_plans", args=[world.person.pk]))
    visit_and_check(page, reverse("plans:detail", args=[plan.pk]))
    visit_and_check(page, reverse("plans:plan_edit", args=[plan.pk]))
    # A goal marked as achieved but with its text removed.
    first_goal = page.get_by_role("group", name="Mål 1")
    first_goal.get_by_label("Målet med den ungas egna ord").fill("")
    first_goal.get_by_label("Uppnått den").fill("2026-03-01")
    _submit_invalid(page, "Spara planen", "Skriv målet, eller töm raden.")
    visit_and_check(page, reverse("plans:step_add", args=[plan.pk]))
    _submit_invalid(page, "Spara steget", FORM_HAS_ERRORS)
    expect(page.locator("main .errorlist").first).to_contain_text("Detta fält måste fyllas i.")
    visit_and_check(page, reverse("plans:step_edit", args=[plan.pk, world.af_step.pk]))
    visit_and_check(page, reverse("plans:step_end", args=[plan.pk, world.youth_step.pk]))
    visit_and_check(page, reverse("plans:versions", args=[plan.pk]))
    visit_and_check(page, reverse("plans:version_detail", args=[plan.pk, 1]))
    # Continuing in another project: the person also takes part in one at alice's unit, without a plan.
    EnrolmentFactory(person=world.person, project=ProjectFactory(name="UVAS Ludvika"), unit=plan.unit, coach=alice)
    visit_and_check(page, reverse("plans:plan_continue", args=[plan.pk]))
    _submit_invalid(page, "Fortsätt planen", FORM_HAS_ERRORS)
    assert Plan.objects.count() == 1


# --- referrals -------------------------------------------------------------------------------


def test_the_referral_pages_are_accessible_for_the_sender(page: Page, world: World):
    login(page, "alice")
    visit_and_check(page, reverse("referrals:list"))
    visit_and_check(page, reverse("referrals:create", args=[world.person.pk]))
    _submit_invalid(page, "Skicka remissen", FORM_HAS_ERRORS)
    expect(page.locator("main .errorlist").first).to_contain_text("Detta fält måste fyllas i.")
    assert Referral.objects.count() == 1
    visit_and_check(page, reverse("referrals:detail", args=[world.referral.pk]))
    visit_and_check(page, reverse("referrals:response_times"))


def test_the_referral_pages_are_accessible_for_the_recipient(page: Page, world: World):
    login(page, "frida")
    visit_and_check(page, reverse("referrals:list"))
    visit_and_check(page, reverse("referrals:detail", args=[world.referral.pk]))
    expect(page.get_by_role("button", name="Acceptera remissen")).to_be_visible()


# --- journal ---------------------------------------------------------------------------------


def test_the_note_pages_are_accessible_and_fit_a_phone(page: Page, world: World):
    login(page, "alice")
    visit_and_check(page, reverse("journal:person_notes", args=[world.person.pk]))
    _submit_invalid(page, "Spara anteckningen", FORM_HAS_ERRORS)
    expect(page.locator("main .errorlist").first).to_contain_text("Detta fält måste fyllas i.")
    visit_and_check(page, reverse("journal:note_correct", args=[world.note.pk]))


# --- mappings (staff side) -------------------------------------------------------------------


def test_the_staff_mapping_pages_are_accessible_and_fit_a_phone(page: Page, world: World):
    login(page, "alice")
    visit_and_check(page, reverse("assessments:person", args=[world.person.pk]))
    for slug, all_optional in INSTRUMENTS:
        visit_and_check(page, reverse("assessments:response_create", args=[world.person.pk, slug]))
        if all_optional:
            page.locator("main input[name=answered_on]").fill("")
        _submit_invalid(page, "Spara svaren", "Något behöver rättas")
        expect(page.get_by_role("alert")).to_be_visible()
    assert Response.objects.count() == 2
    visit_and_check(page, reverse("assessments:response_detail", args=[world.response.pk]))
    visit_and_check(page, reverse("assessments:link_detail", args=[world.link.pk]))


# --- the start page --------------------------------------------------------------------------


def test_the_start_page_with_its_alerts_is_accessible_and_the_export_is_a_file(page: Page, world: World):
    login(page, "alice")
    visit_and_check(page, reverse("people:caseload"))
    main = page.locator("main")
    expect(main).to_contain_text("Försenade remisser")
    expect(main).to_contain_text("1 utgående remiss har inte fått svar i tid.")
    expect(page.get_by_role("heading", name="Samtycken som snart upphör")).to_be_visible()
    expect(main).to_contain_text("20 dagar kvar")
    # The export is a CSV file, not a page (so no axe for it).
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exportera listan (CSV)").click()
    download = download_info.value
    assert re.fullmatch(r"deltagare-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    content = download.path().read_bytes().decode("utf-8-sig")
    assert content.startswith("Förnamn;Efternamn;")
    assert "Moa;Provsson;" in content
    assert_no_browser_errors(page)
