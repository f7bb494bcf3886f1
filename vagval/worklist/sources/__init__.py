"""The kinds of to-do items: a registry, one module per kind.

Each source reads its casework app's records for one unit and returns the items due up to a
horizon (overdue ones included) as plain rows: kind, object, person, date, a label that names
no one. Rules every source keeps:

- one query (measured in tests/test_queries: the menu's count asks every source);
- only the unit's own work: records the unit keeps, or (partners) what it must answer or do.

Which persons the viewer may see is decided once for all sources' rows by the selector, with
the access check (access.checks.list_access) on the rows' persons, so a consent that ends or a
merged person drops out on the next request. (A visibility subquery in every source cost more
to build than the sources' own queries.)

The selector (worklist.selectors) applies marks, loads the persons of the rows it shows and
logs them. A new kind is a module here and one line in SOURCES.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import User


@dataclass(frozen=True)
class SourceContext:
    viewer: User
    unit_id: uuid.UUID
    today: dt.date
    horizon: dt.date  # the last due date shown (today + WORKLIST_HORIZON_DAYS)


@dataclass(frozen=True)
class Row:
    """One to-do item before marks and persons: what, about whom, when, and the source's own
    values (`data`) from which its label and link are made, only for the rows a page shows (a
    unit's list may hold thousands of rows; reversing a URL for each cost more than the queries).

    The object and the person are kept as 32 hex digits (common.sql.hex_key), as the sources read
    them: turning thousands of keys into UUID objects cost more than the sources' queries. The
    UUIDs are made when asked for (object_id, person_id), for the rows a page shows."""

    kind: str
    object_key: str
    person_key: str
    due_on: dt.date
    data: tuple[Any, ...] = ()

    @property
    def object_id(self) -> uuid.UUID:
        return uuid.UUID(hex=self.object_key)

    @property
    def person_id(self) -> uuid.UUID:
        return uuid.UUID(hex=self.person_key)

    @cached_property
    def _described(self) -> tuple[str, str]:
        source = source_for(self.kind)
        return source.describe(self) if source is not None else (self.kind, "")

    @property
    def label(self) -> str:
        """Names the thing, never the person: "Uppföljning: efter 90 dagar"."""
        return self._described[0]

    @property
    def url(self) -> str:
        """Where the item is done."""
        return self._described[1]


@dataclass(frozen=True)
class Source:
    kind: str
    label: Promise  # the kind's name in the filter and the list
    collect: Callable[[SourceContext], list[Row]]
    describe: Callable[[Row], tuple[str, str]]  # (label, url) of one row


def _registry() -> tuple[Source, ...]:
    # Imported here: each module imports its casework app, and this module is imported by the
    # menu on every page.
    from vagval.worklist.sources import (
        assessments,
        consents,
        followups,
        placements,
        plan_steps,
        referrals,
        supervisor_assessments,
    )

    return (
        Source(followups.KIND, _("Uppföljningar"), followups.collect, followups.describe),
        Source(assessments.KIND, _("Skattningar"), assessments.collect, assessments.describe),
        Source(plan_steps.KIND, _("Steg i planen"), plan_steps.collect, plan_steps.describe),
        Source(referrals.KIND, _("Remisser"), referrals.collect, referrals.describe),
        Source(consents.KIND, _("Samtycken som upphör"), consents.collect, consents.describe),
        Source(placements.KIND, _("Placeringar som börjar eller slutar"), placements.collect, placements.describe),
        Source(
            supervisor_assessments.KIND,
            _("Handledarbedömningar"),
            supervisor_assessments.collect,
            supervisor_assessments.describe,
        ),
    )


_PLACEHOLDER = uuid.UUID(int=0)


@functools.lru_cache(maxsize=64)
def _pattern(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=[_PLACEHOLDER])


def object_url(name: str, object_id: uuid.UUID | str) -> str:
    """reverse(name, args=[object_id]) for a URL with one UUID, reversed once per name (with the
    request's script prefix and URLconf) and filled in per row: a page shows 50 rows."""
    key = object_id if isinstance(object_id, uuid.UUID) else uuid.UUID(object_id)
    return _pattern(name, get_script_prefix(), get_urlconf()).replace(str(_PLACEHOLDER), str(key))


_SOURCES: tuple[Source, ...] | None = None


def sources() -> tuple[Source, ...]:
    global _SOURCES
    if _SOURCES is None:
        _SOURCES = _registry()
    return _SOURCES


def source_for(kind: str) -> Source | None:
    return next((s for s in sources() if s.kind == kind), None)
