"""Background work for register imports: the import runs in the worker (`vagval worker`), not the request.

Tasks take the import's id (a string, so the database backend can store it) and are enqueued
only after the transaction that created the import commits: a worker must never pick up an id
whose row it cannot see yet, or that a rollback removed.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django_tasks import task

from vagval.accounts.system import SystemActor, runs_as
from vagval.registers import services


@task()
@runs_as(SystemActor.WORKER, "register_import")
def run_register_import(import_id: str) -> None:
    # The worker is the actor of the job; the import logs each person as the user who uploaded it.
    try:
        services.register_import_run(import_id=uuid.UUID(import_id))
    except Exception:
        # The engine reports broken files itself (status FAILED with a message). Anything else is a
        # bug or an outage: mark the import failed so the status page stops waiting, then re-raise
        # so the worker records the traceback.
        services.register_import_mark_crashed(import_id=uuid.UUID(import_id))
        raise


def register_import_enqueue(*, import_id: uuid.UUID) -> None:
    """Run the import in the background once the current transaction (if any) has committed."""
    transaction.on_commit(lambda: run_register_import.enqueue(str(import_id)))
