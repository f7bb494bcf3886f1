"""The demo's placements: in progress, with assessments, a waiting list and attendance."""

import pytest
from django.db import transaction

from vagval.catalogue.models import Attendance, Placement, PlacementAssessment, PlacementStatus
from vagval.demo.activity import generate_activity
from vagval.demo.persons import generate_persons
from vagval.demo.placements import generate_placements
from vagval.demo.world import build_world


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world(password="demo-losenord-123")
        generate_persons(world=world, count=150, seed=1)
        generate_activity(world=world, seed=1)
        result = generate_placements(world=world, seed=1)
        yield result
        transaction.set_rollback(True)


def test_the_demo_has_placements_in_progress_with_assessments_a_waiting_list_and_attendance(demo, db):
    assert demo.placements >= 8
    assert demo.started >= 3
    assert demo.waiting >= 1
    assert demo.sessions == 5
    assert Placement.objects.filter(status=PlacementStatus.WAITING).exists()
    assert PlacementAssessment.objects.filter(link__used_at__isnull=False).exists()
    assert Attendance.objects.filter(attended=True).exists()
    assert Placement.objects.filter(plan_step__isnull=False).exists()
