"""The SQLite build of benchmarks/_national.py: the fast paths give the rows the old ones gave."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.organisations.tests.factories import UnitFactory

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import _national

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite build path")


def _schema_indexes(table: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
        return set(cursor.fetchall())


@pytest.mark.django_db
def test_it_drops_the_secondary_indexes_for_the_load_and_builds_the_same_ones_after():
    table = AccessLogEntry._meta.db_table
    before = _schema_indexes(table)
    assert any(sql for _name, sql in before), "the log has indexes of its own to drop"

    with _national._indexes_built_after(_national._Sql("sqlite"), table):
        assert {name for name, sql in _schema_indexes(table) if sql} == set()

    assert _schema_indexes(table) == before


@pytest.mark.django_db
def test_the_log_from_the_work_tables_has_the_rows_the_per_row_functions_gave():
    unit = UnitFactory()
    for n in range(7):
        UserFactory(username=f"last.coach.000.{n:03d}", unit=unit, role=Role.COACH)
    UserFactory(username="last.partner.000", unit=UnitFactory(), role=Role.PARTNER)
    sql, rows, persons, now = _national._Sql("sqlite"), 500, 37, timezone.now()
    _national._register_sqlite_functions({})
    first = AccessLogEntry.objects.count()

    _national._access_log(sql, rows, persons, now, progress=False)

    # `at` as stored text: the driver would convert the table's column, not the expression's
    columns = "at || '', user_id, username, unit_name, unit_id, role, person_id, action, client_address, basis, detail"
    with connection.cursor() as cursor:
        table = AccessLogEntry._meta.db_table
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id LIMIT -1 OFFSET %s", [first])  # noqa: S608
        fast = cursor.fetchall()
        cursor.execute(f"SELECT {columns} FROM ({_old_log_select(persons, rows)})", [now])  # noqa: S608
        old = cursor.fetchall()
    assert len(fast) == rows
    assert fast == old
    assert {name for (name,) in _tables_named("vv_log_%")} == set(), "the work tables are dropped"


def _tables_named(pattern: str) -> list[tuple[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE %s", [pattern])
        return cursor.fetchall()


def _old_log_select(persons: int, rows: int) -> str:
    """The log's SELECT as it was before the work tables: a Python function per row and column."""
    from vagval.accounts.models import User

    users = list(User.objects.filter(username__startswith="last.").values_list("pk", "username", "unit_id", "role"))
    pools = {
        "user": [str(u[0]) for u in users],
        "username": [u[1] for u in users],
        "unit": [u[2].hex for u in users],
        "role": [u[3] for u in users],
    }
    connection.connection.create_function("vv_pick", 2, lambda kind, i: pools[kind][int(i) % len(pools[kind])])
    sql = _national._Sql("sqlite")
    return (
        (
            "SELECT datetime(%s, '-' || ((s.i * 7919) % 31536000) || ' seconds') AS at,"  # noqa: S608 - our own numbers
            " CAST(vv_pick('user', s.i * 31) AS integer) AS user_id, vv_pick('username', s.i * 31) AS username,"
            " 'Arbetsmarknadsenheten' AS unit_name, vv_pick('unit', s.i * 31) AS unit_id,"
            f" vv_pick('role', s.i * 31) AS role, {sql.uuid('p', f'(s.i * 104729) % {persons}')} AS person_id,"
            " CASE WHEN s.i % 10 = 0 THEN 'person.viewed' ELSE 'person.listed' END AS action,"
            " '127.0.0.1' AS client_address, 'own_unit' AS basis, '{}' AS detail"
            f" FROM {sql.series(rows)} ORDER BY s.i"
        )
        .replace("%", "%%")
        .replace("%%s", "%s")
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_bulk_load_pragmas_hold_only_inside_the_build():
    def pragma(name: str) -> object:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]

    app_cache = pragma("cache_size")
    assert app_cache == settings.SQLITE_PRAGMAS["cache_size"]

    with _national._sqlite_bulk_load(_national._Sql("sqlite")):
        assert pragma("synchronous") == 0  # OFF
        assert pragma("cache_size") == -_national.BUILD_CACHE_KIB

    assert pragma("synchronous") == 1  # NORMAL, as settings.SQLITE_PRAGMAS has it
    assert pragma("cache_size") == app_cache
    if "memory" not in str(connection.settings_dict["NAME"]) and connection.settings_dict["NAME"]:
        assert pragma("journal_mode") == "wal"
