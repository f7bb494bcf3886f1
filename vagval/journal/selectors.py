"""Reads of journal notes, each taking the viewer and writing an access-log entry.

Who sees what:
- the viewer's own unit: every note written at that unit, when the person is enrolled there;
- another unit's notes: only those marked "delas", only while a valid consent documented by
  the writing unit names the viewer's unit and covers the category "anteckningar", and never
  for a person with protected personal data.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import PersonAccess, disclosures_to_unit
from vagval.access.scope import scope_for
from vagval.accounts.models import User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import NotFound, PermissionDenied
from vagval.consent.models import ConsentCategory
from vagval.journal.models import Note, NoteVisibility
from vagval.people.models import Person

PERSON_NOT_FOUND = gettext_lazy("Personen finns inte eller så saknar du behörighet.")
NOTE_NOT_FOUND = gettext_lazy("Anteckningen finns inte eller så saknar du behörighet.")
PURPOSE = "casework"  # the scope's purpose for the journal's pages and services


def _scoped_person(*, viewer: User, person_id: uuid.UUID) -> tuple[Person, PersonAccess]:
    shown = scope_for(AccessContext(user=viewer), PURPOSE).person(person_id, action=None, related=())
    return shown.person, shown.access


def _person_with_access(*, viewer: User, person_id: uuid.UUID) -> tuple[Person, PersonAccess]:
    person, access = _scoped_person(viewer=viewer, person_id=person_id)
    if access.basis != AccessBasis.OWN_UNIT and not access.may_see(ConsentCategory.NOTES):
        # A partner whose consent does not cover notes may not know whether any exist.
        raise NotFound(PERSON_NOT_FOUND)
    return person, access


def _sharing_consents(*, viewer: User, person: Person) -> dict[uuid.UUID, uuid.UUID]:
    """Writing unit → the (newest) valid consent it documented that opens its shared notes to the viewer."""
    if person.is_protected or viewer.unit_id is None:
        return {}
    by_unit: dict[uuid.UUID, uuid.UUID] = {}
    for disclosure in disclosures_to_unit(person_id=person.pk, unit_id=viewer.unit_id):
        if ConsentCategory.NOTES in disclosure.categories:
            by_unit.setdefault(disclosure.from_unit_id, disclosure.consent_id)
    return by_unit


@dataclass(frozen=True)
class NoteRow:
    note: Note
    # The consent under which a note written at another unit is shown, else None.
    shared_under: uuid.UUID | None
    # Whether a correction of this note exists, and the correction if the viewer may see it.
    corrected: bool
    correction: Note | None


@dataclass(frozen=True)
class NotesView:
    person: Person
    access: PersonAccess
    rows: list[NoteRow]

    @property
    def may_write(self) -> bool:
        return self.access.basis == AccessBasis.OWN_UNIT and self.access.can_write


def _visible_notes(
    *, viewer: User, person: Person, access: PersonAccess
) -> tuple[list[Note], dict[uuid.UUID, uuid.UUID]]:
    sharing = _sharing_consents(viewer=viewer, person=person)
    q = Q(pk__in=[])
    if access.basis == AccessBasis.OWN_UNIT:
        q |= Q(unit_id=viewer.unit_id)
    if sharing:
        q |= Q(visibility=NoteVisibility.SHARED, unit_id__in=list(sharing))
    notes = list(Note.objects.filter(person=person).filter(q).select_related("author", "unit__organisation"))
    return notes, sharing


def notes_for_person(*, viewer: User, ctx: AccessContext, person_id: uuid.UUID) -> NotesView:
    """The notes the viewer may read, newest first; logs note.viewed once per basis used."""
    person, access = _person_with_access(viewer=viewer, person_id=person_id)
    notes, sharing = _visible_notes(viewer=viewer, person=person, access=access)
    by_id = {n.pk: n for n in notes}
    corrected_ids = set(Note.objects.filter(corrects_id__in=list(by_id)).values_list("corrects_id", flat=True))
    visible_corrections = {n.corrects_id: n for n in notes if n.corrects_id}
    rows = [
        NoteRow(
            note=n,
            shared_under=sharing.get(n.unit_id) if n.unit_id != viewer.unit_id else None,
            corrected=n.pk in corrected_ids,
            correction=visible_corrections.get(n.pk),
        )
        for n in notes
    ]
    _log_view(ctx=ctx, person=person, access=access, rows=rows)
    return NotesView(person=person, access=access, rows=rows)


def _log_view(*, ctx: AccessContext, person: Person, access: PersonAccess, rows: list[NoteRow]) -> None:
    """One entry per list view and basis: own unit, and each consent that disclosed a shown note."""
    consents = sorted({row.shared_under for row in rows if row.shared_under}, key=str)
    with transaction.atomic():
        if access.basis == AccessBasis.OWN_UNIT:
            own = sum(1 for row in rows if row.shared_under is None)
            access_log_record(ctx=ctx, action="note.viewed", person_id=person.pk, detail={"notes": own})
        elif not consents:
            access_log_record(
                ctx=ctx,
                action="note.viewed",
                person_id=person.pk,
                basis=AccessBasis.CONSENT,
                consent_id=access.consent_for(ConsentCategory.NOTES),
                detail={"notes": 0},
            )
        for consent_id in consents:
            shown = sum(1 for row in rows if row.shared_under == consent_id)
            access_log_record(
                ctx=ctx,
                action="note.viewed",
                person_id=person.pk,
                basis=AccessBasis.CONSENT,
                consent_id=consent_id,
                detail={"notes": shown},
            )


def person_for_note(*, viewer: User, person_id: uuid.UUID) -> Person:
    """The person, for writing a note: NotFound unless visible, PermissionDenied unless a writer at the own unit.

    Does not log; the service logs the note it writes.
    """
    person, access = _scoped_person(viewer=viewer, person_id=person_id)
    if access.basis != AccessBasis.OWN_UNIT or not access.can_write:
        raise PermissionDenied(_("Du får inte skriva anteckningar om den här personen."))
    return person


@dataclass(frozen=True)
class CorrectionView:
    note: Note
    person: Person
    access: PersonAccess
    already_corrected: bool


def note_for_correction(*, viewer: User, ctx: AccessContext, note_id: uuid.UUID) -> CorrectionView:
    """A note the viewer may correct: written at their unit, by a writer there. Logs note.viewed."""
    note = Note.objects.select_related("person", "author", "unit__organisation").filter(pk=note_id).first()
    if note is None or note.unit_id != viewer.unit_id:
        raise NotFound(NOTE_NOT_FOUND)
    access = scope_for(ctx, PURPOSE).admit(note.person, not_found=NOTE_NOT_FOUND).access
    if access.basis != AccessBasis.OWN_UNIT:
        raise NotFound(NOTE_NOT_FOUND)
    if not access.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    access_log_record(
        ctx=ctx, action="note.viewed", person_id=note.person_id, detail={"note": str(note.pk), "for": "correction"}
    )
    return CorrectionView(note=note, person=note.person, access=access, already_corrected=note.corrections.exists())
