"""Demo targets and budget for #redonu (issue 13): the application's promises as targets (300
participants, 30 % in work or studies at 90 days, 70 % closer to the labour market, first
contact within 5 working days) and a budget with monthly costs from the project's start to last
month, so the project leader's start page and the budget page show realistic figures.
Deterministic for a seed; idempotent (a second run adds nothing).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

from django.utils import timezone

from vagval.budget.models import BudgetLine, Cost, CostType
from vagval.demo.world import DemoWorld
from vagval.targets.models import Figure, Target

PROJECT = "redonu"
# Per cost type: the whole project's budget and the typical month (kronor).
BUDGET = {
    CostType.STAFF: (9_600_000, 200_000),
    CostType.PREMISES: (1_150_000, 24_000),
    CostType.SERVICES: (1_400_000, 29_000),
    CostType.TRAVEL: (240_000, 5_000),
    CostType.OTHER: (310_000, 6_500),
}
TARGETS = (
    (Figure.PARTICIPANTS, "300"),
    (Figure.WORK_OR_STUDIES_90, "30"),
    (Figure.CLOSER, "70"),
    (Figure.FIRST_CONTACT, "5"),
)


def generate_targets_and_budget(*, world: DemoWorld, seed: int) -> None:
    project = world.projects.get(PROJECT)
    if project is None or Target.objects.filter(project=project).exists():
        return
    ends_on = project.ends_on or project.starts_on.replace(year=project.starts_on.year + 3)
    for figure, value in TARGETS:
        Target.objects.create(
            project=project, figure=figure, value=Decimal(value), starts_on=project.starts_on, ends_on=ends_on
        )
    for cost_type, (budget, _month) in BUDGET.items():
        BudgetLine.objects.create(project=project, cost_type=cost_type, amount=Decimal(budget))
    rng = Random(seed * 31 + 7)
    month = project.starts_on.replace(day=1)
    this_month = timezone.localdate().replace(day=1)
    costs = []
    while month < this_month:
        for cost_type, (_budget, typical) in BUDGET.items():
            amount = Decimal(round(typical * rng.uniform(0.8, 1.2), 2)).quantize(Decimal("0.01"))
            costs.append(Cost(project=project, cost_type=cost_type, month=month, amount=amount))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    Cost.objects.bulk_create(costs)
