"""The name search (person_search) is read one of three ways: the unit's set filtered by name
(_filtered), the matching names collected and tested in name order, or the register walked in
name order. Each must give the hits, in the order and with the access-log entries, that the
set gives, for every viewer and query."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.consent.tests.factories import share
from vagval.people import selectors
from vagval.people.models import Protection
from vagval.people.selectors import PersonFilters, _filtered, person_search
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

VIEWERS = ["alice", "bob", "charlie", "dana", "erik", "frida"]
QUERIES = ["an", "bo", "ada an", "anna b", "cia", "sv", "xy", "a%", "b_", "bo an  ma"]
# How each read is chosen: no register size (SQLite) keeps the set; a register of one makes
# every unit big enough for the other two, and the estimate of matching names picks between them.
# On SQLite a one-word walk reads the last names and the few first names apart (_split_walk);
# "walked whole" is the walk that tests every name in name order.
READS = {
    "set": (None, 0.0),
    "collected": (1, 0.0),
    "walked": (1, 1e9),
    "walked whole": (1, 1e9),
    "walked in steps": (10**6, 1e9),
}


@pytest.fixture
def world(alice, charlie, frida, project, ludvika_unit, smedjebacken_unit):
    today = timezone.localdate()
    lasts = ["Andersson", "Bergman", "Anttila", "Boman", "Cederlund", "Svensson", "Ankarberg"]
    names = itertools.product(lasts, ("Ada", "Anna", "Bo", "Cia"))
    persons = []
    for n, (last, first) in enumerate(names):
        unit = ludvika_unit if n % 3 else smedjebacken_unit
        protection = Protection.CONFIDENTIALITY_MARK if n % 7 == 0 else Protection.NONE
        person = PersonFactory(last_name=last, first_name=first, protection=protection)
        EnrolmentFactory(unit=unit, project=project, person=person)
        if n % 2:
            share(
                person,
                documented_by=alice if unit == ludvika_unit else charlie,
                to_unit=frida.unit,
                valid_from=today - dt.timedelta(days=1),
                valid_to=today + dt.timedelta(days=1),
            )
        persons.append(person)
    persons[4].merged_into = persons[5]
    persons[4].save()
    return persons


def _read(monkeypatch, how):
    register, matches = READS[how]
    monkeypatch.setattr(selectors, "_register_size", lambda: register)
    monkeypatch.setattr(selectors, "_matching_names", lambda query, statement, params: matches)
    if how == "walked whole":
        monkeypatch.setattr(selectors, "SPLIT_FIRST_NAMES_MAX", -1)
    if how == "walked in steps":
        # A large register: the walk may test many candidates, first one, then two, as SQLite
        # walks a share first (_walk_bounds); the unit counts as seeing enough of them.
        monkeypatch.setattr(selectors, "visible_ids_reach", lambda **kwargs: True)
        monkeypatch.setattr(selectors, "_walk_bounds", lambda threshold: (1, 2, threshold))


def _expected(viewer, query, limit):
    """The set's hits in name order, ties (none here) broken by id."""
    found = _filtered(viewer=viewer, filters=PersonFilters(query=query), today=timezone.localdate())
    return [p.pk for p in found.order_by("last_name_key", "first_name_key", "pk")[:limit]]


@pytest.mark.parametrize("how", list(READS))
@pytest.mark.parametrize("limit", [20, 3])
@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_every_read_gives_the_hits_of_the_set(request, world, monkeypatch, how, limit, viewer_name):
    viewer = request.getfixturevalue(viewer_name)
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", limit)
    _read(monkeypatch, how)
    for query in QUERIES:
        hits = person_search(viewer=viewer, ctx=ctx_for(viewer), query=query)
        assert [p.pk for p, _access in hits] == _expected(viewer, query, limit), query


@pytest.mark.parametrize("how", list(READS))
def test_every_read_logs_one_entry_per_hit_with_its_basis(alice, frida, world, monkeypatch, how):
    _read(monkeypatch, how)
    for viewer in (alice, frida):
        hits = person_search(viewer=viewer, ctx=ctx_for(viewer), query="an")
        logged = AccessLogEntry.objects.filter(action="person.search_hit", username=viewer.username).values_list(
            "person_id", "basis", "consent_id", "username"
        )
        assert hits
        assert sorted(logged) == sorted((p.pk, access.basis, access.consent_id, viewer.username) for p, access in hits)


def test_a_unit_that_sees_few_persons_keeps_the_set(alice, world, monkeypatch):
    monkeypatch.setattr(selectors, "_register_size", lambda: 10**9)  # the unit sees a tiny share
    monkeypatch.setattr(selectors, "_matching_names", lambda *a: pytest.fail("the set needs no estimate"))
    assert selectors._search_by_name(viewer=alice, query="an") is None


def test_a_walk_that_meets_too_few_of_the_units_persons_leaves_the_page_to_the_set(alice, world, monkeypatch):
    # Pages of 3 in a register of one: the walk stops after 3 candidates (Ada, Anna and Bo
    # Andersson), of which alice sees two (Ada Andersson is Smedjebacken's).
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 3)
    monkeypatch.setattr(selectors, "_register_size", lambda: 1)
    monkeypatch.setattr(selectors, "_matching_names", lambda *a: 1e9)
    assert selectors._search_by_name(viewer=alice, query="an") is None
    hits = person_search(viewer=alice, ctx=ctx_for(alice), query="an")
    assert [p.pk for p, _access in hits] == _expected(alice, "an", 3)


@pytest.mark.parametrize(
    ("how", "queries"),
    # A walk stops at `threshold` candidates (3 here) and leaves the page to the set when they
    # hold fewer than a page of alice's persons: these names' first candidates are hers.
    [
        ("collected", ("an", "bo")),
        ("walked", ("bo", "anna b")),
        ("walked whole", ("bo", "anna b")),
        ("walked in steps", ("an", "bo", "anna b", "xy")),
    ],
)
def test_the_collected_and_walked_reads_answer_themselves(alice, world, monkeypatch, how, queries):
    """The comparisons above would pass if these reads always left the page to the set: here
    each must give the page itself."""
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 3)
    _read(monkeypatch, how)
    for query in queries:
        found = selectors._search_by_name(viewer=alice, query=query)
        assert found is not None, query
        assert [p.pk for p in found] == _expected(alice, query, 3), query
