"""Register imports: recording an uploaded extract, and running it into the unit's register.

An import runs in two phases, so a web page polling the RegisterImport row sees progress on
SQLite as well as PostgreSQL (SQLite locks the whole database during a write transaction):

1. read: the file is parsed row by row outside any transaction; valid records are spooled to a
   temporary file in chunks, rejected rows go to the rejected-rows file, and the counters are
   saved on the import row every 1,000 rows;
2. write: the spooled records are written in ONE transaction, chunk by chunk, with one query
   per chunk to find existing persons and entries. Any failure rolls the register back as it was.

Then the KAA/UVAS target group of the unit is recomputed in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePath
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.accounts.system import SystemActor, system_context
from vagval.audit.services import AccessContext
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.registers.importing import (
    FileError,
    ImportFile,
    ParseCounts,
    PopulationRow,
    Problem,
    RejectedRow,
    RejectedRowsWriter,
    StudyRow,
    open_import_file,
)
from vagval.registers.importing.store import ImportTotals, PopulationWriter, StudyWriter, known_register_numbers
from vagval.registers.models import ImportKind, ImportStatus, RefreshStatus, RegisterImport
from vagval.registers.selectors import register_import_check_upload

logger = logging.getLogger(__name__)

ProgressHook = Callable[[RegisterImport], None]

PROGRESS_EVERY = 1000
CHUNK = 1000
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")

NOTHING_VALID = gettext_lazy("Filen innehöll inga giltiga rader, så inget har importerats. Se de avvisade raderna.")
TECHNICAL_FAILURE = gettext_lazy("Importen avbröts av ett tekniskt fel. Inget i registret har ändrats; försök igen.")
CRASHED = gettext_lazy("Importen avbröts av ett oväntat fel. Ingenting ändrades. Försök igen eller kontakta supporten.")
REFRESH_FAILED = gettext_lazy("KAA- och UVAS-listorna kunde inte beräknas efter importen på grund av ett tekniskt fel.")
REFRESH_FAILED_LISTS_KEPT = gettext_lazy(
    "Importen är sparad. Listorna är som före importen och beräknas igen i natt; kontakta supporten om felet står kvar."
)
# A running import that has not finished this long after it started has lost its worker: the
# largest allowed file imports in minutes (benchmarks/bench_import.py).
ABANDONED_AFTER = dt.timedelta(hours=1)


def register_import_create(
    *,
    ctx: AccessContext,
    kind: str,
    file: File[Any] | None,
    original_name: str,
    reference_date: dt.date | None = None,
) -> RegisterImport:
    """Record an uploaded extract for the actor's own unit and municipality (status QUEUED).

    Only a KAA-ansvarig with write access, at a unit of an organisation with a municipality,
    may import, and always into that municipality's register.
    """
    user = ctx.user
    register_import_check_upload(viewer=user)
    unit = user.unit
    assert unit is not None
    municipality = unit.organisation.municipality
    if municipality is None:
        raise PermissionDenied(_("Din enhet hör inte till någon kommun och kan inte importera registeruttag."))
    if kind not in ImportKind.values:
        raise InvalidInput(_("Välj befolkningsuttag eller studieuttag."), field_errors={"kind": [_("Okänd filtyp.")]})
    if file is None or not file.size:
        raise InvalidInput(_("Filen är tom."), field_errors={"file": [_("Välj en fil med innehåll.")]})
    if file.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("Filen är för stor."), field_errors={"file": [_("Filen får vara högst 100 MB.")]})
    name = PurePath(original_name.replace("\\", "/")).name[:255]
    suffix = PurePath(name).suffix.lower()
    imp = RegisterImport(
        kind=kind,
        municipality=municipality,
        unit=unit,
        imported_by=user,
        original_name=name,
        reference_date=reference_date or timezone.localdate(),
        status=ImportStatus.QUEUED,
    )
    with transaction.atomic():
        # The stored name carries no part of the user's file name (it could hold a personnummer).
        imp.file.save(f"{imp.pk}{suffix if suffix in ALLOWED_SUFFIXES else ''}", file, save=False)
        imp.save()
    return imp


def register_import_run(*, import_id: uuid.UUID, progress: ProgressHook | None = None) -> RegisterImport:
    """Run a queued import and return the finished record (status DONE, or FAILED with `error`).

    Only a QUEUED import runs; any other is returned as it is (a task delivered twice).
    """
    imp = RegisterImport.objects.select_related("unit__organisation", "municipality", "imported_by").get(pk=import_id)
    if imp.status != ImportStatus.QUEUED:
        return imp
    imp.status = ImportStatus.RUNNING
    imp.started_at = timezone.now()
    imp.save(update_fields=["status", "started_at", "updated_at"])
    with tempfile.TemporaryFile() as spool, tempfile.TemporaryFile() as rejected:
        try:
            rejected_format = _read(imp, spool=spool, rejected=rejected, progress=progress)
            if imp.rows_accepted == 0:
                _fail(imp, NOTHING_VALID)
            else:
                spool.seek(0)
                totals = _write(imp, spool=spool)
                imp.persons_new, imp.persons_changed, imp.persons_left = totals.new, totals.changed, totals.left
                imp.status = ImportStatus.DONE
            if rejected_format is not None:
                rejected.seek(0)
                stem = PurePath(imp.original_name).stem or "import"
                imp.rejected_file.save(f"{stem}.fel.{rejected_format}", File(rejected), save=False)
        except FileError as exc:
            _fail(imp, exc.message)
        except Exception:
            # Logged without the file's content: a record's repr carries no identity number.
            logger.exception("register import %s failed", imp.pk)
            _fail(imp, TECHNICAL_FAILURE)
    imp.finished_at = timezone.now()
    imp.save()
    if imp.status == ImportStatus.DONE:
        _refresh_target_group(imp)
    return imp


def register_import_mark_crashed(*, import_id: uuid.UUID, running_since_before: dt.datetime | None = None) -> bool:
    """Fail an import that is still queued or running after its task died (only a running one
    started before `running_since_before`, when given). True if it was failed here.

    The import writes in one transaction, so a crash changed nothing: the message says so and
    asks the user to try again. The UPDATE tests the status itself, so an import that finished
    meanwhile keeps its result.
    """
    unfinished = RegisterImport.objects.filter(pk=import_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
    if running_since_before is not None:
        unfinished = unfinished.filter(status=ImportStatus.RUNNING, started_at__lt=running_since_before)
    crashed = unfinished.update(status=ImportStatus.FAILED, error=str(CRASHED), finished_at=timezone.now())
    if crashed:
        logger.error("register import %s crashed", import_id)
    return bool(crashed)


def register_imports_fail_abandoned(imports: Iterable[RegisterImport]) -> None:
    """Of these imports (about to be shown), fail those still running ABANDONED_AFTER after they
    started: their worker died (killed, restarted) and its task will never report back. Without
    this the status page would say "running" and poll every second for ever."""
    cutoff = timezone.now() - ABANDONED_AFTER
    for imp in imports:
        if imp.status != ImportStatus.RUNNING or imp.started_at is None or imp.started_at >= cutoff:
            continue
        if register_import_mark_crashed(import_id=imp.pk, running_since_before=cutoff):
            imp.refresh_from_db(fields=["status", "error", "finished_at"])


def _fail(imp: RegisterImport, message: str | Promise) -> None:
    imp.status = ImportStatus.FAILED
    imp.error = str(message)
    imp.persons_new = imp.persons_changed = imp.persons_left = 0


def _refresh_target_group(imp: RegisterImport) -> None:
    """Recompute the unit's KAA/UVAS lists as the system actor "registerimport", and keep the
    outcome on the import for its status page. The import itself is committed by now: a failure
    here is logged and leaves the lists as they were until the next refresh (the nightly run)."""
    from vagval.targetgroup.services import target_group_refresh

    if imp.kind == ImportKind.POPULATION and not _has_studies(imp):
        # Without a studies extract everyone looks as if they never started upper secondary
        # school: the lists would fill with wrong reasons, then empty again when the studies
        # extract arrives. The first studies import computes the lists.
        logger.debug("register import %s: no studies extract yet, target group not computed", imp.pk)
        _refresh_outcome(imp, RefreshStatus.WAITING_FOR_STUDIES)
        return
    try:
        with transaction.atomic():
            summary = target_group_refresh(
                unit=imp.unit, reference_date=imp.reference_date, ctx=system_context(SystemActor.REGISTER_IMPORT)
            )
    except InvalidInput as exc:
        logger.warning("target group refresh after register import %s failed: %s", imp.pk, exc.message)
        _refresh_outcome(imp, RefreshStatus.FAILED, f"{exc.message} {REFRESH_FAILED_LISTS_KEPT}")
    except Exception:
        logger.exception("target group refresh after register import %s failed", imp.pk)
        _refresh_outcome(imp, RefreshStatus.FAILED, f"{REFRESH_FAILED} {REFRESH_FAILED_LISTS_KEPT}")
    else:
        _refresh_outcome(imp, RefreshStatus.DONE, skipped=summary.skipped)


def _refresh_outcome(imp: RegisterImport, status: str, message: str = "", *, skipped: int = 0) -> None:
    imp.refresh_status, imp.refresh_message, imp.refresh_skipped = status, message, skipped
    imp.save(update_fields=["refresh_status", "refresh_message", "refresh_skipped", "updated_at"])


def _has_studies(imp: RegisterImport) -> bool:
    return RegisterImport.objects.filter(unit=imp.unit, kind=ImportKind.STUDIES, status=ImportStatus.DONE).exists()


# --- phase 1: read ------------------------------------------------------------------------


def _read(imp: RegisterImport, *, spool: IO[bytes], rejected: IO[bytes], progress: ProgressHook | None) -> str | None:
    """Parse the file into `spool` (pickled chunks of records) and `rejected`; returns the
    rejected-rows file's format ("csv"/"xlsx") when a row was rejected, else None."""

    def saved(counts: ParseCounts) -> None:
        imp.rows_read, imp.rows_accepted, imp.rows_rejected = counts.read, counts.accepted, counts.rejected
        RegisterImport.objects.filter(pk=imp.pk).update(
            rows_read=counts.read, rows_accepted=counts.accepted, rows_rejected=counts.rejected
        )
        if progress is not None:
            progress(imp)

    check = _population_check(imp) if imp.kind == ImportKind.POPULATION else _study_check(imp)
    writer: RejectedRowsWriter | None = None
    chunk: list[PopulationRow | StudyRow] = []
    with imp.file.open("rb") as source:
        parsed: ImportFile[Any] = open_import_file(
            source,
            kind=imp.kind,
            progress=saved,
            progress_every=PROGRESS_EVERY,
            today=imp.reference_date,
            check=check,
        )
        with parsed:
            for item in parsed:
                if isinstance(item, RejectedRow):
                    if writer is None:
                        writer = RejectedRowsWriter(rejected, header=parsed.header, file_format=parsed.file_format)
                    writer.write(item)
                    continue
                chunk.append(item)
                if len(chunk) >= CHUNK:
                    pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
                    chunk = []
    if chunk:
        pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
    if writer is None:
        return None
    writer.close()
    return writer.file_format


def _population_check(imp: RegisterImport) -> Callable[[PopulationRow], Problem | None]:
    # A number twice in the file is rejected by the parser itself ("personen finns redan på rad N").
    code = imp.municipality.code

    def check(row: PopulationRow) -> Problem | None:
        if row.municipality_code != code:
            return Problem(
                "kommunkod",
                f"personen är folkbokförd i kommun {row.municipality_code}, inte i {code} som importerar",
            )
        return None

    return check


def _study_check(imp: RegisterImport) -> Callable[[StudyRow], Problem | None]:
    numbers = known_register_numbers(unit=imp.unit)
    seen: dict[tuple[str, ...], int] = {}

    def check(row: StudyRow) -> Problem | None:
        if row.identity.digits not in numbers:
            return Problem(
                "personnummer",
                "personen finns inte i kommunens befolkningsuttag; importera befolkningsuttaget först",
            )
        key = StudyWriter.key(row)
        first = seen.setdefault(key, row.line)
        if first != row.line:
            return Problem("", f"raden är en dubblett av rad {first}")
        return None

    return check


# --- phase 2: write -----------------------------------------------------------------------


def _chunks(spool: IO[bytes]) -> Iterator[list[Any]]:
    while True:
        try:
            # Our own temporary file, written above in this process: not untrusted input.
            yield pickle.load(spool)  # noqa: S301
        except EOFError:
            return


def _write(imp: RegisterImport, *, spool: IO[bytes]) -> ImportTotals:
    ctx = AccessContext(user=imp.imported_by)
    writer: PopulationWriter | StudyWriter = (
        PopulationWriter(imp=imp, ctx=ctx) if imp.kind == ImportKind.POPULATION else StudyWriter(imp=imp, ctx=ctx)
    )
    with transaction.atomic():
        for chunk in _chunks(spool):
            writer.write_chunk(chunk)
        writer.finish()
    return writer.totals
