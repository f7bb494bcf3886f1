"""Protected identity, everywhere: every page and API endpoint that shows person data.

Two protected persons at alice's unit, alice their responsible coach: one with
sekretessmarkering and one with skyddad folkbokföring. By convention a person with skyddad
folkbokföring has no address in the system, but here both have an address, phone and e-mail,
so that a leak would show. Both also have what a real case has: a consent naming
Arbetsförmedlingen (all categories; recorded before the protection, say), a plan with a step
for Arbetsförmedlingen, notes, a referral, an assessment and a personal link.

The rules:
- the address, phone and e-mail appear only to the responsible coach, and only on the person
  page, the edit form and the API's person answers (detail, list, search);
- a partner never sees the person, whatever the consent says;
- the person is never exported, for anyone;
- the person page carries the warning banner;
- the printable plan and the messages sent with a personal link never carry the address.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, ctx_for
from tests.permissions.conftest import (
    PROTECTIONS,
    Staff,
    consent_for,
    contact_of,
    protect_after_the_fact,
    protected_and_control,
)
from tests.permissions.test_register_pages_matrix import NAMESPACES as REGISTER_APPS
from tests.permissions.test_register_pages_matrix import PAGES as REGISTER_PAGES
from vagval import urls
from vagval.accounts.models import ProjectRole, Role
from vagval.accounts.tests.factories import UserFactory
from vagval.api.tests.helpers import api_client_for
from vagval.assessments import services as assessment_services
from vagval.assessments.models import AssessmentLink, Response
from vagval.assessments.tests.helpers import instrument, make_link, record
from vagval.consent.models import Consent
from vagval.journal.models import Note, NoteVisibility
from vagval.journal.services import NoteData, note_write
from vagval.organisations.tests.factories import municipality
from vagval.people.models import Enrolment, Person
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.plans import selectors as plan_selectors
from vagval.plans.models import Plan, PlanStep
from vagval.plans.tests.factories import add_step, make_plan
from vagval.referrals.models import Referral
from vagval.referrals.tests.factories import ReferralFactory


@dataclass
class Case:
    """A person and everything about them that some page shows."""

    person: Person
    contact: tuple[str, ...]  # address, postal code, city, phone, e-mail: each must never leak
    numbers: tuple[str, str]  # the identity number, as stored and as written
    enrolment: Enrolment
    consent: Consent
    plan: Plan
    step: PlanStep
    note: Note
    referral: Referral
    response: Response
    link: AssessmentLink
    token: str


class ProtectedWorld(Staff):
    def __init__(self) -> None:
        super().__init__()
        # A coach at the same unit who may write but is not the responsible coach.
        greta = UserFactory(username="greta", first_name="Greta", unit=self.ludvika, role=Role.COACH)
        self.users["greta"] = greta
        # Also project leader: sees the cohort view.
        ProjectRole.objects.create(user=greta, project=self.project, role=Role.PROJECT_LEADER)
        self.web["greta"] = client_for(greta)
        self.api["greta"] = api_client_for(greta)
        # The two protected persons, and the control: an unprotected person with the same kind of
        # consent, whom the partner does see.
        self.cases, self.open = protected_and_control(self._case)

    def _case(self, protection: str, **fields: str) -> Case:
        alice = self.users["alice"]
        person = PersonFactory(home_municipality=municipality("2021"), **fields)
        enrolment = EnrolmentFactory(person=person, project=self.project, unit=self.ludvika, coach=alice)
        consent = consent_for(person, documented_by=alice, recipients=[self.af])
        plan = make_plan(person, by=alice, project=self.project, goals=["Jag vill hitta en praktik"])
        step = add_step(plan, by=alice, content="Praktik via Arbetsförmedlingen", unit=self.af)
        note = note_write(
            ctx=ctx_for(alice),
            person=person,
            data=NoteData(text="Vi träffades i dag", visibility=NoteVisibility.SHARED),
        )
        referral = ReferralFactory(
            person=person,
            from_user=alice,
            to_unit=self.af,
            consent=consent,
            sent_at=timezone.now(),
            response_deadline=timezone.localdate() + dt.timedelta(days=7),
        )
        response = record(person, alice)
        link, token = make_link(person, alice)
        numbers = protect_after_the_fact(person, protection)
        return Case(
            person=person,
            contact=contact_of(fields),
            numbers=numbers,
            enrolment=enrolment,
            consent=consent,
            plan=plan,
            step=step,
            note=note,
            referral=referral,
            response=response,
            link=link,
            token=token,
        )


@pytest.fixture(scope="module")
def world(module_world_db) -> ProtectedWorld:
    return ProtectedWorld()


@pytest.fixture
def w(world, db) -> ProtectedWorld:
    return world


# --- Every page and endpoint that shows person data ---------------------------------------------


def _page(url_name: str, send):
    """A request for the page table; `url_name` records which named URL it covers."""
    send.url_name = url_name
    return send


def _web_get(name: str, *args, query: dict | None = None):
    return _page(name, lambda web, api, case: web.get(reverse(name, args=[a(case) for a in args]), query or {}))


def _web_post(name: str, data):
    return _page(name, lambda web, api, case: web.post(reverse(name), data(case)))


def _api_get(path: str):
    return _page("", lambda web, api, case: api.get("/api/v1" + path.format(case=case)))


def _api_post(path: str, body):
    return _page(
        "",
        lambda web, api, case: api.post("/api/v1" + path, data=json.dumps(body(case)), content_type="application/json"),
    )


def person_id(case: Case) -> object:
    return case.person.pk


PAGES = {
    # people
    "caseload": _web_get("people:caseload"),
    "caseload_all": _web_get("people:caseload", query={"visa": "alla"}),
    "search_page_by_name": _web_post("people:search", lambda c: {"q": c.person.last_name}),
    "search_by_name": _web_post("people:search_results", lambda c: {"q": c.person.last_name}),
    "search_by_number": _web_post("people:search_results", lambda c: {"q": c.numbers[1]}),
    "person_page": _web_get("people:detail", person_id),
    "person_edit": _web_get("people:edit", person_id),
    "enrolment_create": _web_get("people:enrolment_create", person_id),
    "enrolment_edit": _web_get("people:enrolment_edit", lambda c: c.enrolment.pk),
    "merge": _web_get("people:merge", person_id),
    "export": _web_get("people:export", query={"visa": "alla"}),
    # API
    "api_list": _api_get("/persons?limit=100"),
    "api_list_by_name": _api_get("/persons?q={case.person.last_name}"),
    "api_search_by_name": _api_post("/persons/search", lambda c: {"query": c.person.last_name}),
    "api_search_by_number": _api_post("/persons/search", lambda c: {"query": c.numbers[0]}),
    "api_detail": _api_get("/persons/{case.person.pk}"),
    "api_enrolments": _api_get("/persons/{case.person.pk}/enrolments"),
    # consent
    "consents": _web_get("consent:person_consents", person_id),
    "consent_record": _web_get("consent:record", person_id),
    "consent_overview": _web_get("consent:overview", person_id),
    "consent_detail": _web_get("consent:detail", lambda c: c.consent.pk),
    "consent_withdraw": _web_get("consent:withdraw", lambda c: c.consent.pk),
    # plans
    "plans": _web_get("plans:person_plans", person_id),
    "plan": _web_get("plans:detail", lambda c: c.plan.pk),
    "plan_edit": _web_get("plans:plan_edit", lambda c: c.plan.pk),
    "plan_continue": _web_get("plans:plan_continue", lambda c: c.plan.pk),
    "plan_step_add": _web_get("plans:step_add", lambda c: c.plan.pk),
    "plan_step_edit": _web_get("plans:step_edit", lambda c: c.plan.pk, lambda c: c.step.pk),
    "plan_step_end": _web_get("plans:step_end", lambda c: c.plan.pk, lambda c: c.step.pk),
    "plan_versions": _web_get("plans:versions", lambda c: c.plan.pk),
    "plan_version": _web_get("plans:version_detail", lambda c: c.plan.pk, lambda c: 1),
    # referrals
    "referrals": _web_get("referrals:list"),
    "referral_create": _web_get("referrals:create", person_id),
    "referral": _web_get("referrals:detail", lambda c: c.referral.pk),
    "referral_response_times": _web_get("referrals:response_times"),
    # journal
    "notes": _web_get("journal:person_notes", person_id),
    "note_correct": _web_get("journal:note_correct", lambda c: c.note.pk),
    # assessments
    "assessments": _web_get("assessments:person", person_id),
    "assessment_fill": _web_get("assessments:response_create", person_id, lambda c: "vagen-framat"),
    "assessment_response": _web_get("assessments:response_detail", lambda c: c.response.pk),
    "assessment_link": _web_get("assessments:link_detail", lambda c: c.link.pk),
    "cohort": _web_get("assessments:cohort"),
    # the access log (administrators)
    "audit_log_for_person": _page(
        "audit:log", lambda web, api, case: web.get(reverse("audit:log"), {"person": str(case.person.pk)})
    ),
    "audit_person_lookup": _web_post("audit:person_lookup", lambda c: {"query": c.person.last_name}),
    "audit_log_export": _page(
        "audit:log_export",
        lambda web, api, case: web.get(reverse("audit:log_export"), {"person": str(case.person.pk)}),
    ),
}
ADMIN_PAGES = {"audit_log_for_person", "audit_person_lookup", "audit_log_export"}
# Pages about one person (or one of their records): a viewer who may not see the person gets 404.
LISTS = {
    "caseload",
    "caseload_all",
    "search_page_by_name",
    "search_by_name",
    "search_by_number",
    "export",
    "api_list",
    "api_list_by_name",
    "api_search_by_name",
    "api_search_by_number",
    "referrals",
    "referral_response_times",
    "cohort",
}
# Where the responsible coach sees the contact details of a protected person.
CONTACT_PAGES = {
    "person_page",
    "person_edit",
    # The API's person answers (the same fields in detail, list and search).
    "api_detail",
    "api_list",
    "api_list_by_name",
    "api_search_by_name",
    "api_search_by_number",
}
VIEWERS = {
    "alice": "responsible coach",
    "greta": "coach at the same unit, not responsible",
    "bob": "read-only colleague at the same unit",
    "frida": "partner at Arbetsförmedlingen with a valid consent for every category",
    "dana": "administrator (reviews the access log)",
}


def visit(w: ProtectedWorld, viewer: str, page: str, case: Case) -> tuple[int, str]:
    """The status and the text of the answer (JSON decoded, so that å, ä and ö are themselves)."""
    response = PAGES[page](w.web[viewer], w.api[viewer], case)
    if response["Content-Type"].startswith("application/json"):
        return response.status_code, json.dumps(response.json(), ensure_ascii=False)
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode("utf-8-sig")
    # The search page shows the viewer's own query back in the search field: that is not a disclosure.
    return response.status_code, body.replace(f'value="{case.person.last_name}"', "")


def test_pages_that_show_person_data_are_all_here():
    """Every named page of the apps that hold person data is in PAGES, or is listed here with the reason."""
    names = set()
    for pattern in urls.urlpatterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace in {"people", "consent", "plans", "referrals", "journal", "assessments", "audit", *REGISTER_APPS}:
            names |= {f"{namespace}:{p.name}" for p in pattern.url_patterns}
    elsewhere = {
        # Writes (POST only) answer with a redirect; files and instrument administration show no person.
        "people:create",
        "plans:plan_create",
        "assessments:link_create",
        "assessments:link_revoke",
        "assessments:instrument_list",
        "assessments:instrument_version",
        "consent:document",  # the uploaded form as it was scanned
        "plans:pdf",  # the printable plan: through plans.selectors.plan_print_html below
        "assessments:link_form",  # the public page behind a personal link: its own test below
        # The administrator's page for lowering protection (administrators only; people/tests/
        # test_protection_and_birth_dates.py has its persona tests).
        "people:protection_lower",
    }
    # The register apps of issue 3 (imports, target group, outreach, KAA) have their own sweep over
    # every named page: test_register_pages_matrix.PAGES, used by test_protected_register_pages.
    swept_elsewhere = {page.url_name for page in REGISTER_PAGES.values()}
    assert names - elsewhere - swept_elsewhere - {page.url_name for page in PAGES.values()} == set()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("protection", PROTECTIONS)
def test_contact_details_only_for_the_responsible_coach(w, protection, viewer, page):
    case = w.cases[protection]
    status, body = visit(w, viewer, page, case)
    assert status != 500
    leaked = [detail for detail in case.contact if detail in body]
    if viewer == "alice" and page in CONTACT_PAGES:
        assert status == 200
        assert leaked == list(case.contact)  # the responsible coach does see them here
    else:
        assert leaked == []


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("protection", PROTECTIONS)
def test_a_partner_never_sees_a_protected_person_even_with_a_valid_consent(w, protection, page):
    case = w.cases[protection]
    status, body = visit(w, "frida", page, case)
    assert case.person.last_name not in body
    assert not any(number in body for number in case.numbers)
    if page in ADMIN_PAGES or page == "cohort":
        assert status == 403  # not an administrator, not a project leader
    elif page in LISTS:
        assert status == 200
    else:
        assert status == 404


@pytest.mark.parametrize(
    "page", ["caseload_all", "search_by_name", "export", "api_list", "api_search_by_name", "referrals"]
)
def test_the_partner_does_see_an_unprotected_person_under_the_same_consent(w, page):
    """The control for the test above: the partner's lists are not simply empty."""
    status, body = visit(w, "frida", page, w.open)
    assert status == 200
    assert w.open.person.last_name in body


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_protected_person_is_never_exported(w, viewer):
    response = w.web[viewer].get(reverse("people:export"), {"visa": "alla"})
    if viewer == "dana":
        assert response.status_code == 403  # an administrator sees no individuals at all
        return
    text = response.content.decode("utf-8-sig")
    for case in w.cases.values():
        assert case.person.last_name not in text
        assert case.person.first_name not in text
    # The control: the unprotected person with the same consent is exported, to all of them.
    assert w.open.person.last_name in text


@pytest.mark.parametrize("viewer", ["alice", "greta", "bob"])
@pytest.mark.parametrize("protection", PROTECTIONS)
def test_the_person_page_carries_the_warning_banner(w, protection, viewer):
    case = w.cases[protection]
    body = w.web[viewer].get(reverse("people:detail", args=[case.person.pk])).content.decode()
    label = case.person.get_protection_display()
    assert '<div class="banner warning" role="alert">' in body
    assert f"Skyddade personuppgifter: {label}." in body
    assert "Lämna inte ut uppgifter om personen." in body


@pytest.mark.parametrize("viewer", ["alice", "greta", "bob"])
@pytest.mark.parametrize("protection", PROTECTIONS)
def test_the_printable_plan_never_has_the_address(w, protection, viewer):
    case = w.cases[protection]
    user = w.users[viewer]
    view = plan_selectors.plan_get(viewer=user, ctx=ctx_for(user), plan_id=case.plan.pk)
    html = plan_selectors.plan_print_html(view=view)
    assert case.person.first_name in html
    assert [detail for detail in case.contact if detail in html] == []


def test_the_printable_plan_has_the_address_of_an_unprotected_person(w):
    """The control for the test above: the printable plan does print addresses."""
    alice = w.users["alice"]
    view = plan_selectors.plan_get(viewer=alice, ctx=ctx_for(alice), plan_id=w.open.plan.pk)
    assert w.open.contact[0] in plan_selectors.plan_print_html(view=view)


@pytest.mark.parametrize("protection", PROTECTIONS)
def test_the_public_link_page_shows_neither_contact_details_nor_the_full_name(w, protection):
    case = w.cases[protection]
    response = Client().get(reverse("assessments:link_form", args=[case.token]))
    body = response.content.decode()
    assert response.status_code == 200
    assert case.person.first_name in body
    assert case.person.last_name not in body
    assert [detail for detail in case.contact if detail in body] == []
    assert not any(number in body for number in case.numbers)


class RecordingSender:
    """Keeps what would have been sent."""

    sent: list[dict] = []

    def send_email(self, *, to, subject, body):
        self.sent.append({"to": to, "text": f"{subject}\n{body}"})

    def send_sms(self, *, to, body):
        self.sent.append({"to": to, "text": body})


@pytest.mark.parametrize("send_via", ["epost", "sms"])
@pytest.mark.parametrize("protection", PROTECTIONS)
def test_a_personal_link_message_never_carries_the_address(w, settings, protection, send_via):
    settings.ASSESSMENT_LINK_SENDER = f"{__name__}.RecordingSender"
    RecordingSender.sent = []
    case = w.cases[protection]
    destination = case.contact[4] if send_via == "epost" else case.contact[3]
    assessment_services.link_create(
        ctx=ctx_for(w.users["alice"]),
        person=case.person,
        instrument=instrument("vagen-framat"),
        respondent="den_unga",
        context="uppfoljning",
        send_via=send_via,
        send_to=destination,
        url_for=lambda token: f"https://vagval.example/kartlaggning/l/{token}/",
    )
    [message] = RecordingSender.sent
    assert message["to"] == destination
    text = message["text"]
    assert case.person.first_name in text
    assert case.person.last_name not in text
    assert [detail for detail in case.contact if detail in text] == []
    assert not any(number in text for number in case.numbers)
    assert str(municipality("2021").name) not in text


@pytest.mark.parametrize("protection", PROTECTIONS)
def test_the_console_sender_logs_no_address_either(w, settings, caplog, protection):
    """The default sender (demo and development) writes the message to the log instead."""
    settings.ASSESSMENT_LINK_SENDER = "vagval.assessments.senders.ConsoleSender"
    case = w.cases[protection]
    with caplog.at_level(logging.INFO, logger="vagval.assessments.senders"):
        assessment_services.link_create(
            ctx=ctx_for(w.users["alice"]),
            person=case.person,
            instrument=instrument("vagen-framat"),
            respondent="den_unga",
            context="uppfoljning",
            send_via="epost",
            send_to=case.contact[4],
            url_for=lambda token: f"https://vagval.example/kartlaggning/l/{token}/",
        )
    logged = caplog.text
    assert case.person.first_name in logged
    # The destination (the e-mail address the coach typed) is logged; the postal address is not.
    assert [detail for detail in case.contact[:4] if detail in logged] == []
    assert case.person.last_name not in logged


@pytest.mark.parametrize("protection", PROTECTIONS)
def test_the_home_municipality_of_a_protected_person_is_only_for_the_responsible_coach(w, protection):
    case = w.cases[protection]
    home = municipality("2021").name
    assert home in w.web["alice"].get(reverse("people:detail", args=[case.person.pk])).content.decode()
    assert home not in w.web["greta"].get(reverse("people:detail", args=[case.person.pk])).content.decode()


@pytest.mark.parametrize(("viewer", "page"), [("greta", "cohort"), ("dana", "audit_log_for_person")])
def test_the_aggregate_and_log_pages_do_render_for_their_users(w, viewer, page):
    """The controls for the contact test on pages that most viewers may not open."""
    status, body = visit(w, viewer, page, w.cases["sekretessmarkering"])
    assert status == 200
    assert "Gömsta" not in body
