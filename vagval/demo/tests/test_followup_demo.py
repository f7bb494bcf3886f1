"""The demo has exited participants with follow-ups in every state (issue 12)."""

import pytest
from django.db import transaction

from vagval.demo.activity import generate_activity
from vagval.demo.followup import generate_followups
from vagval.demo.persons import generate_persons
from vagval.demo.world import build_world
from vagval.followup.models import Exit, FollowUp, FollowUpAttempt, FollowUpStatus


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world(password="demo-losenord-123")
        generate_persons(world=world, count=300, seed=1)
        generate_activity(world=world, seed=1)
        result = generate_followups(world=world, seed=1)
        yield result
        transaction.set_rollback(True)


def test_the_demo_has_follow_ups_in_every_state(demo, db):
    statuses = set(FollowUp.objects.values_list("status", flat=True))
    assert statuses == set(FollowUpStatus.values)


def test_the_demo_has_a_superseded_exit_an_unanswered_link_with_the_coach_and_a_register_suggestion(demo, db):
    assert Exit.objects.filter(superseded_on__isnull=False).exists()
    assert FollowUp.objects.filter(status=FollowUpStatus.DUE, needs_coach=True).exists()
    assert FollowUp.objects.filter(status=FollowUpStatus.DUE, suggested_outcome="i_utbildning").exists()
    assert FollowUpAttempt.objects.exists()
    assert FollowUp.objects.filter(status=FollowUpStatus.DONE, source="ungdomen").exists()
