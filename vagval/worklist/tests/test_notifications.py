"""Notifications come from the history the casework apps keep, and are read when opened."""

from __future__ import annotations

from django.utils import timezone

from conftest import client_for, ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.followup.models import FollowUpStatus, Situation, Source
from vagval.plans.services import plan_step_end
from vagval.referrals.models import ReferralEvent, ReferralEventKind
from vagval.worklist.notifications import notifications_for, unread_count

from .conftest import TODAY


def _accepted_by_partner(world, frida):
    return ReferralEvent.objects.create(
        referral=world.referral, by=frida, unit=frida.unit, kind=ReferralEventKind.ACCEPTED
    )


def test_a_referral_answered_by_the_partner_notifies_the_sending_unit(alice, bob, charlie, frida, world):
    event = _accepted_by_partner(world, frida)

    [note] = notifications_for(viewer=alice)

    assert (note.kind, note.key, note.text, note.read) == ("remiss", str(event.pk), "Remissen har accepterats", False)
    assert unread_count(viewer=bob, cached=False) == 1
    assert notifications_for(viewer=charlie) == []
    assert notifications_for(viewer=frida) == []  # her own unit's event


def test_a_referral_received_notifies_the_partner(frida, alice, world, on_today):
    ReferralEvent.objects.create(referral=world.referral, by=alice, unit=alice.unit, kind=ReferralEventKind.SENT)

    assert [n.text for n in notifications_for(viewer=frida)] == ["En remiss har kommit till er"]
    assert notifications_for(viewer=alice) == []


def test_a_partner_changing_a_plan_step_notifies_the_plans_unit(alice, frida, world, on_today):
    plan_step_end(ctx=ctx_for(frida), step=world.partner_step, ends_on=TODAY, end_reason="genomford")

    [note] = notifications_for(viewer=alice)

    assert note.kind == "plan"
    assert "ett steg avslutades" in note.text
    assert notifications_for(viewer=frida) == []


def test_a_follow_up_answer_from_the_young_person_notifies_the_unit(alice, world):
    follow_up = world.follow_up
    follow_up.status, follow_up.outcome, follow_up.source = FollowUpStatus.DONE, Situation.STUDYING, Source.YOUNG_PERSON
    follow_up.recorded_at = timezone.now()
    follow_up.save()

    assert [n.kind for n in notifications_for(viewer=alice)] == ["uppfoljningssvar"]


def test_opening_a_notification_marks_it_read_for_that_user_only(alice, bob, frida, world):
    event = _accepted_by_partner(world, frida)

    response = client_for(alice).get(f"/att-gora/aviseringar/remiss/{event.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/remisser/{world.referral.pk}/"
    assert unread_count(viewer=alice, cached=False) == 0
    assert unread_count(viewer=bob, cached=False) == 1


def test_mark_all_read(alice, frida, world):
    _accepted_by_partner(world, frida)

    response = client_for(alice).post("/att-gora/aviseringar/las-alla/")

    assert response.status_code == 302
    assert unread_count(viewer=alice, cached=False) == 0


def test_the_notifications_page_shows_and_logs_the_person(alice, frida, world):
    _accepted_by_partner(world, frida)

    response = client_for(alice).get("/att-gora/aviseringar/")

    assert response.status_code == 200
    assert "Moa Provsson" in response.content.decode()
    assert AccessLogEntry.objects.filter(action="worklist.notifications_viewed", person_id=world.person.pk).exists()


def test_another_unit_cannot_open_the_notification(charlie, frida, world):
    event = _accepted_by_partner(world, frida)

    assert client_for(charlie).get(f"/att-gora/aviseringar/remiss/{event.pk}/").status_code == 404
    assert client_for(charlie).get("/att-gora/aviseringar/remiss/inte-ett-id/").status_code == 404
