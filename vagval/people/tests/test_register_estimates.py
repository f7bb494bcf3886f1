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


def _matching(query):
    matching, params = selectors._name_match_sql(query, alias="wp")
    candidates = f"SELECT wp.id FROM {Person._meta.db_table} wp WHERE {matching}"  # noqa: S608 (names from the model)
    return selectors._matching_names(query, candidates, params)


@pytest.mark.django_db
def test_sqlite_counts_at_least_the_names_that_match_one_word():
    for first, last in [("Anna", "Andersson"), ("Ante", "Berg"), ("Bo", "Anka"), ("Bo", "Berg")]:
        PersonFactory(first_name=first, last_name=last)
    merged = PersonFactory(first_name="Anton", last_name="Berg")
    merged.merged_into = PersonFactory(first_name="Anton", last_name="Berg")
    merged.save()
    assert _matching("AN") >= Person.objects.filter(selectors._name_query("an"), merged_into=None).count() == 4
    assert _matching("an") == 6  # Anna twice, each Anton: an upper bound
    assert _matching("bo") == 2


@pytest.mark.django_db
def test_sqlite_counts_a_prefix_with_wildcards_literally():
    PersonFactory(first_name="A_b", last_name="Berg")
    PersonFactory(first_name="Axb", last_name="Berg")
    assert _matching("a_") == 1


@pytest.mark.django_db
def test_sqlite_counts_one_words_names_no_further_than_past_what_it_collects(monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_COLLECT_MAX", 1)
    for first in ("Anna", "Anders", "Ante"):
        PersonFactory(first_name=first, last_name="Andersson")
    assert _matching("an") == 4  # two (SEARCH_COLLECT_MAX + 1) of each name


@pytest.mark.django_db
def test_two_words_are_estimated_from_the_whole_match(monkeypatch):
    monkeypatch.setattr(selectors, "_estimated_rows", lambda statement, params: 7.0)
    assert _matching("anna berg") == 7.0


@pytest.mark.django_db
def test_sqlite_counts_one_word_from_the_prefix_indexes_alone():
    for name in ("first_name_key", "last_name_key"):
        column = connection.ops.quote_name(name)
        statement = f"EXPLAIN QUERY PLAN SELECT 1 FROM {Person._meta.db_table} WHERE {column} LIKE 'an%' ESCAPE '\\'"  # noqa: S608 (names from the model)
        with connection.cursor() as cursor:
            plan = " ".join(row[-1] for row in cursor.execute(statement).fetchall())
        assert f"USING COVERING INDEX people_person_{name}_prefix" in plan, plan


@pytest.mark.parametrize(
    ("word", "end"),
    [("sv", "sw"), ("a", "b"), ("b_", "b`"), ("x\ud7ff", "x\ue000"), ("x\U0010ffff", None)],
)
def test_a_prefix_ends_at_the_next_code_point(word, end):
    assert selectors._prefix_end(word) == end


@pytest.mark.django_db
def test_sqlite_merges_a_words_last_name_range_with_its_few_first_names():
    PersonFactory(first_name="Sven", last_name="Berg")
    _condition, params = selectors._name_match_sql("sv", alias="wp")
    walk, walk_params = selectors._name_walk("sv", "unused", params)
    with connection.cursor() as cursor:
        plan = " ".join(row[-1] for row in cursor.execute(f"EXPLAIN QUERY PLAN {walk}", [*walk_params, 20]).fetchall())
    assert "MERGE (UNION ALL)" in plan, plan
    assert "USING INDEX person_name_order_unmerged (last_name_key>? AND last_name_key<?)" in plan, plan


@pytest.mark.django_db
def test_sqlite_walks_whole_where_many_first_names_match(monkeypatch):
    monkeypatch.setattr(selectors, "SPLIT_FIRST_NAMES_MAX", 1)
    PersonFactory.create_batch(2, first_name="Sven", last_name="Berg")
    _condition, params = selectors._name_match_sql("sv", alias="wp")
    walk, walk_params = selectors._name_walk("sv", "SELECT 1 FROM people_person wp WHERE x", params)
    assert "UNION ALL" not in walk
    assert walk_params == params
