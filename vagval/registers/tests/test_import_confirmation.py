"""Import safety: an import that would take many persons out of the register writes nothing
until a KAA-ansvarig of the unit confirms it (issue 10, hole 5)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.people.models import Person, PersonChange
from vagval.registers.models import ImportStatus, PopulationEntry, RegisterImport
from vagval.registers.services import register_import_cancel, register_import_confirm, register_import_run
from vagval.registers.tests.factories import (
    ctx,
    population_file,
    population_row,
    run_import,
    study_file,
    study_row,
)
from vagval.targetgroup.models import Episode

pytestmark = pytest.mark.django_db

# The spec's own example (shared/spec/formats/befolkning-exempel.csv): three persons.
SPEC_EXAMPLE = """personnummer;fornamn;efternamn;adress;postnummer;postort;kommunkod;skyddad
20090412-2389;Alva;Lindqvist;Storgatan 3;771 30;Ludvika;2085;N
200811050095;Elias;Berg;Björkvägen 12;77131;Ludvika;2085;N
081230-1232;Maja;Nyström;;;;2085;J
""".encode()
REGISTER = 40


def _register(karin) -> None:
    """A register of REGISTER persons with studies, so the KAA/UVAS lists are computed."""
    rows = [population_row(i) for i in range(REGISTER)]
    assert run_import(karin, "befolkning", population_file(rows)).status == ImportStatus.DONE
    # No studies for anyone: everyone 16-19 is on the KAA list ("aldrig påbörjat").
    studies = run_import(karin, "studier", study_file([study_row(0)]))
    assert studies.status == ImportStatus.DONE, studies.error


def _snapshot() -> tuple[object, ...]:
    return (
        sorted(PopulationEntry.objects.values_list("person_id", "present", "left_on", "row_hash")),
        sorted(Episode.objects.values_list("pk", "closed_on")),
        Person.objects.count(),
        PersonChange.objects.count(),
    )


def test_the_spec_example_uploaded_into_a_full_register_writes_nothing_and_waits(karin):
    # Regression: this closed every other KAA/UVAS entry as "flyttat" without a question.
    _register(karin)
    open_before = Episode.objects.filter(closed_on__isnull=True).count()
    assert open_before > 0
    before = _snapshot()
    log_before = AccessLogEntry.objects.count()

    imp = run_import(karin, "befolkning", SPEC_EXAMPLE)

    assert imp.status == ImportStatus.AWAITING_CONFIRMATION
    assert _snapshot() == before
    assert Episode.objects.filter(closed_on__isnull=True).count() == open_before
    assert AccessLogEntry.objects.count() == log_before
    # What it would do, for the confirmation page.
    assert (imp.persons_new, imp.persons_left, imp.persons_present_before) == (3, REGISTER, REGISTER)
    assert imp.previous_rows == REGISTER
    assert len(imp.leaving_examples) == 20
    assert not imp.rejected_file


def test_a_confirmed_import_writes_and_marks_the_others_as_left(karin):
    _register(karin)
    waiting = run_import(karin, "befolkning", population_file([population_row(i) for i in range(5)]))
    assert waiting.status == ImportStatus.AWAITING_CONFIRMATION

    confirmed = register_import_confirm(ctx=ctx(karin), import_id=waiting.pk)
    assert (confirmed.status, confirmed.confirmed_by) == (ImportStatus.QUEUED, karin)
    done = register_import_run(import_id=waiting.pk)

    assert done.status == ImportStatus.DONE, done.error
    assert done.persons_left == REGISTER - 5
    assert PopulationEntry.objects.filter(present=True).count() == 5
    assert AccessLogEntry.objects.filter(action="register.import_confirmed", user=karin).count() == 1


def test_a_cancelled_import_writes_nothing_and_its_file_is_deleted(karin):
    _register(karin)
    before = _snapshot()
    waiting = run_import(karin, "befolkning", population_file([population_row(1)]))
    stored = waiting.file.name
    storage = waiting.file.storage

    cancelled = register_import_cancel(ctx=ctx(karin), import_id=waiting.pk)

    assert cancelled.status == ImportStatus.CANCELLED
    assert not cancelled.file
    assert not storage.exists(stored)
    assert register_import_run(import_id=waiting.pk).status == ImportStatus.CANCELLED
    assert _snapshot() == before
    with pytest.raises(InvalidInput):
        register_import_confirm(ctx=ctx(karin), import_id=waiting.pk)


def test_a_few_persons_leaving_need_no_confirmation(karin):
    _register(karin)

    imp = run_import(karin, "befolkning", population_file([population_row(i) for i in range(REGISTER - 4)]))

    assert imp.status == ImportStatus.DONE, imp.error
    assert imp.persons_left == 4  # 10 %: not more than the share


@override_settings(REGISTER_IMPORT_CONFIRM_LEAVING_PERCENT=60)
def test_the_share_is_a_setting_and_a_file_with_fewer_than_half_the_rows_waits_too(karin):
    _register(karin)

    half = run_import(karin, "befolkning", population_file([population_row(i) for i in range(REGISTER // 2)]))
    assert half.status == ImportStatus.DONE, half.error  # 20 of 40 leave: 50 %, under the 60 % set

    fewer = run_import(karin, "befolkning", population_file([population_row(i) for i in range(9)]))
    assert fewer.status == ImportStatus.AWAITING_CONFIRMATION  # 11 of 20 leave (55 %), but 9 rows after 20
    assert (fewer.persons_left, fewer.previous_rows) == (11, 20)


def test_a_studies_file_with_fewer_than_half_the_rows_of_the_previous_one_waits(karin):
    rows = [population_row(i) for i in range(10)]
    run_import(karin, "befolkning", population_file(rows))
    run_import(karin, "studier", study_file([study_row(i) for i in range(10)]))

    imp = run_import(karin, "studier", study_file([study_row(1)]))

    assert imp.status == ImportStatus.AWAITING_CONFIRMATION
    assert imp.previous_rows == 10


def test_the_first_import_into_an_empty_register_needs_no_confirmation(karin):
    assert run_import(karin, "befolkning", SPEC_EXAMPLE).status == ImportStatus.DONE


def test_only_a_kaa_ansvarig_of_the_unit_with_write_access_confirms(karin, sven, alice):
    from vagval.accounts.models import Role
    from vagval.accounts.tests.factories import UserFactory

    _register(karin)
    waiting = run_import(karin, "befolkning", SPEC_EXAMPLE)
    reader = UserFactory(username="rut", unit=karin.unit, role=Role.KAA, read_only=True)
    coach = UserFactory(username="kajsa", unit=karin.unit, role=Role.COACH)

    with pytest.raises(NotFound):
        register_import_confirm(ctx=ctx(sven), import_id=waiting.pk)
    with pytest.raises(NotFound):
        register_import_cancel(ctx=ctx(alice), import_id=waiting.pk)
    with pytest.raises(PermissionDenied):
        register_import_confirm(ctx=ctx(reader), import_id=waiting.pk)
    with pytest.raises(PermissionDenied):
        register_import_cancel(ctx=ctx(coach), import_id=waiting.pk)
    assert RegisterImport.objects.get(pk=waiting.pk).status == ImportStatus.AWAITING_CONFIRMATION


def test_a_waiting_import_cannot_be_confirmed_after_a_later_import(karin):
    _register(karin)
    waiting = run_import(karin, "befolkning", SPEC_EXAMPLE)
    later = run_import(karin, "befolkning", population_file([population_row(i) for i in range(REGISTER)]))
    assert later.status == ImportStatus.DONE, later.error

    with pytest.raises(InvalidInput, match="senare import"):
        register_import_confirm(ctx=ctx(karin), import_id=waiting.pk)
    assert register_import_cancel(ctx=ctx(karin), import_id=waiting.pk).status == ImportStatus.CANCELLED
