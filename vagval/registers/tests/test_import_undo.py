"""Undoing the latest register import: the persons it took out return, the episodes its refresh closed reopen."""

from __future__ import annotations

import pytest

from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.registers.models import ImportStatus, PopulationEntry, StudyEntry
from vagval.registers.services import register_import_confirm, register_import_run, register_import_undo
from vagval.registers.tests.factories import ctx, population_file, population_row, run_import, study_file, study_row
from vagval.targetgroup.models import Episode

pytestmark = pytest.mark.django_db

REGISTER = 30


def _register(karin) -> None:
    run_import(karin, "befolkning", population_file([population_row(i) for i in range(REGISTER)]))
    run_import(karin, "studier", study_file([study_row(0)]))


def _lists() -> list[tuple[object, ...]]:
    return sorted(Episode.objects.filter(closed_on__isnull=True).values_list("pk", "person_id", "target_list"))


def _confirmed_partial_import(karin, rows: int = 3):
    waiting = run_import(karin, "befolkning", population_file([population_row(i) for i in range(rows)]))
    assert waiting.status == ImportStatus.AWAITING_CONFIRMATION
    register_import_confirm(ctx=ctx(karin), import_id=waiting.pk)
    done = register_import_run(import_id=waiting.pk)
    assert done.status == ImportStatus.DONE, done.error
    return done


def test_undoing_a_confirmed_partial_import_restores_the_register_and_the_lists(karin):
    _register(karin)
    lists_before = _lists()
    assert lists_before
    imp = _confirmed_partial_import(karin)
    assert PopulationEntry.objects.filter(present=True).count() == 3
    lists_after_import = _lists()
    assert len(lists_after_import) < len(lists_before)
    closed = Episode.objects.filter(closed_by_import=imp)
    assert closed.exists()
    assert set(closed.values_list("close_code", flat=True)) == {"flyttat"}

    undone = register_import_undo(ctx=ctx(karin), import_id=imp.pk)

    assert PopulationEntry.objects.filter(present=True).count() == REGISTER
    assert not PopulationEntry.objects.filter(left_on__isnull=False).exists()
    assert _lists() == lists_before  # the same episodes, reopened: not new ones
    assert not Episode.objects.filter(closed_by_import=imp).exists()
    assert (undone.undone_by, undone.undo_entries_restored) == (karin, REGISTER - 3)
    assert undone.undo_episodes_reopened == len(lists_before) - len(lists_after_import)
    logged = AccessLogEntry.objects.filter(action="register.import_undone", user=karin)
    assert logged.count() == REGISTER - 3  # one entry per person affected
    assert logged.values("person_id").distinct().count() == REGISTER - 3
    assert {entry.detail["import_id"] for entry in logged} == {str(imp.pk)}


def test_an_import_is_undone_only_once(karin):
    _register(karin)
    imp = _confirmed_partial_import(karin)
    register_import_undo(ctx=ctx(karin), import_id=imp.pk)

    with pytest.raises(InvalidInput, match="redan ångrad"):
        register_import_undo(ctx=ctx(karin), import_id=imp.pk)


def test_only_the_latest_import_can_be_undone(karin):
    _register(karin)
    imp = _confirmed_partial_import(karin)
    run_import(karin, "studier", study_file([study_row(0)]))

    with pytest.raises(InvalidInput, match="senaste"):
        register_import_undo(ctx=ctx(karin), import_id=imp.pk)
    assert PopulationEntry.objects.filter(present=True).count() == 3


def test_a_failed_import_after_it_does_not_count_as_later(karin):
    _register(karin)
    imp = _confirmed_partial_import(karin)
    failed = run_import(karin, "befolkning", population_file([population_row(1, kommunkod="2061")]))
    assert failed.status == ImportStatus.FAILED

    register_import_undo(ctx=ctx(karin), import_id=imp.pk)

    assert PopulationEntry.objects.filter(present=True).count() == REGISTER


def test_undoing_a_studies_import_brings_back_the_rows_it_removed_and_removes_those_it_added(karin):
    run_import(karin, "befolkning", population_file([population_row(i) for i in range(4)]))
    run_import(karin, "studier", study_file([study_row(i) for i in range(4)]))
    before = sorted(StudyEntry.objects.filter(present=True).values_list("person_id", "row_hash"))
    rows = [study_row(i) for i in range(3)] + [study_row(3, status="avbrott", slutdatum="2026-02-01")]
    imp = run_import(karin, "studier", study_file(rows))
    assert imp.status == ImportStatus.DONE, imp.error

    register_import_undo(ctx=ctx(karin), import_id=imp.pk)

    assert sorted(StudyEntry.objects.filter(present=True).values_list("person_id", "row_hash")) == before


def test_who_may_undo(karin, sven, alice):
    _register(karin)
    imp = _confirmed_partial_import(karin)
    reader = UserFactory(username="rut", unit=karin.unit, role=Role.KAA, read_only=True)
    coach = UserFactory(username="kajsa", unit=karin.unit, role=Role.COACH)

    with pytest.raises(NotFound):
        register_import_undo(ctx=ctx(sven), import_id=imp.pk)
    with pytest.raises(NotFound):
        register_import_undo(ctx=ctx(alice), import_id=imp.pk)
    with pytest.raises(PermissionDenied):
        register_import_undo(ctx=ctx(reader), import_id=imp.pk)
    with pytest.raises(PermissionDenied):
        register_import_undo(ctx=ctx(coach), import_id=imp.pk)
    assert PopulationEntry.objects.filter(present=True).count() == 3
