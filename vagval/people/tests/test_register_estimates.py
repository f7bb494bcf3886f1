"""The walks of the register in name order (the list of everyone at the unit, the name search)
are chosen from an estimate of the register's size and of the names that match. SQLite has
no planner estimates: it gets stand-ins read from the tables, so that it walks too instead of
sorting the unit's whole set. Every walk is compared with the set in test_caseload_walk.py and
test_search_by_name.py; here only the estimates."""

import pytest
from django.db import connection

from vagval.people import selectors
from vagval.people.models import Person
from vagval.people.tests.factories import PersonFactory

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's stand-ins for the estimates")


@pytest.mark.django_db
def test_sqlite_estimates_the_register_at_least_as_large_as_it_is():
    PersonFactory.create_batch(3)
    assert selectors._register_size() >= Person.objects.count() >= 3


@pytest.mark.django_db
def test_sqlite_has_no_register_to_estimate_when_it_is_empty():
    assert selectors._register_size() is None


@pytest.mark.django_db
def test_sqlite_counts_the_matching_names_no_further_than_past_what_it_collects(monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_COLLECT_MAX", 2)
    for first in ("Anna", "Anders", "Ante", "Anton", "Bo"):
        PersonFactory(first_name=first, last_name="Berg")
    matching, params = selectors._name_match_sql("an", alias="wp")
    statement = f"SELECT wp.id FROM {Person._meta.db_table} wp WHERE {matching}"  # noqa: S608 (names from the model)
    assert selectors._estimated_rows(statement, params) == 3  # SEARCH_COLLECT_MAX + 1 of the four
    assert selectors._estimated_rows(statement, ["bo%", "bo%"]) == 1
