"""A query compiled once (worklist.compiled) gives the ORM's rows, converted as the ORM converts
them, for every unit and day it is run with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vagval.assessments.models import InstrumentVersion
from vagval.worklist import compiled
from vagval.worklist.selectors import source_context
from vagval.worklist.sources import assessments, orm_reader, sources, supervisor_assessments

from .conftest import TODAY

_QUERIES = [assessments._instruments, assessments._latest, supervisor_assessments._due]


@pytest.mark.parametrize("query", _QUERIES, ids=lambda q: f"{q.__module__}.{q.__name__}")
def test_a_derived_kinds_query_compiled_once_gives_the_orms_rows(query, alice, charlie, world):
    for viewer in (alice, charlie):
        for today in (TODAY, TODAY + dt.timedelta(days=40), TODAY - dt.timedelta(days=400)):
            ctx = source_context(viewer=viewer, today=today)
            assert ctx is not None

            rows = compiled.reader(ctx)(query)

            assert rows == orm_reader(ctx)(query)
    assert compiled.reader(source_context(viewer=alice, today=TODAY))(query)  # the fixture has some


def test_the_derived_kinds_give_the_same_rows_either_way(alice, world):
    ctx = source_context(viewer=alice, today=TODAY)
    for source in sources():
        if source.derive is not None:
            assert source.collect(ctx, compiled.reader(ctx)) == source.collect(ctx), source.kind


def test_an_instrument_whose_repeat_is_not_a_whole_number_does_not_repeat(alice, world):
    """The database's "has a repeat_months" is a superset; collect keeps whole numbers only, as before."""
    ctx = source_context(viewer=alice, today=TODAY)
    assert len(assessments.collect(ctx, orm_reader(ctx))) == 1
    for version in InstrumentVersion.objects.filter(definition__repeat_months__gt=0):
        version.definition = {**version.definition, "repeat_months": 1.5}
        version.save()

    for read in (orm_reader(ctx), compiled.reader(ctx)):
        assert assessments.collect(ctx, read) == []


def test_each_compiled_query_is_one_statement_without_building_a_queryset(alice, world, monkeypatch):
    ctx = source_context(viewer=alice, today=TODAY)
    read = compiled.reader(ctx)
    for query in _QUERIES:
        read(query)  # compiled here, once
    monkeypatch.setattr(assessments.Response.objects, "filter", None)  # building one would fail

    with CaptureQueriesContext(connection) as captured:
        for query in _QUERIES[1:]:
            read(query)

    assert len(captured.captured_queries) == 2


def test_a_derived_query_may_use_the_viewers_unit_and_nothing_else(world):
    def by_user(ctx):
        return supervisor_assessments._due(ctx).filter(coach_id=ctx.viewer.pk)

    with pytest.raises(AttributeError, match="only the viewer's unit"):
        compiled.compile_query(lambda stand_in, _values: by_user(stand_in), "default", unit_viewer=True)


def test_sql_that_differs_with_the_unit_is_refused(world):
    def by_unit(stand_in, values):
        query = supervisor_assessments._due(stand_in)
        return query.filter(pk=None) if values.unit.int == 0xA1 else query

    with pytest.raises(RuntimeError, match="depends on the unit"):
        compiled.compile_query(by_unit, "default", unit_viewer=True)


def test_a_value_that_is_not_the_units_or_the_dates_is_refused(world):
    counter = iter(range(100))

    def with_a_constant(stand_in, _values):
        return supervisor_assessments._due(stand_in).filter(offer__capacity__lt=next(counter))

    with pytest.raises(RuntimeError, match="not one of its values"):
        compiled.compile_query(with_a_constant, "default", unit_viewer=True)
