"""The list of everyone at the unit (selectors._page_of_all) is read one of two ways: the
unit's set sorted, or the register walked in name order with each person tested. Both must
give the page and total that _page_of(visible_persons) gives, for every viewer and page."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from vagval.access.checks import visible_persons
from vagval.consent.tests.factories import share
from vagval.people import selectors
from vagval.people.models import Protection
from vagval.people.selectors import _CASELOAD_FIELDS, _page_of, _page_of_all
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

VIEWERS = ["alice", "bob", "charlie", "dana", "erik", "frida"]


@pytest.fixture
def world(alice, charlie, frida, project, ludvika_unit, smedjebacken_unit):
    today = timezone.localdate()
    names = itertools.product("ABCDEFG", ("Ada", "Bo", "Cia"))
    persons = []
    for n, (last, first) in enumerate(names):
        unit = ludvika_unit if n % 3 else smedjebacken_unit
        protection = Protection.CONFIDENTIALITY_MARK if n % 7 == 0 else Protection.NONE
        person = PersonFactory(last_name=f"{last}son", first_name=first, protection=protection)
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


@pytest.mark.parametrize("walk", [False, True])
@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_every_page_is_the_page_of_the_sorted_set(request, world, monkeypatch, walk, viewer_name):
    viewer = request.getfixturevalue(viewer_name)
    # A register of one person makes the walk look cheap; None (not PostgreSQL) keeps the sort.
    monkeypatch.setattr(selectors, "_register_size", lambda: 1 if walk else None)
    for offset, limit in ((0, 4), (4, 4), (8, 50), (100, 4)):
        expected, expected_total = _page_of(
            visible_persons(viewer=viewer), limit=limit, offset=offset, count=True, only=_CASELOAD_FIELDS
        )
        page, total = _page_of_all(viewer=viewer, limit=limit, offset=offset, only=_CASELOAD_FIELDS)
        assert _ids(page) == _ids(expected)
        if expected or not offset:  # _page_of counts again only past the end
            assert total == expected_total


def test_the_walk_is_chosen_only_where_it_reads_less(alice, world, monkeypatch):
    chosen = []
    original = selectors.visible_persons_per_row
    monkeypatch.setattr(selectors, "visible_persons_per_row", lambda **kw: chosen.append(True) or original(**kw))
    monkeypatch.setattr(selectors, "_register_size", lambda: 20)  # the unit sees about half the register
    _page_of_all(viewer=alice, limit=1, offset=0, only=())
    assert chosen == [True]
    _page_of_all(viewer=alice, limit=4, offset=8, only=())  # deep: the walk would read it all
    assert chosen == [True]
