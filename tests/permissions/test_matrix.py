"""The permission matrix: every role × every consent state × every action, each cell asserted.

The table is the specification. `expected()` says in plain terms what each persona should get;
`perform()` does the action through the real pages and API and describes what came back. A
cell passes when the two agree on the status code and on the content: whether the person is
in the answer, whether their identity number is, and (for plans and notes) what else is.

Consent states, always for alice's person and the partner's unit (Arbetsförmedlingen), and
always documented by alice's unit, which keeps the person, the plan and the notes:

none                     no consent at all
valid                    a valid consent naming the partner's unit, covering every category
expired                  valid until yesterday
withdrawn                withdrawn as a whole
withdrawn_for_recipient  names AF and FK; withdrawn for AF only (still valid for FK)
wrong_recipient          a valid consent, but it names FK, not AF
category_missing         valid and names AF, but lacks the one category the action needs:
                         identity for the person, search, list, export and API actions (so no
                         number), plan for the plan actions, notes for the notes

The consent states apply to every role: for everyone but the partner they change nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ctx_for
from tests.permissions.conftest import Staff, consent_for
from vagval.consent.models import ALL_CATEGORIES, ConsentCategory
from vagval.consent.services import consent_withdraw
from vagval.journal.models import NoteVisibility
from vagval.journal.services import NoteData, note_write
from vagval.people.models import Person
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.plans.models import PlanStep
from vagval.plans.services import step_version
from vagval.plans.tests.factories import add_step, make_plan

IDENTITY, PLAN, NOTES = ConsentCategory.IDENTITY, ConsentCategory.PLAN, ConsentCategory.NOTES

ROLES = {
    "alice": "coach at the person's own unit (responsible coach)",
    "bob": "read-only colleague at the person's own unit",
    "charlie": "coach in another municipality",
    "frida": "partner handläggare at Arbetsförmedlingen (the consent's recipient)",
    "erik": "evaluator",
    "dana": "administrator",
}
STATES = (
    "none",
    "valid",
    "expired",
    "withdrawn",
    "withdrawn_for_recipient",
    "wrong_recipient",
    "category_missing",
)
# Each action and the consent category it needs (left out in the state "category_missing").
ACTIONS = {
    "view": IDENTITY,  # the person page
    "search_name": IDENTITY,  # the as-you-type search, by name (POST)
    "search_number": IDENTITY,  # the same search, by personnummer (POST)
    "list": IDENTITY,  # the caseload, "alla på enheten"
    "export": IDENTITY,  # the caseload exported as CSV
    "api_detail": IDENTITY,  # GET /api/v1/persons/{id}
    "api_list": IDENTITY,  # GET /api/v1/persons
    "plan": PLAN,  # the plan page
    "step_partner_unit": PLAN,  # change a plan step Arbetsförmedlingen is responsible for
    "step_other_unit": PLAN,  # change a plan step the coordinating unit (Ludvika) is responsible for
    "notes": NOTES,  # the journal notes (one shared note, one for the unit only)
}
WRITERS = {"alice", "frida"}  # casework roles that are not read-only (charlie writes, but only at home)
NO_PERSON_ACCESS = {"erik", "dana"}  # roles that never see individuals


@dataclass(frozen=True)
class Outcome:
    status: int
    person: bool = False  # the person's name is in the answer
    number: bool = False  # the person's identity number is in the answer
    contact: bool = False  # the person's address, phone or e-mail is in the answer
    shows: frozenset[str] = field(default_factory=frozenset)  # "plan_goal", "shared_note", "unit_note", "step_changed"


NOT_FOUND = Outcome(404)
FORBIDDEN = Outcome(403)


def expected(role: str, state: str, action: str) -> Outcome:
    """What `role` gets for `action` on alice's person while the partner's consent is in `state`."""
    # On what basis does the role see the person at all?
    if role in {"alice", "bob"}:
        basis = "own_unit"  # the person is enrolled at their unit: consents do not matter
    elif role == "frida" and state in {"valid", "category_missing"}:
        basis = "consent"  # a valid consent names her unit, and has not been withdrawn for it
    else:
        basis = None  # other municipality, evaluator, admin; or a partner without a valid consent
    # Which categories of information does that basis open?
    if basis == "own_unit" or (basis == "consent" and state == "valid"):
        categories = ALL_CATEGORIES
    elif basis == "consent":
        categories = ALL_CATEGORIES - {ACTIONS[action]}
    else:
        categories = frozenset()
    sees = basis is not None
    number = IDENTITY in categories
    plan = basis == "own_unit" or PLAN in categories

    if action == "view":
        # Identity number and contact details come with the category "identitet".
        return Outcome(200, person=True, number=number, contact=number) if sees else NOT_FOUND
    if action == "search_name":
        # Hits show a masked number (birth date and ****), never the full one.
        return Outcome(200, person=sees)
    if action == "search_number":
        # Finding someone by number confirms whose number it is: only for those who may see numbers.
        return Outcome(200, person=sees and number)
    if action == "list":
        return Outcome(200, person=sees)
    if action == "export":
        # Names only, never numbers; roles that never see individuals may not export at all.
        return FORBIDDEN if role in NO_PERSON_ACCESS else Outcome(200, person=sees)
    if action == "api_detail":
        return Outcome(200, person=True, number=number, contact=number) if sees else NOT_FOUND
    if action == "api_list":
        return Outcome(200, person=sees, number=sees and number, contact=sees and number)
    if action == "plan":
        return Outcome(200, person=True, shows=frozenset({"plan_goal"})) if plan else NOT_FOUND
    if action == "step_partner_unit":
        # The own unit's writers change every step; a partner's writer the steps of their own unit.
        if not plan:
            return NOT_FOUND
        return Outcome(302, shows=frozenset({"step_changed"})) if role in WRITERS else FORBIDDEN
    if action == "step_other_unit":
        if not plan:
            return NOT_FOUND
        return Outcome(302, shows=frozenset({"step_changed"})) if role == "alice" else FORBIDDEN
    if action == "notes":
        if basis == "own_unit":
            return Outcome(200, person=True, shows=frozenset({"shared_note", "unit_note"}))
        if NOTES in categories:
            return Outcome(200, person=True, shows=frozenset({"shared_note"}))
        return NOT_FOUND
    raise AssertionError(f"unknown action {action}")


# --- The world --------------------------------------------------------------------------------

GOAL = "Jag vill jobba med djur"
SHARED_NOTE = "Delad anteckning om praktikplatsen"
UNIT_NOTE = "Anteckning bara för enheten"
CHANGED = "Ändrat i matrisen"


class World(Staff):
    def __init__(self) -> None:
        super().__init__()
        alice = self.users["alice"]
        self.person: Person = PersonFactory(
            first_name="Moa",
            last_name="Matrisdotter",
            address="Matrisgatan 3",
            postal_code="77141",
            city="Matrisby",
            phone="070-123 00 99",
            email="moa.matris@example.org",
        )
        self.contact = ("Matrisgatan 3", "77141", "Matrisby", "070-123 00 99", "moa.matris@example.org")
        EnrolmentFactory(person=self.person, project=self.project, unit=self.ludvika, coach=alice)
        charlies_person = PersonFactory(first_name="Ville", last_name="Testberg")
        EnrolmentFactory(
            person=charlies_person, project=self.project, unit=self.smedjebacken, coach=self.users["charlie"]
        )
        digits = self.person.id_number
        assert digits is not None
        self.numbers = (digits, f"{digits[:8]}-{digits[8:]}")
        self.plan = make_plan(self.person, by=alice, project=self.project, goals=[GOAL])
        self.af_step = add_step(self.plan, by=alice, content="Arbetsmarknadsutbildning", unit=self.af)
        self.ludvika_step = add_step(self.plan, by=alice, content="Samtal varannan vecka", unit=self.ludvika)
        note_write(
            ctx=ctx_for(alice),
            person=self.person,
            data=NoteData(text=SHARED_NOTE, visibility=NoteVisibility.SHARED),
        )
        note_write(
            ctx=ctx_for(alice), person=self.person, data=NoteData(text=UNIT_NOTE, visibility=NoteVisibility.OWN_UNIT)
        )


@pytest.fixture(scope="module")
def world(module_world_db) -> World:
    return World()


@pytest.fixture
def w(world, db) -> World:
    """The world, inside a savepoint that is rolled back after the test."""
    return world


def set_consent_state(w: World, state: str, action: str) -> None:
    today = timezone.localdate()
    alice, person = w.users["alice"], w.person
    if state == "none":
        return
    if state == "valid":
        consent_for(person, documented_by=alice, recipients=[w.af])
    elif state == "expired":
        consent_for(
            person,
            documented_by=alice,
            recipients=[w.af],
            valid_from=today - dt.timedelta(days=200),
            valid_to=today - dt.timedelta(days=1),
        )
    elif state == "withdrawn":
        consent = consent_for(person, documented_by=alice, recipients=[w.af])
        consent_withdraw(ctx=ctx_for(alice), consent=consent, note="Den unga återkallade")
    elif state == "withdrawn_for_recipient":
        consent = consent_for(person, documented_by=alice, recipients=[w.af, w.fk])
        consent_withdraw(ctx=ctx_for(alice), consent=consent, recipient_unit_id=w.af.pk)
    elif state == "wrong_recipient":
        consent_for(person, documented_by=alice, recipients=[w.fk])
    elif state == "category_missing":
        consent_for(person, documented_by=alice, recipients=[w.af], categories=ALL_CATEGORIES - {ACTIONS[action]})
    else:
        raise AssertionError(f"unknown state {state}")


# --- Doing the action -------------------------------------------------------------------------


def _step_post(w: World, role: str, step: PlanStep):
    data = {
        "content": CHANGED,
        "responsible_kind": step.responsible_kind,
        "responsible_unit": str(step.responsible_unit_id),
        "external_actor": "",
        "starts_on": step.starts_on.isoformat(),
        "follow_up_on": "",
        "version": step_version(step=step),  # the version the form showed (no lost updates)
    }
    return w.web[role].post(reverse("plans:step_edit", args=[w.plan.pk, step.pk]), data)


def perform(w: World, role: str, action: str) -> Outcome:
    web, api, person = w.web[role], w.api[role], w.person
    step = None
    if action == "view":
        response = web.get(reverse("people:detail", args=[person.pk]))
    elif action == "search_name":
        response = web.post(reverse("people:search_results"), {"q": person.last_name})
    elif action == "search_number":
        response = web.post(reverse("people:search_results"), {"q": w.numbers[1]})
    elif action == "list":
        # An evaluator is sent on to their own start page (issue 13): it must show no person either.
        response = web.get(reverse("people:caseload"), {"visa": "alla"}, follow=True)
    elif action == "export":
        response = web.get(reverse("people:export"), {"visa": "alla"})
    elif action == "api_detail":
        response = api.get(f"/api/v1/persons/{person.pk}")
    elif action == "api_list":
        response = api.get("/api/v1/persons")
    elif action == "plan":
        response = web.get(reverse("plans:detail", args=[w.plan.pk]))
    elif action == "step_partner_unit":
        step = w.af_step
        response = _step_post(w, role, step)
    elif action == "step_other_unit":
        step = w.ludvika_step
        response = _step_post(w, role, step)
    elif action == "notes":
        response = web.get(reverse("journal:person_notes", args=[person.pk]))
    else:
        raise AssertionError(f"unknown action {action}")
    body = response.content.decode("utf-8-sig")
    shows = {
        name
        for name, text in (("plan_goal", GOAL), ("shared_note", SHARED_NOTE), ("unit_note", UNIT_NOTE))
        if text in body
    }
    if step is not None and PlanStep.objects.get(pk=step.pk).content == CHANGED:
        shows.add("step_changed")
    return Outcome(
        status=response.status_code,
        person=person.last_name in body,
        number=any(number in body for number in w.numbers),
        contact=any(detail in body for detail in w.contact),
        shows=frozenset(shows),
    )


CELLS = list(itertools.product(ROLES, STATES, ACTIONS))


def test_the_matrix_has_every_cell():
    assert len(CELLS) == len(ROLES) * len(STATES) * len(ACTIONS) == 6 * 7 * 11


@pytest.mark.parametrize(("role", "state", "action"), CELLS, ids=["-".join(cell) for cell in CELLS])
def test_each_cell_of_the_matrix_holds(w, role, state, action):
    set_consent_state(w, state, action)
    assert perform(w, role, action) == expected(role, state, action)


@pytest.mark.parametrize("state", STATES)
def test_each_consent_state_is_what_it_says(w, state):
    """The states are not vacuous: who sees the person under each, at AF (frida) and at FK (gustav)."""
    set_consent_state(w, state, "view")
    seen_by = {
        name
        for name in ("frida", "gustav")
        if w.web[name].get(reverse("people:detail", args=[w.person.pk])).status_code == 200
    }
    assert (
        seen_by
        == {
            "none": set(),
            "valid": {"frida"},
            "expired": set(),
            "withdrawn": set(),
            "withdrawn_for_recipient": {"gustav"},
            "wrong_recipient": {"gustav"},
            "category_missing": {"frida"},
        }[state]
    )
