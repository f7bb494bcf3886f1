"""Helpers that put persons into a unit's register (population and studies snapshot)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from vagval.accounts.models import User
from vagval.accounts.system import SystemActor, system_context
from vagval.audit.services import AccessContext
from vagval.organisations.models import Project, Unit
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Person
from vagval.people.tests.factories import PersonFactory, make_personnummer
from vagval.registers.models import ImportKind, PopulationEntry, RegisterImport, StudyEntry

D = dt.date(2026, 9, 1)


def register_import(unit: Unit, user: User, kind: str = ImportKind.POPULATION) -> RegisterImport:
    return RegisterImport.objects.create(
        kind=kind,
        municipality=unit.organisation.municipality,
        unit=unit,
        imported_by=user,
        reference_date=D,
    )


def in_register(unit: Unit, user: User, person: Person, *, present: bool = True) -> PopulationEntry:
    record = register_import(unit, user)
    entry, _ = PopulationEntry.objects.update_or_create(
        unit=unit,
        person=person,
        defaults={
            "municipality": unit.organisation.municipality,
            "row_hash": hashlib.sha256(str(person.pk).encode()).hexdigest(),
            "present": present,
            "left_on": None if present else D,
            "first_import": record,
            "last_import": record,
        },
    )
    return entry


def study(
    unit: Unit,
    user: User,
    person: Person,
    *,
    form: str,
    status: str,
    programme: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> StudyEntry:
    record = register_import(unit, user, ImportKind.STUDIES)
    key = f"{person.pk}{form}{status}{programme}{start}{end}"
    return StudyEntry.objects.create(
        unit=unit,
        person=person,
        school_form=form,
        programme=programme,
        status=status,
        start_date=start,
        end_date=end,
        row_hash=hashlib.sha256(key.encode()).hexdigest(),
        last_import=record,
    )


_serial = iter(range(1, 999))


def young(birth: dt.date, **kwargs: object) -> Person:
    return PersonFactory(birth_date=birth, id_number=make_personnummer(birth, next(_serial) % 999 + 1), **kwargs)


@pytest.fixture
def uvas_project(ludvika_unit) -> Project:
    project = ProjectFactory(name="Unga vuxna Ludvika", starts_on=dt.date(2025, 1, 1))
    project.organisations.add(ludvika_unit.organisation)
    return project


def nightly() -> AccessContext:
    """The context of the nightly run, for tests that do not look at who computed the lists."""
    return system_context(SystemActor.NIGHTLY)
