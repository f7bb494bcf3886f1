"""The kinds of to-do items: a registry, one module per kind.

Each source reads its casework app's records for one unit and returns the items due up to a
horizon (overdue ones included) as plain rows: kind, object, person, date, a label that names
no one. Rules every source keeps:

- one query (measured in tests/test_queries: the menu's count asks every source);
- only the unit's own work: records the unit keeps, or (partners) what it must answer or do.

A kind whose item is a row of its own (a follow-up, a step, a referral, a consent, a placement)
gives its items as an ORM query (`query`, the columns ITEM_COLUMNS, made with item_query) and
says how one such row becomes a Row (`row`). The list's page reads all those queries in one
statement, with the marks, the persons' access, the order and the page cut in the database
(worklist.paging). A kind whose item id is made in Python from several values (the repeated
assessments, the supervisor assessments: a uuid5 no SQL of both databases can make) gives its
rows with `derive` instead, and the page merges them in.

Which persons the viewer may see is decided once for all sources' rows by the selector, with
the access check (access.checks.list_access) on the rows' persons, so a consent that ends or a
merged person drops out on the next request. (A visibility subquery in every source cost more
to build than the sources' own queries.)

The selector (worklist.selectors) applies marks, loads the persons of the rows it shows and
logs them. A new kind is a module here and one line in SOURCES.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Expression, F, QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import User
from vagval.common.sql import query_rows


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

    @cached_property
    def object_id(self) -> uuid.UUID:
        return uuid.UUID(hex=self.object_key)

    @cached_property
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


# The columns of a source's query, in this order: the object (its primary key), the person, the
# due date and two texts the row keeps for its label and link (NULL when unused).
ITEM_COLUMNS = ("item_obj", "item_person", "item_due", "item_a", "item_b")


def item_query(
    queryset: QuerySet[Any], *, person: str, due: str | Expression, a: str | None = None, b: str | None = None
) -> QuerySet[Any]:
    """The queryset with ITEM_COLUMNS as annotations (the texts cast to text, so that the queries
    of all kinds can be one UNION on PostgreSQL too)."""

    def text(name: str | None) -> Expression:
        return Value(None, output_field=TextField()) if name is None else Cast(F(name), output_field=TextField())

    return queryset.order_by().annotate(
        item_obj=F("pk"),
        item_person=F(person),
        item_due=F(due) if isinstance(due, str) else due,
        item_a=text(a),
        item_b=text(b),
    )


# A query of a derived kind: the queryset for a context. Module-level functions, so that one can
# be compiled once per process and known again by identity (worklist.compiled.reader).
Query = Callable[[SourceContext], QuerySet[Any]]
# Runs a Query for the context the reader was made for: the rows of list(queryset).
Read = Callable[[Query], list[tuple[Any, ...]]]


def orm_reader(ctx: SourceContext) -> Read:
    def read(query: Query) -> list[tuple[Any, ...]]:
        return list(query(ctx))

    return read


def as_date(raw: Any) -> dt.date:
    """A date column as read raw: a date, or (SQLite, for a computed column) its ISO text."""
    return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(raw)


@dataclass(frozen=True)
class Source:
    kind: str
    label: Promise  # the kind's name in the filter and the list
    describe: Callable[[Row], tuple[str, str]]  # (label, url) of one row
    # A kind whose item is a row of its own: its query (item_query), or the disjoint parts whose
    # UNION ALL it is (an OR of two tables' conditions reads slower than two index ranges), and
    # how a row of ITEM_COLUMNS becomes a Row.
    query: Callable[[SourceContext], QuerySet[Any] | tuple[QuerySet[Any], ...]] | None = None
    row: Callable[[SourceContext, tuple[Any, ...]], Row] | None = None
    # A kind whose item id is made in Python: its rows, from the queries it reads with `read`.
    derive: Callable[[SourceContext, Read], list[Row]] | None = None

    def collect(self, ctx: SourceContext, read: Read | None = None) -> list[Row]:
        """The kind's items for the unit (one query; the repeated assessments read their
        instruments first). `read`: how a derived kind's queries are run (the ORM's by default;
        the page's are compiled once, worklist.compiled.reader)."""
        if self.derive is not None:
            return self.derive(ctx, read or orm_reader(ctx))
        assert self.row is not None
        first, *more = [part.values_list(*ITEM_COLUMNS) for part in self.parts(ctx)]
        row = self.row
        return [row(ctx, values) for values in query_rows(first.union(*more, all=True) if more else first)]

    def parts(self, ctx: SourceContext) -> list[QuerySet[Any]]:
        """The kind's query, as its parts (one, or the disjoint parts of a UNION ALL)."""
        assert self.query is not None
        found = self.query(ctx)
        return list(found) if isinstance(found, tuple) else [found]


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
        Source(followups.KIND, _("Uppföljningar"), followups.describe, followups.query, followups.row),
        Source(assessments.KIND, _("Skattningar"), assessments.describe, derive=assessments.collect),
        Source(plan_steps.KIND, _("Steg i planen"), plan_steps.describe, plan_steps.query, plan_steps.row),
        Source(referrals.KIND, _("Remisser"), referrals.describe, referrals.query, referrals.row),
        Source(consents.KIND, _("Samtycken som upphör"), consents.describe, consents.query, consents.row),
        Source(
            placements.KIND,
            _("Placeringar som börjar eller slutar"),
            placements.describe,
            placements.query,
            placements.row,
        ),
        Source(
            supervisor_assessments.KIND,
            _("Handledarbedömningar"),
            supervisor_assessments.describe,
            derive=supervisor_assessments.collect,
        ),
    )


_SOURCES: tuple[Source, ...] | None = None
_BY_KIND: dict[str, Source] = {}


def sources() -> tuple[Source, ...]:
    global _SOURCES
    if _SOURCES is None:
        _SOURCES = _registry()
        _BY_KIND.update((source.kind, source) for source in _SOURCES)
    return _SOURCES


def source_for(kind: str) -> Source | None:
    """The kind's source (asked for each row a page shows: a dict, not a walk of the registry)."""
    if not _BY_KIND:
        sources()
    return _BY_KIND.get(kind)
