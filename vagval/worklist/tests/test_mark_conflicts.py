"""Two people marking the same item: the second, who saw an older mark (or none), gets a conflict
instead of silently replacing the first one's mark (decision in docs/ARCHITECTURE.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for, ctx_for
from vagval.accounts.tests.factories import UserFactory
from vagval.common.errors import Conflict
from vagval.worklist import services
from vagval.worklist.models import ItemMark, MarkState

from .conftest import TODAY


def _mark_url(world):
    return reverse("worklist:mark", args=["steg", world.step.pk])


def test_a_mark_over_a_colleagues_newer_mark_is_a_conflict(alice, world, on_today):
    colleague = UserFactory(username="kollega", unit=alice.unit, role=alice.role)
    seen = services.mark_version(mark=None)
    services.item_mark(
        ctx=ctx_for(alice),
        kind="steg",
        object_id=world.step.pk,
        state=MarkState.MOVED,
        moved_to=TODAY + dt.timedelta(days=4),
        reason="Väntar på svar",
        expected_version=seen,
    )
    with pytest.raises(Conflict):
        services.item_mark(
            ctx=ctx_for(colleague),
            kind="steg",
            object_id=world.step.pk,
            state=MarkState.DONE,
            expected_version=seen,
        )
    mark = ItemMark.objects.get()
    assert (mark.state, mark.marked_by) == (MarkState.MOVED, alice)


def test_marking_again_on_the_version_shown_replaces_the_mark(alice, world, on_today):
    first = services.item_mark(
        ctx=ctx_for(alice),
        kind="steg",
        object_id=world.step.pk,
        state=MarkState.MOVED,
        moved_to=TODAY + dt.timedelta(days=4),
        reason="Väntar på svar",
        expected_version=services.NO_MARK,
    )
    services.item_mark(
        ctx=ctx_for(alice),
        kind="steg",
        object_id=world.step.pk,
        state=MarkState.DONE,
        expected_version=services.mark_version(mark=first),
    )
    assert ItemMark.objects.get().state == MarkState.DONE


def test_the_mark_page_shows_the_conflict_with_the_saved_mark_and_saves_nothing(alice, world, on_today):
    colleague = client_for(UserFactory(username="kollega", unit=alice.unit, role=alice.role))
    url = _mark_url(world)
    page = client_for(alice).get(url).content.decode()
    assert f'name="version" value="{services.NO_MARK}"' in page
    moved = {"state": "flyttad", "moved_to": "2026-03-09", "reason": "Väntar på svar", "version": services.NO_MARK}
    assert client_for(alice).post(url, moved).status_code == 302

    response = colleague.post(url, {"state": "klar", "moved_to": "", "reason": "", "version": services.NO_MARK})

    assert response.status_code == 409
    assert "Väntar på svar" in response.content.decode()
    assert ItemMark.objects.get().state == MarkState.MOVED


def test_two_first_marks_at_once_let_the_database_refuse_the_second(alice, world, on_today, monkeypatch):
    # The second one read "no mark" before the first was written: its insert meets the unique key.
    services.item_mark(
        ctx=ctx_for(alice), kind="steg", object_id=world.step.pk, state=MarkState.DONE, expected_version=None
    )
    with pytest.raises(Conflict):
        services._mark_create(
            kind="steg",
            object_id=world.step.pk,
            unit_id=alice.unit_id,
            marked_by=alice,
            person_id=world.person.pk,
            state=MarkState.DONE,
            moved_to=None,
            reason="",
        )
    assert ItemMark.objects.count() == 1
