"""Background work for register imports: the import runs in the worker (`vagval worker`), not the request.

Tasks take the import's id (a string, so the database backend can store it) and are enqueued
only after the transaction that created the import commits: a worker must never pick up an id
whose row it cannot see yet, or that a rollback removed.
"""

from __future__ import annotations

import logging
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from vagval.registers import services
from vagval.registers.models import ImportStatus, RegisterImport

logger = logging.getLogger(__name__)


@task()
def run_register_import(import_id: str) -> None:
    try:
        services.register_import_run(import_id=uuid.UUID(import_id))
    except Exception:
        # The engine reports broken files itself (status FAILED with a message). Anything else is a
        # bug or an outage: mark the import failed so the status page stops waiting, then re-raise
        # so the worker records the traceback.
        register_import_mark_crashed(import_id=uuid.UUID(import_id))
        raise


def register_import_mark_crashed(*, import_id: uuid.UUID) -> None:
    """An import still queued or running after its task died is failed, with a message for the user."""
    crashed = RegisterImport.objects.filter(
        pk=import_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(
        status=ImportStatus.FAILED,
        error=_("Importen avbröts av ett oväntat fel. Ingenting ändrades. Försök igen eller kontakta supporten."),
        finished_at=timezone.now(),
    )
    if crashed:
        logger.error("register import %s crashed", import_id)


def register_import_enqueue(*, import_id: uuid.UUID) -> None:
    """Run the import in the background once the current transaction (if any) has committed."""
    transaction.on_commit(lambda: run_register_import.enqueue(str(import_id)))
