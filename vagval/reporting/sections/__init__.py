"""The steering-group report's sections, one module each, in the order the report shows them.

Each module has `KEY` (its anchor and sheet name), `TITLE` (Swedish, lazy) and
`build(ctx: ReportContext) -> SectionResult` (see reporting/report.py). A new section is a new
module and one line here; `tests/test_registry.py` checks that every module is listed once.

Plug points (issue 13, built in parallel): the targets app's actuals against targets and the
budget app's costs each become a section module here, at the places marked below, calling
`targets.selectors.targets_against_actuals(scope, project, on_date)` and
`budget.selectors.cost_summary(scope, project, start, end)`.
"""

from __future__ import annotations

from types import ModuleType

from vagval.reporting.sections import (
    distance,
    first_contact,
    flow,
    followup,
    methods,
    participants,
    partners,
    placements,
    referrals,
)

REGISTRY: tuple[ModuleType, ...] = (
    participants,
    flow,
    first_contact,
    referrals,
    placements,
    followup,
    # TARGETS-PLUG: sections/targets.py (actuals against targets) goes here.
    distance,
    methods,
    # BUDGET-PLUG: sections/budget.py (budget and cost per participant) goes here.
    partners,
)


def section(key: str) -> ModuleType:
    for module in REGISTRY:
        if key == module.KEY:
            return module
    raise KeyError(key)
