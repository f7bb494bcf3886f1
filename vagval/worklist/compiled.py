"""The to-do list's ORM queries, compiled once per shape and process and run with each request's
values.

Building and compiling the sources' querysets cost more than running them (a third of the page).
Their SQL depends only on which query it is (and, for the UNION, which kinds and whether one
person is asked for); the unit, the dates and the person are parameters. So each query is
compiled twice per shape and process, with two sets of stand-in values, and the parameters that
differ between the two are the slots filled in on each request (in the form the ORM gave them: a
UUID, its hex, a date or its text). The same SQL from both, and every differing parameter traced
to one value, or it fails loudly.

The queries get no viewer here (NO_VIEWER: a query may use the unit and the dates, never the
user). The one exception is a rule of another app that takes the viewer for its unit
(catalogue.placement_selectors.assessments_due): with `unit_viewer=True` the stand-in viewer
answers unit_id and nothing else.

`rows` runs a query compiled here and converts its values with the ORM's own converters (taken
from the compiler), so its rows are those of list(queryset); `template` gives the SQL and
parameters for a statement that wraps it (worklist.paging). Tested against the ORM's rows
(tests/test_compiled.py) and, through the page, against open_items (tests/test_paging.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from django.db import connections
from django.db.models import QuerySet

from vagval.accounts.models import User
from vagval.worklist.models import ItemMark
from vagval.worklist.sources import Query, Read, SourceContext


class _NoViewer:
    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"a source's query may not use the viewer ({name}): only ctx.unit_id and the dates")


NO_VIEWER = cast(User, _NoViewer())


class _UnitViewer:
    """A viewer that is only its unit (for a rule that takes the viewer and reads its unit)."""

    def __init__(self, unit_id: uuid.UUID) -> None:
        self.unit_id = unit_id

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"a source's query may use only the viewer's unit, not {name}")


class Values(NamedTuple):
    """The values a source's query may depend on."""

    unit: uuid.UUID
    today: dt.date
    horizon: dt.date
    person: uuid.UUID | None


_STAND_INS = (
    Values(uuid.UUID(int=0xA1), dt.date(1901, 1, 1), dt.date(1901, 2, 2), uuid.UUID(int=0xA2)),
    Values(uuid.UUID(int=0xB1), dt.date(1902, 3, 3), dt.date(1902, 4, 4), uuid.UUID(int=0xB2)),
)
_FORMS: dict[str, Callable[[Any], Any]] = {"value": lambda v: v, "hex": lambda v: v.hex, "text": str}
# (expression, its converters) per column that has any, as the compiler gives them.
_Converters = dict[int, tuple[list[Any], Any]]


@dataclass(frozen=True)
class Template:
    database: str
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str, str], ...]  # (position, value's name, form)
    converters: _Converters

    def params_for(self, values: Values) -> list[Any]:
        params = list(self.params)
        for position, name, form in self.slots:
            params[position] = _FORMS[form](getattr(values, name))
        return params


# The query for a (stand-in) context and values.
Build = Callable[[SourceContext, Values], QuerySet[Any]]
_TEMPLATES: dict[tuple[Any, ...], Template] = {}


def template(key: Hashable, build: Build, database: str, *, unit_viewer: bool = False) -> Template:
    """The query `build` makes, compiled once per key and database."""
    full_key = (database, key)
    found = _TEMPLATES.get(full_key)
    if found is None:
        found = _TEMPLATES[full_key] = compile_query(build, database, unit_viewer=unit_viewer)
    return found


def compile_query(build: Build, database: str, *, unit_viewer: bool = False) -> Template:
    """The query `build` makes, compiled with both stand-ins (uncached: `template` caches)."""
    compiled = []
    for values in _STAND_INS:
        viewer = cast(User, _UnitViewer(values.unit)) if unit_viewer else NO_VIEWER
        stand_in = SourceContext(viewer=viewer, unit_id=values.unit, today=values.today, horizon=values.horizon)
        queryset = build(stand_in, values)
        compiler = queryset.query.get_compiler(database)
        sql, params = compiler.as_sql()
        # A UNION's columns are its parts' (its caller reads them raw): no converters.
        columns = [] if queryset.query.combinator else [s[0] for s in compiler.select[: compiler.col_count]]
        compiled.append((sql, tuple(params), compiler.get_converters(columns)))
    (sql, params, converters), (other_sql, other_params, _other) = compiled
    if sql != other_sql or len(params) != len(other_params):
        raise RuntimeError("A to-do list query gives SQL whose text depends on the unit or the dates.")
    slots = tuple(
        (position, *_traced(first, second))
        for position, (first, second) in enumerate(zip(params, other_params, strict=True))
        if first != second
    )
    return Template(database, sql, params, slots, converters)


def _traced(first: Any, second: Any) -> tuple[str, str]:
    """Which stand-in value, in which form, gave these two parameters."""
    one, other = _STAND_INS
    found = [
        (name, form)
        for name in Values._fields
        for form, made in _FORMS.items()
        if _made(made, getattr(one, name)) == first and _made(made, getattr(other, name)) == second
    ]
    if len(found) != 1:
        raise RuntimeError(f"A parameter of a to-do list query is not one of its values: {first!r}")
    return found[0]


def _made(form: Callable[[Any], Any], raw: Any) -> Any:
    try:
        return form(raw)
    except AttributeError:  # e.g. a date has no hex
        return None


def values_of(ctx: SourceContext, person: uuid.UUID | None = None) -> Values:
    return Values(ctx.unit_id, ctx.today, ctx.horizon, person)


def run(found: Template, values: Values, *, convert: bool = True) -> list[tuple[Any, ...]]:
    """The rows of a compiled query for these values, converted as the ORM converts them."""
    connection = connections[found.database]
    with connection.cursor() as cursor:
        cursor.execute(found.sql, found.params_for(values))
        rows = cursor.fetchall()
    if not convert or not found.converters:
        return list(rows)
    converters = list(found.converters.items())
    result = []
    for row in rows:
        converted = list(row)
        for position, (functions, expression) in converters:
            value = converted[position]
            for function in functions:
                value = function(value, expression, connection)
            converted[position] = value
        result.append(tuple(converted))
    return result


def reader(ctx: SourceContext) -> Read:
    """Runs a derived kind's queries (sources.Query) compiled once each, with the ORM's
    conversions: the same rows as sources.orm_reader gives."""
    database = ItemMark.objects.db
    values = values_of(ctx)

    def read(query: Query) -> list[tuple[Any, ...]]:
        found = template(("derived", query), lambda stand_in, _values: query(stand_in), database, unit_viewer=True)
        return run(found, values)

    return read
