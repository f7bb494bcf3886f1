"""The caseload ("mine", "all at the unit") and the partner's list read a page in a fixed number of
queries, however many rows it shows: sorted and cut in the database, with the page's access,
enrolments and log entries each fetched or written for the whole page at once."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import ctx_for
from vagval.access.checks import visible_persons
from vagval.consent.tests.factories import share
from vagval.people import selectors
from vagval.people.models import Protection
from vagval.people.selectors import PersonFilters, caseload_page
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

_numbers = itertools.count()


def _add_persons(count, *, unit, project, coach, partner_unit):
    for _ in range(count):
        n = next(_numbers)
        protection = Protection.CONFIDENTIALITY_MARK if n % 5 == 0 else Protection.NONE
        person = PersonFactory(last_name=f"Namn{n:03d}", protection=protection)
        EnrolmentFactory(unit=unit, project=project, coach=coach if n % 2 else None, person=person)
        share(person, documented_by=coach, to_unit=partner_unit)


def _queries(viewer, filters):
    with CaptureQueriesContext(connection) as queries:
        page = caseload_page(viewer=viewer, ctx=ctx_for(viewer), filters=filters, per_page=50)
    return len(queries), len(page.rows)


@pytest.mark.parametrize(
    ("viewer_name", "filters"),
    [("alice", PersonFilters(mine_only=True)), ("alice", PersonFilters()), ("frida", PersonFilters())],
)
def test_the_number_of_queries_does_not_grow_with_the_rows_shown(
    alice, frida, project, ludvika_unit, af_unit, request, monkeypatch, viewer_name, filters
):
    viewer = request.getfixturevalue(viewer_name)
    # One way of reading the page for both counts: which way is chosen depends on the register's
    # size (each way is compared in test_caseload_walk.py); PostgreSQL's test database has no
    # estimate of it, SQLite's stand-in is read from the table, so both keep the sorted set here.
    monkeypatch.setattr(selectors, "_register_size", lambda: None)
    _add_persons(5, unit=ludvika_unit, project=project, coach=alice, partner_unit=af_unit)
    few, few_rows = _queries(viewer, filters)
    _add_persons(45, unit=ludvika_unit, project=project, coach=alice, partner_unit=af_unit)
    many, many_rows = _queries(viewer, filters)
    assert few_rows < many_rows <= visible_persons(viewer=viewer).count()
    assert many == few
