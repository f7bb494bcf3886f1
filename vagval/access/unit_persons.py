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
from vagval.people.models import Enrolment, Person
from vagval.targetgroup.models import Episode

TABLE = "access_unitperson"
SOURCES: tuple[type[Model], ...] = (Enrolment, Episode)
# The person's sort keys and whether the record is merged, copied onto each of its pairs so that
# a unit's own persons can be read in the list's order (NAME_ORDER) from one index.
_PERSON_COPY = (("last_name_key", "last_name_key"), ("first_name_key", "first_name_key"))
ORDER_INDEX = f"{TABLE}_name_order"


def _q(connection: Any, name: str) -> str:
    return str(connection.ops.quote_name(name))


def _person_values(p: str) -> str:
    """The copied values, from the person row aliased `p`."""
    keys = ", ".join(f"{p}.{sql.column(Person, field)}" for field, _column in _PERSON_COPY)
    return f"{keys}, {p}.{sql.column(Person, 'merged_into')} IS NOT NULL"


_COLUMNS = "unit_id, person_id, refs, last_name_key, first_name_key, merged"


def rebuild_statements(connection: Any) -> list[str]:
    """Empty the table and fill it again from its sources: the migration's first fill and
    PostgreSQL's answer to a TRUNCATE of a source."""
    t = _q(connection, TABLE)
    parts = " UNION ALL ".join(
        f"SELECT {sql.column(m, 'unit')} AS unit_id, {sql.column(m, 'person')} AS person_id FROM {sql.table(m)}"  # noqa: S608 (names from the models)
        for m in SOURCES
    )
    pairs = f"SELECT unit_id, person_id, COUNT(*) AS refs FROM ({parts}) s GROUP BY unit_id, person_id"  # noqa: S608 (as above)
    return [
        f"DELETE FROM {t}",  # noqa: S608 (as above)
        f"INSERT INTO {t} ({_COLUMNS}) SELECT s.unit_id, s.person_id, s.refs, {_person_values('p')}"  # noqa: S608 (as above)
        f" FROM ({pairs}) s JOIN {sql.table(Person)} p ON p.{sql.column(Person, 'id')} = s.person_id",
    ]


def _came(t: str, row: str) -> str:
    person = f"p.{sql.column(Person, 'id')} = {row}.person_id"
    return (
        f"INSERT INTO {t} ({_COLUMNS}) SELECT {row}.unit_id, {row}.person_id, 1, {_person_values('p')}"  # noqa: S608 (names, no values)
        f" FROM {sql.table(Person)} p WHERE {person}"
        f" ON CONFLICT (unit_id, person_id) DO UPDATE SET refs = {t}.refs + 1;"
    )


def _went(t: str, row: str) -> str:
    pair = f"unit_id = {row}.unit_id AND person_id = {row}.person_id"
    return f"UPDATE {t} SET refs = refs - 1 WHERE {pair}; DELETE FROM {t} WHERE {pair} AND refs <= 0;"  # noqa: S608 (as above)


def _renamed(t: str) -> str:
    """Copy a person's new sort keys and merged state onto its pairs."""
    copied = ", ".join(f"{column} = NEW.{sql.column(Person, field)}" for field, column in _PERSON_COPY)
    merged = f"merged = NEW.{sql.column(Person, 'merged_into')} IS NOT NULL"
    return f"UPDATE {t} SET {copied}, {merged} WHERE person_id = NEW.{sql.column(Person, 'id')};"  # noqa: S608 (as above)


def _person_changed(when_differs: str) -> str:
    fields = [field for field, _column in _PERSON_COPY] + ["merged_into"]
    return " OR ".join(f"OLD.{sql.column(Person, f)} {when_differs} NEW.{sql.column(Person, f)}" for f in fields)


def _person_columns() -> str:
    return ", ".join(sql.column(Person, f) for f in [field for field, _column in _PERSON_COPY] + ["merged_into"])


def _indexes(t: str) -> list[str]:
    return [
        f"CREATE INDEX {ORDER_INDEX} ON {t} (unit_id, last_name_key, first_name_key, person_id) WHERE NOT merged",
        f"CREATE INDEX {TABLE}_person ON {t} (person_id)",
        # The count of a unit's pairs: its equal keys are stored once with their row pointers
        # (deduplication), so a city's 114,000 pairs are 100 pages, not the key's 900.
        f"CREATE INDEX {TABLE}_unit ON {t} (unit_id)",
    ]


def create_statements(connection: Any) -> list[str]:
    """The table, the triggers on each source and on the person, and the first fill."""
    t = _q(connection, TABLE)
    person = sql.table(Person)
    if connection.vendor == "postgresql":
        statements = [
            f"CREATE TABLE {t} (unit_id uuid NOT NULL, person_id uuid NOT NULL, refs integer NOT NULL,"
            " last_name_key varchar(100) NOT NULL, first_name_key varchar(100) NOT NULL, merged boolean NOT NULL,"
            " PRIMARY KEY (unit_id, person_id))",
            *_indexes(t),
            f"CREATE FUNCTION {TABLE}_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" IF TG_OP IN ('DELETE', 'UPDATE') THEN {_went(t, 'OLD')} END IF;"
            f" IF TG_OP IN ('INSERT', 'UPDATE') THEN {_came(t, 'NEW')} END IF;"
            " RETURN NULL; END $$",
            f"CREATE FUNCTION {TABLE}_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" {'; '.join(rebuild_statements(connection))}; RETURN NULL; END $$",
            f"CREATE FUNCTION {TABLE}_renamed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            f" {_renamed(t)} RETURN NULL; END $$",
            f"CREATE TRIGGER {TABLE}_person_renamed AFTER UPDATE OF {_person_columns()} ON {person}"
            f" FOR EACH ROW WHEN ({_person_changed('IS DISTINCT FROM')}) EXECUTE FUNCTION {TABLE}_renamed()",
        ]
        for model in SOURCES:
            source, name = sql.table(model), f"{TABLE}_{model._meta.db_table}"
            unit, who = sql.column(model, "unit"), sql.column(model, "person")
            moved = f"OLD.{unit} IS DISTINCT FROM NEW.{unit} OR OLD.{who} IS DISTINCT FROM NEW.{who}"
            statements += [
                f"CREATE TRIGGER {name}_rows AFTER INSERT OR DELETE ON {source}"
                f" FOR EACH ROW EXECUTE FUNCTION {TABLE}_count()",
                f"CREATE TRIGGER {name}_moved AFTER UPDATE OF {unit}, {who}"
                f" ON {source} FOR EACH ROW WHEN ({moved}) EXECUTE FUNCTION {TABLE}_count()",
                f"CREATE TRIGGER {name}_truncated AFTER TRUNCATE ON {source}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_rebuild()",
            ]
        return [*statements, *rebuild_statements(connection)]
    statements = [
        f"CREATE TABLE {t} (unit_id char(32) NOT NULL, person_id char(32) NOT NULL, refs integer NOT NULL,"
        " last_name_key varchar(100) NOT NULL, first_name_key varchar(100) NOT NULL, merged bool NOT NULL,"
        " PRIMARY KEY (unit_id, person_id)) WITHOUT ROWID",
        *_indexes(t),
        f"CREATE TRIGGER {TABLE}_person_renamed AFTER UPDATE OF {_person_columns()} ON {person}"
        f" WHEN {_person_changed('IS NOT')} BEGIN {_renamed(t)} END",
    ]
    for model in SOURCES:
        source, name = sql.table(model), f"{TABLE}_{model._meta.db_table}"
        unit, who = sql.column(model, "unit"), sql.column(model, "person")
        moved = f"OLD.{unit} IS NOT NEW.{unit} OR OLD.{who} IS NOT NEW.{who}"
        statements += [
            f"CREATE TRIGGER {name}_inserted AFTER INSERT ON {source} BEGIN {_came(t, 'NEW')} END",
            f"CREATE TRIGGER {name}_deleted AFTER DELETE ON {source} BEGIN {_went(t, 'OLD')} END",
            f"CREATE TRIGGER {name}_moved AFTER UPDATE OF {unit}, {who} ON {source} WHEN {moved}"
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
            f"DROP FUNCTION {TABLE}_renamed() CASCADE",
        ]
    events = ("inserted", "deleted", "moved")
    triggers = [f"DROP TRIGGER {TABLE}_{m._meta.db_table}_{event}" for m in SOURCES for event in events]
    return [*triggers, f"DROP TRIGGER {TABLE}_person_renamed", f"DROP TABLE {t}"]


def own_unit_source(alias: str) -> tuple[str, str]:
    """(person column, FROM … WHERE unit = %s) of the table, for access.checks._bases."""
    return f"{alias}.person_id", f"FROM {TABLE} {alias} WHERE {alias}.unit_id = %s"


def own_unmerged_count_sql(alias: str) -> str:
    """The number of the unit's own persons that are not merged, from the index ORDER_INDEX
    (one index range); one parameter, the unit."""
    return f"SELECT COUNT(*) FROM {TABLE} {alias} WHERE {alias}.unit_id = %s AND NOT {alias}.merged"  # noqa: S608 (a constant name)


def own_in_name_order_sql(alias: str) -> str:
    """The unit's own persons that are not merged, in the list's order (NAME_ORDER: last name,
    first name, id), read from the index ORDER_INDEX; one parameter, the unit."""
    return (
        f"SELECT {alias}.person_id FROM {TABLE} {alias} WHERE {alias}.unit_id = %s AND NOT {alias}.merged"  # noqa: S608 (a constant name)
        f" ORDER BY {alias}.last_name_key, {alias}.first_name_key, {alias}.person_id"
    )
