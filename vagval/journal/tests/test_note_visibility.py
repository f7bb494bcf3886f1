"""Who reads which notes: own unit all of its own, partners only shared notes under a notes consent."""

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import NotFound
from vagval.consent import services as consent_services
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.journal import selectors, services
from vagval.journal.models import NoteVisibility
from vagval.people.models import Protection
from vagval.people.tests.factories import EnrolmentFactory


def _write(user, person, text, visibility=NoteVisibility.OWN_UNIT):
    data = services.NoteData(text=text, visibility=visibility)
    return services.note_write(ctx=ctx_for(user), person=person, data=data)


@pytest.fixture
def notes(alice, alices_person):
    own = _write(alice, alices_person, "Bara för enheten")
    shared = _write(alice, alices_person, "Får delas", NoteVisibility.SHARED)
    return own, shared


def _texts(viewer, person):
    view = selectors.notes_for_person(viewer=viewer, ctx=ctx_for(viewer), person_id=person.pk)
    return {row.note.text for row in view.rows}


def test_the_own_unit_sees_all_its_notes(alice, bob, alices_person, notes):
    assert _texts(alice, alices_person) == {"Bara för enheten", "Får delas"}
    assert _texts(bob, alices_person) == {"Bara för enheten", "Får delas"}


def test_charlie_does_not_find_the_person(charlie, alices_person, notes):
    with pytest.raises(NotFound):
        selectors.notes_for_person(viewer=charlie, ctx=ctx_for(charlie), person_id=alices_person.pk)


def test_a_partner_under_a_notes_consent_sees_only_shared_notes(alice, frida, alices_person, notes):
    consent = share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.NOTES])
    assert _texts(frida, alices_person) == {"Får delas"}
    entry = AccessLogEntry.objects.get(action="note.viewed", username="frida")
    assert (entry.basis, entry.consent_id, entry.detail) == ("consent", consent.pk, {"notes": 1})


def test_a_partner_without_consent_does_not_find_the_person(harald, alices_person, notes):
    with pytest.raises(NotFound):
        selectors.notes_for_person(viewer=harald, ctx=ctx_for(harald), person_id=alices_person.pk)


def test_a_consent_without_the_notes_category_shows_no_notes(alice, frida, alices_person, notes):
    share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.PLAN])
    with pytest.raises(NotFound):
        selectors.notes_for_person(viewer=frida, ctx=ctx_for(frida), person_id=alices_person.pk)


def test_withdrawal_closes_the_notes_on_the_next_request(alice, frida, alices_person, notes):
    consent = share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.NOTES])
    assert _texts(frida, alices_person) == {"Får delas"}
    consent_services.consent_withdraw(ctx=ctx_for(alice), consent=consent)
    with pytest.raises(NotFound):
        selectors.notes_for_person(viewer=frida, ctx=ctx_for(frida), person_id=alices_person.pk)


def test_protected_persons_notes_are_never_shared(alice, frida, alices_person, notes):
    share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.NOTES])
    alices_person.protection = Protection.CONFIDENTIALITY_MARK
    alices_person.save()
    with pytest.raises(NotFound):
        selectors.notes_for_person(viewer=frida, ctx=ctx_for(frida), person_id=alices_person.pk)


def test_a_consent_opens_only_the_notes_of_the_unit_that_documented_it(
    alice, charlie, frida, alices_person, project, notes
):
    # Smedjebacken also works with the person and shares its notes with AF; Ludvika does not.
    EnrolmentFactory(person=alices_person, project=project, unit=charlie.unit, coach=charlie)
    _write(charlie, alices_person, "Smedjebackens delade", NoteVisibility.SHARED)
    _write(charlie, alices_person, "Smedjebackens egna")
    share(alices_person, documented_by=charlie, to_unit=frida.unit, categories=[ConsentCategory.NOTES])
    assert _texts(frida, alices_person) == {"Smedjebackens delade"}
    assert _texts(charlie, alices_person) == {"Smedjebackens delade", "Smedjebackens egna"}
    assert "Får delas" not in _texts(charlie, alices_person)


def test_a_partner_learns_that_a_shared_note_was_corrected_even_if_the_fix_is_not_shared(
    alice, frida, alices_person, notes
):
    _own, shared = notes
    services.note_correct(ctx=ctx_for(alice), note_id=shared.pk, data=services.NoteData(text="Rättat, internt"))
    share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.NOTES])
    view = selectors.notes_for_person(viewer=frida, ctx=ctx_for(frida), person_id=alices_person.pk)
    [row] = view.rows
    assert (row.note, row.corrected, row.correction) == (shared, True, None)


def test_the_own_unit_list_view_is_logged_once(alice, alices_person, notes):
    selectors.notes_for_person(viewer=alice, ctx=ctx_for(alice), person_id=alices_person.pk)
    entry = AccessLogEntry.objects.get(action="note.viewed")
    assert (entry.basis, entry.consent_id, entry.detail) == ("own_unit", None, {"notes": 2})
