"""The list of everyone at the unit (selectors._page_of_all) is read one of several ways: the
unit's set sorted, the unit's own persons in the name order kept for them (a unit no consent
names), or the register walked in name order with each person tested by index probes or
against the unit's hashed sets. Each must give the page and total that the unit's set
sorted by name gives, for every viewer and page."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vagval.access.checks import visible_persons
from vagval.consent.tests.factories import share
from vagval.people import selectors
from vagval.people.models import Protection
from vagval.people.selectors import _CASELOAD_FIELDS, NAME_ORDER, _page_of, _page_of_all
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory
from vagval.targetgroup.tests.factories import kaa_episode

VIEWERS = ["alice", "bob", "charlie", "dana", "erik", "frida"]
# How the page is read: the sorted set (not PostgreSQL), the kept order (where no consent names
# the unit; the others as the partner is read), the walk with probes, the walk against the
# hashed sets, a walk cut short (it ends before the page and the next way reads it), and
# SQLite's walk in steps (probes, twice the expected rows first) on either database.
WAYS = ["set", "kept order", "probes", "hashed", "cut short", "steps"]


@pytest.fixture
def world(alice, charlie, frida, project, ludvika_unit, smedjebacken_unit):
    today = timezone.localdate()
    # Every name twice: the order between two persons of the same name is their id.
    names = itertools.product("ABCDEFG", ("Ada", "Bo", "Cia"), (1, 2))
    persons = []
    for n, (last, first, _twice) in enumerate(names):
        unit = ludvika_unit if n % 3 else smedjebacken_unit
        protection = Protection.CONFIDENTIALITY_MARK if n % 7 == 0 else Protection.NONE
        person = PersonFactory(last_name=f"{last}son", first_name=first, protection=protection)
        if n % 5 == 4:
            kaa_episode(person, unit)  # in the register only
        else:
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


def _ids(persons):
    return [p.pk for p in persons]


def _read(monkeypatch, way):
    # A register of one person makes the walk look cheap; None (not PostgreSQL) keeps the sort.
    monkeypatch.setattr(selectors, "_register_size", lambda: {"set": None, "steps": 30}.get(way, 1))
    monkeypatch.setattr(selectors, "_walks_in_steps", lambda: way == "steps")
    if way != "kept order":
        monkeypatch.setattr(selectors, "sees_only_own_persons", lambda **kw: False)
    if way in ("hashed", "cut short"):
        monkeypatch.setattr(selectors, "PROBES_PER_ROW", 10**9)  # never the probes
    if way == "cut short":
        monkeypatch.setattr(selectors, "WALK_SLACK", 0)  # the walk reads no more than a page


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_every_page_is_the_page_of_the_sorted_set(request, world, monkeypatch, way, viewer_name):
    viewer = request.getfixturevalue(viewer_name)
    _read(monkeypatch, way)
    expected_all = list(visible_persons(viewer=viewer).order_by(*NAME_ORDER))
    for offset, limit in ((0, 4), (4, 4), (8, 50), (0, 50), (100, 4)):
        page, total = _page_of_all(viewer=viewer, limit=limit, offset=offset, only=_CASELOAD_FIELDS)
        assert _ids(page) == _ids(expected_all[offset : offset + limit])
        assert total == len(expected_all)


def test_the_sorted_set_gives_the_total_of_the_old_read(alice, world, monkeypatch):
    monkeypatch.setattr(selectors, "_register_size", lambda: None)
    _page, total = _page_of_all(viewer=alice, limit=4, offset=0, only=())
    assert total == _page_of(visible_persons(viewer=alice), limit=4, offset=0, count=True, only=())[1]


def test_the_kept_order_is_read_for_a_unit_no_consent_names_and_not_for_the_partner(alice, frida, world, monkeypatch):
    kept = []
    original = selectors._own_in_name_order
    monkeypatch.setattr(
        selectors, "_own_in_name_order", lambda viewer, **kw: kept.append(viewer) or original(viewer, **kw)
    )
    monkeypatch.setattr(selectors, "_register_size", lambda: 1)
    for viewer in (alice, frida):
        _page_of_all(viewer=viewer, limit=4, offset=4, only=())
    assert kept == [alice]


def test_the_walk_is_chosen_only_where_it_reads_less(alice, world, monkeypatch):
    monkeypatch.setattr(selectors, "sees_only_own_persons", lambda **kw: False)  # read as for a partner
    monkeypatch.setattr(selectors, "_walks_in_steps", lambda: False)  # PostgreSQL's walks
    monkeypatch.setattr(selectors, "PROBES_PER_ROW", 4)  # the pages below sit either side of it
    walks = []
    original = selectors._walk
    monkeypatch.setattr(
        selectors, "_walk", lambda viewer, visible, **kw: walks.append(visible) or original(viewer, visible, **kw)
    )
    monkeypatch.setattr(selectors, "_register_size", lambda: 40)  # the unit sees about a third of the register
    _page_of_all(viewer=alice, limit=1, offset=0, only=())
    assert walks == [selectors.visible_person_probe_sql]  # a short walk: probes
    walks.clear()
    _page_of_all(viewer=alice, limit=4, offset=4, only=())
    assert walks == [selectors.visible_person_member_sql]  # longer: against the hashed sets
    walks.clear()
    _page_of_all(viewer=alice, limit=20, offset=20, only=())  # deep: the walk would read more than the set
    assert walks == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the hash memory is PostgreSQL's")
def test_the_walk_against_hashed_ids_gets_the_memory_for_a_city(alice, world, monkeypatch):
    _read(monkeypatch, "hashed")
    with CaptureQueriesContext(connection) as queries:
        _page_of_all(viewer=alice, limit=4, offset=0, only=())
    statements = [q["sql"] for q in queries]
    setting = next(n for n, s in enumerate(statements) if s.startswith("SET LOCAL work_mem"))
    assert " IN (SELECT c.id" in statements[setting + 1]


def test_sqlite_walks_with_probes_first_twice_the_expected_rows_then_the_whole_bound(alice, world, monkeypatch):
    monkeypatch.setattr(selectors, "_walks_in_steps", lambda: True)
    # 8 rows expected (a third of the register seen, page 2 of 4): 20 rows, then 8 × 4 + 4.
    walks = selectors._walks(walked=8, total=10, limit=4)
    assert walks == [(selectors.visible_person_probe_sql, 20), (selectors.visible_person_probe_sql, 36)]
    assert selectors._walks(walked=21, total=10, limit=4) == []  # more than two rows per person seen: the set
    monkeypatch.setattr(selectors, "sees_only_own_persons", lambda **kw: False)  # read as for a partner
    monkeypatch.setattr(selectors, "_register_size", lambda: 40)
    bounds = []
    original = selectors._walk
    monkeypatch.setattr(
        selectors, "_walk", lambda viewer, visible, **kw: bounds.append(kw["bound"]) or original(viewer, visible, **kw)
    )
    page, total = _page_of_all(viewer=alice, limit=4, offset=4, only=())
    expected = list(visible_persons(viewer=alice).order_by(*NAME_ORDER))
    assert _ids(page) == _ids(expected[4:8])
    assert bounds[0] == selectors._walks(walked=8 * 40 / total, total=total, limit=4)[0][1]


@pytest.mark.parametrize("way", ["probes", "hashed"])
def test_a_walk_opens_a_transaction_only_for_postgresqls_hash_memory(alice, world, monkeypatch, way):
    # SQLite's transactions are IMMEDIATE: one around a read would hold the write lock for it.
    _read(monkeypatch, way)
    walks = []  # (the walk's form, whether it opened a transaction)
    original = selectors._walk

    def walk(viewer, visible, **kwargs):
        with CaptureQueriesContext(connection) as queries:  # the walk's own statements only
            page = original(viewer, visible, **kwargs)
        walks.append((visible, any(q["sql"].startswith("SAVEPOINT") for q in queries)))
        return page

    monkeypatch.setattr(selectors, "_walk", walk)
    _page_of_all(viewer=alice, limit=4, offset=0, only=())
    expected_first = selectors.visible_person_member_sql if way == "hashed" else selectors.visible_person_probe_sql
    assert walks[0][0] is expected_first  # the page was walked the way asked for first
    for visible, opened in walks:
        assert opened == (visible is selectors.visible_person_member_sql and connection.vendor == "postgresql")
