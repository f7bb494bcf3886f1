"""A world built once per test module for the permission tests, and a helper to build it.

Building the personas, the person, a plan with steps and notes through the real services
takes longer than most single checks, and the matrix has hundreds of cells. So each module
builds its world once inside one outer transaction (`module_world_db`), and every test runs
inside a savepoint of it (pytest-django's `db` fixture): what a test writes (a consent, a
changed step, access-log entries) is rolled back before the next test, and the whole world is
rolled back at the end of the module.

Personas (synthetic):
alice   – coach at Ludvika kommun's arbetsmarknadsenhet, responsible coach of the person
bob     – read-only colleague at the same unit
charlie – coach at Smedjebackens kommun (another municipality, another secrecy domain)
frida   – handläggare (role partner) at Arbetsförmedlingen Ludvika
gustav  – handläggare at Försäkringskassan (the "other recipient" of some consents)
erik    – evaluator at Region Dalarna
dana    – administrator without a unit

The protected-identity tests (test_protected_everywhere, register_world) build their persons with
protected_and_control: Siri (sekretessmarkering), Sam (skyddad folkbokföring) and Olle, the
unprotected control, each with an address, phone and e-mail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from conftest import client_for
from vagval.accounts.models import Role, User
from vagval.accounts.tests.factories import UserFactory
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.api.tests.helpers import api_client_for
from vagval.consent.models import ALL_CATEGORIES, Consent, ConsentRecipient
from vagval.consent.tests.factories import ConsentFactory
from vagval.organisations.models import OrganisationKind, Project, Unit
from vagval.organisations.tests.factories import OrganisationFactory, ProjectFactory, UnitFactory, municipality
from vagval.people.models import Person, Protection

PERSONAS = ("alice", "bob", "charlie", "frida", "gustav", "erik", "dana")


@pytest.fixture(scope="module")
def module_world_db(django_db_setup, django_db_blocker) -> Iterator[None]:
    """One transaction around a whole test module; rolled back when the module is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


class Staff:
    """The organisations, units and personas, with a logged-in web client and an API client each."""

    def __init__(self) -> None:
        ludvika_org = OrganisationFactory(
            name="Ludvika kommun", kind=OrganisationKind.MUNICIPALITY, municipality=municipality("2085")
        )
        smedjebacken_org = OrganisationFactory(
            name="Smedjebackens kommun", kind=OrganisationKind.MUNICIPALITY, municipality=municipality("2061")
        )
        af_org = OrganisationFactory(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE)
        fk_org = OrganisationFactory(name="Försäkringskassan", kind=OrganisationKind.SOCIAL_INSURANCE)
        region = OrganisationFactory(name="Region Dalarna", kind=OrganisationKind.REGION)
        self.ludvika: Unit = UnitFactory(organisation=ludvika_org, name="Arbetsmarknadsenheten")
        self.smedjebacken: Unit = UnitFactory(organisation=smedjebacken_org, name="Arbetsmarknadsenheten")
        self.af: Unit = UnitFactory(organisation=af_org, name="Ludvika")
        self.fk: Unit = UnitFactory(organisation=fk_org, name="Borlänge")
        self.project: Project = ProjectFactory(name="VBU insatser för ungdomar")
        self.users: dict[str, User] = {
            "alice": UserFactory(username="alice", first_name="Alice", unit=self.ludvika, role=Role.COACH),
            "bob": UserFactory(username="bob", first_name="Bob", unit=self.ludvika, role=Role.COACH, read_only=True),
            "charlie": UserFactory(username="charlie", first_name="Charlie", unit=self.smedjebacken, role=Role.COACH),
            "frida": UserFactory(username="frida", first_name="Frida", unit=self.af, role=Role.PARTNER),
            "gustav": UserFactory(username="gustav", first_name="Gustav", unit=self.fk, role=Role.PARTNER),
            "erik": UserFactory(
                username="erik",
                first_name="Erik",
                unit=UnitFactory(organisation=region, name="FoU"),
                role=Role.EVALUATOR,
            ),
            "dana": UserFactory(username="dana", first_name="Dana", unit=None, role=Role.ADMIN),
        }
        # Administrators must pass two-factor verification before any page.
        self.web: dict[str, Client] = {
            name: verified_admin_client(user) if user.role == Role.ADMIN else client_for(user)
            for name, user in self.users.items()
        }
        self.api: dict[str, Client] = {name: api_client_for(user) for name, user in self.users.items()}

    def __getattr__(self, name: str) -> User:
        if name in PERSONAS:
            return self.users[name]
        raise AttributeError(name)


def consent_for(
    person,
    *,
    documented_by: User,
    recipients: list[Unit],
    categories=ALL_CATEGORIES,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Consent:
    """A consent documented at `documented_by`'s unit, valid from a month ago for most of a year
    unless told otherwise (dates relative to today, so the tests do not age)."""
    today = timezone.localdate()
    consent = ConsentFactory(
        person=person,
        unit=documented_by.unit,
        recorded_by=documented_by,
        categories=sorted(categories),
        valid_from=valid_from or today - dt.timedelta(days=30),
        valid_to=valid_to or today + dt.timedelta(days=300),
    )
    for unit in recipients:
        ConsentRecipient.objects.create(consent=consent, unit=unit)
    return consent


# --- The persons of the protected-identity tests ------------------------------------------------

CONTACT_FIELDS = ("address", "postal_code", "city", "phone", "email")
# Two protected persons, one per protection, and the control: an unprotected person with the same
# kinds of data. Each has an address, postal code, city, phone and e-mail, so that a leak would show.
_PROTECTED_PERSONS: dict[str, dict[str, str]] = {
    "sekretessmarkering": {
        "first_name": "Siri",
        "last_name": "Sekretessdotter",
        "address": "Dolda vägen 12",
        "postal_code": "77190",
        "city": "Gömsta",
        "phone": "073-555 12 34",
        "email": "siri.dold@example.org",
    },
    "skyddad_folkbokforing": {
        "first_name": "Sam",
        "last_name": "Skyddadsson",
        "address": "Skyddsstigen 4",
        "postal_code": "77191",
        "city": "Lönnby",
        "phone": "073-555 56 78",
        "email": "sam.skydd@example.org",
    },
}
_CONTROL_PERSON = {
    "first_name": "Olle",
    "last_name": "Oskyddadsson",
    "address": "Öppna gatan 1",
    "postal_code": "77192",
    "city": "Synlinge",
    "phone": "073-555 90 00",
    "email": "olle.oppen@example.org",
}

PROTECTIONS = tuple(_PROTECTED_PERSONS)  # ("sekretessmarkering", "skyddad_folkbokforing")

CaseT = TypeVar("CaseT")


def protected_and_control(
    case: Callable[..., CaseT], *, extra: Mapping[str, Mapping[str, str]] | None = None
) -> tuple[dict[str, CaseT], CaseT]:
    """The two protected persons (keyed by protection, as in PROTECTIONS) and the unprotected control.

    Each is built by `case(protection, **fields)`, in that order: the names and contact details
    come from here, `extra[key]` (key a protection, or "open" for the control) adds what a world
    records about them besides."""
    extra = extra or {}
    cases = {key: case(Protection(key), **fields, **extra.get(key, {})) for key, fields in _PROTECTED_PERSONS.items()}
    control = case(Protection.NONE, **_CONTROL_PERSON, **extra.get("open", {}))
    return cases, control


def contact_of(fields: Mapping[str, str]) -> tuple[str, ...]:
    """The address, postal code, city, phone and e-mail among a person's fields."""
    return tuple(fields[name] for name in CONTACT_FIELDS)


def protect_after_the_fact(person: Person, protection: str) -> tuple[str, str]:
    """Set the protection last, as when a person's protection is registered after the fact.

    Returns the identity number as stored and as written."""
    person.protection = protection
    person.save()
    digits = person.id_number
    assert digits is not None
    return (digits, f"{digits[:8]}-{digits[8:]}")
