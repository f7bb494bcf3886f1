"""Hand-written SQL for the few hot reads where building an ORM query costs more than running it.

The caseload (the coach's start page) runs a handful of small queries per request. Compiling a
queryset with `person_id IN (50 ids)` takes about 0.5 ms in Python; the database answers the
same SQL in 0.1 ms. The helpers here write such statements from the models' own table and
column names, pass every value as a parameter prepared by the model field (so a UUID is stored
the way the ORM stores it on either database), and read UUIDs back as the ORM would.

Only plain SQL that SQLite and PostgreSQL both accept goes through here: SELECT with JOIN,
WHERE, IN, UNION and ORDER BY. Each statement is tested against the ORM query it replaces.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router

ModelT = TypeVar("ModelT", bound=models.Model)
# A column's value as read from the database -> the Python value the ORM would give.
Reader = Callable[[Any], Any]


def _connection(model: type[models.Model]) -> Any:
    return connections[router.db_for_read(model)]


@functools.cache
def _quoted(database: str, name: str) -> str:
    # Quoting depends only on the database's backend, which is fixed for the life of the process.
    return str(connections[database].ops.quote_name(name))


@functools.cache
def table(model: type[models.Model]) -> str:
    """The model's table name, quoted."""
    return _quoted(router.db_for_read(model), model._meta.db_table)


@functools.cache
def column(model: type[models.Model], name: str, *, alias: str = "") -> str:
    """A field's column, quoted, optionally qualified with a table alias (alias.column)."""
    quoted = _quoted(router.db_for_read(model), model._meta.get_field(name).column)  # type: ignore[union-attr]
    return f"{alias}.{quoted}" if alias else quoted


def value(model: type[models.Model], name: str, raw: Any) -> Any:
    """A value for the field's column, prepared as the ORM prepares it for a WHERE clause."""
    field = model._meta.get_field(name)
    return field.get_db_prep_value(raw, connection=_connection(model))  # type: ignore[union-attr]


def values(model: type[models.Model], name: str, raws: Iterable[Any]) -> list[Any]:
    field = model._meta.get_field(name)
    connection = _connection(model)
    return [field.get_db_prep_value(raw, connection=connection) for raw in raws]  # type: ignore[union-attr]


def placeholders(count: int) -> str:
    """'%s, %s, …' for an IN list of `count` values (count > 0)."""
    if count < 1:
        raise ValueError("an IN list needs at least one value")
    return ", ".join(["%s"] * count)


def as_uuid(raw: Any) -> uuid.UUID | None:
    """A UUID column as read back: PostgreSQL gives UUID, SQLite the 32 hex digits."""
    if raw is None or isinstance(raw, uuid.UUID):
        return raw
    return uuid.UUID(raw)


def fetch(model: type[models.Model], sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one SELECT on the model's database and return all rows."""
    with _connection(model).cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# What reader() and fetch_instances() worked out, per thread and connection. Thread-local, not
# a weak mapping keyed by the connection: the readers refer to their connection, which would
# then never be freed, and a server may open a new thread and connection for every request.
_LOCAL = threading.local()


def _cached(model: type[models.Model], key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    cache: dict[tuple[Any, ...], Any] | None = getattr(_LOCAL, "cache", None)
    if cache is None:
        cache = _LOCAL.cache = {}
    full_key = (_connection(model), *key)  # a connection object compares by identity
    if full_key not in cache:
        cache[full_key] = build()
    return cache[full_key]


def reader(model: type[models.Model], name: str) -> Reader:
    """How the ORM turns this field's column value into Python: the database backend's and
    the field's converters (dates and UUIDs on SQLite, JSON on both, ...), applied in order."""

    def build() -> Reader:
        connection = _connection(model)
        expression = model._meta.get_field(name).get_col(model._meta.db_table)  # type: ignore[union-attr]
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)

        def read(raw: Any) -> Any:
            for convert in converters:
                raw = convert(raw, expression, connection)
            return raw

        return read

    return _cached(model, ("reader", model, name), build)  # type: ignore[no-any-return]


def fetch_instances(
    model: type[ModelT], where: str, params: Sequence[Any], *, fields: Sequence[str] = (), tail: str = ""
) -> list[ModelT]:
    """The model instances whose row meets `where` (a condition on the model's own columns,
    written with column()), converted as the ORM converts them.

    `fields`: load only these (the rest are deferred, as with QuerySet.only); all by default.
    `tail`: ORDER BY / LIMIT / OFFSET written after the WHERE (its values in `params`).
    """

    def build() -> tuple[str, list[str], list[Reader]]:
        chosen = [f for f in model._meta.concrete_fields if not fields or f.name in fields or f.attname in fields]
        select = f"SELECT {', '.join(column(model, f.name) for f in chosen)} FROM {table(model)} WHERE "  # noqa: S608
        return select, [f.attname for f in chosen], [reader(model, f.name) for f in chosen]

    select, attnames, readers = _cached(model, ("instances", model, tuple(fields)), build)
    database = _connection(model).alias
    return [
        model.from_db(database, attnames, [read(raw) for read, raw in zip(readers, row, strict=True)])
        for row in fetch(model, f"{select}{where} {tail}", params)
    ]


def insert_many(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    shared: dict[str, Any] | None = None,
) -> int:
    """INSERT the rows (values in the order of `fields`) with one executemany, each value
    prepared by its model field as the ORM prepares it for saving (UUIDs, dates, JSON).
    `shared`: columns with the same value in every row (prepared once).

    For jobs that write tens of thousands of rows: building a model instance per row for
    bulk_create cost more than the insert. No defaults are filled in and no signals are sent:
    the caller names every column it needs (auto_now fields included), and the database's
    constraints still check every row. Tested against bulk_create of the same rows.
    """
    connection = connections[router.db_for_write(model)]
    shared = shared or {}
    chosen = [model._meta.get_field(name) for name in fields]
    constant = [
        model._meta.get_field(name).get_db_prep_save(raw, connection=connection)  # type: ignore[union-attr]
        for name, raw in shared.items()
    ]
    columns = [model._meta.get_field(name) for name in [*fields, *shared]]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model, values are parameters)
        quote(model._meta.db_table),
        ", ".join(quote(str(f.column)) for f in columns),  # type: ignore[union-attr]
        placeholders(len(columns)),
    )
    prepared = [
        [
            *(f.get_db_prep_save(raw, connection=connection) for f, raw in zip(chosen, row, strict=True)),  # type: ignore[union-attr]
            *constant,
        ]
        for row in rows
    ]
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
    return len(prepared)


def query_rows(queryset: Any) -> list[tuple[Any, ...]]:
    """The rows of a values_list queryset, from the SQL the ORM compiles for it (nothing written
    by hand), read without the ORM's per-row converters.

    For lists of thousands of small rows (the to-do list) where those converters cost more than
    the query. Values come back as the driver gives them: dates as dates on both databases
    (Django registers SQLite's date converter), a UUID column as a UUID on PostgreSQL and as 32
    hex digits on SQLite (hex_key gives both as hex). Tested against the querysets' own rows.
    """
    from django.core.exceptions import EmptyResultSet

    try:
        statement, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # e.g. .none(), or an IN list with no values
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall())


def hex_key(raw: Any) -> str:
    """A UUID column's raw value (or a UUID) as 32 lower-case hex digits."""
    if type(raw) is str:  # SQLite's column: already 32 lower-case hex digits (checked once per row: hot)
        return raw if len(raw) == 32 else uuid.UUID(raw).hex
    return str(raw.hex)
