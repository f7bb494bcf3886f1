"""The own-unit basis kept as one row per (unit, person): the table access_unitperson.

A unit sees a person it has an enrolment or a register episode for (access.checks). Counting
those persons for a city (114,000 of them, from 14,000 enrolments and 100,000 episodes) meant
merging two indexes and removing the persons with both on every page of the list of everyone
at the unit: 30–70 ms of the database's time for a number that changes only when an enrolment
or an episode is written. Here the database keeps, per unit and person, how many enrolments and
episodes name the pair (`refs`), by triggers on both tables, so the count is one index range.

The table is no Django model: nothing reads or writes it through the ORM, it is not a record
about the person that retention or the register extract must know (the rows it counts are),
and a test database's flush must not empty it apart from its sources. The triggers keep it
whole on every write: INSERT, DELETE, an UPDATE that moves a row to another unit or person (a
merge), and on PostgreSQL a TRUNCATE of either table (the test database's flush) rebuilds it.
Written here once per database; access/tests/test_unit_persons.py compares the table with
its sources after each kind of write, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from vagval.common import sql
from vagval.people.models import Enrolment
from vagval.targetgroup.models import Episode

TABLE = "access_unitperson"
SOURCES: tuple[type[Model], ...] = (Enrolment, Episode)


def _q(connection: Any, name: str) -> str:
    return str(connection.ops.quote_name(name))


def rebuild_statements(connection: Any) -> list[str]:
    """Empty the table and fill it again from its sources: the migration's first fill and
    PostgreSQL's answer to a TRUNCATE of a source."""
    t = _q(connection, TABLE)
    parts = " UNION ALL ".join(
        f"SELECT {sql.column(m, 'unit')} AS unit_id, {sql.column(m, 'person')} AS person_id FROM {sql.table(m)}"  # noqa: S608 (names from the models)
        for m in SOURCES
    )
    return [
        f"DELETE FROM {t}",  # noqa: S608 (as above)
        f"INSERT INTO {t} (unit_id, person_id, refs) SELECT unit_id, person_id, COUNT(*) FROM ({parts}) s"  # noqa: S608 (as above)
        " GROUP BY unit_id, person_id",
    ]


def _came(t: str, row: str) -> str:
    return (
        f"INSERT INTO {t} (unit_id, person_id, refs) VALUES ({row}.unit_id, {row}.person_id, 1)"  # noqa: S608 (names, no values)
        f" ON CONFLICT (unit_id, person_id) DO UPDATE SET refs = {t}.refs + 1;"
    )


def _went(t: str, row: str) -> str:
    pair = f"unit_id = {row}.unit_id AND person_id = {row}.person_id"
    return f"UPDATE {t} SET refs = refs - 1 WHERE {pair}; DELETE FROM {t} WHERE {pair} AND refs <= 0;"  # noqa: S608 (as above)


def create_statements(connection: Any) -> list[str]:
    """The table, the triggers on each source and the first fill, for this database."""
    t = _q(connection, TABLE)
    if connection.vendor == "postgresql":
        statements = [
            f"CREATE TABLE {t} (unit_id uuid NOT NULL, person_id uuid NOT NULL, refs integer NOT NULL,"
            " PRIMARY KEY (unit_id, person_id))",
            f"CREATE FUNCTION {TABLE}_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" IF TG_OP IN ('DELETE', 'UPDATE') THEN {_went(t, 'OLD')} END IF;"
            f" IF TG_OP IN ('INSERT', 'UPDATE') THEN {_came(t, 'NEW')} END IF;"
            " RETURN NULL; END $$",
            f"CREATE FUNCTION {TABLE}_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" {'; '.join(rebuild_statements(connection))}; RETURN NULL; END $$",
        ]
        for model in SOURCES:
            source, name = sql.table(model), f"{TABLE}_{model._meta.db_table}"
            unit, person = sql.column(model, "unit"), sql.column(model, "person")
            moved = f"OLD.{unit} IS DISTINCT FROM NEW.{unit} OR OLD.{person} IS DISTINCT FROM NEW.{person}"
            statements += [
                f"CREATE TRIGGER {name}_rows AFTER INSERT OR DELETE ON {source}"
                f" FOR EACH ROW EXECUTE FUNCTION {TABLE}_count()",
                f"CREATE TRIGGER {name}_moved AFTER UPDATE OF {unit}, {person}"
                f" ON {source} FOR EACH ROW WHEN ({moved}) EXECUTE FUNCTION {TABLE}_count()",
                f"CREATE TRIGGER {name}_truncated AFTER TRUNCATE ON {source}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_rebuild()",
            ]
        return [*statements, *rebuild_statements(connection)]
    statements = [
        f"CREATE TABLE {t} (unit_id char(32) NOT NULL, person_id char(32) NOT NULL, refs integer NOT NULL,"
        " PRIMARY KEY (unit_id, person_id)) WITHOUT ROWID"
    ]
    for model in SOURCES:
        source, name = sql.table(model), f"{TABLE}_{model._meta.db_table}"
        unit, person = sql.column(model, "unit"), sql.column(model, "person")
        moved = f"OLD.{unit} IS NOT NEW.{unit} OR OLD.{person} IS NOT NEW.{person}"
        statements += [
            f"CREATE TRIGGER {name}_inserted AFTER INSERT ON {source} BEGIN {_came(t, 'NEW')} END",
            f"CREATE TRIGGER {name}_deleted AFTER DELETE ON {source} BEGIN {_went(t, 'OLD')} END",
            f"CREATE TRIGGER {name}_moved AFTER UPDATE OF {unit}, {person} ON {source} WHEN {moved}"
            f" BEGIN {_went(t, 'OLD')} {_came(t, 'NEW')} END",
        ]
    return [*statements, *rebuild_statements(connection)]


def drop_statements(connection: Any) -> list[str]:
    t = _q(connection, TABLE)
    if connection.vendor == "postgresql":
        return [
            f"DROP TABLE {t}",
            f"DROP FUNCTION {TABLE}_count() CASCADE",
            f"DROP FUNCTION {TABLE}_rebuild() CASCADE",
        ]
    events = ("inserted", "deleted", "moved")
    triggers = [f"DROP TRIGGER {TABLE}_{m._meta.db_table}_{event}" for m in SOURCES for event in events]
    return [*triggers, f"DROP TABLE {t}"]


def own_unit_source(alias: str) -> tuple[str, str]:
    """(person column, FROM … WHERE unit = %s) of the table, for access.checks._bases."""
    return f"{alias}.person_id", f"FROM {TABLE} {alias} WHERE {alias}.unit_id = %s"
