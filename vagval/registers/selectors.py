"""Reads of register imports: who may see which import record and its rejected rows.

An import belongs to the unit that made it (the KAA-ansvarig's unit). Only users with the KAA
role at that unit see it; everyone else gets NotFound for a single import (its existence does not
leak across secrecy domains) and PermissionDenied for the list and the upload page.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vagval.accounts.models import Role, User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common.errors import NotFound, PermissionDenied
from vagval.people.models import Protection
from vagval.registers.models import ImportStatus, PopulationEntry, RegisterImport

# How many persons who would leave the register the confirmation page names.
LEAVING_EXAMPLES_SHOWN = 5


def _may_use_registers(viewer: User) -> bool:
    return viewer.is_active and viewer.unit_id is not None and viewer.role == Role.KAA


def register_import_may_upload(*, viewer: User) -> bool:
    """Whether the viewer may upload an extract (a KAA-ansvarig who may write)."""
    return _may_use_registers(viewer) and viewer.can_write


def register_import_check_upload(*, viewer: User) -> None:
    """Refuse anyone but an active KAA-ansvarig with write access: the upload page's check and
    register_import_create's (the one rule for who may import)."""
    if not _may_use_registers(viewer):
        raise PermissionDenied(_("Bara KAA-ansvariga kan importera registeruttag."))
    if not viewer.can_write:
        raise PermissionDenied(_("Du har bara läsbehörighet och kan inte importera."))


def register_importers(*, municipality_code: str) -> QuerySet[User]:
    """Who may import into the municipality's register (as register_import_check_upload decides):
    its active KAA-ansvariga with write access. The command line imports as one of them."""
    return User.objects.filter(
        role=Role.KAA, is_active=True, read_only=False, unit__organisation__municipality__code=municipality_code
    ).select_related("unit__organisation__municipality")


def register_import_list(*, viewer: User) -> QuerySet[RegisterImport]:
    """The viewer's unit's imports, newest first."""
    if not _may_use_registers(viewer):
        raise PermissionDenied(_("Bara KAA-ansvariga kan se registerimporter."))
    assert viewer.unit_id is not None  # checked above
    return RegisterImport.objects.filter(unit_id=viewer.unit_id).select_related("imported_by").order_by("-created_at")


def register_import_get(*, viewer: User, import_id: uuid.UUID) -> RegisterImport:
    """One import of the viewer's own unit; NotFound for any other, before the role is looked at."""
    imp = (
        RegisterImport.objects.filter(pk=import_id, unit_id=viewer.unit_id)
        .select_related("imported_by", "municipality")
        .first()
        if viewer.unit_id is not None
        else None
    )
    if imp is None:
        raise NotFound(_("Importen finns inte."))
    if not _may_use_registers(viewer):
        raise PermissionDenied(_("Bara KAA-ansvariga kan se registerimporter."))
    return imp


def register_import_check_manage(*, viewer: User) -> None:
    """Who may confirm, cancel or undo an import of their unit (after register_import_get): a
    KAA-ansvarig with write access."""
    if not _may_use_registers(viewer):
        raise PermissionDenied(_("Bara KAA-ansvariga kan bekräfta eller ångra registerimporter."))
    if not viewer.can_write:
        raise PermissionDenied(_("Du har bara läsbehörighet och kan inte bekräfta eller ångra importer."))


def register_import_may_manage(*, viewer: User) -> bool:
    return _may_use_registers(viewer) and viewer.can_write


def register_import_undo_refusal(*, imp: RegisterImport) -> str | None:
    """Why this import cannot be undone, or None when it can: only the unit's latest import
    (no import started after it, except failed or cancelled ones), finished, and only once."""
    if imp.undone_at is not None:
        return _("Importen är redan ångrad.")
    if imp.status != ImportStatus.DONE:
        return _("Bara en import som är klar kan ångras.")
    if register_import_has_later(imp=imp):
        return _("Bara den senaste importen kan ångras: en senare import har gjorts.")
    return None


def register_import_has_later(*, imp: RegisterImport) -> bool:
    """Whether the unit has an import made after this one that counts (not failed or cancelled)."""
    return (
        RegisterImport.objects.filter(unit_id=imp.unit_id, created_at__gt=imp.created_at)
        .exclude(status__in=[ImportStatus.FAILED, ImportStatus.CANCELLED])
        .exists()
    )


def register_import_leaving_examples(*, viewer: User, ctx: AccessContext, imp: RegisterImport) -> list[str]:
    """Names of a few persons who would leave the register if the waiting import is confirmed
    (persons of the viewer's own register, never with protected personal data). Each name shown
    is logged with the unit's own basis."""
    if imp.status != ImportStatus.AWAITING_CONFIRMATION or not imp.leaving_examples:
        return []
    assert imp.unit_id == viewer.unit_id  # register_import_get decided
    entries = (
        PopulationEntry.objects.filter(
            unit_id=imp.unit_id, person_id__in=imp.leaving_examples[: LEAVING_EXAMPLES_SHOWN * 4]
        )
        .filter(person__protection=Protection.NONE)
        .select_related("person")
        .order_by("person__last_name_key", "person__first_name_key")[:LEAVING_EXAMPLES_SHOWN]
    )
    persons = [entry.person for entry in entries]
    access_log_record_many(
        ctx=ctx,
        action="register.leaving_examples_viewed",
        grants=((person.pk, AccessBasis.OWN_UNIT, None) for person in persons),
        detail={"import_id": str(imp.pk)},
    )
    return [f"{person.first_name} {person.last_name}".strip() for person in persons]


def may_download_rejected(*, viewer: User, imp: RegisterImport) -> bool:
    return viewer.can_write and imp.imported_by_id == viewer.pk


def register_import_rejected_get(*, viewer: User, ctx: AccessContext, import_id: uuid.UUID) -> RegisterImport:
    """The import whose rejected-rows file the viewer downloads; the download is logged.

    The file holds identity numbers of rows to correct and re-import, so only those who may
    import get it (read-only users see the counts but not the rows).
    """
    imp = register_import_get(viewer=viewer, import_id=import_id)
    if not viewer.can_write:
        raise PermissionDenied(_("Du har bara läsbehörighet och kan inte hämta avvisade rader."))
    if not may_download_rejected(viewer=viewer, imp=imp):
        # The rows come back as they were uploaded, a protected person's address included: the
        # file goes back to the one who had it, not to the rest of the unit.
        raise PermissionDenied(_("Bara den som laddade upp filen kan hämta de avvisade raderna."))
    if not imp.rejected_file:
        raise NotFound(_("Importen har inga avvisade rader."))
    # The rows may have no valid identity number, so there is no person to log: one entry per file.
    access_log_record(
        ctx=ctx,
        action="register.rejected_downloaded",
        detail={"import_id": str(imp.pk), "rows": imp.rows_rejected, "kind": imp.kind},
    )
    return imp
