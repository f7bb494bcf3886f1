"""The name and number search (`startswith`, LIKE 'abc%') has one index per column that it can use,
on each database, and no second copy of it (people migrations 0002 and 0006)."""

import re

import pytest
from django.db import connection

from vagval.common.scoping import unscoped
from vagval.people.models import Person

pytestmark = pytest.mark.django_db

SEARCHED = ("first_name_key", "last_name_key", "id_number")


def _index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'people_person'")
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people_person'")
        return {name: definition or "" for name, definition in cursor.fetchall()}


def _prefix_indexes(column: str) -> list[str]:
    """The indexes a LIKE 'abc%' on `column` can use: pattern operators (PostgreSQL), NOCASE (SQLite)."""
    kind = "varchar_pattern_ops" if connection.vendor == "postgresql" else "COLLATE NOCASE"
    pattern = re.compile(rf"\(\s*\"?{column}\"?\s+{kind}\s*\)")
    return sorted(name for name, definition in _index_definitions().items() if pattern.search(definition))


def _indexes_on(column: str) -> list[str]:
    pattern = re.compile(rf"\(\s*\"?{column}\"?[\s)]")
    return [name for name, definition in _index_definitions().items() if pattern.search(definition)]


@pytest.mark.parametrize("column", SEARCHED)
def test_each_searched_column_has_exactly_one_prefix_index(column):
    assert len(_prefix_indexes(column)) == 1, _prefix_indexes(column)


@pytest.mark.parametrize("column", SEARCHED)
def test_the_prefix_search_looks_up_an_index_instead_of_scanning(column):
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: make the planner show its choice
    with unscoped("test check"):
        # Unordered, so that an index read whole for the ORDER BY does not count as a look-up.
        plan = Person.objects.filter(**{f"{column}__startswith": "20"}).order_by().explain()
    # PostgreSQL in the C locale (the test cluster's) may take the plain index too; elsewhere only
    # the pattern-operator one serves LIKE. SQLite's LIKE can use only the NOCASE index.
    assert ("Index Cond" if postgresql else "SEARCH") in plan, plan
    assert any(name in plan for name in _indexes_on(column)), plan
