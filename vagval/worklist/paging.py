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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, IntegerField, QuerySet, Value

from vagval.access.checks import visible_person_sql
from vagval.accounts.models import User
from vagval.common.sql import column, table, value
from vagval.worklist.models import ItemMark, MarkState
from vagval.worklist.sources import ITEM_COLUMNS, Source, SourceContext

# The names of the statement's WITH clauses: the items (the UNION) and the persons that may be seen.
_ITEMS = "worklist_items"
_VISIBLE = "worklist_visible"


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
        assert source.query is not None
        query = source.query(ctx)
        if person_id is not None:
            query = query.filter(item_person=person_id)
        parts.append(
            query.annotate(
                item_kind=Value(source.kind, output_field=CharField()),
                item_order=Value(order, output_field=IntegerField()),
            ).values_list("item_kind", "item_order", *ITEM_COLUMNS)
        )
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _compiled(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    return sql, tuple(params)


# --- The UNION, compiled once per shape ----------------------------------------------------------
#
# Building and compiling the sources' querysets cost more than running them (a third of the page).
# Their SQL depends only on which kinds are read and whether one person is asked for; the unit,
# the dates and the person are parameters. So the UNION is compiled twice per shape and process,
# with two sets of stand-in values, and the parameters that differ between the two are the slots
# filled in on each request (in the form the ORM gave them: a UUID, its hex, a date or its text).
# The same SQL from both, and every differing parameter traced to one value, or it fails loudly.
# The sources are given no viewer here (NO_VIEWER): their queries may use the unit, not the user.


class _NoViewer:
    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"a source's query may not use the viewer ({name}): only ctx.unit_id and the dates")


NO_VIEWER = cast(User, _NoViewer())


class _Values(NamedTuple):
    """The values a source's query may depend on."""

    unit: uuid.UUID
    today: dt.date
    horizon: dt.date
    person: uuid.UUID | None


_STAND_INS = (
    _Values(uuid.UUID(int=0xA1), dt.date(1901, 1, 1), dt.date(1901, 2, 2), uuid.UUID(int=0xA2)),
    _Values(uuid.UUID(int=0xB1), dt.date(1902, 3, 3), dt.date(1902, 4, 4), uuid.UUID(int=0xB2)),
)
_FORMS: dict[str, Callable[[Any], Any]] = {"value": lambda v: v, "hex": lambda v: v.hex, "text": str}


@dataclass(frozen=True)
class _Template:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str, str], ...]  # (position, value's name, form)

    def params_for(self, values: _Values) -> list[Any]:
        params = list(self.params)
        for position, name, form in self.slots:
            params[position] = _FORMS[form](getattr(values, name))
        return params


_TEMPLATES: dict[tuple[str, tuple[str, ...], bool], _Template] = {}


def _union(ctx: SourceContext, chosen: list[tuple[int, Source]], person_id: uuid.UUID | None) -> tuple[str, list[Any]]:
    """The UNION of the chosen sources for this unit, day and person: SQL and parameters."""
    key = (ItemMark.objects.db, tuple(source.kind for _order, source in chosen), person_id is not None)
    template = _TEMPLATES.get(key)
    if template is None:
        template = _TEMPLATES[key] = _template(chosen, by_person=person_id is not None)
    return template.sql, template.params_for(_Values(ctx.unit_id, ctx.today, ctx.horizon, person_id))


def _template(chosen: list[tuple[int, Source]], *, by_person: bool) -> _Template:
    compiled = []
    for values in _STAND_INS:
        stand_in = SourceContext(viewer=NO_VIEWER, unit_id=values.unit, today=values.today, horizon=values.horizon)
        compiled.append(_compiled(_items(stand_in, chosen, values.person if by_person else None)))
    (sql, params), (other_sql, other_params) = compiled
    if sql != other_sql or len(params) != len(other_params):
        raise RuntimeError("The to-do list's sources give SQL whose text depends on the unit or the dates.")
    slots = tuple(
        (position, *_traced(first, second))
        for position, (first, second) in enumerate(zip(params, other_params, strict=True))
        if first != second
    )
    return _Template(sql, params, slots)


def _traced(first: Any, second: Any) -> tuple[str, str]:
    """Which stand-in value, in which form, gave these two parameters."""
    one, other = _STAND_INS
    found = [
        (name, form)
        for name in _Values._fields
        for form, made in _FORMS.items()
        if _made(made, getattr(one, name)) == first and _made(made, getattr(other, name)) == second
    ]
    if len(found) != 1:
        raise RuntimeError(f"A parameter of the to-do list's sources is not one of their values: {first!r}")
    return found[0]


def _made(form: Callable[[Any], Any], raw: Any) -> Any:
    try:
        return form(raw)
    except AttributeError:  # e.g. a date has no hex
        return None


def _statement(
    *,
    viewer: User,
    ctx: SourceContext,
    chosen: list[tuple[int, Source]],
    person_id: uuid.UUID | None,
    since: dt.datetime,
) -> tuple[str, list[Any]]:
    """SELECT … FROM the items, their marks and the visible persons (no order, no cut)."""
    items_sql, items_params = _union(ctx, chosen, person_id)
    # Each distinct person of the items is tested once (index probes), as selectors._visible does.
    visible_sql, visible_params = visible_person_sql(viewer=viewer, person="d.item_person")

    def m(name: str) -> str:
        return column(ItemMark, name, alias="m")

    sql = (
        f"WITH {_ITEMS} AS ({items_sql}),"  # noqa: S608  # compiled by the ORM; the values are parameters
        f" {_VISIBLE} AS (SELECT d.item_person FROM (SELECT DISTINCT item_person FROM {_ITEMS}) d"
        f" WHERE {visible_sql})"
        f" SELECT i.item_kind, i.item_obj, i.item_person, i.item_due, i.item_a, i.item_b,"
        f" COALESCE({m('moved_to')}, i.item_due) AS shown_on, {m('state')}, {m('moved_to')}, {m('reason')},"
        f" i.item_order"
        f" FROM {_ITEMS} i LEFT JOIN {table(ItemMark)} m ON ({m('unit')} = %s AND {m('kind')} = i.item_kind"
        f" AND {m('object_id')} = i.item_obj AND {m('updated_at')} >= %s)"
        f" WHERE ({m('id')} IS NULL OR ({m('state')} = %s AND {m('moved_to')} <= %s))"
        f" AND i.item_person IN (SELECT item_person FROM {_VISIBLE})"
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
    statement = _statement_or_none(viewer=viewer, ctx=ctx, chosen=chosen, person_id=person_id, since=since)
    if statement is None:
        return PageRows([], 0)
    sql, params = statement
    found = _run(
        f"SELECT c.*, COUNT(*) OVER () FROM ({sql}) c"  # noqa: S608  # built above
        " ORDER BY c.shown_on, c.item_order, c.item_obj LIMIT %s OFFSET %s",
        [*params, limit, offset],
    )
    if found:
        return PageRows([row[:10] for row in found], int(found[0][-1]))
    # Past the end (or nothing at all): the window function had no row to count on.
    total = _count(sql, params) if offset > 0 else 0
    return PageRows([], total)


def count(*, viewer: User, ctx: SourceContext, chosen: list[tuple[int, Source]], since: dt.datetime) -> int:
    """How many items the chosen sources have on the list (the menu's count)."""
    statement = _statement_or_none(viewer=viewer, ctx=ctx, chosen=chosen, person_id=None, since=since)
    return 0 if statement is None else _count(*statement)


def _statement_or_none(
    *,
    viewer: User,
    ctx: SourceContext,
    chosen: list[tuple[int, Source]],
    person_id: uuid.UUID | None,
    since: dt.datetime,
) -> tuple[str, list[Any]] | None:
    if not chosen:
        return None
    try:
        return _statement(viewer=viewer, ctx=ctx, chosen=chosen, person_id=person_id, since=since)
    except EmptyResultSet:  # a query that can have no rows (the ORM does not write it)
        return None


def _count(sql: str, params: list[Any]) -> int:
    return int(_run(f"SELECT COUNT(*) FROM ({sql}) c", params)[0][0])  # noqa: S608  # built by _statement
