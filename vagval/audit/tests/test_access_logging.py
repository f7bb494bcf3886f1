"""Every access writes exactly one entry; no entry can be changed or removed."""

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry, AppendOnlyError
from vagval.audit.services import access_log_record
from vagval.people import selectors
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory


def test_viewing_a_person_writes_exactly_one_entry_with_who_what_and_basis(alice, alices_person):
    selectors.person_get(viewer=alice, ctx=ctx_for(alice), person_id=alices_person.pk)
    entry = AccessLogEntry.objects.get()
    assert (entry.username, entry.role, entry.unit_id, entry.person_id) == (
        "alice",
        "coach",
        alice.unit_id,
        alices_person.pk,
    )
    assert entry.action == "person.viewed"
    assert entry.basis == "own_unit"
    assert entry.client_address == "127.0.0.1"


def test_a_refused_view_writes_no_entry_about_the_person(charlie, alices_person):
    with pytest.raises(Exception):  # noqa: B017, PT011 - NotFound, asserted elsewhere
        selectors.person_get(viewer=charlie, ctx=ctx_for(charlie), person_id=alices_person.pk)
    assert not AccessLogEntry.objects.filter(person_id=alices_person.pk).exists()


def test_a_list_writes_one_entry_per_person_shown(alice, project):
    persons = [PersonFactory() for _ in range(3)]
    for person in persons:
        EnrolmentFactory(person=person, project=project, unit=alice.unit)
    rows, total = selectors.person_list(viewer=alice, ctx=ctx_for(alice), filters=selectors.PersonFilters(), limit=2)
    assert total == 3
    logged = AccessLogEntry.objects.filter(action="person.listed")
    assert sorted(logged.values_list("person_id", flat=True)) == sorted(p.pk for p, _ in rows)


def test_entries_cannot_be_changed_or_deleted_through_the_orm(alice):
    entry = access_log_record(ctx=ctx_for(alice), action="person.viewed")
    entry.action = "person.changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get().action == "person.viewed"
