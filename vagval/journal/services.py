"""Writing and correcting journal notes. Each write is one transaction with its access-log entry.

Notes are never edited: a correction is a new note that points at the corrected one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.scope import scope_for
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.journal.models import Note, NoteContext, NoteVisibility
from vagval.journal.selectors import PURPOSE
from vagval.people.models import Person

KAA_SENSITIVE_ERROR = gettext_lazy(
    "Känsliga uppgifter, till exempel om hälsa, får inte dokumenteras i KAA. Skriv anteckningen "
    "utan de känsliga uppgifterna, eller välj sammanhanget Allmänt."
)


@dataclass(frozen=True)
class NoteData:
    text: str
    visibility: str = NoteVisibility.OWN_UNIT
    context: str = NoteContext.GENERAL
    sensitive: bool = False


def _validate(data: NoteData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.text.strip():
        errors["text"] = [_("Skriv anteckningen.")]
    if data.visibility not in NoteVisibility.values:
        errors["visibility"] = [_("Välj vem som får se anteckningen.")]
    if data.context not in NoteContext.values:
        errors["context"] = [_("Välj sammanhang.")]
    elif data.context == NoteContext.KAA and data.sensitive:
        errors["sensitive"] = [str(KAA_SENSITIVE_ERROR)]
    if errors:
        raise InvalidInput(_("Anteckningen innehåller fel."), field_errors=errors)


def _writer_access(ctx: AccessContext, person: Person) -> None:
    access = scope_for(ctx, PURPOSE).admit(person).access
    if access.basis != AccessBasis.OWN_UNIT or not access.can_write:
        raise PermissionDenied(_("Du får inte skriva anteckningar om den här personen."))


def _create(ctx: AccessContext, person: Person, data: NoteData, corrects: Note | None) -> Note:
    unit_id = ctx.user.unit_id
    assert unit_id is not None  # the access check answers only for users with a unit
    return Note.objects.create(
        person=person,
        unit_id=unit_id,
        author=ctx.user,
        written_at=timezone.now(),
        text=data.text.strip(),
        visibility=data.visibility,
        context=data.context,
        sensitive=data.sensitive,
        corrects=corrects,
    )


def note_write(*, ctx: AccessContext, person: Person, data: NoteData) -> Note:
    """A new note at the writer's unit. Only a writer at the person's own unit may."""
    _writer_access(ctx, person)
    _validate(data)
    with transaction.atomic():
        note = _create(ctx, person, data, corrects=None)
        access_log_record(
            ctx=ctx,
            action="note.written",
            person_id=person.pk,
            detail={"note": str(note.pk), "visibility": note.visibility, "context": note.context},
        )
    return note


def note_correct(*, ctx: AccessContext, note_id: uuid.UUID, data: NoteData) -> Note:
    """Correct a note written at the viewer's unit: a new note that references it; the old one stays."""
    with transaction.atomic():
        original = Note.objects.select_for_update().select_related("person").filter(pk=note_id).first()
        if original is None or original.unit_id != ctx.user.unit_id:
            raise NotFound(_("Anteckningen finns inte eller så saknar du behörighet."))
        _writer_access(ctx, original.person)
        if original.corrections.exists():
            raise InvalidInput(_("Anteckningen är redan rättad. Rätta den senaste versionen i stället."))
        _validate(data)
        note = _create(ctx, original.person, data, corrects=original)
        access_log_record(
            ctx=ctx,
            action="note.corrected",
            person_id=original.person_id,
            detail={
                "note": str(note.pk),
                "corrects": str(original.pk),
                "visibility": note.visibility,
                "context": note.context,
            },
        )
    return note
