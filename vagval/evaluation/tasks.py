"""Background work: building a dataset export in the worker (`vagval worker`).

The task takes the export's id (a string) and is enqueued after the transaction that created the
export commits, as the register imports are (registers/tasks.py).
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django_tasks import task

from vagval.accounts.system import SystemActor, runs_as
from vagval.evaluation import services


@task()
@runs_as(SystemActor.WORKER, "evaluation_export")
def run_dataset_export(export_id: str) -> None:
    # The worker is the job's actor; the entries for the persons in the file name the evaluator.
    try:
        services.export_run(export_id=uuid.UUID(export_id))
    except Exception:
        services.export_mark_failed(export_id=uuid.UUID(export_id))
        raise


def dataset_export_enqueue(*, export_id: uuid.UUID) -> None:
    transaction.on_commit(lambda: run_dataset_export.enqueue(str(export_id)))
