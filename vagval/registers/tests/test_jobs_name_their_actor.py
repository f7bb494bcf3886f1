"""Jobs and commands run in a scope that names their actor (issue 10: no person data "as no one").

Each runs here without the test code's own exception (common.scoping.without_scope): a job or
command that touched a person-level model without naming its actor would raise UnscopedQuery.
"""

import io

from django.core.files.base import ContentFile
from django.core.management import call_command
from django_tasks import TaskResultStatus

from conftest import ctx_for
from vagval.common import scoping
from vagval.registers import services
from vagval.registers.models import ImportKind, ImportStatus
from vagval.registers.tasks import run_register_import
from vagval.registers.tests.factories import (
    REFERENCE_DATE,
    population_file,
    population_row,
    run_import,
    study_file,
    study_row,
)


def test_the_import_task_runs_as_the_worker(karin):
    imp = services.register_import_create(
        ctx=ctx_for(karin),
        kind=ImportKind.POPULATION,
        file=ContentFile(population_file([population_row(1)]), name="b.csv"),
        original_name="b.csv",
        reference_date=REFERENCE_DATE,
    )
    with scoping.without_scope():
        result = run_register_import.enqueue(str(imp.pk))
    assert result.status == TaskResultStatus.SUCCESSFUL
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE


def test_the_nightly_refresh_runs_as_its_actor(karin):
    run_import(karin, "befolkning", population_file([population_row(1)]))
    run_import(karin, "studier", study_file([study_row(1, status="avbrott", slutdatum="2025-03-01")]))
    out = io.StringIO()
    with scoping.without_scope():
        call_command("target_group_refresh", "--kommun", "2085", stdout=out, stderr=io.StringIO())
    assert "nya perioder" in out.getvalue()


def test_the_import_command_runs_as_the_command_line(karin, tmp_path):
    path = tmp_path / "befolkning.csv"
    path.write_bytes(population_file([population_row(1)]))
    out = io.StringIO()
    with scoping.without_scope():
        call_command("register_import", "befolkning", str(path), "--kommun", "2085", stdout=out, stderr=io.StringIO())
    assert services.RegisterImport.objects.get().status == ImportStatus.DONE


def test_the_statistics_command_runs_as_the_command_line(karin, tmp_path):
    run_import(karin, "befolkning", population_file([population_row(1)]))
    out = io.StringIO()
    with scoping.without_scope():
        call_command(
            "kaa_statistik", "--kommun", "2085", "--halvar", "2026H1", "--utfil", str(tmp_path / "s.csv"), stdout=out
        )
    assert "personer skrivna" in out.getvalue()
