"""The project leader's start page: each led project's headline figures against its targets, its
budget, and what needs attention. Assembled here (the pages layer) from the targets and budget
apps' public selectors; nothing is counted here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vagval.access.scope import Scope
from vagval.budget.selectors import CostSummary, cost_summary
from vagval.organisations.models import Project
from vagval.targets.selectors import ProjectTargets, led_projects, targets_against_actuals


@dataclass(frozen=True)
class LeaderCard:
    project: Project
    targets: ProjectTargets
    costs: CostSummary
    attention: list[str]


def _attention(targets: ProjectTargets, costs: CostSummary) -> list[str]:
    items = [
        _("%(figure)s ligger efter: %(actual)s %(unit)s, i fas kräver %(expected)s.")
        % {
            "figure": row.label,
            "actual": row.actual_shown,
            "unit": row.unit,
            "expected": f"{row.expected:g}".replace(".", ","),
        }
        for row in targets.behind
    ]
    if not targets.rows:
        items.append(_("Projektet har inga mål ännu."))
    if not costs.budget_total:
        items.append(_("Projektet har ingen budget registrerad."))
    items.extend(
        _("Kostnaden för %(type)s är större än budgeten (%(used)s %% använt).")
        % {"type": row.label.lower(), "used": row.used_share}
        for row in costs.rows
        if row.budget and row.cost_to_date > row.budget
    )
    return items


def leader_cards(*, scope: Scope, today: dt.date) -> list[LeaderCard]:
    cards = []
    for project in led_projects(viewer=scope.actor):
        end = min(today, project.ends_on) if project.ends_on else today
        targets = targets_against_actuals(scope=scope, project=project, on_date=today, trend=False)
        costs = cost_summary(scope=scope, project=project, start=project.starts_on, end=max(end, project.starts_on))
        cards.append(LeaderCard(project, targets, costs, _attention(targets, costs)))
    return cards
