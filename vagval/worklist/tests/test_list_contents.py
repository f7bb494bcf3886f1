"""What the to-do list holds for each role: the unit's own work, only persons the viewer may see."""

from __future__ import annotations

import datetime as dt

from vagval.catalogue.models import Placement
from vagval.people.models import Person, Protection
from vagval.worklist.selectors import open_items, source_context, worklist_count
from vagval.worklist.sources import assessments, sources, supervisor_assessments

from .conftest import TODAY, set_today


def _kinds(user) -> dict[str, set]:
    found: dict[str, set] = {}
    for item in open_items(viewer=user, today=TODAY):
        found.setdefault(item.kind, set()).add(item.object_id)
    return found


def test_a_coach_sees_every_kind_of_item_of_her_unit_soonest_first(alice, world):
    items = open_items(viewer=alice, today=TODAY)
    kinds = _kinds(alice)

    assert kinds["uppfoljning"] == {world.follow_up.pk}
    assert kinds["steg"] == {world.step.pk, world.partner_step.pk}
    assert kinds["samtycke"] == {world.referral.consent_id}
    assert kinds["placering"] == {world.placement.pk}
    assert len(kinds["skattning"]) == 1
    assert kinds["handledarbedomning"] == {
        supervisor_assessments.item_id(world.supervised.pk, TODAY + dt.timedelta(days=4))
    }
    assert "remiss" not in kinds  # sent by her unit, not yet overdue: nothing to do
    assert [i.due_on for i in items] == sorted(i.due_on for i in items)
    assert items[0].row.object_id == world.follow_up.pk  # overdue first


def test_the_assessment_is_due_three_months_after_the_latest_response(alice, world):
    item = next(i for i in open_items(viewer=alice, today=TODAY) if i.kind == "skattning")

    assert item.due_on == dt.date(2026, 3, 10)
    assert assessments.add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


def test_an_overdue_outgoing_referral_is_on_the_senders_list(alice, world):
    later = world.referral.response_deadline + dt.timedelta(days=1)

    items = [i for i in open_items(viewer=alice, today=later) if i.kind == "remiss"]

    assert [i.object_id for i in items] == [world.referral.pk]
    assert items[0].row.label == "Remissen är inte besvarad i tid"


def test_a_read_only_colleague_sees_the_same_list(alice, bob, world):
    assert _kinds(bob) == _kinds(alice)


def test_the_project_leader_at_the_unit_sees_the_units_list(alice, pia, world):
    assert _kinds(pia) == _kinds(alice)


def test_another_unit_sees_only_its_own_items(charlie, world):
    assert _kinds(charlie) == {"uppfoljning": {world.other_follow_up.pk}}


def test_a_partner_sees_the_referral_to_answer_and_her_units_plan_step(frida, world, on_today):
    assert _kinds(frida) == {"remiss": {world.referral.pk}, "steg": {world.partner_step.pk}}


def test_a_partner_loses_her_items_when_the_consent_ends(frida, world, monkeypatch):
    set_today(monkeypatch, TODAY)
    assert _kinds(frida) != {}

    after = set_today(monkeypatch, TODAY + dt.timedelta(days=11))
    assert open_items(viewer=frida, today=after) == []


def test_a_partner_does_not_see_the_plan_step_without_the_plan_category(frida, world, on_today):
    consent = world.referral.consent
    consent.categories = ["identitet"]
    consent.save()

    assert _kinds(frida) == {"remiss": {world.referral.pk}}


def test_the_administrator_and_the_evaluator_have_no_list(dana, erik, world):
    assert open_items(viewer=dana, today=TODAY) == []
    assert open_items(viewer=erik, today=TODAY) == []


def test_an_ended_step_and_a_closed_follow_up_leave_the_list(alice, world):
    world.follow_up.status = "ej_aktuell"
    world.follow_up.save()
    world.step.ends_on = TODAY
    world.step.end_reason = "genomford"
    world.step.save()

    kinds = _kinds(alice)

    assert "uppfoljning" not in kinds
    assert kinds["steg"] == {world.partner_step.pk}


def test_items_beyond_the_horizon_wait(alice, world):
    assert open_items(viewer=alice, today=TODAY - dt.timedelta(days=60)) == []


def test_the_count_is_the_number_of_items(alice, world):
    assert worklist_count(viewer=alice, today=TODAY, cached=False) == len(open_items(viewer=alice, today=TODAY))


def test_filters_by_kind_and_person(alice, world, charlies_person):
    assert {i.kind for i in open_items(viewer=alice, today=TODAY, kind="steg")} == {"steg"}
    assert open_items(viewer=alice, today=TODAY, person_id=charlies_person.pk) == []
    assert len(open_items(viewer=alice, today=TODAY, person_id=world.person.pk)) == 7


def test_a_supervisor_assessment_is_due_on_the_placements_next_assessment_date(alice, world):
    item = next(i for i in open_items(viewer=alice, today=TODAY) if i.kind == "handledarbedomning")

    assert item.due_on == TODAY + dt.timedelta(days=4)
    assert item.row.url == f"/katalog/placeringar/{world.supervised.pk}/"
    assert item.row.label.startswith("Handledarbedömning: ")


def test_a_sent_supervisor_assessment_moves_the_date_and_the_item_changes(alice, world):
    """Sending the link moves the next date on by the interval (catalogue): the old item is gone."""
    Placement.objects.filter(pk=world.supervised.pk).update(assessment_next_due_on=TODAY + dt.timedelta(days=32))

    assert "handledarbedomning" not in _kinds(alice)
    later = TODAY + dt.timedelta(days=30)
    # Within the horizon again later, as a new item:
    assert {i.object_id for i in open_items(viewer=alice, today=later) if i.kind == "handledarbedomning"} == {
        supervisor_assessments.item_id(world.supervised.pk, TODAY + dt.timedelta(days=32))
    }


def test_an_ended_placement_has_no_supervisor_assessment_due(alice, world):
    Placement.objects.filter(pk=world.supervised.pk).update(status="avslutad", ends_on=TODAY)

    assert "handledarbedomning" not in _kinds(alice)


def test_every_kind_the_issue_lists_is_a_source():
    """Issue 12: follow-ups, assessments, plan steps, referrals, consents, placements and
    supervisor assessments."""
    from vagval.worklist.sources import sources

    assert [s.kind for s in sources()] == [
        "uppfoljning",
        "skattning",
        "steg",
        "remiss",
        "samtycke",
        "placering",
        "handledarbedomning",
    ]


def test_a_partner_gets_no_plan_step_of_a_protected_person_from_the_source(frida, world):
    """The source itself leaves them out (the person's protection, read under the consent), not
    only the access check after it."""
    steps = next(s for s in sources() if s.kind == "steg")
    ctx = source_context(viewer=frida, today=TODAY)
    assert [row.object_id for row in steps.collect(ctx)] == [world.partner_step.pk]

    Person.objects.filter(pk=world.person.pk).update(protection=Protection.PROTECTED_REGISTRATION)

    assert steps.collect(ctx) == []
