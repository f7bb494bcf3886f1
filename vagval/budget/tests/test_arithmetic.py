"""Budget arithmetic against hand-computed figures.

Project budget: personal 600 000, lokaler 120 000, resor 30 000 (total 750 000).
Costs: 2026-01 personal 50 000, lokaler 10 000; 2026-02 personal 52 500,50, resor 1 200;
2026-03 personal 49 999,50, köpta tjänster 8 000; 2025-12 personal 40 000 (before the period).
Period 2026-01-01 – 2026-03-31:
- cost in period = 50 000 + 10 000 + 52 500,50 + 1 200 + 49 999,50 + 8 000 = 171 700,00
- cost to date = 171 700 + 40 000 = 211 700,00; personal to date 192 500 of 600 000 = 32,1 %
- participants who started in the period: 3 (one started in 2025, one is planned) → 57 233,33 kr
- positive 90-day outcomes due in the period: 2 (one job seeking, one unanswered) → 85 850,00 kr
"""

import datetime as dt
from decimal import Decimal

import pytest

from vagval.budget.models import BudgetLine, Cost
from vagval.budget.selectors import divide, project_cost_summary
from vagval.followup.models import Situation
from vagval.people.models import EnrolmentStatus
from vagval.targets.tests.helpers import enrol, ninety_day

JAN, FEB, MAR, DEC = (dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2025, 12, 1))


@pytest.fixture
def budget_world(project, ludvika_unit):
    for cost_type, amount in (("personal", "600000"), ("lokaler", "120000"), ("resor", "30000")):
        BudgetLine.objects.create(project=project, cost_type=cost_type, amount=Decimal(amount))
    for month, cost_type, amount in (
        (JAN, "personal", "50000"),
        (JAN, "lokaler", "10000"),
        (FEB, "personal", "52500.50"),
        (FEB, "resor", "1200"),
        (MAR, "personal", "49999.50"),
        (MAR, "kopta_tjanster", "8000"),
        (DEC, "personal", "40000"),
    ):
        Cost.objects.create(project=project, month=month, cost_type=cost_type, amount=Decimal(amount))
    for serial, starts in ((1, dt.date(2026, 1, 10)), (2, dt.date(2026, 2, 3)), (3, dt.date(2026, 3, 31))):
        enrol(project, ludvika_unit, serial=serial, starts_on=starts)
    enrol(project, ludvika_unit, serial=4, starts_on=dt.date(2026, 2, 1), status=EnrolmentStatus.PLANNED)
    for serial, due, outcome in (
        (5, dt.date(2026, 1, 20), Situation.WORKING),
        (6, dt.date(2026, 2, 20), Situation.ALTERNATIVE_LABOUR_MARKET),
        (7, dt.date(2026, 3, 20), Situation.JOB_SEEKING),
        (8, dt.date(2026, 3, 21), None),
    ):
        ninety_day(
            enrol(project, ludvika_unit, serial=serial, starts_on=dt.date(2025, 3, 1)), due_on=due, outcome=outcome
        )


def test_the_summary_adds_up_by_hand(project, budget_world):
    summary = project_cost_summary(project=project, start=JAN, end=dt.date(2026, 3, 31))
    by_type = {row.cost_type: row for row in summary.rows}
    assert summary.budget_total == Decimal("750000.00")
    assert summary.cost_total == Decimal("171700.00")
    assert summary.cost_to_date == Decimal("211700.00")
    assert (by_type["personal"].cost, by_type["personal"].cost_to_date) == (Decimal("152500.00"), Decimal("192500.00"))
    assert by_type["personal"].used_share == Decimal("32.1")
    assert by_type["kopta_tjanster"].budget == 0
    assert by_type["kopta_tjanster"].used_share is None
    assert (summary.participants, summary.positive_outcomes) == (3, 2)
    assert summary.cost_per_participant == Decimal("57233.33")
    assert summary.cost_per_positive_outcome == Decimal("85850.00")
    assert [(m.month, m.total) for m in summary.months] == [
        (JAN, Decimal("60000.00")),
        (FEB, Decimal("53700.50")),
        (MAR, Decimal("57999.50")),
    ]


def test_a_period_starting_mid_month_counts_that_whole_month(project, budget_world):
    summary = project_cost_summary(project=project, start=dt.date(2026, 2, 15), end=dt.date(2026, 2, 28))
    assert summary.cost_total == Decimal("53700.50")


def test_nobody_to_divide_by_gives_no_figure():
    assert divide(Decimal("100"), 0) is None
    assert divide(Decimal("100"), 3) == Decimal("33.33")
    assert divide(Decimal("0.05"), 2) == Decimal("0.03")  # half up
