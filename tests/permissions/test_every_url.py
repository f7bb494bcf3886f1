"""The permission sweep over every URL of Vägval: no named page and no API operation escapes it.

`test_every_url_name_is_swept_or_exempted` walks the whole URL resolver (every namespace, nested or
not, and every un-namespaced pattern; a pattern without a name counts too) and
`test_every_api_operation_is_swept` every operation in the API's OpenAPI schema. Each must be in:

- WEB: how the page is called, with a row in _WEB_TABLE giving the exact status per persona
  (anonymous, alice, bob, charlie, frida, erik, dana);
- or, for the register apps (registers, targetgroup, outreach, kaa): test_register_pages_matrix.PAGES
  and its _TABLE for the GET of each page (its personas include the KAA-ansvariga), and
  REGISTER_WRITES with a row in _REGISTER_WRITES_TABLE here for each form's POST;
- API: how the operation is called (its body), with a row in _API_TABLE;
- or EXEMPT: the name and the written reason why no persona sweep applies.

How to add a page, say `accounts:api_token_revoke` at /konto/api-nycklar/<uuid>/aterkalla/ (POST only):

1. In WEB, how it is called: `_get` for a GET, `_post` for a POST (an empty form unless given
   fields); the world `w` (SweepWorld) has alice's person, enrolment, consent, plan, step, note,
   referral, assessment response and link, and whatever you add to SweepWorld.__init__:

       "api_token_revoke POST": _post("accounts:api_token_revoke", lambda w: [w.alices_token.pk]),

2. In _WEB_TABLE, the row under the same key, one code per persona in the order of the header:

       api_token_revoke POST           L     302   403   404   404   404   302

   L is "redirected to the login page"; anything else is the exact status code.
3. Run `pytest tests/permissions/test_every_url.py`. A code the page does not answer fails with the
   row's whole persona → status comparison; a row that breaks the rules below (anonymous not sent to
   log in, a read-only user allowed to write, another organisation shown a record) fails
   test_the_row_keeps_the_rules. A public page goes into PUBLIC, a POST that writes nothing into
   POSTS_THAT_DO_NOT_WRITE, each with the reason.

An API operation goes into API under its operationId (with its body; a new path parameter into
PATH_PARAMETERS) and into _API_TABLE; every row asserts 401 JSON with `WWW-Authenticate: Bearer` for
anonymous, 404 for another organisation's token on operations that take an id, 403 for read-only
tokens on writes.

The rules (issue 10, house style):
- anonymous users are sent to the login page, except on PUBLIC pages (the login page, the personal
  link's form, the language switch, the start page's redirect, the API's index and schema);
- another organisation (charlie) gets 404 on every page about a record of alice's unit (nothing
  says whether it exists), and 403 on role-based pages (administration, the access log, the cohort)
  that reveal no record;
- the read-only colleague (bob) gets 403 on every POST that writes; the POST is sent with an empty
  form, since refusal comes before the form is read (where it does not, the row sends a valid form);
- the partner without a consent (frida) and the evaluator (erik) get 404 on a person's pages and
  403 on role-based pages; the administrator (dana) sees no individuals but the administration.

The world is built once per module inside one transaction (conftest.module_world_db); every test runs
in a savepoint of it, so what a POST writes is rolled back before the next row. Each request is sent
with a copy of the persona's session cookie, so that a row that logs out logs out only itself.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.http import urlencode

from conftest import ctx_for
from tests.permissions.conftest import consent_for
from tests.permissions.register_world import RegisterWorld
from tests.permissions.test_register_pages_matrix import PAGES as REGISTER_PAGES
from tests.permissions.test_register_pages_matrix import PERSONAS as REGISTER_PERSONAS
from vagval.accounts.models import ApiToken, ProjectRole, Role
from vagval.accounts.tests.factories import UserFactory, api_token_create
from vagval.api.api import api as ninja_api
from vagval.api.tests.helpers import new_person_body, person_body
from vagval.assessments.links import new_token, token_hash
from vagval.assessments.tests.helpers import instrument, make_link, record
from vagval.catalogue.models import AdmissionRound, Application, EmployerInterest, EmployerNeed, OfferKind, StudyKind
from vagval.catalogue.offer_links import offer_link_create
from vagval.catalogue.tests.factories import OfferFactory, ProviderContactFactory, ProviderFactory
from vagval.catalogue.tests.sweep import sweep_offer, sweep_other_offer, sweep_placement, sweep_session
from vagval.consent.tests.uploads import pdf_upload
from vagval.evaluation.models import (
    DatasetExport,
    ExportFormat,
    ExportStatus,
    SurveyInvitation,
    SurveyRound,
)
from vagval.journal.models import NoteVisibility
from vagval.journal.services import NoteData, note_write
from vagval.matching.intake_services import intake_create
from vagval.organisations.tests.factories import MethodFactory, ProjectFactory
from vagval.people.models import Person
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.plans.services import step_version
from vagval.plans.tests.factories import add_step, make_plan
from vagval.referrals.tests.factories import ReferralFactory
from vagval.sso.models import ExternalIdentity, IdentityProvider
from vagval.sso.tests.xmlsec import require_xmlsec1
from vagval.targetgroup.services import target_group_setting_get, target_group_setting_version

# --- What exists ----------------------------------------------------------------------------------


def url_names(patterns: list[Any] | None = None, namespace: str = "", route: str = "") -> Iterator[str]:
    """Every URL name, namespaced as reverse() takes it ("people:detail", "api:person_get", "home").

    A pattern without a name is given as "<unnamed> route", so that it cannot escape either."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"<unnamed> {route}{pattern.pattern}"


def api_operations() -> dict[str, tuple[str, str]]:
    """Every operation of the API's OpenAPI schema: operationId → (method, path)."""
    schema = ninja_api.get_openapi_schema()
    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


# --- The world ------------------------------------------------------------------------------------


class SweepWorld(RegisterWorld):
    """The register apps' world (register_world: karin, rut, kim, sven and the KAA register) and
    alice's person at Ludvika with one of each record a page is about.

    The person's consent names Försäkringskassan (gustav's unit), not Arbetsförmedlingen: frida is
    the partner without a consent. Charlie (Smedjebacken) has a person of his own, so that his lists
    are not empty."""

    def __init__(self) -> None:
        super().__init__()
        alice = self.users["alice"]
        self.api["anonymous"] = Client()
        api_token_create(user=alice, name="reserv")  # revoked by the token rows, never used to call
        self.spare_token = ApiToken.objects.get(user=alice, name="reserv")
        self.person: Person = PersonFactory(first_name="Svea", last_name="Svepsdotter")
        self.enrolment = EnrolmentFactory(person=self.person, project=self.project, unit=self.ludvika, coach=alice)
        EnrolmentFactory(
            person=PersonFactory(first_name="Ville", last_name="Vidsson"),
            project=self.project,
            unit=self.smedjebacken,
            coach=self.users["charlie"],
        )
        self.consent = consent_for(self.person, documented_by=alice, recipients=[self.fk])
        self.consent.document.save("blankett.pdf", pdf_upload())
        self.plan = make_plan(self.person, by=alice, project=self.project, goals=["Jag vill plugga"])
        self.step = add_step(self.plan, by=alice, content="Studiebesök", unit=self.ludvika)
        self.note = note_write(
            ctx=ctx_for(alice),
            person=self.person,
            data=NoteData(text="Vi sågs", visibility=NoteVisibility.SHARED),
        )
        self.referral = ReferralFactory(
            person=self.person, from_user=alice, to_unit=self.fk, consent=self.consent, sent_at=timezone.now()
        )
        self.response = record(self.person, alice)
        self.link, self.token = make_link(self.person, alice)
        self.instrument = instrument("vagen-framat")
        self.method = MethodFactory(name="Stegvis")
        self.second_project = ProjectFactory(name="Sommarjobb")
        self.project_role = ProjectRole.objects.create(user=alice, project=self.project, role=Role.PROJECT_LEADER)
        # --- sso: an (inactive) provider of each protocol, and alice's identity at the SAML one ---
        self.saml_provider = IdentityProvider.objects.create(
            name="Svepinloggning", slug="svep-saml", kind="saml", attribute="email", active=False
        )
        self.saml_provider.organisations.add(self.ludvika.organisation)
        self.oidc_provider = IdentityProvider.objects.create(
            name="Svep-OIDC", slug="svep-oidc", kind="oidc", attribute="email", active=False
        )
        self.sso_identity = ExternalIdentity.objects.create(provider=self.saml_provider, user=alice, subject="svep")
        # --- catalogue (offers) ---
        # Ludvika, Smedjebacken and Arbetsförmedlingen take part in a project: their staff maintain
        # catalogue entries their organisation owns. Ludvika owns a provider, its supervisor, an
        # offer, an employer's need and an interest: charlie and frida see them but may not edit them.
        self.second_project.organisations.add(
            self.ludvika.organisation, self.smedjebacken.organisation, self.af.organisation
        )
        self.provider = ProviderFactory(name="Svepverkstaden AB", owner=self.ludvika.organisation)
        self.supervisor = ProviderContactFactory(provider=self.provider, name="Greta Svephandledare")
        self.offer = OfferFactory(title="Sveppraktik", provider=self.provider, supervisor=self.supervisor)
        self.need = EmployerNeed.objects.create(
            provider=self.provider, ssyk_area="7", headcount=2, stated_on=self.today, owner=self.ludvika.organisation
        )
        self.interest = EmployerInterest.objects.create(
            provider=self.provider, kind="mentorer", owner=self.ludvika.organisation
        )
        # A young person's link to the open offers, made by alice for her person.
        made = offer_link_create(ctx=ctx_for(alice), person_id=self.person.pk)
        self.offer_link, self.offer_link_token = made.link, made.token
        # --- catalogue: admission ---
        self.school = OfferFactory(
            kind=OfferKind.STUDY, study_kind=StudyKind.SECOND_CHANCE, owner=self.ludvika.organisation
        )
        self.admission_round = AdmissionRound.objects.create(
            offer=self.school, name="Hösten 2027", starts_on=dt.date(2027, 8, 16), places=10
        )
        self.application = Application.objects.create(
            round=self.admission_round,
            person=self.person,
            enrolment=self.enrolment,
            unit=self.ludvika,
            source="kaa",
            applied_on=dt.date(2027, 3, 1),
        )
        # --- matching ---
        self.matching_offer = OfferFactory(capacity=2)
        self.intake = intake_create(
            ctx=ctx_for(alice), name="Sommar", person_ids=[self.person.pk], offer_ids=[self.matching_offer.pk]
        )
        # --- followup ---

        from vagval.followup import jobs as followup_jobs
        from vagval.followup.models import FollowUpLink, FollowUpStatus
        from vagval.followup.tests.factories import ExitFactory, FollowUpFactory

        today = timezone.localdate()
        left = EnrolmentFactory(
            person=PersonFactory(first_name="Lo", last_name="Lämnadsson"),
            project=self.project,
            unit=self.ludvika,
            coach=alice,
            status="avslutad",
            ends_on=today - dt.timedelta(days=40),
        )
        self.exit = ExitFactory(enrolment=left, recorded_by=alice, exit_on=today - dt.timedelta(days=40))
        self.follow_up = FollowUpFactory(
            exit=self.exit, kind="dag28", due_on=today - dt.timedelta(days=12), status=FollowUpStatus.DUE
        )
        link_id = uuid.uuid4()
        self.follow_up_token = followup_jobs.link_token(link_id)
        FollowUpLink.objects.create(
            id=link_id,
            follow_up=self.follow_up,
            person=left.person,
            unit=self.ludvika,
            token_hash=followup_jobs.token_hash(self.follow_up_token),
            sent_on=self.follow_up.due_on,
            sent_via="sms",
            expires_at=timezone.now() + dt.timedelta(days=20),
        )
        # --- evaluation ---
        # erik evaluates the project that alice leads: an export waiting for her, one she approved,
        # and a survey round with one personal link.
        erik = self.users["erik"]
        ProjectRole.objects.create(user=erik, project=self.project, role=Role.EVALUATOR)
        self.export = DatasetExport.objects.create(
            project=self.project,
            file_format=ExportFormat.CSV,
            prepared_by=erik,
            status=ExportStatus.AWAITING_APPROVAL,
            person_ids=[str(self.person.pk)],
        )
        self.approved_export = DatasetExport.objects.create(
            project=self.project,
            file_format=ExportFormat.CSV,
            prepared_by=erik,
            status=ExportStatus.APPROVED,
            person_ids=[str(self.person.pk)],
            decided_by=alice,
            decided_at=timezone.now(),
        )
        self.approved_export.file.save("sweep.zip", ContentFile(b"PK"), save=True)
        self.survey_round = SurveyRound.objects.create(
            project=self.project, title="Samverkan", created_by=alice, closes_on=self.today + dt.timedelta(days=30)
        )
        self.survey_token = new_token()
        SurveyInvitation.objects.create(
            round=self.survey_round, organisation=self.ludvika.organisation, token_hash=token_hash(self.survey_token)
        )
        # --- targets and budget (issue 13): alice leads the project; a target and an import
        from vagval.budget.importing import parse_costs
        from vagval.budget.services import cost_import
        from vagval.targets.models import Figure, Target

        self.target = Target.objects.create(
            project=self.project,
            figure=Figure.PARTICIPANTS,
            value=300,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        )
        self.cost_import = cost_import(
            ctx=ctx_for(alice),
            project=self.project,
            file_name="ekonomi.csv",
            parsed=parse_costs("månad;kostnadstyp;belopp\n2026-01;personal;1000\n"),
            confirmed=False,
        )
        # --- dataprotection ---
        # Ludvika's retention rule with a dry run, and a legal hold on alice's person placed by the
        # data-protection officer (not a column here: see dataprotection/tests/test_pages.py).
        from vagval.dataprotection.models import LegalHold, RetentionReview, RetentionRule

        self.retention_rule = RetentionRule.objects.create(
            organisation=self.ludvika.organisation,
            record_type="person_file",
            decision_reference="KS 2026/1",
            changed_by=self.users["dana"],
        )
        self.retention_review = RetentionReview.objects.create(
            rule=self.retention_rule,
            rule_version=self.retention_rule.updated_at,
            as_of=self.today,
            count=0,
            made_by=self.users["dana"],
        )
        dpo = UserFactory(username="ditte", unit=self.ludvika, role=Role.DATA_PROTECTION)
        self.legal_hold = LegalHold.objects.create(person=self.person, reason="Tvist", placed_by=dpo)


@pytest.fixture(scope="module")
def world(module_world_db) -> SweepWorld:
    return SweepWorld()


@pytest.fixture
def w(world, db) -> SweepWorld:
    """The world, inside a savepoint that is rolled back after the test."""
    return world


# --- How each page is called ----------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """A request for one URL name: GET, or POST when `post` is given (the form data)."""

    url_name: str
    args: Callable[[SweepWorld], list[object]] = lambda w: []
    # The form data, or a function of the world and the persona (an edit form carries the version
    # of what that persona's form showed, see common/versions.py).
    post: dict[str, str] | Callable[[SweepWorld, str], dict[str, str]] | None = None
    query: dict[str, str] = field(default_factory=dict)
    path: str | None = None  # for a pattern reverse() cannot build (the API's catch-all)

    def send(self, w: SweepWorld, persona: str):
        url = self.path or reverse(self.url_name, args=self.args(w))
        client = Client()
        # A copy of the persona's session cookie: a row that logs out must not log out the next rows.
        client.cookies = SimpleCookie(w.web[persona].cookies.output(header="", sep=";"))
        if self.post is not None:
            data = self.post(w, persona) if callable(self.post) else self.post
            return client.post(f"{url}?{urlencode(self.query)}" if self.query else url, data)
        return client.get(url, self.query)


def _person(w: SweepWorld) -> list[object]:
    return [w.person.pk]


def _user(w: SweepWorld) -> list[object]:
    return [w.users["alice"].pk]


def _org(w: SweepWorld) -> list[object]:
    return [w.ludvika.organisation.pk]


def _plan(w: SweepWorld) -> list[object]:
    return [w.plan.pk]


def _step(w: SweepWorld) -> list[object]:
    return [w.plan.pk, w.step.pk]


def _get(url_name: str, args: Callable[[SweepWorld], list[object]] = lambda w: [], **query: str) -> Call:
    return Call(url_name, args, query=query)


def _post(url_name: str, args: Callable[[SweepWorld], list[object]] = lambda w: [], **data: str) -> Call:
    """A POST with an empty form unless told: who may not write is refused before the form is read."""
    return Call(url_name, args, post=data)


# One entry per page and method it answers (GET, and POST for the pages that take a form). The
# status per persona is in _WEB_TABLE, under the same key.
WEB: dict[str, Call] = {
    # The start page and the language switch
    "home": _get("home"),
    "set_language POST": _post("set_language", language="sv"),
    # health endpoints for load balancers and monitoring
    "health_live": _get("health:live"),
    "health_ready": _get("health:ready"),
    # accounts: one's own login and two-factor pages, and the administrators' user pages
    "login": _get("accounts:login"),
    "login POST": _post("accounts:login"),
    "logout POST": _post("accounts:logout"),
    "two_factor": _get("accounts:two_factor"),
    "two_factor POST": _post("accounts:two_factor"),
    "two_factor_disable POST": _post("accounts:two_factor_disable"),
    "user_list": _get("accounts:user_list"),
    "user_create": _get("accounts:user_create"),
    "user_create POST": _post("accounts:user_create"),
    "user_edit": _get("accounts:user_edit", _user),
    "user_edit POST": _post("accounts:user_edit", _user),
    "user_password": _get("accounts:user_password", _user),
    "user_password POST": _post("accounts:user_password", _user),
    "user_project_role_add POST": _post("accounts:user_project_role_add", _user),
    "user_project_role_remove POST": _post(
        "accounts:user_project_role_remove", lambda w: [w.users["alice"].pk, w.project_role.pk]
    ),
    "user_two_factor_reset POST": _post("accounts:user_two_factor_reset", _user),
    "api_tokens": _get("accounts:api_tokens"),
    "api_token_revoke POST": _post("accounts:api_token_revoke", lambda w: [w.spare_token.pk]),
    "user_api_token_revoke POST": _post(
        "accounts:user_api_token_revoke", lambda w: [w.users["alice"].pk, w.spare_token.pk]
    ),
    # people
    "caseload": _get("people:caseload"),
    "export": _get("people:export"),
    "search": _get("people:search"),
    "search POST": _post("people:search", q="Svepsdotter"),
    "search_results POST": _post("people:search_results", q="Svepsdotter"),
    "person_create": _get("people:create"),
    "person_create POST": _post("people:create"),
    "person": _get("people:detail", _person),
    "person_edit": _get("people:edit", _person),
    "person_edit POST": _post("people:edit", _person),
    "enrolment_create": _get("people:enrolment_create", _person),
    "enrolment_create POST": _post("people:enrolment_create", _person),
    "enrolment_edit": _get("people:enrolment_edit", lambda w: [w.enrolment.pk]),
    "enrolment_edit POST": _post("people:enrolment_edit", lambda w: [w.enrolment.pk]),
    "merge": _get("people:merge", _person),
    "merge POST": _post("people:merge", _person),
    "protection_lower": _get("people:protection_lower", _person),
    "protection_lower POST": _post("people:protection_lower", _person),
    # consent
    "consents": _get("consent:person_consents", _person),
    "consent_record": _get("consent:record", _person),
    "consent_record POST": _post("consent:record", _person),
    "consent_overview": _get("consent:overview", _person),
    "consent": _get("consent:detail", lambda w: [w.consent.pk]),
    "consent_withdraw": _get("consent:withdraw", lambda w: [w.consent.pk]),
    "consent_withdraw POST": _post("consent:withdraw", lambda w: [w.consent.pk]),
    "consent_document": _get("consent:document", lambda w: [w.consent.pk]),
    # plans
    "plans": _get("plans:person_plans", _person),
    "plan_create POST": _post("plans:plan_create", _person),
    "plan": _get("plans:detail", _plan),
    "plan_edit": _get("plans:plan_edit", _plan),
    "plan_edit POST": _post("plans:plan_edit", _plan),
    "plan_continue": _get("plans:plan_continue", _plan),
    "plan_continue POST": _post("plans:plan_continue", _plan),
    "step_add": _get("plans:step_add", _plan),
    "step_add POST": _post("plans:step_add", _plan),
    "step_edit": _get("plans:step_edit", _step),
    "step_edit POST": Call("plans:step_edit", _step, post=lambda w, _persona: {"version": step_version(step=w.step)}),
    "step_end": _get("plans:step_end", _step),
    "step_end POST": _post("plans:step_end", _step),
    "plan_versions": _get("plans:versions", _plan),
    "plan_version": _get("plans:version_detail", lambda w: [w.plan.pk, 1]),
    "plan_pdf": _get("plans:pdf", _plan),
    # referrals (alice's unit sent the referral to Försäkringskassan)
    "referrals": _get("referrals:list"),
    "referral_create": _get("referrals:create", _person),
    "referral_create POST": _post("referrals:create", _person),
    "response_times": _get("referrals:response_times"),
    "referral": _get("referrals:detail", lambda w: [w.referral.pk]),
    "referral POST sender": _post("referrals:detail", lambda w: [w.referral.pk], action="withdraw"),
    "referral POST recipient": _post("referrals:detail", lambda w: [w.referral.pk], action="accept"),
    # journal
    "notes": _get("journal:person_notes", _person),
    "notes POST": _post("journal:person_notes", _person),
    "note_correct": _get("journal:note_correct", lambda w: [w.note.pk]),
    "note_correct POST": _post("journal:note_correct", lambda w: [w.note.pk]),
    # assessments
    "assessments": _get("assessments:person", _person),
    "response_create": _get("assessments:response_create", lambda w: [w.person.pk, w.instrument.slug]),
    "response_create POST": _post("assessments:response_create", lambda w: [w.person.pk, w.instrument.slug]),
    "link_create POST": _post("assessments:link_create", _person),
    "response": _get("assessments:response_detail", lambda w: [w.response.pk]),
    "link": _get("assessments:link_detail", lambda w: [w.link.pk]),
    "link_revoke POST": _post("assessments:link_revoke", lambda w: [w.link.pk]),
    "link_form": _get("assessments:link_form", lambda w: [w.token]),
    "link_form POST": _post("assessments:link_form", lambda w: [w.token]),
    "cohort": _get("assessments:cohort"),
    "instrument_list": _get("assessments:instrument_list"),
    "instrument_list POST": _post("assessments:instrument_list"),
    "instrument_version": _get(
        "assessments:instrument_version", lambda w: [w.instrument.slug, w.instrument.current_version.number]
    ),
    # organisations (administrators)
    "admin_index": _get("organisations:index"),
    "organisation_list": _get("organisations:organisation_list"),
    "organisation_create": _get("organisations:organisation_create"),
    "organisation_create POST": _post("organisations:organisation_create"),
    "organisation": _get("organisations:organisation_detail", _org),
    "organisation_edit": _get("organisations:organisation_edit", _org),
    "organisation_edit POST": _post("organisations:organisation_edit", _org),
    "unit_create": _get("organisations:unit_create", _org),
    "unit_create POST": _post("organisations:unit_create", _org),
    "unit_edit": _get("organisations:unit_edit", lambda w: [w.ludvika.pk]),
    "unit_edit POST": _post("organisations:unit_edit", lambda w: [w.ludvika.pk]),
    "project_list": _get("organisations:project_list"),
    "project_create": _get("organisations:project_create"),
    "project_create POST": _post("organisations:project_create"),
    "project": _get("organisations:project_detail", lambda w: [w.project.pk]),
    "project_edit": _get("organisations:project_edit", lambda w: [w.project.pk]),
    "project_edit POST": _post("organisations:project_edit", lambda w: [w.project.pk]),
    "method_list": _get("organisations:method_list"),
    "method_create": _get("organisations:method_create"),
    "method_create POST": _post("organisations:method_create"),
    "method_edit": _get("organisations:method_edit", lambda w: [w.method.pk]),
    "method_edit POST": _post("organisations:method_edit", lambda w: [w.method.pk]),
    # sso: the trip to an organisation's identity provider, and the administrators' pages
    "sso_start": _get("sso:start", lambda w: [w.saml_provider.slug]),
    "sso_saml_acs POST": _post("sso:saml_acs", lambda w: [w.saml_provider.slug]),
    "sso_saml_metadata": _get("sso:saml_metadata", lambda w: [w.saml_provider.slug]),
    "sso_saml_logout_done": _get("sso:saml_logout_done", lambda w: [w.saml_provider.slug]),
    "sso_oidc_callback": _get("sso:oidc_callback", lambda w: [w.oidc_provider.slug]),
    "sso_provider_list": _get("sso:provider_list"),
    "sso_provider_create": _get("sso:provider_create"),
    "sso_provider_create POST": _post("sso:provider_create"),
    "sso_provider_edit": _get("sso:provider_edit", lambda w: [w.saml_provider.pk]),
    "sso_provider_edit POST": _post("sso:provider_edit", lambda w: [w.saml_provider.pk]),
    "sso_identity_add POST": _post("sso:identity_add", lambda w: [w.saml_provider.pk]),
    "sso_identity_remove POST": _post("sso:identity_remove", lambda w: [w.saml_provider.pk, w.sso_identity.pk]),
    "sso_policies": _get("sso:policies"),
    "sso_policy_edit": _get("sso:policy_edit", _org),
    "sso_policy_edit POST": _post("sso:policy_edit", _org),
    # audit (administrators)
    "log": _get("audit:log"),
    "person_lookup POST": _post("audit:person_lookup", query="Svepsdotter"),
    "log_export": _get("audit:log_export"),
    # The API's own pages; its operations are in API below
    "api_index": _get("api-index"),
    "openapi": _get("api:openapi-json"),
    "api_not_found": Call("api-not-found", path="/api/v1/finns-inte"),
    # --- catalogue (offers) ---
    "offer_list": _get("catalogue:offer_list"),
    "offer_create": _get("catalogue:offer_create"),
    "offer_create POST": _post("catalogue:offer_create"),
    "offer_detail": _get("catalogue:offer_detail", lambda w: [w.offer.pk]),
    "offer_edit": _get("catalogue:offer_edit", lambda w: [w.offer.pk]),
    "offer_edit POST": _post("catalogue:offer_edit", lambda w: [w.offer.pk]),
    "offer_status POST": _post("catalogue:offer_status", lambda w: [w.offer.pk]),
    "provider_list": _get("catalogue:provider_list"),
    "provider_create": _get("catalogue:provider_create"),
    "provider_create POST": _post("catalogue:provider_create"),
    "provider_detail": _get("catalogue:provider_detail", lambda w: [w.provider.pk]),
    "provider_edit": _get("catalogue:provider_edit", lambda w: [w.provider.pk]),
    "provider_edit POST": _post("catalogue:provider_edit", lambda w: [w.provider.pk]),
    "provider_contact_create": _get("catalogue:provider_contact_create", lambda w: [w.provider.pk]),
    "provider_contact_create POST": _post("catalogue:provider_contact_create", lambda w: [w.provider.pk]),
    "provider_contact_edit": _get("catalogue:provider_contact_edit", lambda w: [w.provider.pk, w.supervisor.pk]),
    "provider_contact_edit POST": _post("catalogue:provider_contact_edit", lambda w: [w.provider.pk, w.supervisor.pk]),
    "need_list": _get("catalogue:need_list"),
    "need_create": _get("catalogue:need_create"),
    "need_create POST": _post("catalogue:need_create"),
    "need_edit": _get("catalogue:need_edit", lambda w: [w.need.pk]),
    "need_edit POST": _post("catalogue:need_edit", lambda w: [w.need.pk]),
    "interest_list": _get("catalogue:interest_list"),
    "interest_create": _get("catalogue:interest_create"),
    "interest_create POST": _post("catalogue:interest_create"),
    "interest_edit": _get("catalogue:interest_edit", lambda w: [w.interest.pk]),
    "interest_edit POST": _post("catalogue:interest_edit", lambda w: [w.interest.pk]),
    "person_offer_links": _get("catalogue:person_offer_links", _person),
    "person_offer_links POST": _post("catalogue:person_offer_links", _person),
    "offer_link_revoke POST": _post("catalogue:offer_link_revoke", lambda w: [w.offer_link.pk]),
    "offer_link_public": _get("catalogue:offer_link_public", lambda w: [w.offer_link_token]),
    # --- catalogue: admission ---
    "admission_rounds": _get("catalogue:admission_rounds"),
    "admission_round_create": _get("catalogue:admission_round_create", lambda w: [w.school.pk]),
    "admission_round_create POST": _post("catalogue:admission_round_create", lambda w: [w.school.pk]),
    "admission_board": _get("catalogue:admission_board", lambda w: [w.admission_round.pk]),
    "admission_round_edit": _get("catalogue:admission_round_edit", lambda w: [w.admission_round.pk]),
    "admission_round_edit POST": _post("catalogue:admission_round_edit", lambda w: [w.admission_round.pk]),
    "admission_application_create": _get("catalogue:admission_application_create", lambda w: [w.admission_round.pk]),
    "admission_application_create POST": _post(
        "catalogue:admission_application_create", lambda w: [w.admission_round.pk]
    ),
    "admission_application_step": _get("catalogue:admission_application_step", lambda w: [w.application.pk]),
    "admission_application_step POST": _post("catalogue:admission_application_step", lambda w: [w.application.pk]),
    # --- matching ---
    "matching_suggestions": _get("matching:suggestions", _person),
    "matching_profile": _get("matching:profile", _person),
    "matching_profile POST": _post("matching:profile", _person),
    "matching_propose POST": _post("matching:propose", _person),
    "matching_reject POST": _post("matching:reject", _person),
    "matching_overview": _get("matching:overview"),
    "matching_weights": _get("matching:weights", lambda w: [w.project.pk]),
    "matching_weights POST": _post("matching:weights", lambda w: [w.project.pk]),
    "matching_demand": _get("matching:demand"),
    "matching_demand_export": _get("matching:demand_export", format="csv"),
    "matching_offer_preference": _get("matching:offer_preference", lambda w: [w.offer.pk]),
    "matching_offer_preference POST": _post("matching:offer_preference", lambda w: [w.offer.pk]),
    "matching_intake_create": _get("matching:intake_create"),
    "matching_intake_create POST": _post("matching:intake_create"),
    "matching_intake": _get("matching:intake", lambda w: [w.intake.pk]),
    "matching_intake_solve POST": _post("matching:intake_solve", lambda w: [w.intake.pk]),
    "matching_intake_pair POST": _post("matching:intake_pair", lambda w: [w.intake.pk]),
    "matching_intake_confirm POST": _post("matching:intake_confirm", lambda w: [w.intake.pk]),
    "matching_rank POST": _post("matching:rank", _person),
    # --- placements ---
    "placement_create": _get("catalogue:placement_create", _person),
    "placement_create POST": _post("catalogue:placement_create", _person),
    "placement_detail": _get("catalogue:placement_detail", lambda w: [sweep_placement(w).pk]),
    "placement_status POST": _post("catalogue:placement_status", lambda w: [sweep_placement(w).pk]),
    "placement_assessment_schedule POST": _post(
        "catalogue:placement_assessment_schedule", lambda w: [sweep_placement(w).pk]
    ),
    "placement_assessment_send POST": _post("catalogue:placement_assessment_send", lambda w: [sweep_placement(w).pk]),
    "placement_offer_list": _get("catalogue:placement_offer_list", lambda w: [sweep_offer(w).pk]),
    "placement_offer_list POST": _post("catalogue:placement_offer_list", lambda w: [sweep_offer(w).pk]),
    "placement_attendance": _get("catalogue:placement_attendance", lambda w: [sweep_session(w).pk]),
    "placement_attendance POST": _post("catalogue:placement_attendance", lambda w: [sweep_session(w).pk]),
    # --- followup ---
    "followup_list": _get("followup:list"),
    "followup_figures": _get("followup:figures"),
    "followup_settings": _get("followup:settings", lambda w: [w.project.pk]),
    "followup_settings POST": _post("followup:settings", lambda w: [w.project.pk]),
    "followup_exit_create": _get("followup:exit_create", lambda w: [w.enrolment.pk]),
    "followup_exit_create POST": _post("followup:exit_create", lambda w: [w.enrolment.pk]),
    "followup_person": _get("followup:person", lambda w: [w.exit.person_id]),
    "followup_detail": _get("followup:detail", lambda w: [w.follow_up.pk]),
    "followup_detail POST": _post("followup:detail", lambda w: [w.follow_up.pk]),
    "followup_attempt POST": _post("followup:attempt", lambda w: [w.follow_up.pk]),
    "followup_not_reached POST": _post("followup:not_reached", lambda w: [w.follow_up.pk]),
    "followup_confirm POST": _post("followup:confirm", lambda w: [w.follow_up.pk]),
    "followup_answer": _get("followup:answer", lambda w: [w.follow_up_token]),
    "followup_answer POST": _post("followup:answer", lambda w: [w.follow_up_token]),
    # --- worklist ---
    # alice's unit sent the referral, whose answer date has passed: it is on her unit's to-do list.
    "worklist": _get("worklist:list"),
    "worklist_mark": _get("worklist:mark", lambda w: ["remiss", w.referral.pk]),
    "worklist_mark POST": _post("worklist:mark", lambda w: ["remiss", w.referral.pk]),
    "notifications": _get("worklist:notifications"),
    "notifications_read_all POST": _post("worklist:notifications_read_all"),
    "notification_open": _get("worklist:notification_open", lambda w: ["remiss", "0"]),
    "worklist_settings": _get("worklist:settings"),
    "worklist_settings POST": _post("worklist:settings"),
    "jobs": _get("worklist:jobs"),
    "own_view_links": _get("worklist:own_view_links", _plan),
    "own_view_links POST": _post("worklist:own_view_links", _plan),
    "own_view_revoke POST": _post("worklist:own_view_revoke", lambda w: [_own_view_link(w)[0].pk]),
    "own_view": _get("worklist:own_view", lambda w: [_own_view_link(w)[1]]),
    # --- esf ---
    "esf_report": _get("esf:report"),
    "esf_report_csv": _get("esf:report_csv"),
    "esf_report_xlsx": _get("esf:report_xlsx"),
    "esf_incomplete": _get("esf:incomplete"),
    "esf_entry_edit": _get("esf:entry_edit", lambda w: [w.enrolment.pk]),
    "esf_entry_edit POST": _post("esf:entry_edit", lambda w: [w.enrolment.pk]),
    "esf_project_funding": _get("esf:project_funding", lambda w: [w.project.pk]),
    "esf_project_funding POST": _post("esf:project_funding", lambda w: [w.project.pk]),
    "esf_scb_months": _get("esf:scb_months", lambda w: [w.project.pk]),
    "esf_scb_file POST": _post("esf:scb_file", lambda w: [w.project.pk, 2025, 1]),
    # --- reporting (the steering-group report: alice leads w.project, erik evaluates it) ---
    "reporting_index": _get("reporting:index"),
    "reporting_steering": _get("reporting:steering", lambda w: [w.project.pk]),
    "reporting_steering_pdf": _get("reporting:steering_pdf", lambda w: [w.project.pk]),
    "reporting_steering_xlsx": _get("reporting:steering_xlsx", lambda w: [w.project.pk]),
    # --- evaluation ---
    "evaluation_start": _get("evaluation:start"),
    "evaluation_project": _get("evaluation:project", lambda w: [w.project.pk]),
    "evaluation_export_create POST": _post("evaluation:export_create", lambda w: [w.project.pk]),
    "evaluation_export": _get("evaluation:export", lambda w: [w.export.pk]),
    "evaluation_export_progress": _get("evaluation:export_progress", lambda w: [w.export.pk]),
    "evaluation_export_download": _get("evaluation:export_download", lambda w: [w.approved_export.pk]),
    "evaluation_export_decide POST": _post("evaluation:export_decide", lambda w: [w.export.pk]),
    "evaluation_leader": _get("evaluation:leader"),
    "evaluation_survey_create POST": _post("evaluation:survey_create"),
    "evaluation_survey": _get("evaluation:survey", lambda w: [w.survey_round.pk]),
    "evaluation_survey_links POST": _post("evaluation:survey_links", lambda w: [w.survey_round.pk]),
    "evaluation_survey_form": _get("evaluation:survey_form", lambda w: [w.survey_token]),
    # A rating outside the scale: refused for everyone, so the one link is not spent by the first row.
    "evaluation_survey_form POST": _post("evaluation:survey_form", lambda w: [w.survey_token], q_mal="9"),
    # --- targets, budget and the project leader's start page (issue 13) ---
    "leader_start": _get("leader_start"),
    "targets_project": _get("targets:project", lambda w: [w.project.pk]),
    "targets_create": _get("targets:create", lambda w: [w.project.pk]),
    "targets_create POST": _post("targets:create", lambda w: [w.project.pk]),
    "targets_edit": _get("targets:edit", lambda w: [w.target.pk]),
    "targets_edit POST": _post("targets:edit", lambda w: [w.target.pk]),
    "targets_remove POST": _post("targets:remove", lambda w: [w.target.pk]),
    "budget_project": _get("budget:project", lambda w: [w.project.pk]),
    "budget_lines": _get("budget:lines", lambda w: [w.project.pk]),
    "budget_lines POST": _post("budget:lines", lambda w: [w.project.pk]),
    "budget_month": _get("budget:month", lambda w: [w.project.pk], manad="2026-01"),
    "budget_month POST": Call("budget:month", lambda w: [w.project.pk], post={}, query={"manad": "2026-01"}),
    "budget_import": _get("budget:import", lambda w: [w.project.pk]),
    "budget_import POST": _post("budget:import", lambda w: [w.project.pk]),
    "budget_import_undo POST": _post("budget:import_undo", lambda w: [w.cost_import.pk]),
    # --- dataprotection (retention for administrators; extracts and holds for the data-protection
    # officer only, whose own column is in vagval/dataprotection/tests/test_pages.py) ---
    "dp_rules": _get("dataprotection:rules"),
    "dp_rule_create": _get("dataprotection:rule_create"),
    "dp_rule_create POST": _post("dataprotection:rule_create"),
    "dp_rule": _get("dataprotection:rule", lambda w: [w.retention_rule.pk]),
    "dp_rule_edit": _get("dataprotection:rule_edit", lambda w: [w.retention_rule.pk]),
    "dp_rule_edit POST": _post("dataprotection:rule_edit", lambda w: [w.retention_rule.pk]),
    "dp_dry_run POST": _post("dataprotection:dry_run", lambda w: [w.retention_rule.pk]),
    "dp_review": _get("dataprotection:review", lambda w: [w.retention_review.pk]),
    "dp_review_approve POST": _post("dataprotection:review_approve", lambda w: [w.retention_review.pk]),
    "dp_deletion_log": _get("dataprotection:deletion_log"),
    "dp_holds": _get("dataprotection:holds"),
    "dp_holds POST": _post("dataprotection:holds"),
    "dp_hold_lift POST": _post("dataprotection:hold_lift", lambda w: [w.legal_hold.pk]),
    "dp_extract": _get("dataprotection:extract"),
    "dp_extract POST": _post("dataprotection:extract"),
}


def _own_view_link(w: SweepWorld) -> tuple[Any, str]:
    """A new link to the own view of alice's person's plan, made by alice, and its token."""
    from vagval.worklist.own_view import own_view_link_create

    return own_view_link_create(ctx=ctx_for(w.users["alice"]), plan_id=w.plan.pk)


COLUMNS = ("anonymous", "alice", "bob", "charlie", "frida", "erik", "dana")


def _protected(w: SweepWorld) -> list[object]:
    return [w.cases["sekretessmarkering"].person.pk]


def _home(w: SweepWorld, persona: str):
    """The municipality whose setting the persona's form shows: their own, else Ludvika's."""
    unit = w.users[persona].unit if persona in w.users else None
    own = unit.organisation.municipality if unit is not None else None
    return own or w.ludvika.organisation.municipality


# The register apps' pages are called for every persona by test_register_pages_matrix (GET); these
# are their forms' POSTs, with that matrix's personas (its world is this module's world too), so
# that the read-only KAA-ansvarig (rut) is seen to be refused on every write.
REGISTER_WRITES: dict[str, Call] = {
    "import_upload POST": _post("registers:upload"),
    # A valid form (the read-only KAA-ansvarig is refused before the form is read, valid or not).
    "settings POST": Call(
        "targetgroup:settings",
        query={"kommun": "2085"},
        post=lambda w, persona: {
            "im_ends_kaa": "on",
            "first_contact_workdays": "12",
            "version": target_group_setting_version(setting=target_group_setting_get(municipality=_home(w, persona))),
        },
    ),
    "handover POST": _post("targetgroup:handover", lambda w: [w.handover.episode.pk]),
    "contact_create POST": _post("outreach:contact_create", _protected),
    "occupation_create POST": _post("outreach:occupation_create", _protected),
    "letter POST": _post("outreach:letter", lambda w: [w.open.person.pk]),
    "measure_create POST": _post("kaa:measure_create", _protected),
    "measure_edit POST": _post("kaa:measure_edit", lambda w: [w.cases["sekretessmarkering"].measure.pk]),
}

# --- How each API operation is called -------------------------------------------------------------

# The value of each path parameter of the API, in the world.
PATH_PARAMETERS: dict[str, Callable[[SweepWorld], object]] = {
    "person_id": lambda w: w.person.pk,
    "enrolment_id": lambda w: w.enrolment.pk,
    "referral_id": lambda w: w.referral.pk,
    "plan_id": lambda w: w.plan.pk,
    "step_id": lambda w: w.step.pk,
    # --- catalogue (offers) ---
    "offer_id": lambda w: w.offer.pk,
    # --- placements ---
    "placement_id": lambda w: sweep_placement(w).pk,
    # --- followup ---
    "follow_up_id": lambda w: w.follow_up.pk,
    # --- esf ---
    "project_id": lambda w: w.project.pk,
}


@dataclass(frozen=True)
class ApiCall:
    """The body (for operations that take one) and any extra headers; method and path come from the
    schema. The body is valid, so that the answer is about permission, not about the input."""

    body: Callable[[SweepWorld], dict[str, Any]] | None = None
    headers: Callable[[SweepWorld], dict[str, str]] = lambda w: {}

    def send(self, w: SweepWorld, persona: str, operation_id: str):
        method, template = api_operations()[operation_id]
        path = template.format(**{name: value(w) for name, value in PATH_PARAMETERS.items()})
        kwargs: dict[str, Any] = {"headers": self.headers(w)}
        if self.body is not None:
            kwargs |= {"data": json.dumps(self.body(w), default=str), "content_type": "application/json"}
        return getattr(w.api[persona], method.lower())(path, **kwargs)


def _enrolment_body(w: SweepWorld) -> dict[str, Any]:
    return {"project_id": str(w.second_project.pk), "starts_on": timezone.localdate().isoformat()}


def _if_match(get_path: str) -> Callable[[SweepWorld], dict[str, str]]:
    """The ETag alice's token is given for the resource, as `If-Match`: a PUT then answers about
    permission, not about a missing or stale version. Nothing while the resource sends no ETag."""

    def headers(w: SweepWorld) -> dict[str, str]:
        path = get_path.format(**{name: value(w) for name, value in PATH_PARAMETERS.items()})
        etag = w.api["alice"].get(path).get("ETag")
        return {"If-Match": etag} if etag else {}

    return headers


def _step_if_match(w: SweepWorld) -> dict[str, str]:
    """The step's ETag from alice's list of the plan's steps (the list carries each step's `etag`)."""
    steps = w.api["alice"].get(f"/api/v1/plans/{w.plan.pk}/steps").json()
    return {"If-Match": next(s["etag"] for s in steps if s["id"] == str(w.step.pk))}


API: dict[str, ApiCall] = {
    "person_list": ApiCall(),
    "person_create": ApiCall(lambda w: new_person_body(w.project)),
    "person_search": ApiCall(lambda w: {"query": w.person.last_name}),
    "person_get": ApiCall(),
    "person_update": ApiCall(
        lambda w: person_body(w.person, first_name="Svea-Lisa"), _if_match("/api/v1/persons/{person_id}")
    ),
    "enrolment_list": ApiCall(),
    "enrolment_get": ApiCall(),
    "enrolment_create": ApiCall(_enrolment_body),
    "enrolment_update": ApiCall(
        lambda w: {"starts_on": w.enrolment.starts_on.isoformat(), "status": "vilande"},
        _if_match("/api/v1/enrolments/{enrolment_id}"),
    ),
    # --- partner systems: referrals and plan steps ---
    "referral_list": ApiCall(),
    "referral_get": ApiCall(),
    "referral_answer": ApiCall(lambda w: {"answer": "accept"}, _if_match("/api/v1/referrals/{referral_id}")),
    "plan_step_list": ApiCall(),
    "plan_step_update": ApiCall(
        lambda w: {
            "content": "Studiebesök på Komvux",
            "responsible_kind": "enhet",
            "responsible_unit_id": str(w.ludvika.pk),
            "starts_on": w.step.starts_on.isoformat(),
        },
        _step_if_match,
    ),
    # --- catalogue (offers) ---
    "offer_list": ApiCall(),
    "offer_create": ApiCall(lambda w: _offer_body(w)),
    "offer_get": ApiCall(),
    "offer_update": ApiCall(lambda w: _offer_body(w, title="Svepad praktik"), _if_match("/api/v1/offers/{offer_id}")),
    "offer_patch": ApiCall(lambda w: {"capacity": 3}, _if_match("/api/v1/offers/{offer_id}")),
    # --- placements ---
    "placement_list": ApiCall(),
    "placement_get": ApiCall(),
    "placement_create": ApiCall(
        lambda w: {"enrolment_id": str(w.enrolment.pk), "offer_id": str(sweep_other_offer(w).pk), "status": "erbjuden"}
    ),
    "placement_update": ApiCall(lambda w: {"status": "accepterad"}, _if_match("/api/v1/placements/{placement_id}")),
    # --- followup ---
    "exit_list": ApiCall(),
    "exit_create": ApiCall(
        lambda w: {
            "exit_on": timezone.localdate().isoformat(),
            "reason": "malet_natt",
            "situation": "i_arbete",
            "source": "ungdomen",
        },
        _if_match("/api/v1/enrolments/{enrolment_id}"),
    ),
    "follow_up_list": ApiCall(),
    "follow_up_get": ApiCall(),
    "follow_up_record": ApiCall(
        lambda w: {"outcome": "i_arbete", "source": "ungdomen"}, _if_match("/api/v1/follow-ups/{follow_up_id}")
    ),
    # --- esf ---
    "esf_indicators": ApiCall(),
}


def _offer_body(w: SweepWorld, **changes: Any) -> dict[str, Any]:
    return {"kind": "praktik", "title": "Ny praktik", "provider_id": str(w.provider.pk), "ssyk_area": "7", **changes}


# --- What each persona gets -----------------------------------------------------------------------

LOGIN = "L"  # redirected to the login page

# One row per WEB key: the exact status per persona, in the order of COLUMNS.
#                               anon  alice bob   charl frida erik  dana
_WEB_TABLE = """
home                            302   302   302   302   302   302   302
set_language POST               302   302   302   302   302   302   302
health_live                     200   200   200   200   200   200   200
health_ready                    503   503   503   503   503   503   503
login                           200   302   302   302   302   302   302
login POST                      200   302   302   302   302   302   302
logout POST                     L     L     L     L     L     L     L
two_factor                      L     200   200   200   200   200   200
two_factor POST                 L     200   200   200   200   200   200
two_factor_disable POST         L     403   403   403   403   403   403
user_list                       L     403   403   403   403   403   200
user_create                     L     403   403   403   403   403   200
user_create POST                L     403   403   403   403   403   200
user_edit                       L     403   403   403   403   403   200
user_edit POST                  L     403   403   403   403   403   200
user_password                   L     403   403   403   403   403   200
user_password POST              L     403   403   403   403   403   200
user_project_role_add POST      L     403   403   403   403   403   200
user_project_role_remove POST   L     403   403   403   403   403   302
user_two_factor_reset POST      L     403   403   403   403   403   302
api_tokens                      L     200   200   200   200   200   200
api_token_revoke POST           L     302   404   404   404   404   404
user_api_token_revoke POST      L     403   403   403   403   403   302
caseload                        L     200   200   200   200   302   200
export                          L     200   200   200   200   403   403
search                          L     200   200   200   200   200   200
search POST                     L     200   200   200   200   200   200
search_results POST             L     200   200   200   200   200   200
person_create                   L     200   403   200   200   403   403
person_create POST              L     200   403   200   200   403   403
person                          L     200   200   404   404   404   404
person_edit                     L     200   403   404   404   404   404
person_edit POST                L     200   403   404   404   404   404
enrolment_create                L     200   403   404   404   404   404
enrolment_create POST           L     200   403   404   404   404   404
enrolment_edit                  L     200   403   404   404   404   403
enrolment_edit POST             L     200   403   404   404   404   403
merge                           L     200   403   404   404   404   404
merge POST                      L     200   403   404   404   404   404
protection_lower                L     403   403   403   403   403   200
protection_lower POST           L     403   403   403   403   403   200
consents                        L     200   200   404   404   404   404
consent_record                  L     200   403   404   404   404   404
consent_record POST             L     200   403   404   404   404   404
consent_overview                L     200   200   404   404   404   404
consent                         L     200   200   404   404   404   403
consent_withdraw                L     200   403   404   404   404   403
consent_withdraw POST           L     200   403   404   404   404   403
consent_document                L     200   200   404   404   404   403
plans                           L     200   200   404   404   404   404
plan_create POST                L     400   403   404   404   404   404
plan                            L     200   200   404   404   404   404
plan_edit                       L     200   403   404   404   404   404
plan_edit POST                  L     400   403   404   404   404   404
plan_continue                   L     200   403   404   404   404   404
plan_continue POST              L     400   403   404   404   404   404
step_add                        L     200   403   404   404   404   404
step_add POST                   L     200   403   404   404   404   404
step_edit                       L     200   403   404   404   404   404
step_edit POST                  L     400   403   404   404   404   404
step_end                        L     200   403   404   404   404   404
step_end POST                   L     200   403   404   404   404   404
plan_versions                   L     200   200   404   404   404   404
plan_version                    L     200   200   404   404   404   404
plan_pdf                        L     200   200   404   404   404   404
referrals                       L     200   200   200   200   200   200
referral_create                 L     200   403   404   404   404   404
referral_create POST            L     400   403   404   404   404   404
response_times                  L     200   200   200   200   200   200
referral                        L     200   200   404   404   404   404
referral POST sender            L     302   403   404   404   404   404
referral POST recipient         L     403   403   404   404   404   404
notes                           L     200   200   404   404   404   404
notes POST                      L     400   403   404   404   404   404
note_correct                    L     200   403   404   404   404   404
note_correct POST               L     400   403   404   404   404   404
assessments                     L     200   200   404   404   404   404
response_create                 L     200   403   404   404   404   404
response_create POST            L     400   403   404   404   404   404
link_create POST                L     400   403   404   404   404   404
response                        L     200   200   404   404   404   404
link                            L     200   200   404   404   404   404
link_revoke POST                L     302   403   404   404   404   404
link_form                       200   200   200   200   200   200   200
link_form POST                  400   400   400   400   400   400   400
cohort                          L     200   403   403   403   403   403
instrument_list                 L     403   403   403   403   403   200
instrument_list POST            L     403   403   403   403   403   200
instrument_version              L     403   403   403   403   403   200
admin_index                     L     403   403   403   403   403   200
organisation_list               L     403   403   403   403   403   200
organisation_create             L     403   403   403   403   403   200
organisation_create POST        L     403   403   403   403   403   200
organisation                    L     403   403   403   403   403   200
organisation_edit               L     403   403   403   403   403   200
organisation_edit POST          L     403   403   403   403   403   200
unit_create                     L     403   403   403   403   403   200
unit_create POST                L     403   403   403   403   403   200
unit_edit                       L     403   403   403   403   403   200
unit_edit POST                  L     403   403   403   403   403   200
project_list                    L     403   403   403   403   403   200
project_create                  L     403   403   403   403   403   200
project_create POST             L     403   403   403   403   403   200
project                         L     403   403   403   403   403   200
project_edit                    L     403   403   403   403   403   200
project_edit POST               L     403   403   403   403   403   200
method_list                     L     403   403   403   403   403   200
method_create                   L     403   403   403   403   403   200
method_create POST              L     403   403   403   403   403   200
method_edit                     L     403   403   403   403   403   200
method_edit POST                L     403   403   403   403   403   200
sso_start                       403   403   403   403   403   403   403
sso_saml_acs POST               403   403   403   403   403   403   403
sso_saml_metadata               200   200   200   200   200   200   200
sso_saml_logout_done            L     L     L     L     L     L     L
sso_oidc_callback               403   403   403   403   403   403   403
sso_provider_list               L     403   403   403   403   403   200
sso_provider_create             L     403   403   403   403   403   200
sso_provider_create POST        L     403   403   403   403   403   200
sso_provider_edit               L     403   403   403   403   403   200
sso_provider_edit POST          L     403   403   403   403   403   200
sso_identity_add POST           L     403   403   403   403   403   200
sso_identity_remove POST        L     403   403   403   403   403   302
sso_policies                    L     403   403   403   403   403   200
sso_policy_edit                 L     403   403   403   403   403   200
sso_policy_edit POST            L     403   403   403   403   403   200
log                             L     403   403   403   403   403   200
person_lookup POST              L     403   403   403   403   403   302
log_export                      L     403   403   403   403   403   200
api_index                       200   200   200   200   200   200   200
openapi                         200   200   200   200   200   200   200
api_not_found                   404   404   404   404   404   404   404
# --- catalogue (offers) ---
offer_list                      L     200   200   200   200   200   200
offer_create                    L     200   403   200   200   403   200
offer_create POST               L     200   403   200   200   403   200
offer_detail                    L     200   200   200   200   200   200
offer_edit                      L     200   403   403   403   403   200
offer_edit POST                 L     200   403   403   403   403   200
offer_status POST               L     400   403   403   403   403   400
provider_list                   L     200   200   200   200   200   200
provider_create                 L     200   403   200   200   403   200
provider_create POST            L     200   403   200   200   403   200
provider_detail                 L     200   200   200   200   200   200
provider_edit                   L     200   403   403   403   403   200
provider_edit POST              L     200   403   403   403   403   200
provider_contact_create         L     200   403   403   403   403   200
provider_contact_create POST    L     200   403   403   403   403   200
provider_contact_edit           L     200   403   403   403   403   200
provider_contact_edit POST      L     200   403   403   403   403   200
need_list                       L     200   200   200   200   200   200
need_create                     L     200   403   200   200   403   200
need_create POST                L     200   403   200   200   403   200
need_edit                       L     200   403   403   403   403   200
need_edit POST                  L     200   403   403   403   403   200
interest_list                   L     200   200   200   200   200   200
interest_create                 L     200   403   200   200   403   200
interest_create POST            L     200   403   200   200   403   200
interest_edit                   L     200   403   403   403   403   200
interest_edit POST              L     200   403   403   403   403   200
person_offer_links              L     200   200   404   404   404   404
person_offer_links POST         L     200   403   404   404   404   404
offer_link_revoke POST          L     302   403   404   404   404   404
offer_link_public               200   200   200   200   200   200   200
# --- catalogue: admission ---
admission_rounds                L     200   200   200   200   200   200
admission_round_create          L     200   403   403   403   403   200
admission_round_create POST     L     400   403   403   403   403   400
admission_board                 L     200   200   200   200   200   200
admission_round_edit            L     200   403   403   403   403   200
admission_round_edit POST       L     400   403   403   403   403   400
admission_application_create    L     200   403   200   200   403   403
admission_application_create POST L   400   403   400   400   403   403
admission_application_step      L     200   200   404   404   404   404
admission_application_step POST L     400   403   404   404   404   404
matching_suggestions            L     200   200   404   404   404   404
matching_profile                L     200   200   404   404   404   404
matching_profile POST           L     400   403   404   404   404   404
matching_propose POST           L     400   403   404   404   404   404
matching_reject POST            L     400   403   404   404   404   404
matching_overview               L     200   200   200   403   403   200
matching_weights                L     200   403   403   403   403   200
matching_weights POST           L     400   403   403   403   403   400
matching_demand                 L     200   200   200   403   200   200
matching_demand_export          L     200   200   200   403   200   200
matching_offer_preference       L     200   403   403   403   403   200
matching_offer_preference POST  L     400   403   403   403   403   400
matching_intake_create          L     200   403   200   403   403   403
matching_intake_create POST     L     400   403   400   403   403   403
matching_intake                 L     200   200   404   404   404   404
matching_intake_solve POST      L     302   403   404   403   403   403
matching_intake_pair POST       L     400   403   404   403   403   403
matching_intake_confirm POST    L     400   403   404   403   403   403
matching_rank POST              L     302   403   404   404   404   404
placement_create                L     200   403   404   404   404   404
placement_create POST           L     400   403   404   404   404   404
placement_detail                L     200   200   404   404   404   404
placement_status POST           L     400   403   404   404   404   404
placement_assessment_schedule POST L  400   403   404   404   404   404
placement_assessment_send POST  L     400   403   404   404   404   404
placement_offer_list            L     200   200   200   200   200   200
placement_offer_list POST       L     400   403   403   403   403   403
placement_attendance            L     200   200   200   200   200   200
placement_attendance POST       L     302   403   403   403   403   403
# --- followup ---
followup_list                   L     200   200   200   200   200   200
followup_figures                L     200   200   200   403   403   403
followup_settings               L     200   403   403   403   403   200
followup_settings POST          L     400   403   403   403   403   400
followup_exit_create            L     200   403   404   404   404   403
followup_exit_create POST       L     400   403   404   404   404   403
followup_person                 L     200   200   404   404   404   404
followup_detail                 L     200   200   404   404   404   404
followup_detail POST            L     400   403   404   404   404   404
followup_attempt POST           L     400   403   404   404   404   404
followup_not_reached POST       L     302   403   404   404   404   404
followup_confirm POST           L     302   403   404   404   404   404
followup_answer                 200   200   200   200   200   200   200
followup_answer POST            400   400   400   400   400   400   400
# --- worklist ---
worklist                        L     200   200   200   200   200   200
worklist_mark                   L     200   403   404   404   404   404
worklist_mark POST              L     200   403   404   404   404   404
notifications                   L     200   200   200   200   200   200
notifications_read_all POST     L     302   302   302   302   302   302
notification_open               L     404   404   404   404   404   404
worklist_settings               L     200   200   200   200   200   200
worklist_settings POST          L     302   302   302   302   302   302
jobs                            L     403   403   403   403   403   200
own_view_links                  L     200   200   404   404   404   404
own_view_links POST             L     200   403   404   404   404   404
own_view_revoke POST            L     302   403   404   404   404   404
own_view                        200   200   200   200   200   200   200
# --- esf ---
esf_report                      L     200   403   403   403   403   200
esf_report_csv                  L     302   403   403   403   403   302
esf_report_xlsx                 L     302   403   403   403   403   302
esf_incomplete                  L     200   200   200   200   403   403
esf_entry_edit                  L     200   200   404   404   404   404
esf_entry_edit POST             L     400   403   404   404   404   404
esf_project_funding             L     403   403   403   403   403   200
esf_project_funding POST        L     403   403   403   403   403   302
esf_scb_months                  L     200   403   403   403   403   403
esf_scb_file POST               L     200   403   403   403   403   403
# --- reporting ---
reporting_index                 L     200   403   403   403   200   200
reporting_steering              L     200   403   403   403   200   200
reporting_steering_pdf          L     200   403   403   403   200   200
reporting_steering_xlsx         L     200   403   403   403   200   200
# --- evaluation ---
evaluation_start                L     403   403   403   403   200   403
evaluation_project              L     403   403   403   403   200   403
evaluation_export_create POST   L     403   403   403   403   400   403
evaluation_export               L     200   404   404   404   200   404
evaluation_export_progress      L     200   404   404   404   200   404
evaluation_export_download      L     404   404   404   404   200   404
evaluation_export_decide POST   L     302   404   404   404   403   404
evaluation_leader               L     200   403   403   403   403   403
evaluation_survey_create POST   L     400   403   403   403   403   403
evaluation_survey               L     200   404   404   404   200   404
evaluation_survey_links POST    L     400   404   404   404   404   404
evaluation_survey_form          200   200   200   200   200   200   200
evaluation_survey_form POST     400   400   400   400   400   400   400
# --- targets, budget, the project leader's start page ---
leader_start                    L     200   403   403   403   403   403
targets_project                 L     200   403   403   403   403   403
targets_create                  L     200   403   403   403   403   403
targets_create POST             L     400   403   403   403   403   403
targets_edit                    L     200   403   403   403   403   403
targets_edit POST               L     400   403   403   403   403   403
targets_remove POST             L     302   403   403   403   403   403
budget_project                  L     200   403   403   403   403   403
budget_lines                    L     200   403   403   403   403   403
budget_lines POST               L     400   403   403   403   403   403
budget_month                    L     200   403   403   403   403   403
budget_month POST               L     400   403   403   403   403   403
budget_import                   L     200   403   403   403   403   403
budget_import POST              L     400   403   403   403   403   403
budget_import_undo POST         L     302   403   403   403   403   403
# --- dataprotection ---
dp_rules                        L     403   403   403   403   403   200
dp_rule_create                  L     403   403   403   403   403   200
dp_rule_create POST             L     403   403   403   403   403   200
dp_rule                         L     403   403   403   403   403   200
dp_rule_edit                    L     403   403   403   403   403   200
dp_rule_edit POST               L     403   403   403   403   403   200
dp_dry_run POST                 L     403   403   403   403   403   302
dp_review                       L     403   403   403   403   403   200
dp_review_approve POST          L     403   403   403   403   403   302
dp_deletion_log                 L     403   403   403   403   403   200
dp_holds                        L     403   403   403   403   403   403
dp_holds POST                   L     403   403   403   403   403   403
dp_hold_lift POST               L     403   403   403   403   403   403
dp_extract                      L     403   403   403   403   403   403
dp_extract POST                 L     403   403   403   403   403   403
"""

# One row per API operation (by operationId). Anonymous is always 401.
#                               anon  alice bob   charl frida erik  dana
_API_TABLE = """
person_list                     401   200   200   200   200   200   200
person_create                   401   201   403   201   201   403   403
person_search                   401   200   200   200   200   200   200
person_get                      401   200   200   404   404   404   404
person_update                   401   200   403   404   404   404   404
enrolment_list                  401   200   200   404   404   404   404
enrolment_get                   401   200   200   404   404   404   403
enrolment_create                401   201   403   404   404   404   404
enrolment_update                401   200   403   404   404   404   403
# --- partner systems: referrals and plan steps ---
referral_list                   401   200   200   200   200   200   200
referral_get                    401   200   200   404   404   404   404
referral_answer                 401   403   403   404   404   404   404
plan_step_list                  401   200   200   404   404   404   404
plan_step_update                401   200   403   404   404   404   404
# --- catalogue (offers) ---
offer_list                      401   200   200   200   200   200   200
offer_create                    401   201   403   201   201   403   422
offer_get                       401   200   200   200   200   200   200
offer_update                    401   200   403   403   403   403   200
offer_patch                     401   200   403   403   403   403   200
placement_list                  401   200   200   200   200   200   200
placement_get                   401   200   200   404   404   404   404
placement_create                401   201   403   404   404   404   404
placement_update                401   200   403   404   404   404   404
# --- followup ---
exit_list                       401   200   200   404   404   404   404
exit_create                     401   201   403   404   404   404   403
follow_up_list                  401   200   200   200   200   200   200
follow_up_get                   401   200   200   404   404   404   404
follow_up_record                401   200   403   404   404   404   404
# --- esf ---
esf_indicators                  401   200   404   404   404   404   200
"""


# One row per REGISTER_WRITES key, with the register matrix's personas (test_register_pages_matrix.PERSONAS).
#                        karin rut   kim   alice bob   charl sven  frida dana  erik  anon
_REGISTER_WRITES_TABLE = """
import_upload POST       400   403   403   403   403   403   400   403   403   403   L
settings POST            302   403   403   403   403   403   302   403   302   403   L
handover POST            400   403   400   404   404   404   404   403   403   403   L
contact_create POST      400   403   400   404   404   404   404   404   404   404   L
occupation_create POST   400   403   400   404   404   404   404   404   404   404   L
letter POST              200   403   200   404   404   404   404   404   404   404   L
measure_create POST      400   403   400   404   404   404   404   404   404   404   L
measure_edit POST        400   403   400   404   404   404   404   404   404   404   L
"""


def _table(text: str, columns: tuple[str, ...] = COLUMNS) -> dict[str, dict[str, str]]:
    """The rows of a table: the label (which may have spaces), then one code per column; lines
    starting with # are comments (each app's block of rows starts with one)."""
    rows = {}
    for line in text.strip().splitlines():
        if line.lstrip().startswith("#"):
            continue
        words = line.split()
        label, codes = " ".join(words[: -len(columns)]), words[-len(columns) :]
        assert label, f"a row needs a label and {len(columns)} codes: {line!r}"
        assert all(code == LOGIN or (code.isdigit() and len(code) == 3) for code in codes), line
        assert label not in rows, f"two rows for {label}"
        rows[label] = dict(zip(columns, codes, strict=True))
    return rows


WEB_EXPECTED = _table(_WEB_TABLE)
API_EXPECTED = _table(_API_TABLE)
REGISTER_COLUMNS = tuple(REGISTER_PERSONAS)
REGISTER_WRITES_EXPECTED = _table(_REGISTER_WRITES_TABLE, REGISTER_COLUMNS)

# Pages anyone may open without logging in, and why.
PUBLIC = {
    "home": "the start page only redirects to the caseload, which asks for a login",
    "set_language POST": "the language switch (Django's own view) only sets a cookie",
    "health_live": "the health check for load balancers: only says the process answers",
    "health_ready": "the readiness check: database, migrations, worker fine or not (no worker here: 503)",
    "login": "the login page itself",
    "login POST": "the login page itself",
    "link_form": "the personal link: the token in the address is the key (see test_protected_everywhere)",
    "link_form POST": "the personal link: the token in the address is the key",
    "api_index": "the API's index: its title, version and where the schema is",
    "openapi": "the API's schema: no data, the same for everyone",
    "api_not_found": "the API's JSON 404 for unknown addresses",
    # --- sso: the trip to an organisation's identity provider happens before anyone is logged in ---
    "sso_start": "sends the browser to an identity provider (here an inactive one: refused for all)",
    "sso_saml_acs POST": "the identity provider's signed answer; without our request's cookie: refused",
    "sso_saml_metadata": "this installation's SAML metadata: public by design, no data",
    "sso_saml_logout_done": "where a provider sends the browser after single logout: to the login page",
    "sso_oidc_callback": "the provider's redirect back with a code; without our state: refused",
    # --- catalogue (offers) ---
    "offer_link_public": "a young person's offer list: the token in the address is the key (only open offers)",
    # --- followup ---
    "followup_answer": "the young person's follow-up link: the token in the address is the key",
    "followup_answer POST": "the young person's follow-up link: the token in the address is the key",
    # --- worklist ---
    "own_view": "the young person's own view: the token in the address is the key",
    # --- evaluation ---
    "evaluation_survey_form": "the partners' survey behind a personal link: the token is the key",
    "evaluation_survey_form POST": "the partners' survey behind a personal link: the token is the key",
}

# POST rows where the read-only colleague (bob) is not refused, and why: these do not write casework.
POSTS_THAT_DO_NOT_WRITE = {
    "set_language POST": "sets the language cookie",
    "login POST": "the login form",
    "logout POST": "logs out",
    "two_factor POST": "bob's own two-factor setup: read-only is about casework, not one's own login",
    "search POST": "a search: POST so that an identity number is never in the address",
    "search_results POST": "a search: POST so that an identity number is never in the address",
    "link_form POST": "the personal link's own form, for the young person (no login)",
    # --- followup ---
    "followup_answer POST": "the young person's own follow-up form (no login)",
    # --- worklist ---
    "notifications_read_all POST": "marks one's own notifications read: not casework",
    "worklist_settings POST": "one's own choice of the daily e-mail: not casework",
}

# API operations on records that are not personal data and that every member of staff sees (so
# another organisation gets them, 200, and is refused a change, 403, instead of 404), and why.
NOT_PERSONAL_DATA = {
    # --- catalogue (offers) ---
    "offer_get": "an offer is not personal data: every member of staff sees the catalogue (issue 11)",
    "offer_update": "an offer is not personal data: charlie sees it, so a refused change is 403",
    "offer_patch": "an offer is not personal data: charlie sees it, so a refused change is 403",
}

# URL names that no persona sweep applies to, and why. Keep this short: a page that shows or
# changes anything belongs in WEB.
EXEMPT = {
    "api:api-root": "django-ninja's own root, only there for reverse(); /api/v1/ resolves to api-index first",
}


def _swept_url_names() -> dict[str, str]:
    """Every URL name some sweep covers, and where."""
    swept = {call.url_name: "test_every_url.WEB" for call in WEB.values()}
    swept |= {page.url_name: "test_register_pages_matrix.PAGES" for page in REGISTER_PAGES.values()}
    swept |= {call.url_name: "test_every_url.REGISTER_WRITES" for call in REGISTER_WRITES.values()}
    # The API's operations are named after their operationId (django-ninja's url_name).
    swept |= {f"api:{operation_id}": "test_every_url.API" for operation_id in API}
    return swept


# --- Nothing escapes ------------------------------------------------------------------------------

HOW_TO_ADD = (
    "add it to WEB and _WEB_TABLE in tests/permissions/test_every_url.py (how it is called, and the "
    "exact status for every persona), or, for a register page, to test_register_pages_matrix.PAGES, "
    "or to EXEMPT there with the reason"
)


def test_every_url_name_is_swept_or_exempted():
    missing = sorted(set(url_names()) - set(_swept_url_names()) - set(EXEMPT))
    assert missing == [], f"URL names in no permission sweep: {missing}; {HOW_TO_ADD}."


def test_every_api_operation_is_swept():
    missing = sorted(set(api_operations()) - set(API))
    assert missing == [], (
        f"API operations in no permission sweep: {missing}; add each to API and _API_TABLE in "
        "tests/permissions/test_every_url.py (its body, if it takes one, and the status for every persona)."
    )


def test_the_sweep_names_only_what_exists():
    """A renamed or removed URL must leave the tables too, or the sweep would test nothing."""
    names = set(url_names())
    assert sorted({call.url_name for call in [*WEB.values(), *REGISTER_WRITES.values()]} - names) == []
    assert sorted(set(EXEMPT) - names) == []
    assert sorted(set(API) - set(api_operations())) == []
    assert sorted(set(EXEMPT) & set(_swept_url_names())) == []


def test_each_call_has_its_row_and_each_row_its_call():
    assert sorted(set(WEB) ^ set(WEB_EXPECTED)) == []
    assert sorted(set(API) ^ set(API_EXPECTED)) == []
    assert sorted(set(REGISTER_WRITES) ^ set(REGISTER_WRITES_EXPECTED)) == []
    assert set(PUBLIC) <= set(WEB)
    assert set(POSTS_THAT_DO_NOT_WRITE) <= {label for label, call in WEB.items() if call.post is not None}


# --- The rules every row keeps --------------------------------------------------------------------


@pytest.mark.parametrize("label", WEB)
def test_the_row_keeps_the_rules(label):
    """What the issue requires of every page, checked on the table itself, so that a row cannot
    simply write down a leak: anonymous users log in first, read-only users do not write, and
    another organisation learns nothing (404 for a record of alice's unit, 403 for a role's page)."""
    row, call = WEB_EXPECTED[label], WEB[label]
    if label not in PUBLIC:
        assert row["anonymous"] == LOGIN, f"{label}: not public, so anonymous must go to the login page"
    if call.post is not None and label not in POSTS_THAT_DO_NOT_WRITE and label not in PUBLIC:
        # 404 only where the record is not bob's to see (say, another user's own token).
        assert row["bob"] in {"403", "404"}, f"{label}: a write, so the read-only colleague must be refused"
    if label not in PUBLIC and label not in POSTS_THAT_DO_NOT_WRITE:
        assert row["charlie"] in {"403", "404"} or row["charlie"] == row["alice"], (
            f"{label}: another organisation gets 404 (or 403 on a role's page), or a list of its own"
        )


@pytest.mark.parametrize("label", REGISTER_WRITES)
def test_the_register_write_row_keeps_the_rules(label):
    row = REGISTER_WRITES_EXPECTED[label]
    assert row["anonymous"] == LOGIN
    assert row["rut"] == "403", f"{label}: a write, so the read-only KAA-ansvarig must get 403"
    assert row["bob"] in {"403", "404"}
    assert row["charlie"] in {"403", "404"}


@pytest.mark.parametrize("operation_id", API)
def test_the_api_row_keeps_the_rules(operation_id):
    row = API_EXPECTED[operation_id]
    method, path = api_operations()[operation_id]
    assert row["anonymous"] == "401"
    if "{" in path and operation_id not in NOT_PERSONAL_DATA:  # takes the id of a record of alice's unit
        assert row["charlie"] == "404", f"{operation_id}: another organisation's token must get 404"
    if operation_id in NOT_PERSONAL_DATA and method != "GET":
        assert row["charlie"] in {"403", "404"}, f"{operation_id}: another organisation may not change it"
    if method != "GET" and operation_id != "person_search":  # the search is a read, POST for the number
        assert row["bob"] == "403", f"{operation_id}: a write, so the read-only colleague must get 403"


# --- Every page and operation, for every persona --------------------------------------------------


def _status(response) -> str:
    if response.status_code == 302 and response["Location"].partition("?")[0] == reverse("accounts:login"):
        return LOGIN
    return str(response.status_code)


# Pages that build pysaml2's configuration, which needs the xmlsec1 program (CI installs it).
NEEDS_XMLSEC1 = {"sso_saml_metadata"}


@pytest.mark.parametrize("label", WEB)
def test_each_page_answers_each_persona_as_the_table_says(w, label):
    if label in NEEDS_XMLSEC1:
        require_xmlsec1()
    call = WEB[label]
    responses = {persona: call.send(w, persona) for persona in COLUMNS}
    actual = {persona: _status(response) for persona, response in responses.items()}
    assert actual == WEB_EXPECTED[label]
    for persona, response in responses.items():
        # A page a signed-in user gets is never kept by a browser or proxy cache: it may show
        # person data, and a shared computer's back button must not show it to the next user.
        if persona != "anonymous" and response.status_code == 200:
            assert "no-store" in response.get("Cache-Control", ""), (label, persona, response.get("Cache-Control"))


@pytest.mark.parametrize("label", REGISTER_WRITES)
def test_each_register_write_answers_each_persona_as_the_table_says(w, label):
    call = REGISTER_WRITES[label]
    actual = {persona: _status(call.send(w, persona)) for persona in REGISTER_COLUMNS}
    assert actual == REGISTER_WRITES_EXPECTED[label]


@pytest.mark.parametrize("operation_id", API)
def test_each_api_operation_answers_each_persona_as_the_table_says(w, operation_id):
    call = API[operation_id]
    responses = {persona: call.send(w, persona, operation_id) for persona in COLUMNS}
    assert {persona: str(r.status_code) for persona, r in responses.items()} == API_EXPECTED[operation_id]
    for persona, response in responses.items():
        # JSON everywhere, never an HTML error page, and never a redirect to the login page.
        assert response["Content-Type"].startswith("application/json"), persona
    anonymous = responses["anonymous"]
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert set(anonymous.json()) == {"detail"}
