"""The table access_unitperson is, after every kind of write, its sources counted per (unit, person)."""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection

from vagval.access import unit_persons
from vagval.common import sql
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Enrolment, Person
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.targetgroup.models import Episode
from vagval.targetgroup.tests.factories import kaa_episode


def _kept() -> dict[tuple[str, str], int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit_id, person_id, refs FROM {unit_persons.TABLE}")  # noqa: S608 (a constant)
        return {(str(sql.as_uuid(u)), str(sql.as_uuid(p))): refs for u, p, refs in cursor.fetchall()}


def _copied() -> set[tuple[str, str, str, bool]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT person_id, last_name_key, first_name_key, merged FROM {unit_persons.TABLE}")  # noqa: S608 (a constant)
        return {(str(sql.as_uuid(p)), last, first, bool(merged)) for p, last, first, merged in cursor.fetchall()}


def _persons_copied() -> set[tuple[str, str, str, bool]]:
    pairs = {person for _unit, person in _counted()}
    return {
        (str(p.pk), p.last_name_key, p.first_name_key, p.merged_into_id is not None)
        for p in Person.objects.filter(pk__in=pairs)
    }


def _counted() -> dict[tuple[str, str], int]:
    pairs = Counter(
        (str(unit), str(person))
        for model in (Enrolment, Episode)
        for unit, person in model.objects.values_list("unit_id", "person_id")
    )
    return dict(pairs)


def test_the_table_counts_each_units_enrolments_and_episodes_per_person(alice, charlie, project):
    both = PersonFactory()
    EnrolmentFactory(person=both, project=project, unit=alice.unit)
    EnrolmentFactory(person=both, project=ProjectFactory(name="KAA Ludvika"), unit=alice.unit)
    kaa_episode(both, alice.unit)
    kaa_episode(both, charlie.unit, closed=True)
    only_register = PersonFactory()
    kaa_episode(only_register, alice.unit)

    assert _kept() == _counted()
    assert _kept()[(str(alice.unit_id), str(both.pk))] == 3


def test_a_deleted_row_counts_down_and_the_last_one_removes_the_pair(alice, project):
    person = PersonFactory()
    enrolment = EnrolmentFactory(person=person, project=project, unit=alice.unit)
    episode = kaa_episode(person, alice.unit)
    episode.delete()
    assert _kept() == _counted() == {(str(alice.unit_id), str(person.pk)): 1}
    Enrolment.objects.filter(pk=enrolment.pk).delete()
    assert _kept() == _counted() == {}


def test_a_row_moved_to_another_person_or_unit_moves_its_count(alice, charlie, project):
    merged, kept = PersonFactory(), PersonFactory()
    enrolment = EnrolmentFactory(person=merged, project=project, unit=alice.unit)
    episode = kaa_episode(merged, alice.unit)
    Enrolment.objects.filter(pk=enrolment.pk).update(person=kept)  # as a merge moves them
    Episode.objects.filter(pk=episode.pk).update(unit=charlie.unit)
    assert _kept() == _counted()
    assert (str(alice.unit_id), str(merged.pk)) not in _kept()


def test_a_save_that_moves_nothing_changes_nothing(alice, project):
    enrolment = EnrolmentFactory(project=project, unit=alice.unit)
    enrolment.ends_on = dt.date(2027, 1, 1)
    enrolment.status = "avslutad"
    enrolment.save()
    assert _kept() == _counted() == {(str(alice.unit_id), str(enrolment.person_id)): 1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE (its flush deletes rows)")
def test_a_truncated_source_leaves_the_other_sources_pairs(alice, project):
    person = PersonFactory()
    EnrolmentFactory(person=person, project=project, unit=alice.unit)
    kaa_episode(person, alice.unit)
    registered_only = PersonFactory()
    kaa_episode(registered_only, alice.unit)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction holds deferred checks
        cursor.execute(f"TRUNCATE {sql.table(Enrolment)} CASCADE")
    assert _kept() == _counted()
    assert len(_kept()) == 2
    assert Person.objects.count() == 2


def test_each_pair_carries_its_persons_sort_keys_and_merged_state_after_a_rename_and_a_merge(alice, charlie, project):
    renamed, merged, kept = PersonFactory(last_name="Ek"), PersonFactory(), PersonFactory()
    for person in (renamed, merged, kept):
        EnrolmentFactory(person=person, project=project, unit=alice.unit)
    kaa_episode(renamed, charlie.unit)
    assert _copied() == _persons_copied()
    renamed.last_name = "Åberg"
    renamed.save()
    merged.merged_into = kept
    merged.save()
    assert _copied() == _persons_copied()
    assert (str(renamed.pk), "åberg", renamed.first_name_key, False) in _copied()
    assert (str(merged.pk), merged.last_name_key, merged.first_name_key, True) in _copied()
