"""The budget section's counts behind the ratios come from the report's own passes and equal the
budget app's own counting (targets.figures) on the mixed project (re-entry, two units, merged and
protected persons, one young person at two units)."""

from __future__ import annotations

import dataclasses

import pytest

from vagval.budget.selectors import project_cost_summary
from vagval.reporting.groups import entrant_count, participant_counts, positive_outcome_count
from vagval.reporting.report import ReportContext
from vagval.reporting.tests import mixed_world
from vagval.targets import figures


@pytest.fixture
def ctx(project, ludvika_unit, smedjebacken_unit, af_unit, alice):
    mixed_world.build(project=project, units=[ludvika_unit, smedjebacken_unit, af_unit], recorder=alice)
    return ReportContext(project=project, start=mixed_world.START, end=mixed_world.END, today=mixed_world.TODAY)


def test_the_participants_who_started_are_the_budget_apps_count(ctx, project):
    expected = figures.participants(project, ctx.start, ctx.end).base
    assert expected  # the fixture has participants who started in the period
    assert entrant_count(ctx) == expected
    # Not the report's participants (open in the period, per person record): another rule.
    assert entrant_count(ctx) != participant_counts(ctx)[()]


def test_the_positive_outcomes_are_the_budget_apps_count(ctx, project):
    expected = figures.positive_outcomes(project, ctx.start, ctx.end)
    assert expected  # the fixture has positive 90-day outcomes
    assert positive_outcome_count(ctx) == expected


def test_a_period_ending_after_today_leaves_the_positive_outcomes_to_the_budget_app(ctx, project):
    later = dataclasses.replace(ctx, today=ctx.start, memo={})
    assert positive_outcome_count(later) is None


def test_the_summary_with_the_reports_counts_is_the_summary_the_budget_app_computes(ctx, project):
    own = project_cost_summary(project=project, start=ctx.start, end=ctx.end)
    given = project_cost_summary(
        project=project,
        start=ctx.start,
        end=ctx.end,
        participants=entrant_count(ctx),
        positive_outcomes=positive_outcome_count(ctx),
    )
    assert given == own
    assert own.cost_per_participant is not None
