"""The steering-group report's sections, one module each, in the order the report shows them.

Each module has `KEY` (its anchor and sheet name), `TITLE` (Swedish, lazy) and
`build(ctx: ReportContext) -> SectionResult` (see reporting/report.py). A new section is a new
module and one line here; `tests/test_registry.py` checks that every module is listed once.

`targets` and `budget` read their apps' unchecked computations (`project_targets`,
`project_cost_summary`): the report's own permission check and access-log entry cover them.
"""

from __future__ import annotations

from types import ModuleType

from vagval.reporting.sections import (
    budget,
    distance,
    first_contact,
    flow,
    followup,
    methods,
    participants,
    partners,
    placements,
    referrals,
    targets,
)

REGISTRY: tuple[ModuleType, ...] = (
    participants,
    flow,
    first_contact,
    referrals,
    placements,
    followup,
    targets,
    distance,
    methods,
    budget,
    partners,
)


def section(key: str) -> ModuleType:
    for module in REGISTRY:
        if key == module.KEY:
            return module
    raise KeyError(key)
