"""The kinds of to-do items: a registry, one module per kind.

Each source reads its casework app's records for one unit and returns the items due up to a
horizon (overdue ones included) as plain rows: kind, object, person, date, a label that names
no one. Rules every source keeps:

- one query (measured in tests/test_queries: the menu's count asks every source);
- only the unit's own work: records the unit keeps, or (partners) what it must answer or do;
- only persons the viewer may see: `ctx.visible` is the access check's set (access.checks),
  as a subquery, so a consent that ends or a merged person drops out on the next request.

The selector (worklist.selectors) applies marks, loads the persons of the rows it shows and
logs them. A new kind is a module here and one line in SOURCES.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import User
from vagval.people.models import Person


@dataclass(frozen=True)
class SourceContext:
    viewer: User
    unit_id: uuid.UUID
    today: dt.date
    horizon: dt.date  # the last due date shown (today + WORKLIST_HORIZON_DAYS)
    visible: QuerySet[Person]  # the persons the viewer may see (not evaluated)

    def visible_ids(self) -> Any:
        return self.visible.order_by().values("pk")


@dataclass(frozen=True)
class Row:
    """One to-do item before marks and persons: what, about whom, when, where it is done."""

    kind: str
    object_id: uuid.UUID
    person_id: uuid.UUID
    due_on: dt.date
    label: str  # names the thing, never the person: "Uppföljning efter 90 dagar"
    url: str


@dataclass(frozen=True)
class Source:
    kind: str
    label: Promise  # the kind's name in the filter and the list
    collect: Callable[[SourceContext], list[Row]]


def _registry() -> tuple[Source, ...]:
    # Imported here: each module imports its casework app, and this module is imported by the
    # menu on every page.
    from vagval.worklist.sources import assessments, consents, followups, placements, plan_steps, referrals

    return (
        Source(followups.KIND, _("Uppföljningar"), followups.collect),
        Source(assessments.KIND, _("Skattningar"), assessments.collect),
        Source(plan_steps.KIND, _("Steg i planen"), plan_steps.collect),
        Source(referrals.KIND, _("Remisser"), referrals.collect),
        Source(consents.KIND, _("Samtycken som upphör"), consents.collect),
        Source(placements.KIND, _("Placeringar som börjar eller slutar"), placements.collect),
        # SUPERVISOR ASSESSMENTS DUE: the placements helper adds the model (the supervisor's
        # assessment of a placement); the lead adds a module `supervisor_assessments` here with
        # KIND = "handledarbedomning" and one line in this tuple.
    )


_SOURCES: tuple[Source, ...] | None = None


def sources() -> tuple[Source, ...]:
    global _SOURCES
    if _SOURCES is None:
        _SOURCES = _registry()
    return _SOURCES


def source_for(kind: str) -> Source | None:
    return next((s for s in sources() if s.kind == kind), None)
