"""KAA test helpers: a person in Ludvika's KAA register (targetgroup.tests.factories.kaa_episode),
occupations made directly, and a read-only KAA colleague of karin."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import client_for
from vagval.accounts.models import Role, User
from vagval.accounts.tests.factories import UserFactory
from vagval.organisations.models import Unit
from vagval.outreach.models import Occupation, OccupationSource
from vagval.people.models import Person
from vagval.people.tests.factories import PersonFactory
from vagval.targetgroup.tests.factories import kaa_episode


def occupation(
    person: Person, unit: Unit, by: User, category: str, on: dt.date, *, planned: bool = False
) -> Occupation:
    return Occupation.objects.create(
        unit=unit,
        person=person,
        category=category,
        from_date=on,
        planned=planned,
        source=OccupationSource.YOUNG_PERSON,
        recorded_by=by,
    )


@pytest.fixture
def kaa_person(karin, ludvika_kaa_unit) -> Person:
    """A young person in Ludvika's KAA register since January 2026."""
    person = PersonFactory(first_name="Elsa", last_name="Registersson", email="elsa@example.invalid")
    kaa_episode(person, ludvika_kaa_unit)
    return person


@pytest.fixture
def kerstin(ludvika_kaa_unit) -> User:
    """A read-only KAA colleague of karin."""
    return UserFactory(username="kerstin", unit=ludvika_kaa_unit, role=Role.KAA, read_only=True)


@pytest.fixture
def kerstin_client(kerstin):
    return client_for(kerstin)
