"""The demo's targets and budget: #redonu's promises as targets, a budget and monthly costs, and
its leader's start page shows them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from vagval.budget.models import BudgetLine, Cost
from vagval.demo.persons import generate_persons
from vagval.demo.targets import generate_targets_and_budget
from vagval.demo.world import build_world
from vagval.targets.models import Target

pytestmark = pytest.mark.django_db


def test_redonu_gets_targets_a_budget_and_costs_and_its_leader_sees_them():
    world = build_world(password="demo-losenord-123")
    generate_persons(world=world, count=100, seed=1)
    generate_targets_and_budget(world=world, seed=1)
    project = world.projects["redonu"]
    assert Target.objects.filter(project=project).count() == 4
    assert BudgetLine.objects.filter(project=project).count() == 5
    months = {c.month for c in Cost.objects.filter(project=project)}
    assert min(months) == project.starts_on.replace(day=1)
    assert max(months) < timezone.localdate().replace(day=1)
    generate_targets_and_budget(world=world, seed=1)  # again: nothing new
    assert Target.objects.filter(project=project).count() == 4
    response = client_for(world.users["ledare"]).get(reverse("leader_start"))
    assert response.status_code == 200
    assert "#redonu" in response.content.decode()
