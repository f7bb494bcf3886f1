"""A file with more rows than REGISTER_IMPORT_MAX_ROWS stops early and writes nothing (hole 11)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from vagval.people.models import Person
from vagval.registers.models import ImportStatus, PopulationEntry
from vagval.registers.tests.factories import population_file, population_row, run_import

pytestmark = pytest.mark.django_db


@override_settings(REGISTER_IMPORT_MAX_ROWS=3)
def test_a_file_over_the_row_limit_fails_with_a_clear_message_and_writes_nothing(karin):
    imp = run_import(karin, "befolkning", population_file([population_row(i) for i in range(5)]))

    assert imp.status == ImportStatus.FAILED
    assert "fler än 3 rader" in imp.error
    assert "Inget har importerats" in imp.error
    assert imp.rows_read == 4  # parsing stopped at the first row over the limit, not at the end
    assert not Person.objects.exists()
    assert not PopulationEntry.objects.exists()


@override_settings(REGISTER_IMPORT_MAX_ROWS=3)
def test_a_file_at_the_row_limit_imports(karin):
    imp = run_import(karin, "befolkning", population_file([population_row(i) for i in range(3)]))

    assert imp.status == ImportStatus.DONE, imp.error
