"""The list's page is read in the database (worklist.paging): it holds the items open_items reads
in Python from the same queries, in the same order, for every role, filter and page."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import ctx_for
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.catalogue.tests.factories import PlacementFactory
from vagval.followup.models import FollowUp
from vagval.followup.tests.factories import ExitFactory, FollowUpFactory
from vagval.people.models import Enrolment
from vagval.plans.tests.factories import add_step
from vagval.worklist import paging
from vagval.worklist.models import ItemMark, MarkState
from vagval.worklist.selectors import open_items, worklist_count, worklist_page
from vagval.worklist.services import item_mark
from vagval.worklist.sources import sources

from .conftest import TODAY, set_today


def _key(item):
    return (
        item.kind,
        item.row.object_key,
        item.row.person_key,
        item.row.due_on,
        item.row.data,
        item.due_on,
        item.moved,
    )


def _paged(user, *, today, per_page, **filters):
    """Every page of the list, one after the other, and the total the first page gave."""
    first = worklist_page(viewer=user, ctx=ctx_for(user), today=today, per_page=per_page, **filters)
    items = list(first.items)
    for number in range(2, first.pages + 1):
        items += worklist_page(
            viewer=user, ctx=ctx_for(user), today=today, per_page=per_page, page=number, **filters
        ).items
    return items, first.total


@pytest.fixture
def busy(alice, charlie, world, charlies_person):
    """The world with ties (several items on one day), every kind of mark, and items the sources
    find that alice may not see: charlie's person, followed up at alice's unit."""
    for n in range(4):
        add_step(world.step.plan, by=alice, content=f"Steg {n}", follow_up_on=TODAY + dt.timedelta(days=3))
    PlacementFactory(enrolment=world.placement.enrolment, starts_on=TODAY + dt.timedelta(days=3))
    other = Enrolment.objects.get(person=charlies_person, unit=charlie.unit)
    hidden = FollowUpFactory(exit=ExitFactory(enrolment=other, recorded_by=charlie), due_on=TODAY)
    FollowUp.objects.filter(pk=hidden.pk).update(unit=alice.unit)  # kept at her unit, the person is not hers
    ctx = ctx_for(alice)
    item_mark(ctx=ctx, kind="steg", object_id=world.step.pk, state=MarkState.DONE, today=TODAY)
    moves = ((world.follow_up.pk, "uppfoljning", 5), (world.placement.pk, "placering", 40))  # within, beyond
    for object_id, kind, days in moves:
        item_mark(
            ctx=ctx,
            kind=kind,
            object_id=object_id,
            state=MarkState.MOVED,
            moved_to=TODAY + dt.timedelta(days=days),
            reason="Semester",
            today=TODAY,
        )
    derived = next(i for i in open_items(viewer=alice, today=TODAY) if i.kind == "skattning")
    item_mark(
        ctx=ctx,
        kind="skattning",
        object_id=derived.object_id,
        state=MarkState.MOVED,
        moved_to=TODAY + dt.timedelta(days=12),
        reason="Efter praktiken",
        today=TODAY,
    )
    # A mark set more than MARK_DAYS ago no longer applies: the consent is back on the list.
    consent_id = world.referral.consent_id
    item_mark(ctx=ctx, kind="samtycke", object_id=consent_id, state=MarkState.DONE, today=TODAY)
    ItemMark.objects.filter(object_id=consent_id).update(updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    return hidden


@pytest.mark.parametrize("persona", ["alice", "bob", "pia", "charlie", "frida", "dana"])
def test_the_page_holds_the_items_open_items_reads_in_the_same_order(persona, request, busy, monkeypatch):
    user = request.getfixturevalue(persona)
    for today in (TODAY, TODAY + dt.timedelta(days=6)):  # the later day: alice's referral is overdue
        set_today(monkeypatch, today)
        expected = open_items(viewer=user, today=today)

        found, total = _paged(user, today=today, per_page=3)

        assert [_key(i) for i in found] == [_key(i) for i in expected]
        assert total == len(expected) == worklist_count(viewer=user, today=today, cached=False)


def test_the_page_shows_every_kind_marks_applied_and_no_one_else(alice, busy, world, on_today):
    found, _total = _paged(alice, today=TODAY, per_page=50)

    assert {i.kind for i in found} == {s.kind for s in sources()} - {"remiss"}
    moved = next(i for i in found if i.object_id == world.follow_up.pk)
    assert (moved.due_on, moved.moved.reason) == (TODAY + dt.timedelta(days=5), "Semester")
    assert world.step.pk not in {i.object_id for i in found}  # done
    assert world.placement.pk not in {i.object_id for i in found}  # moved beyond the horizon
    assert busy.pk not in {i.object_id for i in found}  # a person alice may not see
    assert world.referral.consent_id in {i.object_id for i in found}  # its mark is too old
    assert [i.due_on for i in found] == sorted(i.due_on for i in found)


@pytest.mark.parametrize("kind", [s.kind for s in sources()])
def test_the_filters_read_the_same_items(kind, alice, busy, world, on_today):
    expected = open_items(viewer=alice, today=TODAY, kind=kind, person_id=world.person.pk)

    found, total = _paged(alice, today=TODAY, per_page=2, kind=kind, person_id=world.person.pk)

    assert [_key(i) for i in found] == [_key(i) for i in expected]
    assert total == len(expected)


def test_a_page_past_the_end_shows_the_last_page(alice, busy, on_today):
    expected = open_items(viewer=alice, today=TODAY)

    page = worklist_page(viewer=alice, ctx=ctx_for(alice), today=TODAY, per_page=4, page=99)

    assert page.page == page.pages == -(-len(expected) // 4)
    assert [_key(i) for i in page.items] == [_key(i) for i in expected[(page.page - 1) * 4 :]]


def test_each_person_shown_is_logged_once_with_the_basis(alice, busy, world, on_today):
    worklist_page(viewer=alice, ctx=ctx_for(alice), today=TODAY)

    entries = AccessLogEntry.objects.filter(action="worklist.viewed")
    assert [(e.person_id, e.basis) for e in entries] == [(world.person.pk, AccessBasis.OWN_UNIT)]


def test_the_page_reads_the_list_in_one_statement_whatever_its_length(alice, world, on_today):
    def statements():
        with CaptureQueriesContext(connection) as captured:
            worklist_page(viewer=alice, ctx=ctx_for(alice), today=TODAY)
        return [q["sql"] for q in captured.captured_queries]

    before = statements()
    for n in range(30):
        add_step(world.step.plan, by=alice, content=f"Steg {n}", follow_up_on=TODAY + dt.timedelta(days=1))

    after = statements()

    assert len(after) == len(before)
    assert sum("worklist_items" in sql for sql in after) == 1


def test_a_source_query_that_uses_the_viewer_is_refused(world):
    """The UNION is compiled once per shape with stand-in values: a query that depended on the
    user would be compiled for the wrong one, so it fails loudly instead."""
    from vagval.worklist.sources import followups

    def by_viewer(ctx):
        return followups.query(ctx).filter(unit_id=ctx.viewer.unit_id)

    source = dataclasses.replace(next(s for s in sources() if s.kind == "uppfoljning"), query=by_viewer)

    with pytest.raises(AttributeError, match="may not use the viewer"):
        paging._template([(0, source)], by_person=False)


def test_the_count_takes_off_only_the_units_marks_of_items_shown(alice, charlie, busy, on_today):
    """The count is the visible persons' items less the marked ones (paging._count_of_listed): a
    mark on the item of a person alice may not see, or another unit's mark on her item, takes
    nothing off it."""

    def done_by(user):
        return {"state": MarkState.DONE, "marked_by": user}

    first = next(i for i in open_items(viewer=alice, today=TODAY) if i.kind == "steg")  # read by paging
    ItemMark.objects.bulk_create(
        [
            ItemMark(kind="uppfoljning", object_id=busy.pk, unit=alice.unit, person=busy.person, **done_by(alice)),
            ItemMark(
                kind=first.kind,
                object_id=first.object_id,
                unit=charlie.unit,
                person_id=first.row.person_id,
                **done_by(charlie),
            ),
        ]
    )
    expected = open_items(viewer=alice, today=TODAY)

    found, total = _paged(alice, today=TODAY, per_page=3)

    assert first in expected
    assert [_key(i) for i in found] == [_key(i) for i in expected]
    assert total == len(expected) == worklist_count(viewer=alice, today=TODAY, cached=False)
