"""The to-do list's items read in one statement: the sources' queries as one UNION, the unit's marks
joined, only persons the viewer may see, sorted, cut to a page and counted in the database.

Nothing here decides what is on the list. Each kind's conditions are its source's ORM query
(worklist.sources, item_query), compiled by the ORM, and who may be seen is the access rule's SQL
form (access.checks.visible_person_sql, tested against visible_persons_per_row). Written here, with
common.sql's names: the join of the marks (the rule of selectors.open_items: a mark set within
MARK_DAYS; done hides the item, moved shows it on the new date while that is within the horizon),
the order (the date shown, the sources' order, the object's key) and the page cut. Tested against
open_items, which reads the same queries and applies the same rules in Python
(tests/test_paging.py): the same items in the same order.

A unit's list may hold thousands of items; reading them all to show 50 cost most of the page (issue
12's figure). Only the kinds whose item is a row of its own are read here: the others
(Source.derive) are merged in by the selector.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, IntegerField, QuerySet, Value

from vagval.access.checks import visible_person_sql
from vagval.accounts.models import User
from vagval.common.sql import column, table, value
from vagval.worklist import compiled
from vagval.worklist.models import ItemMark, MarkState
from vagval.worklist.sources import ITEM_COLUMNS, Source, SourceContext

# The names of the statement's WITH clauses: the items (the UNION), the persons that may be seen
# and the items on the list (marks applied, persons that may be seen).
_ITEMS = "worklist_items"
_VISIBLE = "worklist_visible"
_LISTED = "worklist_listed"


@dataclass(frozen=True)
class PageRows:
    """Rows of (kind, object, person, due date, text a, text b, date shown, mark state, moved to,
    reason) as the driver gives them, and how many items the whole list has."""

    rows: list[tuple[Any, ...]]
    total: int


def _items(ctx: SourceContext, chosen: list[tuple[int, Source]], person_id: uuid.UUID | None) -> QuerySet[Any]:
    """The chosen sources' queries (with their place in the sources' order) as one UNION ALL."""
    parts = []
    for order, source in chosen:
        for query in source.parts(ctx):
            if person_id is not None:
                query = query.filter(item_person=person_id)
            parts.append(
                query.annotate(
                    item_kind=Value(source.kind, output_field=CharField()),
                    item_order=Value(order, output_field=IntegerField()),
                ).values_list("item_kind", "item_order", *ITEM_COLUMNS)
            )
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


# --- The UNION, compiled once per shape (worklist.compiled) ------------------------------------
#
# Its SQL depends only on which kinds are read and whether one person is asked for.

NO_VIEWER = compiled.NO_VIEWER


def _union(ctx: SourceContext, chosen: list[tuple[int, Source]], person_id: uuid.UUID | None) -> tuple[str, list[Any]]:
    """The UNION of the chosen sources for this unit, day and person: SQL and parameters."""
    key = ("union", tuple(source.kind for _order, source in chosen), person_id is not None)
    found = compiled.template(key, _build(chosen, by_person=person_id is not None), ItemMark.objects.db)
    return found.sql, found.params_for(compiled.values_of(ctx, person_id))


def _template(chosen: list[tuple[int, Source]], *, by_person: bool) -> compiled.Template:
    return compiled.compile_query(_build(chosen, by_person=by_person), ItemMark.objects.db)


def _build(chosen: list[tuple[int, Source]], *, by_person: bool) -> compiled.Build:
    def build(stand_in: SourceContext, values: compiled.Values) -> QuerySet[Any]:
        return _items(stand_in, chosen, values.person if by_person else None)

    return build


def _statement(
    *,
    viewer: User,
    ctx: SourceContext,
    chosen: list[tuple[int, Source]],
    person_id: uuid.UUID | None,
    since: dt.datetime,
    materialized: bool,
) -> tuple[str, list[Any]]:
    """WITH …, worklist_listed AS (SELECT … FROM the items, their marks and the visible persons):
    the clauses to SELECT from (no order, no cut)."""
    items_sql, items_params = _union(ctx, chosen, person_id)
    # Each distinct person of the items is tested once (index probes), as selectors._visible does.
    # MATERIALIZED: inlined, PostgreSQL misjudged the visible persons as a handful and tested each
    # item against a rescan of the distinct persons (813 items at a city: 8,770 buffers, 50-85 ms
    # of the start page; made once, 12 ms).
    visible_sql, visible_params = visible_person_sql(viewer=viewer, person="d.item_person")

    def m(name: str) -> str:
        return column(ItemMark, name, alias="m")

    sql = (
        f"WITH {_ITEMS} AS ({items_sql}),"  # noqa: S608  # compiled by the ORM; the values are parameters
        f" {_VISIBLE} AS MATERIALIZED (SELECT d.item_person FROM (SELECT DISTINCT item_person FROM {_ITEMS}) d"
        f" WHERE {visible_sql}),"
        f" {_LISTED} AS {'MATERIALIZED ' if materialized else ''}("
        f"SELECT i.item_kind, i.item_obj, i.item_person, i.item_due, i.item_a, i.item_b,"
        f" COALESCE({m('moved_to')}, i.item_due) AS shown_on, {m('state')}, {m('moved_to')}, {m('reason')},"
        f" i.item_order"
        f" FROM {_ITEMS} i LEFT JOIN {table(ItemMark)} m ON ({m('unit')} = %s AND {m('kind')} = i.item_kind"
        f" AND {m('object_id')} = i.item_obj AND {m('updated_at')} >= %s)"
        f" WHERE ({m('id')} IS NULL OR ({m('state')} = %s AND {m('moved_to')} <= %s))"
        f" AND i.item_person IN (SELECT item_person FROM {_VISIBLE}))"
    )
    params = [
        *items_params,
        *visible_params,
        value(ItemMark, "unit", ctx.unit_id),
        value(ItemMark, "updated_at", since),
        value(ItemMark, "state", MarkState.MOVED),
        value(ItemMark, "moved_to", ctx.horizon),
    ]
    return sql, params


def _run(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connections[ItemMark.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def page_rows(
    *,
    viewer: User,
    ctx: SourceContext,
    chosen: list[tuple[int, Source]],
    person_id: uuid.UUID | None,
    since: dt.datetime,
    offset: int,
    limit: int,
) -> PageRows:
    """Items [offset, offset + limit) of the chosen sources in the list's order, and their total."""
    statement = _statement_or_none(
        viewer=viewer, ctx=ctx, chosen=chosen, person_id=person_id, since=since, materialized=True
    )
    if statement is None:
        return PageRows([], 0)
    sql, params = statement
    # The listed items are made once (MATERIALIZED), counted, and sorted for the page alone:
    # COUNT(*) OVER () made the database keep and sort every item with its count.
    found = _run(
        f"{sql} SELECT l.*, (SELECT COUNT(*) FROM {_LISTED}) FROM {_LISTED} l"  # noqa: S608  # built above
        " ORDER BY l.shown_on, l.item_order, l.item_obj LIMIT %s OFFSET %s",
        [*params, limit, offset],
    )
    if found:
        return PageRows([row[:10] for row in found], int(found[0][-1]))
    # Past the end (or nothing at all): no row carried the count.
    total = _count(sql, params) if offset > 0 else 0
    return PageRows([], total)


def count(*, viewer: User, ctx: SourceContext, chosen: list[tuple[int, Source]], since: dt.datetime) -> int:
    """How many items the chosen sources have on the list (the menu's count)."""
    statement = _statement_or_none(
        viewer=viewer, ctx=ctx, chosen=chosen, person_id=None, since=since, materialized=False
    )
    return 0 if statement is None else _count(*statement)


def _statement_or_none(
    *,
    viewer: User,
    ctx: SourceContext,
    chosen: list[tuple[int, Source]],
    person_id: uuid.UUID | None,
    since: dt.datetime,
    materialized: bool,
) -> tuple[str, list[Any]] | None:
    if not chosen:
        return None
    try:
        return _statement(
            viewer=viewer, ctx=ctx, chosen=chosen, person_id=person_id, since=since, materialized=materialized
        )
    except EmptyResultSet:  # a query that can have no rows (the ORM does not write it)
        return None


def _count(sql: str, params: list[Any]) -> int:
    return int(_run(f"{sql} SELECT COUNT(*) FROM {_LISTED}", params)[0][0])  # noqa: S608  # built by _statement
