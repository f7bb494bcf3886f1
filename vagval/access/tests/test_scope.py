"""The scope object: one person or a list, decided by the access check and logged with the basis."""

import pytest

from conftest import ctx_for
from vagval.access.scope import Need, acting, scope_for
from vagval.accounts.system import SystemActor, system_context
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.common import scoping
from vagval.common.errors import NotFound, PermissionDenied
from vagval.people.models import Person


def test_one_person_is_logged_with_the_basis(alice, alices_person):
    shown = scope_for(ctx_for(alice), "test").person(alices_person.pk)
    assert shown.person == alices_person
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.person_id, entry.basis) == ("person.viewed", alices_person.pk, AccessBasis.OWN_UNIT)


def test_another_units_person_is_not_found_and_nothing_is_logged(charlie, alices_person):
    with pytest.raises(NotFound):
        scope_for(ctx_for(charlie), "test").person(alices_person.pk)
    assert not AccessLogEntry.objects.exists()


def test_change_needs_write_access(bob, alices_person):
    scope = scope_for(ctx_for(bob), "test")
    assert scope.person(alices_person.pk, action=None).person == alices_person
    with pytest.raises(PermissionDenied):
        scope.person(alices_person.pk, need=Need.CHANGE)


def test_a_list_shows_and_logs_only_what_the_actor_may_see(alice, alices_person, charlies_person):
    rows = scope_for(ctx_for(alice), "test").shown([charlies_person, alices_person], action="person.listed")
    assert [r.person for r in rows] == [alices_person]
    assert list(AccessLogEntry.objects.values_list("person_id", flat=True)) == [alices_person.pk]


def test_persons_is_the_visible_set(alice, alices_person, charlies_person):
    assert list(scope_for(ctx_for(alice), "test").persons()) == [alices_person]


def test_acting_activates_the_scope_for_a_job(alices_person):
    with scoping.without_scope():
        with acting(system_context(SystemActor.NIGHTLY), "test") as scope:
            assert Person.objects.count() == 1
            assert scope.actor.username == "system:nattlig-korning"
        with pytest.raises(scoping.UnscopedQuery):
            Person.objects.count()


def test_a_person_loaded_with_another_row_is_checked_with_the_callers_message(charlie, alices_person):
    with pytest.raises(NotFound) as refused:
        scope_for(ctx_for(charlie), "test").admit(alices_person, not_found="Anteckningen finns inte.")
    assert refused.value.message == "Anteckningen finns inte."
    assert not AccessLogEntry.objects.exists()


def test_admitting_no_person_is_not_found(alice):
    with pytest.raises(NotFound):
        scope_for(ctx_for(alice), "test").admit(None)


def test_admit_logs_only_when_asked(alice, bob, alices_person):
    scope = scope_for(ctx_for(alice), "test")
    assert scope.admit(alices_person).access.can_write
    assert not AccessLogEntry.objects.exists()
    scope.admit(alices_person, action="note.viewed")
    assert list(AccessLogEntry.objects.values_list("action", "basis")) == [("note.viewed", AccessBasis.OWN_UNIT)]
    with pytest.raises(PermissionDenied):
        scope_for(ctx_for(bob), "test").admit(alices_person, need=Need.CHANGE)
