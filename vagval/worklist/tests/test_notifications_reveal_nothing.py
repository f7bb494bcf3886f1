"""Notifications never reveal that another unit knows a person: no item and no count comes from
history about a person the viewer's unit cannot see (issue 12; the floor of the brief)."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.people.models import Person, Protection
from vagval.plans.services import plan_step_end
from vagval.referrals.models import ReferralEvent, ReferralEventKind
from vagval.worklist.notifications import notification_page, notifications_for, unread_count

from .conftest import TODAY, set_today


def _history(world, alice, frida):
    """Both units write history about alice's person: a withdrawal by Ludvika on the referral to
    frida's unit, an acceptance by frida's unit and a step frida ended in Ludvika's plan."""
    ReferralEvent.objects.create(referral=world.referral, by=alice, unit=alice.unit, kind=ReferralEventKind.WITHDRAWN)
    ReferralEvent.objects.create(referral=world.referral, by=frida, unit=frida.unit, kind=ReferralEventKind.ACCEPTED)


def test_a_unit_that_never_knew_the_person_gets_no_item_and_no_count(alice, charlie, frida, world, on_today):
    _history(world, alice, frida)
    plan_step_end(ctx=ctx_for(frida), step=world.partner_step, ends_on=TODAY, end_reason="genomford")

    assert notifications_for(viewer=charlie) == []
    assert unread_count(viewer=charlie, cached=False) == 0


def test_a_partner_whose_consent_has_ended_gets_nothing_from_the_senders_later_history(
    alice, frida, world, monkeypatch
):
    set_today(monkeypatch, TODAY)
    ReferralEvent.objects.create(referral=world.referral, by=alice, unit=alice.unit, kind=ReferralEventKind.SENT)
    assert unread_count(viewer=frida, cached=False) == 1

    # The consent ends (valid to TODAY + 10): Ludvika's later history about the person is not hers.
    set_today(monkeypatch, TODAY + dt.timedelta(days=11))
    ReferralEvent.objects.create(referral=world.referral, by=alice, unit=alice.unit, kind=ReferralEventKind.WITHDRAWN)

    assert notifications_for(viewer=frida) == []
    assert unread_count(viewer=frida, cached=False) == 0


def test_a_person_who_becomes_protected_leaves_the_partners_notifications(alice, frida, world, on_today):
    ReferralEvent.objects.create(referral=world.referral, by=alice, unit=alice.unit, kind=ReferralEventKind.SENT)
    Person.objects.filter(pk=world.person.pk).update(protection=Protection.PROTECTED_REGISTRATION)

    assert notifications_for(viewer=frida) == []
    assert unread_count(viewer=frida, cached=False) == 0


@pytest.mark.parametrize("persona", ["alice", "bob", "pia", "charlie", "frida", "dana", "erik"])
def test_the_count_is_never_more_than_the_notifications_the_page_shows(persona, alice, frida, world, request, on_today):
    _history(world, alice, frida)
    plan_step_end(ctx=ctx_for(frida), step=world.partner_step, ends_on=TODAY, end_reason="genomford")
    viewer = request.getfixturevalue(persona)

    shown = notification_page(viewer=viewer, ctx=ctx_for(viewer))

    assert unread_count(viewer=viewer, cached=False) == sum(1 for n in shown if not n.read)
