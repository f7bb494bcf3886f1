"""A national data set for the load and list-page figures, built set-based.

    from _national import build_national
    facts = build_national(persons=2_000_000, log_rows=50_000_000)

Everything person-level is written by a handful of `INSERT … SELECT` statements over a
number series (PostgreSQL's `generate_series`; on SQLite a recursive CTE with md5 and name
picks registered as functions on the connection), never row by row from Python, so that
two million persons and fifty million access-log entries take minutes, not hours.

The shape, per person number i (0 … persons-1):
- a municipality unit: every tenth person lives in the big city (the first national unit,
  a tenth of the country: the worst list a unit has), the rest are spread over all units;
- a Person with a synthetic number (birth date + a serial from i, unique; no valid check
  digit, so it never is a real person's number) and names picked from Faker pools;
- every fourth person is in the unit's register (an open or closed KAA/UVAS episode),
  every twentieth has an enrolment there with one of the unit's load coaches;
- a third of the episodes have a contact attempt (not reached) and a ninth a later one that
  reached the person, so the outreach worklist ranks by last contact as in use;
- CONSENTS persons have a consent from their unit naming the partner unit (the partner list);
- `log_rows` access-log entries spread over the last year, for the load users and persons.

Load users (coaches in the big city and a few other units, and partners) are made with the
ORM, sharing one password hash (hashing is slow on purpose), and no second factor.
Person ids are md5 of "p" and i as a UUID, so the log and the pages can name persons without a join.
The data set is built once per (persons, log rows) and reused; `fresh=True` rebuilds.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import _common

PASSWORD = "last-vagval-2026"  # noqa: S105 - synthetic load users on a throwaway database
CONSENTS = 20_000
COACHES_PER_UNIT = 4
PARTNERS = 10
BIG_CITY_SHARE = 10  # every tenth person lives in the first unit
LOG_CHUNK = 5_000_000
ANALYSIS_LIMIT = 100_000  # rows SQLite's ANALYZE reads per index


@dataclass(frozen=True)
class National:
    where: str
    persons: int
    log_rows: int
    coaches: list[str]  # usernames; the first ones at the big-city unit
    partners: list[str]
    built_seconds: float | None  # None when reused


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


class _Sql:
    """The few expressions that differ between PostgreSQL and SQLite."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def series(self, count: int, alias: str = "s") -> str:
        """A FROM item `alias` with one row per i in 0 … count-1."""
        if self.pg:
            return f"generate_series(0::bigint, {int(count) - 1}) AS {alias}(i)"
        last = int(count) - 1
        numbers = f"WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < {last})"
        return f"({numbers} SELECT i FROM r) {alias}"

    def uuid(self, prefix: str, expr: str) -> str:
        return f"md5('{prefix}' || ({expr}))::uuid" if self.pg else f"md5('{prefix}' || ({expr}))"

    def days_before(self, day: str, expr: str) -> str:
        return f"({day}::date - ({expr})::int)" if self.pg else f"date({day}, '-' || ({expr}) || ' days')"

    def days_after(self, day: str, expr: str) -> str:
        return f"({day}::date + ({expr})::int)" if self.pg else f"date({day}, '+' || ({expr}) || ' days')"

    def moment(self, day: str, days_before: str, hour: str) -> str:
        """A timestamp (UTC) `days_before` days before `day`, at `hour` o'clock."""
        if self.pg:
            return f"(({day}::date - ({days_before})::int) + make_interval(hours => ({hour})::int))::timestamptz"
        return f"datetime({day}, '-' || ({days_before}) || ' days', '+' || ({hour}) || ' hours')"

    def digits(self, expr: str, width: int) -> str:
        return f"lpad(({expr})::text, {width}, '0')" if self.pg else f"printf('%0{width}d', {expr})"

    def yyyymmdd(self, date_expr: str) -> str:
        return f"to_char({date_expr}, 'YYYYMMDD')" if self.pg else f"strftime('%Y%m%d', {date_expr})"

    def pick(self, kind: str, expr: str, values: list[str]) -> tuple[str, list[object]]:
        """values[expr mod len]: an array parameter on PostgreSQL, a registered function on SQLite."""
        if self.pg:
            return f"(%s::text[])[1 + (({expr}) % {len(values)})]", [values]
        return f"vv_pick('{kind}', {expr})", []


def _register_sqlite_functions(pools: dict[str, list[str]]) -> None:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    raw.create_function("md5", 1, lambda text: hashlib.md5(str(text).encode()).hexdigest(), deterministic=True)  # noqa: S324 - ids, not security
    raw.create_function("vv_pick", 2, lambda kind, i: pools[kind][int(i) % len(pools[kind])], deterministic=True)


def person_id(i: int) -> str:
    """The id of person number i, as the generator writes it."""
    return str(_uuid_of("p", i))


def _uuid_of(prefix: str, i: int) -> object:
    import uuid

    return uuid.UUID(hashlib.md5(f"{prefix}{i}".encode()).hexdigest())  # noqa: S324 - ids, not security


def _execute(statement: str, params: list[object]) -> int:
    """Run one statement; `%` as modulo is written plainly here and escaped for the driver."""
    from django.db import connection

    if params:
        statement = re.sub(r"%(?!s)", "%%", statement)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _users(units: list[object], partner_unit: object) -> tuple[list[str], list[str]]:
    """Coaches at the first units (most at the big city), and partners; one shared hash."""
    from django.contrib.auth.hashers import make_password

    from vagval.accounts.models import Role, User

    hashed = make_password(PASSWORD)
    coaches, partners, rows = [], [], []
    # The big city gets half of the coaches; the other half spread over the next units.
    plan = [(units[0], 100)] + [(unit, COACHES_PER_UNIT) for unit in units[1:26]]
    for n, (unit, count) in enumerate(plan):
        for k in range(count):
            name = f"last.coach.{n:03d}.{k:03d}"
            coaches.append(name)
            rows.append(User(username=name, first_name="Coach", last_name=f"{n}-{k}", unit=unit, role=Role.COACH))
    for k in range(PARTNERS):
        name = f"last.partner.{k:03d}"
        partners.append(name)
        rows.append(User(username=name, first_name="Partner", last_name=str(k), unit=partner_unit, role=Role.PARTNER))
    for row in rows:
        row.password = hashed
    User.objects.bulk_create(rows, ignore_conflicts=True)
    return coaches, partners


def _unit_table(sql: _Sql, units: list[tuple[object, object]], coach_ids: dict[object, list[int]]) -> None:
    """A work table of the national units by number, with each unit's load coaches."""
    from django.db import connection

    _execute("DROP TABLE IF EXISTS vv_units", [])
    coach_type = "integer[]" if sql.pg else "text"
    _execute(
        f"CREATE TABLE vv_units (idx integer PRIMARY KEY, unit_id {'uuid' if sql.pg else 'char(32)'},"
        f" municipality varchar(4), coaches {coach_type}, coach_count integer)",
        [],
    )
    rows = []
    for idx, (unit, municipality) in enumerate(units):
        ids = coach_ids.get(unit.pk, [])  # type: ignore[attr-defined]
        unit_value = unit.pk if sql.pg else unit.pk.hex  # type: ignore[attr-defined]
        rows.append((idx, unit_value, municipality.code, ids if sql.pg else ",".join(map(str, ids)), len(ids)))  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO vv_units VALUES (%s, %s, %s, %s, %s)", rows)


def _unit_of(units: int, i: str = "s.i") -> str:
    return f"CASE WHEN {i} % {BIG_CITY_SHARE} = 0 THEN 0 ELSE 1 + {i} % {units - 1} END"


def _persons(sql: _Sql, count: int, units: int, pools: dict[str, list[str]], now: object, today: str) -> None:
    from vagval.people.models import Person

    first, first_params = sql.pick("first", "s.i * 7 + s.i / 1000", pools["first"])
    last, last_params = sql.pick("last", "s.i * 13 + s.i / 777", pools["last"])
    birth = sql.days_before("%s", "5844 + f.i % 5113")  # 16 to 30 years before today
    _execute(
        f"INSERT INTO {Person._meta.db_table} (id, created_at, updated_at, unit_id, id_type, id_number,"
        " first_name, last_name, first_name_key, last_name_key, birth_date, legal_sex, gender, protection,"
        " address, postal_code, city, phone, email, home_municipality_id, merged_into_id)"
        f" SELECT {sql.uuid('p', 'f.i')}, %s, %s, u.unit_id, 'personnummer',"
        f" {sql.yyyymmdd(birth)} || {sql.digits('f.i / 5113', 4)},"
        f" f.first, f.last, lower(f.first), lower(f.last), {birth},"
        " CASE WHEN f.i % 2 = 0 THEN 'F' ELSE 'M' END, '',"
        " CASE WHEN f.i % 97 = 0 THEN 'sekretessmarkering' ELSE 'none' END,"
        " 'Storgatan ' || (f.i % 90 + 1), '', '', '', '', u.municipality, NULL"
        f" FROM (SELECT s.i, {first} AS first, {last} AS last FROM {sql.series(count)}) f"
        f" JOIN vv_units u ON u.idx = {_unit_of(units, 'f.i')}",
        [now, now, today, today, *first_params, *last_params],
    )


def _register(sql: _Sql, count: int, units: int, now: object, today: str) -> None:
    from vagval.targetgroup.models import Episode

    opened = sql.days_before("%s", "s.i % 700")
    closed = f"CASE WHEN s.i % 10 < 7 THEN NULL ELSE {sql.days_before('%s', '(s.i % 700) / 2')} END"
    close_code = "CASE WHEN s.i % 10 < 7 THEN '' ELSE 'studier' END"
    target = "CASE WHEN s.i % 5113 < 1461 THEN 'kaa' ELSE 'uvas' END"
    _execute(
        f"INSERT INTO {Episode._meta.db_table} (id, created_at, updated_at, unit_id, municipality_id, person_id,"
        " target_list, opened_on, open_code, open_reason, closed_on, close_code, close_reason,"
        " closed_by_import_id, handed_over_at, handed_over_by_id)"
        f" SELECT {sql.uuid('e', 's.i')}, %s, %s, u.unit_id, u.municipality, {sql.uuid('p', 's.i')},"
        f" {target}, {opened}, 'avbrott', 'avbrott (syntetiskt)', {closed}, {close_code}, '', NULL, NULL, NULL"
        f" FROM {sql.series(count)} JOIN vv_units u ON u.idx = {_unit_of(units)} WHERE s.i % 4 = 0",
        [now, now, today, today],
    )


def _contacts(sql: _Sql, count: int, units: int, recorder_id: int, now: object, today: str) -> None:
    """Contact attempts on every third episode (not reached, halfway from identification to today)
    and on every ninth a later one that reached the person (three quarters of the way)."""
    from vagval.outreach.models import ContactAttempt

    age = "(s.i % 700)"
    for prefix, outcome, share, before in (
        ("k", "ej_nadd", 3, f"{age} - {age} / 2 + 1"),
        ("r", "nadd", 9, f"{age} - 3 * {age} / 4 + 1"),
    ):
        _execute(
            f"INSERT INTO {ContactAttempt._meta.db_table} (id, created_at, updated_at, unit_id, person_id,"
            " episode_id, channel, outcome, note, made_by_id, made_at)"
            f" SELECT {sql.uuid(prefix, 's.i')}, %s, %s, u.unit_id, {sql.uuid('p', 's.i')}, {sql.uuid('e', 's.i')},"
            f" 'telefon', '{outcome}', '', %s, {sql.moment('%s', before, '8 + s.i % 7')}"
            f" FROM {sql.series(count)} JOIN vv_units u ON u.idx = {_unit_of(units)}"
            f" WHERE s.i % 4 = 0 AND (s.i / 4) % {share} = 0",
            [now, now, recorder_id, today],
        )


def _kept_contact_times() -> None:
    """The episodes' last and first reached contact, as the contact service keeps them with each
    attempt (outreach.services.episode_contacts_keep); after the indexes are back, which its
    look-ups of each episode's attempts need."""
    from vagval.common import scoping
    from vagval.outreach.models import ContactAttempt
    from vagval.outreach.services import episode_contacts_keep
    from vagval.targetgroup.models import Episode

    with scoping.unscoped("benchmark set-up: the episodes' kept contact times"):
        episode_contacts_keep(episodes=Episode.objects.filter(pk__in=ContactAttempt.objects.values("episode_id")))


def _enrolments(sql: _Sql, count: int, units: int, project_id: object, now: object, today: str) -> None:
    from vagval.people.models import Enrolment

    coach = "CASE WHEN u.coach_count > 0 THEN u.coaches[1 + (s.i / 20) % u.coach_count] END" if sql.pg else "NULL"
    _execute(
        f"INSERT INTO {Enrolment._meta.db_table} (id, created_at, updated_at, person_id, project_id, unit_id,"
        " coach_id, method_id, status, starts_on, ends_on)"
        f" SELECT {sql.uuid('n', 's.i')}, %s, %s, {sql.uuid('p', 's.i')}, %s, u.unit_id, {coach}, NULL,"
        f" 'pagaende', {sql.days_before('%s', 's.i % 300')}, NULL"
        f" FROM {sql.series(count)} JOIN vv_units u ON u.idx = {_unit_of(units)} WHERE (s.i / 7) % 20 = 1",
        [now, now, project_id if sql.pg else project_id.hex, today],  # type: ignore[attr-defined]
    )
    if not sql.pg:  # SQLite has no arrays: give the enrolments their coaches from Python
        _sqlite_coaches()


def _sqlite_coaches() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT unit_id, coaches FROM vv_units WHERE coach_count > 0")
        for unit_id, coaches in cursor.fetchall():
            ids = coaches.split(",")
            for n, coach_id in enumerate(ids):
                cursor.execute(
                    "UPDATE people_enrolment SET coach_id = %s WHERE unit_id = %s"
                    " AND (abs(random()) % %s) = %s AND coach_id IS NULL",
                    [int(coach_id), unit_id, len(ids) - n, 0],
                )


def _consents(
    sql: _Sql, count: int, units: int, partner_unit: object, recorder_id: int, now: object, today: str
) -> int:
    """CONSENTS (or persons/20) persons not protected, in the register, naming the partner unit."""
    from vagval.consent.models import ALL_CATEGORIES, Consent, ConsentRecipient

    wanted = min(CONSENTS, count // 20)
    step = max(count // max(wanted, 1), 1) // 4 * 4 or 4  # persons in the register (i % 4 = 0)
    categories = '["' + '", "'.join(sorted(ALL_CATEGORIES)) + '"]'
    chosen = f"s.i % {step} = 0 AND s.i % 97 <> 0 AND s.i / {step} < {wanted}"
    partner = partner_unit.pk if sql.pg else partner_unit.pk.hex  # type: ignore[attr-defined]
    cast = "::jsonb" if sql.pg else ""
    _execute(
        f"INSERT INTO {Consent._meta.db_table} (id, created_at, updated_at, person_id, unit_id, recorded_by_id,"
        " purpose, form, categories, valid_from, valid_to, document, withdrawn_at, withdrawn_by_id, withdrawal_note)"
        f" SELECT {sql.uuid('c', 's.i')}, %s, %s, {sql.uuid('p', 's.i')}, u.unit_id, %s, 'Samverkan (syntetiskt)',"
        f" 'skriftligt', %s{cast}, {sql.days_before('%s', 's.i % 300')}, {sql.days_after('%s', '(s.i % 365) + 1')},"
        f" '', NULL, NULL, '' FROM {sql.series(count)} JOIN vv_units u ON u.idx = {_unit_of(units)} WHERE {chosen}",
        [now, now, recorder_id, categories, today, today],
    )
    return _execute(
        f"INSERT INTO {ConsentRecipient._meta.db_table} (consent_id, unit_id, withdrawn_at, withdrawn_by_id)"
        f" SELECT {sql.uuid('c', 's.i')}, %s, NULL, NULL FROM {sql.series(count)} WHERE {chosen}",
        [partner],
    )


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """A table's indexes that no constraint owns (name, CREATE statement). On SQLite those with
    their statement in the schema: the automatic ones of a primary key or UNIQUE column have none."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            return list(cursor.fetchall())
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
        return list(cursor.fetchall())


@contextmanager
def _indexes_built_after(sql: _Sql, *tables: str) -> Iterator[None]:
    """Drop the tables' secondary indexes for a bulk load and build them again after it: one
    sort per index instead of millions of random index inserts, as a restore does."""
    indexes = [index for table in tables for index in _secondary_indexes(table)]
    for name, _definition in indexes:
        _execute(f'DROP INDEX "{name}"', [])
    yield
    for _name, definition in indexes:
        _execute(definition, [])


# A 2 GiB page cache for the build: the tables' and indexes' pages stay in memory while they grow.
BUILD_CACHE_KIB = 2 * 1024 * 1024


@contextmanager
def _sqlite_bulk_load(sql: _Sql) -> Iterator[None]:
    """On SQLite, build with the rollback journal in memory, no syncs and a large page cache
    (the app's WAL with NORMAL syncs wrote every page twice, and 64 MiB of cache sent the random
    inserts of the id indexes to the disk), and leave a WAL database as the app opens it.
    A build that dies is rebuilt with fresh=True; the journal in memory still rolls a failed
    statement back."""
    if sql.pg:
        yield
        return
    from django.conf import settings

    _pragmas(journal_mode="MEMORY", synchronous="OFF", cache_size=-BUILD_CACHE_KIB, temp_store="FILE")
    try:
        yield
    finally:
        app = settings.SQLITE_PRAGMAS
        _pragmas(
            journal_mode=app["journal_mode"],
            synchronous=app["synchronous"],
            cache_size=app["cache_size"],
            temp_store=app["temp_store"],
        )


def _pragmas(**values: object) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name, value in values.items():
            cursor.execute(f"PRAGMA {name}={value}")


def _sqlite_log_tables(users: list[tuple[int, str, object, str]], persons: int) -> None:
    """Work tables for the log on SQLite, by number: the load users, and the person ids (md5 once
    per person, not a Python function call per entry, as vv_pick and md5 did for every row)."""
    from django.db import connection

    _execute("DROP TABLE IF EXISTS vv_log_users", [])
    _execute("DROP TABLE IF EXISTS vv_log_persons", [])
    _execute(
        "CREATE TABLE vv_log_users (idx integer PRIMARY KEY, user_id integer, username text, unit_id text, role text)",
        [],
    )
    _execute("CREATE TABLE vv_log_persons (idx integer PRIMARY KEY, id text)", [])
    rows = [(n, pk, name, unit.hex, role) for n, (pk, name, unit, role) in enumerate(users)]  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO vv_log_users VALUES (%s, %s, %s, %s, %s)", rows)
    sql = _Sql("sqlite")
    _execute(f"INSERT INTO vv_log_persons SELECT s.i, {sql.uuid('p', 's.i')} FROM {sql.series(persons)}", [])


def _access_log(sql: _Sql, rows: int, persons: int, now: object, progress: bool) -> None:
    """`rows` entries over the last year, by the load users, about the generated persons."""
    from vagval.accounts.models import User
    from vagval.audit.models import AccessLogEntry

    users = list(User.objects.filter(username__startswith="last.").values_list("pk", "username", "unit_id", "role"))
    if not users or rows <= 0:
        return
    user_pick, user_params = sql.pick("user", "s.i * 31", [str(u[0]) for u in users])
    name_pick, name_params = sql.pick("username", "s.i * 31", [u[1] for u in users])
    unit_pick, unit_params = sql.pick("unit", "s.i * 31", [str(u[2]) for u in users])
    role_pick, role_params = sql.pick("role", "s.i * 31", [u[3] for u in users])
    seconds_in_year = 365 * 24 * 3600
    at = (
        f"(%s::timestamptz - make_interval(secs => (s.i * 7919) % {seconds_in_year}))"
        if sql.pg
        else f"datetime(%s, '-' || ((s.i * 7919) % {seconds_in_year}) || ' seconds')"
    )
    user_id = f"({user_pick})::int" if sql.pg else f"CAST({user_pick} AS integer)"
    unit_id = f"({unit_pick})::uuid" if sql.pg else unit_pick
    action = "CASE WHEN s.i % 10 = 0 THEN 'person.viewed' ELSE 'person.listed' END"
    person = sql.uuid("p", f"(s.i * 104729) % {persons}")
    picked = f"{user_id}, {name_pick}, 'Arbetsmarknadsenheten', {unit_id}, {role_pick}, {person}"
    joins = ""
    if not sql.pg:  # the same values, looked up by number in the work tables (CROSS JOIN keeps s outermost)
        _sqlite_log_tables(users, persons)
        picked = "lu.user_id, lu.username, 'Arbetsmarknadsenheten', lu.unit_id, lu.role, lp.id"
        joins = (
            f" CROSS JOIN vv_log_users lu CROSS JOIN vv_log_persons lp"
            f" WHERE lu.idx = (s.i * 31) % {len(users)} AND lp.idx = (s.i * 104729) % {persons}"
        )
    done, started = 0, time.perf_counter()
    while done < rows:
        chunk = min(LOG_CHUNK, rows - done)
        _execute(
            f"INSERT INTO {AccessLogEntry._meta.db_table} (at, user_id, username, unit_name, unit_id, role, person_id,"
            " action, client_address, basis, consent_id, detail)"
            f" SELECT {at}, {picked}, {action}, '127.0.0.1', 'own_unit', NULL, '{{}}'"
            f" FROM (SELECT t.i + {done} AS i FROM {sql.series(chunk, 't')}) s{joins}",
            [now, *user_params, *name_params, *unit_params, *role_params] if sql.pg else [now],
        )
        done += chunk
        if progress:
            print(f"  access log: {done:,} of {rows:,} entries after {time.perf_counter() - started:.0f} s", flush=True)
    if not sql.pg:
        _execute("DROP TABLE vv_log_users", [])
        _execute("DROP TABLE vv_log_persons", [])


def _analyze(sql: _Sql) -> None:
    if not sql.pg:  # statistics from a sample of each index, not a pass over 50 million entries
        _pragmas(analysis_limit=ANALYSIS_LIMIT)
    _execute("ANALYZE", [])


def _already_built(persons: int, log_rows: int) -> bool:
    from vagval.accounts.models import User
    from vagval.audit.models import AccessLogEntry
    from vagval.common import scoping
    from vagval.people.models import Person

    with scoping.unscoped("benchmark set-up: is the national data set there?"):
        if not User.objects.filter(username="last.partner.000").exists():
            return False
        return Person.objects.count() >= persons and AccessLogEntry.objects.count() >= log_rows * 0.99


def _contacts_for_an_older_set(persons: int, progress: bool) -> None:
    """A data set built before it had contact attempts gets them now, as a new build would
    (the same rows: the episodes' dates count back from the day of the build, which for a set
    built today is the same day), instead of a rebuild of 50 million log entries."""
    from django.db import transaction
    from django.utils import timezone

    from vagval.accounts.models import Role, User
    from vagval.common import scoping
    from vagval.demo.world import ensure_national_units
    from vagval.outreach.models import ContactAttempt

    with scoping.unscoped("benchmark set-up: contact attempts for an older national data set"):
        if ContactAttempt.objects.exists():
            return
        sql = _Sql(_vendor())
        units = ensure_national_units()
        recorder = User.objects.filter(role=Role.COACH, unit=units[0][0]).order_by("username").first()
        assert recorder is not None
        started = time.perf_counter()
        with _indexes_built_after(sql, ContactAttempt._meta.db_table), transaction.atomic():
            _unit_table(sql, units, {})
            _contacts(sql, persons, len(units), recorder.pk, timezone.now(), timezone.localdate().isoformat())
            _execute("DROP TABLE vv_units", [])
        _kept_contact_times()
        _analyze(sql)
    if progress:
        print(f"  contact attempts added to an older data set in {time.perf_counter() - started:.0f} s", flush=True)


def build_national(*, persons: int, log_rows: int, fresh: bool = False, progress: bool = True) -> National:
    """Set Django up on the national benchmark database and build the data set unless it is there."""
    label = f"national_{log_rows}_"
    where = _common.use_bench_database(persons=persons, fresh=fresh, label=label)
    from django.db import transaction
    from django.utils import timezone

    from vagval.accounts.models import Role, User
    from vagval.audit.models import AccessLogEntry
    from vagval.consent.models import Consent
    from vagval.demo.persons import faker_pools
    from vagval.demo.world import build_world, demo_password, ensure_national_units
    from vagval.organisations.models import Organisation, OrganisationKind, Project, Unit
    from vagval.outreach.models import ContactAttempt
    from vagval.people.models import Enrolment, Person
    from vagval.targetgroup.models import Episode

    if _already_built(persons, log_rows):
        _contacts_for_an_older_set(persons, progress)
        coaches = list(
            User.objects.filter(username__startswith="last.coach.")
            .order_by("username")
            .values_list("username", flat=True)
        )
        partners = list(
            User.objects.filter(username__startswith="last.partner.")
            .order_by("username")
            .values_list("username", flat=True)
        )
        return National(where, persons, log_rows, coaches, partners, None)
    started = time.perf_counter()
    sql = _Sql(_vendor())
    build_world(password=demo_password())
    units = ensure_national_units()
    organisation, _ = Organisation.objects.get_or_create(name="Samverkanspart (last)", kind=OrganisationKind.OTHER)
    partner_unit, _ = Unit.objects.get_or_create(organisation=organisation, name="Partnerenheten")
    coaches, partners = _users([u for u, _m in units], partner_unit)
    coach_ids: dict[object, list[int]] = {}
    for pk, unit_id in User.objects.filter(username__in=coaches).order_by("username").values_list("pk", "unit_id"):
        coach_ids.setdefault(unit_id, []).append(pk)
    project = Project.objects.order_by("name").first()
    assert project is not None
    female, male, last_names, _streets = faker_pools(1)
    pools = {"first": female[:400] + male[:400], "last": last_names[:800]}
    now, today = timezone.now(), timezone.localdate().isoformat()
    if not sql.pg:
        _register_sqlite_functions(pools)
    recorder = User.objects.filter(role=Role.COACH, unit=units[0][0]).order_by("username").first()
    assert recorder is not None
    tables = [model._meta.db_table for model in (Person, Enrolment, Episode, Consent, ContactAttempt)]
    phase = _Phases(progress, started)
    with _sqlite_bulk_load(sql):
        with _indexes_built_after(sql, *tables), transaction.atomic():
            _unit_table(sql, units, coach_ids)
            phase.done("users and units")
            _persons(sql, persons, len(units), pools, now, today)
            phase.done(f"{persons:,} persons")
            _register(sql, persons, len(units), now, today)
            _enrolments(sql, persons, len(units), project.pk, now, today)
            phase.done("register and enrolments")
            _consents(sql, persons, len(units), partner_unit, recorder.pk, now, today)
            _contacts(sql, persons, len(units), recorder.pk, now, today)
            _execute("DROP TABLE vv_units", [])
            phase.done("consents and contacts")
        phase.done("their indexes")
        _kept_contact_times()
        phase.done("the episodes' kept contact times")
        with _indexes_built_after(sql, AccessLogEntry._meta.db_table):
            _access_log(sql, log_rows, persons, now, progress)
            phase.done(f"{log_rows:,} access-log entries")
        phase.done("the access log's indexes")
        _analyze(sql)
        phase.done("ANALYZE")
    seconds = time.perf_counter() - started
    if progress:
        print(f"  national data set built in {seconds:.0f} s", flush=True)
    return National(where, persons, log_rows, coaches, partners, seconds)


class _Phases:
    """Prints each phase's wall and CPU seconds as the build goes."""

    def __init__(self, progress: bool, started: float) -> None:
        self.progress, self.started = progress, started
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def done(self, what: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        if self.progress:
            print(
                f"  {what}: {wall - self.wall:.0f} s (CPU {cpu - self.cpu:.0f} s), {wall - self.started:.0f} s in all",
                flush=True,
            )
        self.wall, self.cpu = wall, cpu


if __name__ == "__main__":  # build (or find) the set alone: python benchmarks/_national.py --persons N --log-rows M
    import argparse

    parser = argparse.ArgumentParser(description="Build the national benchmark data set.")
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--log-rows", type=int, default=50_000_000)
    parser.add_argument("--fresh", action="store_true", help="delete the set and build it again")
    args = parser.parse_args()
    national = build_national(persons=args.persons, log_rows=args.log_rows, fresh=args.fresh)
    print(
        f"{national.where}: built in {national.built_seconds or 0:.0f} s"
        if national.built_seconds
        else f"{national.where}: already built"
    )
