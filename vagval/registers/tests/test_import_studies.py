"""A studies extract keeps the unit's studies snapshot: new rows in, rows gone marked not present."""

from __future__ import annotations

import pytest

from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.people.models import Person
from vagval.registers.models import ImportStatus, StudyEntry
from vagval.registers.tests.factories import (
    number,
    population_file,
    population_row,
    run_import,
    study_file,
    study_row,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(karin):
    run_import(karin, "befolkning", population_file([population_row(i) for i in range(3)]))


def _state():
    return sorted(StudyEntry.objects.values_list("person__id_number", "row_hash", "present", "updated_at"))


def test_it_stores_each_study_row(karin, population):
    rows = [study_row(0), study_row(1, status="avbrott", slutdatum="2025-03-02"), study_row(1, skolform="IM")]

    imp = run_import(karin, "studier", study_file(rows))

    assert imp.status == ImportStatus.DONE, imp.error
    assert (imp.rows_accepted, imp.persons_changed) == (3, 2)
    dropped = StudyEntry.objects.get(person__id_number=number(1), status="avbrott")
    assert dropped.school_form == "GY"
    assert dropped.programme == "EE"
    assert str(dropped.end_date) == "2025-03-02"
    assert StudyEntry.objects.filter(present=True).count() == 3


def test_the_same_studies_snapshot_twice_changes_nothing(karin, population):
    content = study_file([study_row(0), study_row(1)])
    run_import(karin, "studier", content)
    before, logged = _state(), AccessLogEntry.objects.count()

    again = run_import(karin, "studier", content)

    assert again.status == ImportStatus.DONE
    assert again.persons_changed == 0
    assert _state() == before
    assert AccessLogEntry.objects.count() == logged


def test_a_row_gone_from_the_file_is_no_longer_present_and_comes_back(karin, population):
    run_import(karin, "studier", study_file([study_row(0), study_row(1)]))

    run_import(karin, "studier", study_file([study_row(0)]))
    assert not StudyEntry.objects.get(person__id_number=number(1)).present

    run_import(karin, "studier", study_file([study_row(0), study_row(1)]))
    assert StudyEntry.objects.get(person__id_number=number(1)).present
    assert StudyEntry.objects.count() == 2


def test_a_changed_status_is_a_new_row_and_the_old_one_is_not_present(karin, population):
    run_import(karin, "studier", study_file([study_row(0)]))

    run_import(karin, "studier", study_file([study_row(0, status="examen", slutdatum="2026-06-10")]))

    assert sorted(StudyEntry.objects.values_list("status", "present")) == [("examen", True), ("pagaende", False)]


def test_a_person_not_in_the_population_register_is_rejected(karin, population):
    imp = run_import(karin, "studier", study_file([study_row(0), study_row(50)]))

    assert (imp.rows_accepted, imp.rows_rejected) == (1, 1)
    assert "befolkningsuttag" in imp.rejected_file.read().decode("utf-8-sig")


def test_a_duplicate_study_row_is_rejected_once(karin, population):
    imp = run_import(karin, "studier", study_file([study_row(0), study_row(0)]))

    assert (imp.rows_accepted, imp.rows_rejected) == (1, 1)
    assert StudyEntry.objects.count() == 1
    assert "dubblett av rad 2" in imp.rejected_file.read().decode("utf-8-sig")


def test_sven_cannot_import_studies_for_ludvikas_persons(karin, sven, population):
    imp = run_import(sven, "studier", study_file([study_row(0)]))

    assert imp.status == ImportStatus.FAILED
    assert imp.rows_rejected == 1
    assert not StudyEntry.objects.exists()


def test_every_person_whose_studies_changed_gets_one_access_log_entry(karin, population):
    first = run_import(karin, "studier", study_file([study_row(0), study_row(1), study_row(1, skolform="IM")]))
    second = run_import(karin, "studier", study_file([study_row(0), study_row(2)]))  # 1 gone, 2 new

    entries = AccessLogEntry.objects.filter(action="register.imported", detail__kind="studier")
    ids = dict(Person.objects.values_list("id_number", "pk"))
    logged = {
        imp: sorted(entries.filter(detail__import=str(imp.pk)).values_list("person_id", flat=True))
        for imp in (first, second)
    }
    assert logged == {
        first: sorted([ids[number(0)], ids[number(1)]]),
        second: sorted([ids[number(1)], ids[number(2)]]),
    }
    assert all(e.basis == AccessBasis.OWN_UNIT and e.username == "karin" for e in entries)
