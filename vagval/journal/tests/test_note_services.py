"""Writing and correcting notes: own unit writers only, never sensitive data in KAA, history kept."""

import pytest
from django.db import IntegrityError, transaction

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.journal import services
from vagval.journal.models import Note, NoteContext, NoteVisibility


def _write(user, person, **kwargs):
    data = services.NoteData(**{"text": "Träffades på biblioteket", **kwargs})
    return services.note_write(ctx=ctx_for(user), person=person, data=data)


def test_alice_writes_a_note_at_her_unit(alice, alices_person):
    note = _write(alice, alices_person, visibility=NoteVisibility.SHARED)
    assert (note.unit, note.author, note.visibility) == (alice.unit, alice, NoteVisibility.SHARED)
    entry = AccessLogEntry.objects.get(action="note.written")
    assert (entry.person_id, entry.basis) == (alices_person.pk, "own_unit")


def test_a_sensitive_note_is_refused_in_the_kaa_context(alice, alices_person):
    with pytest.raises(InvalidInput) as error:
        _write(alice, alices_person, context=NoteContext.KAA, sensitive=True)
    assert "får inte dokumenteras i KAA" in error.value.field_errors["sensitive"][0]
    assert not Note.objects.exists()


def test_the_database_refuses_a_sensitive_kaa_note_too(alice, alices_person):
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.create(
            person=alices_person, unit=alice.unit, author=alice, text="x", context=NoteContext.KAA, sensitive=True
        )


def test_a_sensitive_note_is_allowed_outside_kaa_and_a_plain_one_in_kaa(alice, alices_person):
    assert _write(alice, alices_person, sensitive=True).sensitive
    assert _write(alice, alices_person, context=NoteContext.KAA).context == NoteContext.KAA


def test_an_empty_note_is_refused(alice, alices_person):
    with pytest.raises(InvalidInput) as error:
        _write(alice, alices_person, text="   ")
    assert "text" in error.value.field_errors


def test_only_a_writer_at_the_persons_own_unit_writes(bob, charlie, frida, alices_person):
    share(alices_person, documented_by=bob, to_unit=frida.unit, categories=[ConsentCategory.NOTES])
    with pytest.raises(PermissionDenied):
        _write(bob, alices_person)
    with pytest.raises(PermissionDenied):
        _write(frida, alices_person)
    with pytest.raises(NotFound):
        _write(charlie, alices_person)


def test_a_correction_is_a_new_note_and_the_old_one_stays(alice, alices_person):
    original = _write(alice, alices_person, text="Har körkort")
    correction = services.note_correct(
        ctx=ctx_for(alice), note_id=original.pk, data=services.NoteData(text="Har inte körkort")
    )
    original.refresh_from_db()
    assert original.text == "Har körkort"
    assert correction.corrects == original
    assert Note.objects.count() == 2
    entry = AccessLogEntry.objects.get(action="note.corrected")
    assert entry.detail["corrects"] == str(original.pk)


def test_a_note_is_corrected_once_then_the_newest_version_is_corrected(alice, alices_person):
    original = _write(alice, alices_person)
    first = services.note_correct(ctx=ctx_for(alice), note_id=original.pk, data=services.NoteData(text="Rättad"))
    with pytest.raises(InvalidInput, match="redan rättad"):
        services.note_correct(ctx=ctx_for(alice), note_id=original.pk, data=services.NoteData(text="Igen"))
    second = services.note_correct(ctx=ctx_for(alice), note_id=first.pk, data=services.NoteData(text="Igen"))
    assert second.corrects == first


def test_a_correction_follows_the_kaa_rule(alice, alices_person):
    original = _write(alice, alices_person, context=NoteContext.KAA)
    data = services.NoteData(text="Mår dåligt", context=NoteContext.KAA, sensitive=True)
    with pytest.raises(InvalidInput):
        services.note_correct(ctx=ctx_for(alice), note_id=original.pk, data=data)


def test_other_units_and_readers_cannot_correct(alice, bob, charlie, frida, alices_person):
    original = _write(alice, alices_person, visibility=NoteVisibility.SHARED)
    share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.NOTES])
    data = services.NoteData(text="Fel")
    with pytest.raises(PermissionDenied):
        services.note_correct(ctx=ctx_for(bob), note_id=original.pk, data=data)
    for outsider in (charlie, frida):
        with pytest.raises(NotFound):
            services.note_correct(ctx=ctx_for(outsider), note_id=original.pk, data=data)
