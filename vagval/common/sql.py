"""Hand-written SQL for the few hot reads where building an ORM query costs more than running it.

The caseload (the coach's start page) runs a handful of small queries per request. Compiling a
queryset with `person_id IN (50 ids)` takes about 0.5 ms in Python; the database answers the
same SQL in 0.1 ms. The helpers here write such statements from the models' own table and
column names, pass every value as a parameter prepared by the model field (so a UUID is stored
the way the ORM stores it on either database), and read UUIDs back as the ORM would.

Only plain SQL that SQLite and PostgreSQL both accept goes through here: SELECT with JOIN,
WHERE, IN, UNION and ORDER BY. Each statement is tested against the ORM query it replaces.
The exceptions, at the end: the PostgreSQL statements that partition a table by month, which
Django cannot write, and deleting rows by time range from a table whose model refuses deletes
(the access log's retention on SQLite). Each is tested in tests/postgres/ or common/tests/.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, models, router, transaction

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


def aliased(model: type[models.Model], alias: str) -> Callable[[str], str]:
    """column(model, name, alias=alias) as a function of the field's name alone, for a
    statement that names many columns of one aliased table."""
    return functools.partial(column, model, alias=alias)


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


def fetch_equal(
    model: type[ModelT], equal: dict[str, Any], *, order: Sequence[str] = (), fields: Sequence[str] = ()
) -> list[ModelT]:
    """`model.objects.filter(**equal).order_by(*order)` (`order` as order_by writes it, "-" for
    descending; no default ordering), read with fetch_instances: for the sections of a page
    that ask for one person's few rows, where compiling the queryset cost more than running it.
    Equality only: a None value is refused (the ORM would write IS NULL)."""
    if not equal or any(raw is None for raw in equal.values()):
        raise ValueError("fetch_equal needs at least one value and no None")
    where = " AND ".join(f"{column(model, name)} = %s" for name in equal)
    params = [value(model, name, raw) for name, raw in equal.items()]
    return fetch_instances(model, where, params, fields=fields, tail=order_by(model, order))


def fetch_in_bulk(model: type[ModelT], ids: Iterable[Any]) -> dict[Any, ModelT]:
    """`model.objects.in_bulk(ids)` read with fetch_instances: {pk: instance}; no ids, no query."""
    keys = list(dict.fromkeys(ids))
    if not keys:
        return {}
    name = model._meta.pk.name  # type: ignore[union-attr]
    where = f"{column(model, name)} IN ({placeholders(len(keys))})"
    return {instance.pk: instance for instance in fetch_instances(model, where, values(model, name, keys))}


def order_by(model: type[models.Model], order: Sequence[str]) -> str:
    """An ORDER BY clause as QuerySet.order_by(*order) names it ("-" for descending), or ""."""
    names = ", ".join(f"{column(model, n.lstrip('-'))}{' DESC' if n.startswith('-') else ''}" for n in order)
    return f"ORDER BY {names}" if names else ""


# From this many rows, PostgreSQL gets them by COPY: a job's batch of thousands of links or
# access-log entries went in at 75–100 µs a row by executemany, mostly waiting on the server.
# A list page's 50 entries stay one executemany (a COPY's own round trips cost more there).
COPY_FROM_ROWS = 500


def write_rows(connection: Any, table: str, columns: Sequence[str], rows: list[list[Any]]) -> None:
    """Write prepared rows (values as the model fields prepare them for saving) into `table`:
    by COPY on PostgreSQL for many rows, else one INSERT executemany. The same rows either way
    (tested against each other); defaults, constraints and triggers apply to both."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= COPY_FROM_ROWS:
            # psycopg's own cursor: Django's wrapper has no copy().
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders(len(columns))})"  # noqa: S608
        cursor.executemany(sql, rows)


def insert_many(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    shared: dict[str, Any] | None = None,
) -> int:
    """INSERT the rows (values in the order of `fields`) with one executemany (COPY on PostgreSQL
    from COPY_FROM_ROWS rows: `write_rows`), each value
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
    columns = [str(model._meta.get_field(name).column) for name in [*fields, *shared]]  # type: ignore[union-attr]
    prepared = [
        [
            *(f.get_db_prep_save(raw, connection=connection) for f, raw in zip(chosen, row, strict=True)),  # type: ignore[union-attr]
            *constant,
        ]
        for row in rows
    ]
    write_rows(connection, model._meta.db_table, columns, prepared)
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


def distinct_counts(
    queryset: Any, *, groupings: Sequence[tuple[str | None, Sequence[str]]]
) -> list[dict[tuple[Any, ...], int]]:
    """For each grouping (a name to count and the names to group by, all values of the queryset),
    what `queryset.values(*names).annotate(n=Count(count, distinct=True))` gives, as {values: n},
    from one statement that reads the queryset's rows once. No name to count: the rows are
    counted (COUNT(*)).

    `queryset` is a `.values(...)` queryset of annotations (so that each column has its name as
    alias). Its SQL is the ORM's, kept whole in a CTE; only the GROUP BYs over it are written
    here, one per grouping, joined by UNION ALL, each name in a column of its own (NULL in the
    other groupings' rows, so that every column keeps one type on PostgreSQL). A CTE used more than
    once is computed once on both databases (SQLite from 3.35, PostgreSQL from 12), so a report's
    several breakdowns of a project's hundreds of thousands of enrolments cost one pass over them
    instead of one each. Values come back as the driver gives them (see `query_rows`). Tested
    against the ORM's counts.
    """
    from django.core.exceptions import EmptyResultSet

    queryset = queryset.order_by()  # a model's default ordering means nothing inside the CTE
    try:
        inner, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return [{} for _grouping in groupings]
    quote = connections[queryset.db].ops.quote_name
    names = list(dict.fromkeys(name for _count, grouping in groupings for name in grouping))
    selects = []
    for index, (count, grouping) in enumerate(groupings):
        columns = [quote(name) if name in grouping else "NULL" for name in names]
        group_by = f" GROUP BY {', '.join(quote(name) for name in grouping)}" if grouping else ""
        selects.append(
            f"SELECT {index}, {', '.join([*columns, ''])}{f'COUNT(DISTINCT {quote(count)})' if count else 'COUNT(*)'} "  # noqa: S608
            f"FROM counted{group_by}"
        )
    # A first select that gives no row but every column's type, so that PostgreSQL reads the other
    # selects' NULLs as that type (a column of NULLs first would be text, and text and date clash).
    typed = f"SELECT -1, {', '.join([*(quote(name) for name in names), ''])}0 FROM counted WHERE 1 = 0"  # noqa: S608
    statement = f"WITH counted AS ({inner}) {' UNION ALL '.join([typed, *selects])}"
    results: list[dict[tuple[Any, ...], int]] = [{} for _grouping in groupings]
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(statement, params)
        for index, *row in cursor.fetchall():
            if row[-1]:  # the ORM gives no row for an empty queryset; an aggregate without GROUP BY gives 0
                key = tuple(row[names.index(name)] for name in groupings[index][1])
                results[index][key] = row[-1]
    return results


def hex_key(raw: Any) -> str:
    """A UUID column's raw value (or a UUID) as 32 lower-case hex digits."""
    if type(raw) is str:  # SQLite's column: already 32 lower-case hex digits (checked once per row: hot)
        return raw if len(raw) == 32 else uuid.UUID(raw).hex
    return str(raw.hex)


# --- Monthly range partitions (PostgreSQL only) -------------------------------------------------
#
# The access log is partitioned by month on PostgreSQL (docs/ARCHITECTURE.md, "The access log").
# Django does not manage partitioned tables, so the statements live here, behind functions that
# take a connection and a table name (a migration has no real model classes). Each month is a
# table named <table>_pYYYY_MM holding [first of the month, first of the next) in local time
# (settings.TIME_ZONE); <table>_default catches anything outside them. Bounds and names are
# built from dates computed here, never from input.


@dataclass(frozen=True)
class MonthPartition:
    name: str
    month: dt.date  # the first day of the month

    @property
    def start(self) -> dt.datetime:
        return month_bound(self.month)

    @property
    def end(self) -> dt.datetime:
        return month_bound(add_months(self.month, 1))


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after `month`'s (negative: before)."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_bound(month: dt.date) -> dt.datetime:
    """Midnight local time on the first day of `month`'s month: where a partition starts."""
    return dt.datetime.combine(month.replace(day=1), dt.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def month_partition_name(table_name: str, month: dt.date) -> str:
    return f"{table_name}_p{month.year:04d}_{month.month:02d}"


def _default_partition(table_name: str) -> str:
    return f"{table_name}_default"


def _literal(moment: dt.datetime) -> str:
    return f"'{moment.isoformat()}'"


def is_partitioned(connection: Any, table_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)",
            [connection.ops.quote_name(table_name)],
        )
        return cursor.fetchone() is not None


def month_partitions(connection: Any, table_name: str) -> list[MonthPartition]:
    """The table's month partitions, oldest first (the default partition is not one)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [connection.ops.quote_name(table_name)],
        )
        names = [row[0] for row in cursor.fetchall()]
    pattern = re.compile(rf"^{re.escape(table_name)}_p(\d{{4}})_(\d{{2}})$")
    found = [(match, name) for name in names if (match := pattern.match(name))]
    return sorted(
        (MonthPartition(name, dt.date(int(m.group(1)), int(m.group(2)), 1)) for m, name in found),
        key=lambda p: p.month,
    )


def month_partition_create(connection: Any, table_name: str, month: dt.date) -> bool:
    """Create the partition for `month` unless it exists; True when it was created.

    Rows of that month already in the default partition (written while no partition was there)
    are moved into the new one: PostgreSQL refuses to create a partition whose rows sit in the
    default. The default is detached meanwhile, which also lifts the append-only trigger that it
    inherits, and attached again; all in one transaction.
    """
    month = month.replace(day=1)
    name = month_partition_name(table_name, month)
    if name in {p.name for p in month_partitions(connection, table_name)}:
        return False
    quote = connection.ops.quote_name
    parent, default = quote(table_name), quote(_default_partition(table_name))
    start, end = _literal(month_bound(month)), _literal(month_bound(add_months(month, 1)))
    at = quote("at")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {default} WHERE {at} >= {start} AND {at} < {end})")  # noqa: S608
        stray = cursor.fetchone()[0]
        if stray:
            cursor.execute(f"ALTER TABLE {parent} DETACH PARTITION {default}")
        cursor.execute(f"CREATE TABLE {quote(name)} PARTITION OF {parent} FOR VALUES FROM ({start}) TO ({end})")
        if stray:
            where = f"WHERE {at} >= {start} AND {at} < {end}"
            cursor.execute(f"INSERT INTO {parent} SELECT * FROM {default} {where}")  # noqa: S608
            cursor.execute(f"DELETE FROM {default} {where}")  # noqa: S608
            cursor.execute(f"ALTER TABLE {parent} ATTACH PARTITION {default} DEFAULT")
    return True


def partition_row_count(connection: Any, partition: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(partition)}")  # noqa: S608
        return int(cursor.fetchone()[0])


def partition_drop(connection: Any, table_name: str, partition: str) -> None:
    """Drop one month partition: the whole month goes at once, without touching a row (the
    append-only trigger refuses DELETE, not DROP)."""
    if partition not in {p.name for p in month_partitions(connection, table_name)}:
        raise ValueError(f"{partition} is not a month partition of {table_name}")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(partition)}")


def table_partition_by_month(connection: Any, table_name: str, months: Iterable[dt.date]) -> None:
    """Turn a plain table with `id` (identity) and `at` into one partitioned by month on `at`,
    keeping its rows, indexes and triggers; the primary key becomes (id, at), since PostgreSQL
    requires the partition key in every unique constraint. Partitions are made for every month
    with rows, for `months`, and a default one."""
    _rebuild(connection, table_name, partitioned=True, months=months)


def table_unpartition(connection: Any, table_name: str) -> None:
    """The reverse of table_partition_by_month: one plain table with primary key (id)."""
    _rebuild(connection, table_name, partitioned=False, months=())


def _rebuild(connection: Any, table_name: str, *, partitioned: bool, months: Iterable[dt.date]) -> None:
    quote = connection.ops.quote_name
    table, old = quote(table_name), quote(f"{table_name}_old")
    with connection.cursor() as cursor:
        # The indexes and triggers as written, to put back on the new table under their names.
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s",
            [table_name, f"{table_name}_pkey"],
        )
        # A partitioned table's indexes read "ON ONLY" (the parent's alone): made again on a
        # table, they must cover it whole.
        indexes = [row[0].replace(" ON ONLY ", " ON ") for row in cursor.fetchall()]
        cursor.execute(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal "
            "AND tgparentid = 0",
            [table],
        )
        triggers = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
        suffix = f" PARTITION BY RANGE ({quote('at')})" if partitioned else ""
        cursor.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS){suffix}")
        if partitioned:
            cursor.execute(f"CREATE TABLE {quote(_default_partition(table_name))} PARTITION OF {table} DEFAULT")
            cursor.execute(
                f"SELECT DISTINCT date_trunc('month', {quote('at')} AT TIME ZONE %s)::date FROM {old}",  # noqa: S608
                [settings.TIME_ZONE],
            )
            for month in {row[0] for row in cursor.fetchall()} | set(months):
                month_partition_create(connection, table_name, month)
        cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")  # noqa: S608
        cursor.execute(f"SELECT COALESCE(MAX({quote('id')}), 0) + 1 FROM {old}")  # noqa: S608
        next_id = int(cursor.fetchone()[0])
        cursor.execute(f"DROP TABLE {old}")
        key = "(id, at)" if partitioned else "(id)"
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(f'{table_name}_pkey')} PRIMARY KEY {key}")
        cursor.execute(
            f"ALTER TABLE {table} ALTER COLUMN {quote('id')} "
            f"ADD GENERATED BY DEFAULT AS IDENTITY (START WITH {next_id})"
        )
        for statement in indexes + triggers:
            cursor.execute(statement)


def rows_delete_between(model: type[models.Model], name: str, start: dt.datetime, end: dt.datetime) -> int:
    """Delete the rows whose `name` is in [start, end); the number deleted. For a model whose
    queryset refuses delete (the access log), by its retention rule only."""
    quoted = column(model, name)
    sql = f"DELETE FROM {table(model)} WHERE {quoted} >= %s AND {quoted} < %s"  # noqa: S608
    with connections[router.db_for_write(model)].cursor() as cursor:
        cursor.execute(sql, values(model, name, [start, end]))
        return int(cursor.rowcount)


# --- A date as the number YYYYMMDD, for whole-year differences in a GROUP BY ---------------------


class DateNumber(models.Func):
    """A date column as the integer YYYYMMDD: two of them subtracted and divided by 10,000 give
    the whole years between the dates (an age), in SQL that both databases run natively (Django's
    ExtractYear is a Python function per row on SQLite). SQLite stores a date as 'YYYY-MM-DD'."""

    output_field = models.IntegerField()
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(TO_CHAR(%(expressions)s, 'YYYYMMDD') AS INTEGER)")


class UtcDaysAfter(models.Func):
    """Whole days from a date column to the UTC date of a timestamp column (an integer), in
    native SQL: the cheap first test before a time-zone-aware comparison, which on SQLite is a
    Python function per row (Django's TruncDate). The local date is at most a day from the UTC one."""

    output_field = models.IntegerField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        moment, day = self.source_expressions
        moment_sql, moment_params = compiler.compile(moment)
        day_sql, day_params = compiler.compile(day)
        sql = f"CAST(julianday(date({moment_sql})) - julianday({day_sql}) AS INTEGER)"
        return sql, (*moment_params, *day_params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        moment, day = self.source_expressions
        moment_sql, moment_params = compiler.compile(moment)
        day_sql, day_params = compiler.compile(day)
        return f"((({moment_sql}) AT TIME ZONE 'UTC')::date - ({day_sql}))", (*moment_params, *day_params)
