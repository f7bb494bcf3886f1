"""A population extract upserts persons and the unit's population snapshot."""

from __future__ import annotations

import pytest

from vagval.people.models import IdentityType, Person, Protection
from vagval.registers.models import ImportStatus, PopulationEntry
from vagval.registers.tests.factories import REFERENCE_DATE, number, population_file, population_row, run_import

pytestmark = pytest.mark.django_db


def test_it_creates_persons_and_entries_from_a_population_extract(karin, ludvika_kaa_unit):
    imp = run_import(karin, "befolkning", population_file([population_row(1), population_row(2)]))

    assert imp.status == ImportStatus.DONE, imp.error
    assert (imp.rows_read, imp.rows_accepted, imp.rows_rejected) == (2, 2, 0)
    assert (imp.persons_new, imp.persons_changed, imp.persons_left) == (2, 0, 0)
    person = Person.objects.get(id_number=number(1))
    assert person.first_name == "Förnamn1"
    assert person.first_name_key == "förnamn1"
    assert person.id_type == IdentityType.PERSONNUMMER
    assert person.birth_date is not None
    assert person.home_municipality is not None and person.home_municipality.code == "2085"
    assert person.protection == Protection.NONE
    entry = PopulationEntry.objects.get(person=person)
    assert entry.unit == ludvika_kaa_unit and entry.present and entry.first_import == imp
    assert REFERENCE_DATE == imp.reference_date
