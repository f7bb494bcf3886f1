"""The register extract (GDPR art. 15): every kind of record and nothing of another person; only
the data-protection officer makes it; each person record shown is logged with the basis
"registerutdrag" and the reason; the file's name has no identity number.

One demo world for the module (the demo's year of work has most kinds of record) with the kinds
the demo does not make added to one of its persons."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, ctx_for
from vagval.access.scope import scope_for
from vagval.accounts.models import Role, User
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.catalogue.models import Offer, OfferListLink
from vagval.common.errors import PermissionDenied
from vagval.dataprotection import records
from vagval.dataprotection.extract_selectors import extract_build
from vagval.dataprotection.extract_services import register_extract_make
from vagval.dataprotection.models import LegalHold, RegisterExtract
from vagval.journal.models import Note
from vagval.matching.models import IntakePair, IntakePerson, MatchingIntake, MatchingProfile, MatchingSuggestion
from vagval.people.models import Person
from vagval.people.tests.factories import PersonFactory
from vagval.plans.models import Plan
from vagval.worklist.models import ItemMark, OwnViewLink

REASON = "Begäran om registerutdrag, dnr KS 2026/77"


def _add_the_kinds_the_demo_lacks(person: Person, user: User) -> None:
    unit, soon = person.unit, timezone.now() + dt.timedelta(days=10)
    plan = Plan.objects.filter(person=person).first()
    assert plan is not None
    offer = Offer.objects.first()
    OfferListLink.objects.create(
        person=person, unit=unit, token_hash=uuid.uuid4().hex, created_by=user, expires_at=soon
    )
    MatchingProfile.objects.create(person=person, unit=unit)
    MatchingSuggestion.objects.create(person=person, unit=unit, offer=offer, status="oppen", created_by=user)
    intake = MatchingIntake.objects.create(name="Sommarintag", unit=unit, created_by=user)
    IntakePerson.objects.create(intake=intake, person=person)
    IntakePair.objects.create(intake=intake, person=person, offer=offer)
    ItemMark.objects.create(kind="plan", object_id=plan.pk, unit=unit, person=person, state="klar", marked_by=user)
    OwnViewLink.objects.create(
        plan=plan, person=person, unit=unit, token_hash=uuid.uuid4().hex, created_by=user, expires_at=soon
    )
    LegalHold.objects.create(person=person, reason="Tvist", placed_by=user)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from vagval.demo import build

    with django_db_blocker.unblock(), transaction.atomic():
        from vagval.access.scope import acting
        from vagval.accounts.system import SystemActor, system_context

        with acting(system_context(SystemActor.DEMO), "demo"):
            build._build(persons=150, seed=1, password="demo-losenord-123", progress=None)
        subject = Plan.objects.select_related("person__unit").filter(person__id_number__isnull=False).first().person
        _add_the_kinds_the_demo_lacks(subject, User.objects.filter(unit=subject.unit).first())
        stranger = PersonFactory(first_name="Vilgot", last_name="Främlingsson", unit=subject.unit)
        Note.objects.create(
            person=stranger,
            unit=subject.unit,
            author=User.objects.filter(unit=subject.unit).first(),
            text="Hemligt om Vilgot",
        )
        yield subject
        transaction.set_rollback(True)


@pytest.fixture
def ditte_(demo, db):
    from vagval.organisations.models import Unit

    unit = Unit.objects.filter(organisation=demo.unit.organisation).first()
    return UserFactory(username="ditte-dso", unit=unit, role=Role.DATA_PROTECTION)


def _numbers_with(kind: records.RecordKind) -> str | None:
    return (
        kind.model._default_manager.filter(person__id_number__isnull=False)
        .order_by("person__id_number")
        .values_list("person__id_number", flat=True)
        .first()
    )


def test_the_extracts_together_hold_every_kind_of_record_each_complete(demo, ditte_):
    scope = scope_for(ctx_for(ditte_), "test")
    for kind in records.KINDS:
        number = _numbers_with(kind)
        assert number is not None, f"no {kind.label} in the test world"
        shown = scope.records_by_number(number, action="person.register_extract", detail={"reason": REASON})
        extract = extract_build(persons=[s.person for s in shown])
        section = next(s for s in extract.sections if s.title == str(kind.title))
        expected = kind.model._default_manager.filter(person__id_number=number).count()
        assert len(section.rows) == expected >= 1, kind.label


def test_the_extract_has_every_record_of_the_person_and_nothing_of_another(demo, ditte_):
    scope = scope_for(ctx_for(ditte_), "test")
    shown = scope.records_by_number(demo.id_number, action="person.register_extract", detail={"reason": REASON})
    extract = extract_build(persons=[s.person for s in shown])
    ids = {s.person.pk for s in shown}
    for kind in records.KINDS:
        section = next(s for s in extract.sections if s.title == str(kind.title))
        assert len(section.rows) == kind.model._default_manager.filter(person_id__in=ids).count(), kind.label
    html = render_to_string("dataprotection/extract_pdf.html", {"extract": extract, "reason": REASON})
    assert demo.last_name in html
    assert "Främlingsson" not in html
    assert "Hemligt om Vilgot" not in html
    assert extract.access, "the access log section names who accessed the records"
    assert {row.unit for row in extract.access} >= {str(demo.unit)}


def test_each_person_record_is_logged_with_the_register_extract_basis_and_the_reason(demo, ditte_):
    made = register_extract_make(scope=scope_for(ctx_for(ditte_), "test"), id_number=demo.id_number, reason=REASON)
    assert made.pdf.startswith(b"%PDF")
    assert demo.id_number not in made.name
    assert demo.last_name not in made.name
    entries = AccessLogEntry.objects.filter(user=ditte_, action="person.register_extract")
    records_of_number = set(Person.objects.filter(id_number=demo.id_number).values_list("pk", flat=True))
    assert {e.person_id for e in entries} == records_of_number
    assert {e.basis for e in entries} == {AccessBasis.REGISTER_EXTRACT}
    assert {e.detail["reason"] for e in entries} == {REASON}
    assert RegisterExtract.objects.get(made_by=ditte_).records == len(records_of_number)


@pytest.mark.parametrize("role", [Role.COACH, Role.KAA, Role.PARTNER, Role.PROJECT_LEADER, Role.EVALUATOR, Role.ADMIN])
def test_no_other_role_can_make_an_extract(demo, db, role):
    user = UserFactory(unit=demo.unit if role != Role.ADMIN else None, role=role)
    with pytest.raises(PermissionDenied):
        register_extract_make(scope=scope_for(ctx_for(user), "test"), id_number=demo.id_number, reason=REASON)
    assert not AccessLogEntry.objects.filter(user=user, action="person.register_extract").exists()


def test_the_page_answers_with_the_pdf_and_the_number_only_in_the_post(demo, ditte_):
    from vagval.accounts.tests.helpers import verified_admin_client

    client = verified_admin_client(ditte_)
    response = client.post(reverse("dataprotection:extract"), {"id_number": demo.id_number, "reason": REASON})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="registerutdrag-')
    assert demo.id_number not in disposition
    assert demo.id_number[2:8] not in disposition


def test_an_unknown_number_is_a_field_error(demo, ditte_):
    from vagval.accounts.tests.helpers import verified_admin_client

    response = verified_admin_client(ditte_).post(
        reverse("dataprotection:extract"), {"id_number": "19121212-1212", "reason": REASON}
    )
    assert response.status_code == 200
    assert "Vägval har inga uppgifter om numret." in response.content.decode()


def test_a_coach_gets_403_from_the_page(demo, db):
    coach = UserFactory(unit=demo.unit, role=Role.COACH)
    response = client_for(coach).post(reverse("dataprotection:extract"), {"id_number": demo.id_number, "reason": "x"})
    assert response.status_code == 403
