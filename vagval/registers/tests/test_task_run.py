"""The background task that runs an import: enqueued after commit, runs the engine, never leaves an import hanging."""

from django.core.files.base import ContentFile
from django_tasks import TaskResultStatus

from conftest import ctx_for
from vagval.registers import services
from vagval.registers.models import ImportKind, ImportStatus, RegisterImport
from vagval.registers.services import register_import_mark_crashed
from vagval.registers.tasks import register_import_enqueue, run_register_import
from vagval.registers.tests.factories import REFERENCE_DATE, population_file, population_row


def _queued(karin) -> RegisterImport:
    return services.register_import_create(
        ctx=ctx_for(karin),
        kind=ImportKind.POPULATION,
        file=ContentFile(population_file([population_row(1), population_row(2)]), name="b.csv"),
        original_name="b.csv",
        reference_date=REFERENCE_DATE,
    )


def test_the_task_runs_a_queued_import_to_the_end(karin):
    imp = _queued(karin)
    result = run_register_import.enqueue(str(imp.pk))
    assert result.status == TaskResultStatus.SUCCESSFUL
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE
    assert imp.rows_accepted == 2


def test_enqueueing_waits_for_the_commit(karin, django_capture_on_commit_callbacks):
    imp = _queued(karin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register_import_enqueue(import_id=imp.pk)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.QUEUED  # nothing ran inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE


def test_a_task_delivered_twice_changes_nothing_the_second_time(karin):
    imp = _queued(karin)
    run_register_import.enqueue(str(imp.pk))
    imp.refresh_from_db()
    finished_at = imp.finished_at
    run_register_import.enqueue(str(imp.pk))
    imp.refresh_from_db()
    assert imp.finished_at == finished_at
    assert RegisterImport.objects.count() == 1


def test_an_engine_crash_marks_the_import_failed_so_the_page_stops_waiting(karin, monkeypatch):
    imp = _queued(karin)

    def crash(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "register_import_run", crash)
    result = run_register_import.enqueue(str(imp.pk))
    assert result.status == TaskResultStatus.FAILED  # re-raised, so the worker keeps the traceback
    imp.refresh_from_db()
    assert imp.status == ImportStatus.FAILED
    assert "oväntat fel" in imp.error
    assert imp.finished_at is not None


def test_marking_a_crash_leaves_a_finished_import_alone(karin):
    imp = _queued(karin)
    RegisterImport.objects.filter(pk=imp.pk).update(status=ImportStatus.DONE)
    register_import_mark_crashed(import_id=imp.pk)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE
    assert imp.error == ""
