"""Marking an item done or moving it to a later date with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.worklist.models import ItemMark, MarkState
from vagval.worklist.selectors import open_items
from vagval.worklist.services import item_mark

from .conftest import TODAY


def _ids(user, today=TODAY):
    return {i.object_id for i in open_items(viewer=user, today=today)}


def test_an_item_marked_done_leaves_the_list_for_the_whole_unit(alice, bob, world):
    item_mark(ctx=ctx_for(alice), kind="uppfoljning", object_id=world.follow_up.pk, state=MarkState.DONE, today=TODAY)

    assert world.follow_up.pk not in _ids(alice)
    assert world.follow_up.pk not in _ids(bob)
    mark = ItemMark.objects.get()
    assert (mark.marked_by, mark.unit_id, mark.person_id) == (alice, alice.unit_id, world.person.pk)


def test_marking_is_logged_with_the_person(alice, world):
    item_mark(ctx=ctx_for(alice), kind="steg", object_id=world.step.pk, state=MarkState.DONE, today=TODAY)

    entry = AccessLogEntry.objects.get(action="worklist.item_done")
    assert entry.person_id == world.person.pk
    assert entry.detail == {"kind": "steg", "object": str(world.step.pk)}


def test_a_moved_item_comes_back_on_its_new_date_with_the_reason(alice, world):
    new_date = TODAY + dt.timedelta(days=30)
    item_mark(
        ctx=ctx_for(alice),
        kind="uppfoljning",
        object_id=world.follow_up.pk,
        state=MarkState.MOVED,
        moved_to=new_date,
        reason="Har semester",
        today=TODAY,
    )

    assert world.follow_up.pk not in _ids(alice)
    back = next(i for i in open_items(viewer=alice, today=new_date) if i.object_id == world.follow_up.pk)
    assert back.due_on == new_date
    assert back.moved.reason == "Har semester"
    assert AccessLogEntry.objects.filter(action="worklist.item_moved", person_id=world.person.pk).count() == 1


@pytest.mark.parametrize(
    ("moved_to", "reason", "field"),
    [(None, "Skäl", "moved_to"), (TODAY, "Skäl", "moved_to"), (TODAY + dt.timedelta(days=3), "  ", "reason")],
)
def test_moving_needs_a_later_date_and_a_reason(alice, world, moved_to, reason, field):
    with pytest.raises(InvalidInput) as error:
        item_mark(
            ctx=ctx_for(alice),
            kind="steg",
            object_id=world.step.pk,
            state=MarkState.MOVED,
            moved_to=moved_to,
            reason=reason,
            today=TODAY,
        )

    assert field in error.value.field_errors
    assert not ItemMark.objects.exists()


def test_read_only_users_cannot_mark(bob, pia, world):
    for user in (bob, pia):
        with pytest.raises(PermissionDenied):
            item_mark(ctx=ctx_for(user), kind="steg", object_id=world.step.pk, state=MarkState.DONE, today=TODAY)
    assert not ItemMark.objects.exists()


def test_another_units_item_is_not_found(charlie, world):
    with pytest.raises(NotFound):
        item_mark(ctx=ctx_for(charlie), kind="steg", object_id=world.step.pk, state=MarkState.DONE, today=TODAY)


def test_a_partner_marks_her_own_item_for_her_unit_only(alice, frida, world, on_today):
    item_mark(ctx=ctx_for(frida), kind="steg", object_id=world.partner_step.pk, state=MarkState.DONE, today=TODAY)

    assert world.partner_step.pk not in _ids(frida)
    assert world.partner_step.pk in _ids(alice)
