"""Register imports: recording an uploaded extract, and running it into the unit's register.

An import runs in two phases, so a web page polling the RegisterImport row sees progress on
SQLite as well as PostgreSQL (SQLite locks the whole database during a write transaction):

1. read: the file is parsed row by row outside any transaction; valid records are spooled to a
   temporary file in chunks, rejected rows go to the rejected-rows file, and the counters are
   saved on the import row every 1,000 rows;
2. write: the spooled records are written in ONE transaction, chunk by chunk, with one query
   per chunk to find existing persons and entries. Any failure rolls the register back as it was.

Before the write transaction commits, the import checks what it did: when more than
REGISTER_IMPORT_CONFIRM_LEAVING_PERCENT of the persons present in the register would leave it,
or the file has fewer than half the accepted rows of the previous snapshot of its kind (a
partial extract uploaded by mistake), the transaction is rolled back and the import waits
(AWAITING_CONFIRMATION) with the counts and a few example persons. A KAA-ansvarig of the unit
confirms it (it is queued again and then writes without asking) or cancels it.

Then the KAA/UVAS target group of the unit is recomputed in its own transaction; the episodes
it closes record the import, so that undoing the latest import (register_import_undo) reopens
them and brings back the persons it marked as left.
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

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.accounts.system import SystemActor, system_context
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.organisations.models import Unit
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
from vagval.registers.models import (
    ImportKind,
    ImportStatus,
    PopulationEntry,
    RefreshStatus,
    RegisterImport,
    StudyEntry,
)
from vagval.registers.selectors import (
    register_import_check_manage,
    register_import_check_upload,
    register_import_get,
    register_import_has_later,
    register_import_undo_refusal,
)

logger = logging.getLogger(__name__)

ProgressHook = Callable[[RegisterImport], None]

PROGRESS_EVERY = 1000
CHUNK = 1000
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")

NOTHING_VALID = gettext_lazy("Filen innehöll inga giltiga rader, så inget har importerats. Se de avvisade raderna.")
TECHNICAL_FAILURE = gettext_lazy("Importen avbröts av ett tekniskt fel. Inget i registret har ändrats; försök igen.")
CRASHED = gettext_lazy("Importen avbröts av ett oväntat fel. Ingenting ändrades. Försök igen eller kontakta supporten.")
TOO_MANY_ROWS = gettext_lazy(
    "Filen har fler än %(max)s rader med uppgifter, mer än en import får ha. Inget har importerats. "
    "Kontrollera att det är rätt fil, eller be den som driftar Vägval om en högre gräns."
)
# How many persons who would leave the register are kept as examples for the confirmation page.
LEAVING_EXAMPLES = 20
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
    confirm_leaving: bool = False,
) -> RegisterImport:
    """Record an uploaded extract for the actor's own unit and municipality (status QUEUED).

    Only a KAA-ansvarig with write access, at a unit of an organisation with a municipality,
    may import, and always into that municipality's register. `confirm_leaving` confirms in
    advance that many persons may leave the register (the command line's --bekrafta-bortfall):
    the import then writes without waiting for a confirmation.
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
    if confirm_leaving:
        imp.confirmed_by, imp.confirmed_at = user, timezone.now()
    with transaction.atomic():
        # The stored name carries no part of the user's file name (it could hold a personnummer).
        imp.file.save(f"{imp.pk}{suffix if suffix in ALLOWED_SUFFIXES else ''}", file, save=False)
        imp.save()
    return imp


def register_import_run(*, import_id: uuid.UUID, progress: ProgressHook | None = None) -> RegisterImport:
    """Run a queued import and return the finished record (status DONE, FAILED with `error`, or
    AWAITING_CONFIRMATION with nothing written; see the module's docstring).

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
                if imp.status != ImportStatus.AWAITING_CONFIRMATION:
                    imp.status = ImportStatus.DONE
            if rejected_format is not None and imp.status != ImportStatus.AWAITING_CONFIRMATION:
                # A waiting import reads its file again when confirmed, and writes this file then.
                rejected.seek(0)
                # Stored under our own id: the user's file name could hold a personnummer.
                imp.rejected_file.save(f"{imp.pk}.fel.{rejected_format}", File(rejected), save=False)
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


def register_import_confirm(*, ctx: AccessContext, import_id: uuid.UUID) -> RegisterImport:
    """Confirm an import that waits because many persons would leave the register: it is queued
    again and then writes without asking (the caller enqueues it, as after an upload).

    Only a KAA-ansvarig of the import's unit with write access; another unit's import is NotFound.
    """
    imp = register_import_get(viewer=ctx.user, import_id=import_id)
    register_import_check_manage(viewer=ctx.user)
    if register_import_has_later(imp=imp):
        # Its counts were computed against a register that a later import has changed since.
        raise InvalidInput(
            _("En senare import har gjorts sedan den här väntade. Avbryt den och ladda upp filen igen om den behövs.")
        )
    with transaction.atomic():
        now = timezone.now()
        # The UPDATE tests the status itself: two confirmations (or a confirmation and a
        # cancellation) at once leave one winner.
        waiting = RegisterImport.objects.filter(pk=imp.pk, status=ImportStatus.AWAITING_CONFIRMATION)
        if not waiting.update(status=ImportStatus.QUEUED, confirmed_by=ctx.user, confirmed_at=now, updated_at=now):
            raise InvalidInput(_("Importen väntar inte på bekräftelse."))
        access_log_record(
            ctx=ctx,
            action="register.import_confirmed",
            detail={"import_id": str(imp.pk), "kind": imp.kind, "persons_left": imp.persons_left},
        )
    imp.refresh_from_db()
    return imp


def register_import_cancel(*, ctx: AccessContext, import_id: uuid.UUID) -> RegisterImport:
    """Cancel an import that waits for a confirmation: nothing is written, and the uploaded file
    (the whole population extract) is deleted. Who may: as register_import_confirm."""
    imp = register_import_get(viewer=ctx.user, import_id=import_id)
    register_import_check_manage(viewer=ctx.user)
    with transaction.atomic():
        now = timezone.now()
        waiting = RegisterImport.objects.filter(pk=imp.pk, status=ImportStatus.AWAITING_CONFIRMATION)
        if not waiting.update(status=ImportStatus.CANCELLED, finished_at=now, updated_at=now):
            raise InvalidInput(_("Importen väntar inte på bekräftelse."))
        access_log_record(
            ctx=ctx,
            action="register.import_cancelled",
            detail={"import_id": str(imp.pk), "kind": imp.kind, "persons_left": imp.persons_left},
        )
    imp.refresh_from_db()
    if imp.file:
        imp.file.delete(save=False)
        RegisterImport.objects.filter(pk=imp.pk).update(file="")
        imp.file = ""  # type: ignore[assignment]
    return imp


def register_import_undo(*, ctx: AccessContext, import_id: uuid.UUID) -> RegisterImport:
    """Undo the unit's latest import, once: the persons it marked as left return to the register
    (a studies extract: the study rows it removed return and those it added go), and the
    episodes that the target group refresh after it closed reopen. Changes it made to persons'
    details stay, and so do persons it created. One access-log entry per person affected.

    Only a KAA-ansvarig of the import's unit with write access; another unit's import is NotFound.
    """
    from vagval.targetgroup.services import episodes_reopen_closed_by_import

    imp = register_import_get(viewer=ctx.user, import_id=import_id)
    register_import_check_manage(viewer=ctx.user)
    with transaction.atomic():
        # Serialise with imports finishing and target group refreshes of the unit.
        Unit.objects.select_for_update().filter(pk=imp.unit_id).exists()
        imp = RegisterImport.objects.select_for_update().select_related("unit").get(pk=imp.pk)
        refusal = register_import_undo_refusal(imp=imp)
        if refusal:
            raise InvalidInput(refusal)
        now = timezone.now()
        affected: set[uuid.UUID] = set()
        if imp.kind == ImportKind.POPULATION:
            left = PopulationEntry.objects.filter(unit=imp.unit, last_import=imp, present=False)
            affected.update(left.values_list("person_id", flat=True))
            restored = left.update(present=True, left_on=None, updated_at=now)
        else:
            # Rows it added (or brought back) go; rows it removed return. Unchanged rows keep
            # their earlier last_import, so these are exactly the rows the import touched.
            touched = StudyEntry.objects.filter(unit=imp.unit, last_import=imp)
            rows = list(touched.values_list("pk", "person_id", "present"))
            affected.update(person_id for _pk, person_id, _present in rows)
            restored = 0
            for present in (True, False):
                pks = [pk for pk, _person_id, was_present in rows if was_present is present]
                for start in range(0, len(pks), CHUNK):
                    restored += StudyEntry.objects.filter(pk__in=pks[start : start + CHUNK]).update(
                        present=not present, updated_at=now
                    )
        reopened = episodes_reopen_closed_by_import(register_import=imp)
        affected.update(episode.person_id for episode in reopened)
        imp.undone_by, imp.undone_at = ctx.user, now
        imp.undo_entries_restored, imp.undo_episodes_reopened = restored, len(reopened)
        imp.save(
            update_fields=["undone_by", "undone_at", "undo_entries_restored", "undo_episodes_reopened", "updated_at"]
        )
        detail = {"import_id": str(imp.pk), "kind": imp.kind}
        if affected:
            access_log_record_many(
                ctx=ctx,
                action="register.import_undone",
                grants=((person_id, AccessBasis.OWN_UNIT, None) for person_id in sorted(affected)),
                detail=detail,
            )
        else:  # nothing to give back, but the undo itself is on record
            access_log_record(ctx=ctx, action="register.import_undone", detail=detail)
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
                unit=imp.unit,
                reference_date=imp.reference_date,
                ctx=system_context(SystemActor.REGISTER_IMPORT),
                register_import=imp,
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

    max_rows = settings.REGISTER_IMPORT_MAX_ROWS
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
                if parsed.counts.read > max_rows:
                    # Stop early: nothing is written, and a huge file costs no more than this.
                    saved(parsed.counts)
                    raise FileError(str(TOO_MANY_ROWS % {"max": max_rows}))
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


class _NeedsConfirmation(Exception):
    """Raised inside the write transaction to roll it back: the import waits for a confirmation."""


def _write(imp: RegisterImport, *, spool: IO[bytes]) -> ImportTotals:
    """Write the spooled records in one transaction. An unconfirmed import that would take too
    many persons out of the register is rolled back and left AWAITING_CONFIRMATION (on `imp`,
    not saved here) with what it would have done."""
    ctx = AccessContext(user=imp.imported_by)
    writer: PopulationWriter | StudyWriter = (
        PopulationWriter(imp=imp, ctx=ctx) if imp.kind == ImportKind.POPULATION else StudyWriter(imp=imp, ctx=ctx)
    )
    try:
        with transaction.atomic():
            imp.persons_present_before = PopulationEntry.objects.filter(unit=imp.unit, present=True).count()
            imp.previous_rows = _previous_rows(imp)
            for chunk in _chunks(spool):
                writer.write_chunk(chunk)
            writer.finish()
            if imp.confirmed_at is None and _needs_confirmation(imp, left=writer.totals.left):
                imp.leaving_examples = [str(pk) for pk in getattr(writer, "gone", [])[:LEAVING_EXAMPLES]]
                raise _NeedsConfirmation
    except _NeedsConfirmation:
        imp.status = ImportStatus.AWAITING_CONFIRMATION
    return writer.totals


def _previous_rows(imp: RegisterImport) -> int | None:
    """The accepted rows of the unit's previous snapshot of this kind still in force, if any."""
    previous = (
        RegisterImport.objects.filter(unit=imp.unit, kind=imp.kind, status=ImportStatus.DONE, undone_at__isnull=True)
        .exclude(pk=imp.pk)
        .order_by("-created_at")
        .values_list("rows_accepted", flat=True)
        .first()
    )
    return previous


def _needs_confirmation(imp: RegisterImport, *, left: int) -> bool:
    """More than the set share of the register's present persons would leave, or the file holds
    fewer than half the rows of the previous snapshot."""
    percent = settings.REGISTER_IMPORT_CONFIRM_LEAVING_PERCENT
    if imp.persons_present_before and left * 100 > percent * imp.persons_present_before:
        return True
    return bool(imp.previous_rows) and imp.rows_accepted * 2 < (imp.previous_rows or 0)
