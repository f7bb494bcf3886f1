"""The list's cost does not grow with its length: one query per source, a fixed number in all."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from vagval.plans.tests.factories import add_step
from vagval.worklist.selectors import open_items, source_context
from vagval.worklist.sources import sources

from .conftest import TODAY


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def test_each_source_asks_one_query(alice, world):
    ctx = source_context(viewer=alice, today=TODAY)
    for source in sources():
        # The assessments source first reads which instruments repeat (a few rows, no person data).
        allowed = 2 if source.kind == "skattning" else 1
        assert _queries(lambda s=source: s.collect(ctx)) <= allowed, source.kind


def test_the_number_of_queries_does_not_grow_with_the_items(alice, world):
    before = _queries(lambda: open_items(viewer=alice, today=TODAY))
    for n in range(20):
        add_step(world.step.plan, by=alice, content=f"Steg {n}", follow_up_on=TODAY + dt.timedelta(days=1))

    after = _queries(lambda: open_items(viewer=alice, today=TODAY))

    assert len(open_items(viewer=alice, today=TODAY)) == 27
    assert after == before
    assert after <= len(sources()) + 5  # the sources, the instruments, the persons' access, the marks
