"""Reads of person data that decide visibility. Each takes the viewer and logs the access."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import (
    ROLES_WITHOUT_PERSON_ACCESS,
    PersonAccess,
    list_access,
    may_see_persons,
    own_persons_in_name_order_sql,
    own_unit_id,
    sees_only_own_persons,
    visible_ids_reach,
    visible_person_member_sql,
    visible_person_probe_sql,
    visible_persons,
    visible_persons_count,
    visible_persons_enrolled,
    visible_persons_per_row,
)
from vagval.access.scope import Need, scope_for
from vagval.accounts.models import User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common import sql
from vagval.common.errors import NotFound, PermissionDenied
from vagval.common.identity import InvalidIdentityNumber, parse_identity_number
from vagval.organisations.models import Method, Project
from vagval.people.models import (
    NAME_ORDER_INDEX,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    Person,
    PersonChange,
    Protection,
)

SEARCH_LIMIT = 20
SEARCH_ACTION = "person.search_hit"  # one access-log entry per hit
PURPOSE = "casework"  # the scope's purpose for the person pages and the person API
ENROLMENT_NOT_FOUND = gettext_lazy("Deltagandet finns inte eller så saknar du behörighet.")


@dataclass(frozen=True)
class PersonFilters:
    """Filters for lists (caseload, API). Empty values mean 'no filter'."""

    query: str = ""
    project_id: uuid.UUID | None = None
    status: str = ""
    mine_only: bool = False
    gender: str = ""
    age_min: int | None = None
    age_max: int | None = None


@dataclass(frozen=True)
class PersonView:
    person: Person
    access: PersonAccess
    enrolments: list[Enrolment] = field(default_factory=list)


def _looks_like_number(text: str) -> bool:
    return re.fullmatch(r"\d{6,12}\+?\d{0,4}", re.sub(r"[\s-]", "", text)) is not None


def _full_number(text: str) -> str | None:
    """The 12 digits when the text is a whole valid identity number, else None."""
    if not _looks_like_number(text):
        return None
    try:
        return parse_identity_number(text).digits
    except InvalidIdentityNumber:
        return None


def _digits_query(text: str) -> Q | None:
    """Q for identity-number search: a full number, or a date prefix YYMMDD/YYYYMMDD."""
    number = _full_number(text)
    if number is not None:
        return Q(id_number=number)
    if not _looks_like_number(text):
        return None
    digits = re.sub(r"[\s+-]", "", text)
    if len(digits) >= 8 and digits[:2] in {"19", "20"}:
        return Q(id_number__startswith=digits)
    return Q(id_number__startswith="19" + digits) | Q(id_number__startswith="20" + digits)


def _name_words(text: str) -> list[str]:
    """The words of a name search: casefolded, at most four."""
    return text.casefold().split()[:4]


def _name_query(text: str) -> Q:
    """Every word must start the first or the last name (casefolded, index-backed prefix)."""
    q = Q()
    for word in _name_words(text):
        q &= Q(first_name_key__startswith=word) | Q(last_name_key__startswith=word)
    return q


def _filtered(*, viewer: User, filters: PersonFilters, today: dt.date) -> QuerySet[Person]:
    text = filters.query.strip()
    by_number = _digits_query(text) if text else None
    # A filter on the enrolments at the viewer's unit ("mine only", project, status) starts from
    # those enrolments. An identity number (or a birth-date prefix of one) narrows the register
    # to a few rows: test visibility row by row for those. Otherwise start from the unit's
    # persons (see visible_persons: a name prefix alone matches a large share of the register).
    enrolment_q = Q()
    if filters.project_id:
        enrolment_q &= Q(project_id=filters.project_id)
    if filters.status:
        enrolment_q &= Q(status=filters.status)
    if filters.mine_only:
        enrolment_q &= Q(coach=viewer)
    persons: QuerySet[Person]
    if enrolment_q:
        # An enrolment at the viewer's unit is itself the basis to see the person: the persons
        # with a matching one, without testing the other bases (see visible_persons_enrolled).
        persons = visible_persons_enrolled(viewer=viewer, enrolment=enrolment_q)
    elif by_number is not None:
        persons = visible_persons_per_row(viewer=viewer)
    else:
        persons = visible_persons(viewer=viewer)
    if viewer.unit_id is None:
        return persons  # already empty: without a unit nobody sees persons
    conditions = Q()  # one filter() call: each call copies the visibility subqueries
    if text:
        conditions &= by_number or _name_query(text)
    if filters.gender:
        conditions &= Q(gender=filters.gender)
    if filters.age_min is not None:
        conditions &= Q(birth_date__lte=_years_before(today, filters.age_min))
    if filters.age_max is not None:
        conditions &= Q(birth_date__gt=_years_before(today, filters.age_max + 1))
    return persons.filter(conditions) if conditions else persons


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def person_list(
    *,
    viewer: User,
    ctx: AccessContext,
    filters: PersonFilters,
    limit: int = 50,
    offset: int = 0,
    action: str = "person.listed",
    today: dt.date | None = None,
) -> tuple[list[tuple[Person, PersonAccess]], int]:
    """A page of visible persons and the total count; logs one entry per person shown."""
    return _person_page(
        viewer=viewer, ctx=ctx, filters=filters, limit=limit, offset=offset, action=action, today=today, count=True
    )


def _person_page(
    *,
    viewer: User,
    ctx: AccessContext,
    filters: PersonFilters,
    limit: int,
    offset: int,
    action: str,
    today: dt.date | None,
    count: bool,
    only: tuple[str, ...] = (),
) -> tuple[list[tuple[Person, PersonAccess]], int]:
    """person_list; without the total when the caller shows none (search); `only` these fields."""
    number = _full_number(filters.query.strip()) if filters == PersonFilters(query=filters.query) else None
    if number is not None:
        page, total, grants = _page_with_number(viewer=viewer, number=number, limit=limit, offset=offset)
    elif _enrolment_filters_only(filters):
        page, total = _page_enrolled(viewer=viewer, filters=filters, limit=limit, offset=offset, count=count, only=only)
        grants = list_access(viewer=viewer, persons=page)
    elif filters == PersonFilters() and count:
        page, total = _page_of_all(viewer=viewer, limit=limit, offset=offset, only=only)
        grants = list_access(viewer=viewer, persons=page)
    else:
        page, total = _page_of(
            _filtered(viewer=viewer, filters=filters, today=today or dt.date.today()),
            limit=limit,
            offset=offset,
            count=count,
            only=only,
        )
        grants = list_access(viewer=viewer, persons=page)
    text = filters.query.strip()
    if number is not None or (text and _digits_query(text) is not None):
        # A hit on a number confirms whose number it is: only for viewers who may see numbers.
        hidden = [p for p in page if not grants[p.pk].sees_identity_number]
        page = [p for p in page if grants[p.pk].sees_identity_number]
        total -= len(hidden)
    return _shown(ctx=ctx, action=action, page=page, grants=grants), total


def _shown(
    *, ctx: AccessContext, action: str, page: list[Person], grants: dict[uuid.UUID, PersonAccess]
) -> list[tuple[Person, PersonAccess]]:
    """The page's persons with their grants, each logged as shown (one entry per person, its basis)."""
    if page:
        with transaction.atomic():
            access_log_record_many(
                ctx=ctx, action=action, grants=[(p.pk, grants[p.pk].basis, grants[p.pk].consent_id) for p in page]
            )
    return [(p, grants[p.pk]) for p in page]


def _page_of(
    persons: QuerySet[Person], *, limit: int, offset: int, count: bool, only: tuple[str, ...]
) -> tuple[list[Person], int]:
    if only:
        persons = persons.only(*only)
    if not count:
        page = list(persons[offset : offset + limit])
        return page, offset + len(page)
    # The total comes with the page: COUNT(*) OVER () counts every matching row before LIMIT.
    counted = list(persons.annotate(matching_total=Window(Count("pk")))[offset : offset + limit])
    total: int = counted[0].matching_total if counted else (persons.count() if offset else 0)
    return cast("list[Person]", counted), total  # Persons, annotated with the total


# The order of every list of persons: by name, ties broken by id (the index
# person_name_order_unmerged), so that a person never shows on two pages of one list.
NAME_ORDER = ("last_name_key", "first_name_key", "id")
# A walk tests this many index probes per row it passes (an enrolment, an episode, a consent);
# collecting the unit's ids into a hash costs about one per id. So a walk of few rows probes
# each row, one of many rows tests each row against the hashed sets. Two: at four the
# partner's page 1 (5,052 rows expected, 19,793 persons seen) went to the hashed ids by a few
# rows, 32 ms of wall time on the national set where the probes took 20 (median of 7).
PROBES_PER_ROW = 2
# Past this many rows walked per person seen the walk is not tried: sorting the unit's set
# reads one person row (and a sort) per person seen, about this many index entries' worth.
WALK_PER_SEEN = 2
# The walk stops after this many times the rows it is expected to pass (persons seen bunched
# late in the alphabet) and the page is read the next way.
WALK_SLACK = 4
# The hash memory of the walk against the unit's ids: enough for a million ids.
WALK_WORK_MEM = "64MB"


VisibleSql = Callable[..., tuple[str, list[Any]]]


def _register_size() -> int | None:
    """The planner's estimate of the persons in the register (PostgreSQL; on SQLite
    _sqlite_register_size), else None.

    None keeps the set plan: the walk is chosen only where its plan was measured (both walk
    the index person_name_order_unmerged; benchmarks/bench_list_pages.py)."""
    if connection.vendor == "sqlite":
        return _sqlite_register_size()
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [Person._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] and row[0] > 0 else None


def _sqlite_register_size() -> int | None:
    """SQLite's stand-in for the planner's estimate: the person table's largest rowid, read
    from the end of its b-tree. Rows deleted leave gaps, so it may count more persons than
    there are, as an estimate may; it only chooses how a page is read, never what it holds.

    Without it SQLite sorted the unit's whole set for every list and search: the big city's
    114,000 persons, 574 ms for the caseload's "alla" and 401 ms for a name search on the
    national set (benchmarks/bench_list_pages.py), where the walks read a page's worth."""
    ((top,),) = sql.fetch(Person, f"SELECT MAX(rowid) FROM {sql.table(Person)}", [])  # noqa: S608 (names from the models)
    return int(top) if top else None


def _page_of_all(*, viewer: User, limit: int, offset: int, only: tuple[str, ...]) -> tuple[list[Person], int]:
    """The page of "everyone at the unit" (the caseload's "alla", the partner's list), by name.

    The same persons in the same order and the same total as the unit's set sorted
    (visible_persons ordered by NAME_ORDER), read the cheapest of four ways. The total is
    counted from the ids (visible_persons_count), not from the person rows. A unit that no
    active consent names (most units, the big city) sees exactly its own persons: the page is
    skipped to in the name order kept for them (own_persons_in_name_order_sql), so page 100
    passes 4,950 index entries. Otherwise the register is
    walked in name order from the index person_name_order_unmerged, which holds name and id,
    until the page is found: about (offset + limit) × register / total rows. A short walk
    tests each row with one index probe per basis (visible_person_probe_sql); a long one
    against the unit's ids read once into a hash (visible_person_member_sql), so a city's page
    100 passes 90,000 index entries without reading a person row. Where even that would read
    more than sorting the unit's set (a unit that sees few of the register, a very deep page),
    and on SQLite, the set is sorted.
    """
    register = _register_size()
    if register is None:
        return _page_of(_sorted_set(viewer), limit=limit, offset=offset, count=True, only=only)
    total = visible_persons_count(viewer=viewer)
    wanted = min(limit, total - offset)
    if wanted <= 0:
        return [], total
    if sees_only_own_persons(viewer=viewer):
        return _own_in_name_order(viewer, limit=limit, offset=offset, only=only), total
    walked = (offset + limit) * register / total
    for visible, bound in _walks(walked=walked, total=total, limit=limit):
        page = _walk(viewer, visible, limit=limit, offset=offset, bound=bound, only=only)
        if len(page) == wanted:
            return page, total
    page, _rows = _page_of(_sorted_set(viewer), limit=limit, offset=offset, count=False, only=only)
    return page, total


# SQLite's list walk first passes this many times the rows it is expected to pass (_walks).
SQLITE_FIRST_LIST_WALK = 2


def _walks(*, walked: float, total: int, limit: int) -> list[tuple[VisibleSql, int]]:
    """The walks _page_of_all tries in turn (the form that tests each row, the rows it may
    pass) before it sorts the set, for a page expected `walked` rows into the register.

    PostgreSQL: the probes for a short walk, the hashed ids for a long one. SQLite sorts what
    the walk returns before it takes the page, so it tests every row up to the bound: it first
    walks twice the rows expected, then the whole bound, always with the probes, which SQLite
    runs as b-tree descents in the process; collecting the partner's consent ids to hash them
    cost more than 20,000 probes (page 1 of the partner's list: probes 8 ms of CPU at 5,000
    rows, 25 ms at the whole bound of 20,258; the hashed ids 37-48 ms)."""
    bound = int(walked * WALK_SLACK) + limit
    if _walks_in_steps():
        if walked > WALK_PER_SEEN * total:
            return []
        first = min(int(walked * SQLITE_FIRST_LIST_WALK) + limit, bound)
        return [(visible_person_probe_sql, rows) for rows in dict.fromkeys((first, bound))]
    walks: list[tuple[VisibleSql, int]] = []
    if walked * PROBES_PER_ROW <= total:
        walks.append((visible_person_probe_sql, bound))
    if walked <= WALK_PER_SEEN * total:
        walks.append((visible_person_member_sql, bound))
    return walks


def _walks_in_steps() -> bool:
    """Whether the list's walks are SQLite's (_walks)."""
    return connection.vendor == "sqlite"


def _own_in_name_order(viewer: User, *, limit: int, offset: int, only: tuple[str, ...]) -> list[Person]:
    """The page of a unit that sees only its own persons, skipped to in the kept name order."""
    ordered, params = own_persons_in_name_order_sql(viewer=viewer)
    order = ", ".join(sql.column(Person, name) for name in NAME_ORDER)
    return sql.fetch_instances(
        Person,
        f"{sql.column(Person, 'id')} IN ({ordered} LIMIT %s OFFSET %s)",
        [*params, limit, offset],
        fields=only,
        tail=f"ORDER BY {order}",
    )


def _sorted_set(viewer: User) -> QuerySet[Person]:
    return visible_persons(viewer=viewer).order_by(*NAME_ORDER)


def _walk(
    viewer: User, visible: VisibleSql, *, limit: int, offset: int, bound: int, only: tuple[str, ...]
) -> list[Person]:
    """The page of the register walked in NAME_ORDER (at most `bound` rows) whose persons meet
    `visible` (visible_person_probe_sql or visible_person_member_sql), hand-written (see
    vagval.common.sql). Fewer than the page's rows when the walk ended at `bound`.
    """

    w = sql.aliased(Person, "w")

    condition, params = visible(viewer=viewer, person="c.id")
    walk = (
        f"SELECT {_name_keys_sql('w')} FROM {sql.table(Person)} w WHERE {w('merged_into')} IS NULL"  # noqa: S608 (names from the models)
        f" ORDER BY {w('last_name_key')}, {w('first_name_key')}, {w('id')} LIMIT %s"
    )
    page = f"SELECT c.id FROM ({walk}) c WHERE {condition} ORDER BY c.last_key, c.first_key, c.id LIMIT %s OFFSET %s"  # noqa: S608 (as above)
    order = ", ".join(sql.column(Person, name) for name in NAME_ORDER)
    # A transaction only for PostgreSQL's SET LOCAL: SQLite's transactions here are IMMEDIATE
    # (settings), so one around this read would hold the write lock while the walk runs.
    hash_memory = visible is visible_person_member_sql and connection.vendor == "postgresql"
    with transaction.atomic() if hash_memory else contextlib.nullcontext():
        if hash_memory:
            # The hashed ids of a city (114,000: about 7 MB) exceed PostgreSQL's default hash
            # memory (work_mem 4 MB × 2), and without a hash every row would be tested against
            # the whole set. For this statement only (SET LOCAL ends with the transaction).
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL work_mem = '{WALK_WORK_MEM}'")
        return sql.fetch_instances(
            Person,
            f"{sql.column(Person, 'id')} IN ({page})",
            [bound, *params, limit, offset],
            fields=only,
            tail=f"ORDER BY {order}",
        )


def _enrolment_filters_only(filters: PersonFilters) -> bool:
    """Filters on the enrolments at the viewer's unit and nothing else: the caseload as it opens
    ("mine only") and its project and status filters."""
    on_enrolments = PersonFilters(project_id=filters.project_id, status=filters.status, mine_only=filters.mine_only)
    return filters == on_enrolments and filters != PersonFilters()


def _page_enrolled(
    *, viewer: User, filters: PersonFilters, limit: int, offset: int, count: bool, only: tuple[str, ...]
) -> tuple[list[Person], int]:
    """_filtered's page for enrolment filters alone, hand-written (see vagval.common.sql).

    The same persons in the same order as visible_persons_enrolled gives: `id IN (the matching
    enrolments at the viewer's unit)`, not merged, by last and first name. The caseload opens
    with this list on every visit, and the ORM spent more time building the query than the
    database spent running it. people/tests/test_caseload_query.py compares the two.
    """
    if not may_see_persons(viewer):
        return [], 0 if count else offset  # as _page_of gives for an empty queryset

    e = sql.aliased(Enrolment, "e")

    enrolled = f"SELECT {e('person')} FROM {sql.table(Enrolment)} e WHERE {e('unit')} = %s"  # noqa: S608 (names from the models)
    params = [sql.value(Enrolment, "unit", own_unit_id(viewer))]
    for name, wanted, raw in (
        ("project", filters.project_id, filters.project_id),
        ("status", filters.status, filters.status),
        ("coach", filters.mine_only, viewer.pk),
    ):
        if wanted:
            enrolled += f" AND {e(name)} = %s"
            params.append(sql.value(Enrolment, name, raw))
    where = f"{sql.column(Person, 'id')} IN ({enrolled}) AND {sql.column(Person, 'merged_into')} IS NULL"
    order = f"ORDER BY {sql.column(Person, 'last_name_key')}, {sql.column(Person, 'first_name_key')}"
    page = sql.fetch_instances(Person, where, [*params, limit, offset], fields=only, tail=f"{order} LIMIT %s OFFSET %s")
    if not count or (len(page) < limit and (page or not offset)):
        return page, offset + len(page)  # the whole rest of the list is on this page: no count needed
    ((total,),) = sql.fetch(Person, f"SELECT COUNT(*) FROM {sql.table(Person)} WHERE {where}", params)  # noqa: S608 (as above)
    return page, int(total)


def _page_with_number(
    *, viewer: User, number: str, limit: int, offset: int
) -> tuple[list[Person], int, dict[uuid.UUID, PersonAccess]]:
    """The page for a whole identity number and nothing else: the register's one person with
    that number (a probe of its index: at most one record per unit), shown only if list_access grants it.

    The visibility rule is then applied to one person by the one access check itself, instead
    of as a filter compiled into the query: building that query cost twenty times what the
    database spends on the probe (benchmarks/bench_search.py). The result is the same as
    _filtered's, which people/tests/test_search_by_number.py compares.
    """
    where = f"{sql.column(Person, 'id_number')} = %s AND {sql.column(Person, 'merged_into')} IS NULL"
    found = sql.fetch_instances(Person, where, [sql.value(Person, "id_number", number)])
    grants = list_access(viewer=viewer, persons=found)
    shown = sorted((p for p in found if p.pk in grants), key=lambda p: (p.last_name_key, p.first_name_key))
    return shown[offset : offset + limit], len(shown), grants


def own_person_with_number(*, viewer: User, number: str) -> Person | None:
    """The viewer's unit's own record with this identity number, or None.

    Own means registered by the unit, or held on the own-unit basis of the access check (an
    enrolment or register entry there). Another unit's record with the same number is never
    returned: whether another unit knows a young person is itself secret.
    """
    unit_id = own_unit_id(viewer)
    candidates = list(Person.objects.filter(id_number=number))
    for person in candidates:
        if person.unit_id == unit_id:
            return person.merged_into or person
    grants = list_access(viewer=viewer, persons=candidates)
    for person in candidates:
        grant = grants.get(person.pk)
        if grant is not None and grant.basis == AccessBasis.OWN_UNIT:
            return person
    return None


def person_for_administration(*, viewer: User, ctx: AccessContext, person_id: uuid.UUID) -> Person:
    """A person record for an administrator's task on it (lowering protection), logged with the
    basis administration. Nobody else reaches a record this way."""
    if not (viewer.is_active and viewer.is_administrator):
        raise PermissionDenied(_("Sidan är bara för administratörer."))
    person = Person.objects.filter(pk=person_id, merged_into__isnull=True).first()
    if person is None:
        raise NotFound(_("Personen finns inte."))
    access_log_record(ctx=ctx, action="person.viewed", person_id=person.pk, basis=AccessBasis.ADMINISTRATION)
    return person


def own_duplicates(*, viewer: User, ctx: AccessContext, data: DuplicateQuery) -> list[Person]:
    """The unit's own records that a new registration may duplicate: the one with the same
    number, or (without a number) those with the same names and birth date. Never another
    unit's: offering one would reveal that another unit knows the young person. Each record
    shown is logged."""
    if data.id_number:
        found = own_person_with_number(viewer=viewer, number=data.id_number)
        matches = [found] if found is not None else []
    elif data.birth_date is not None and data.first_name.strip() and data.last_name.strip():
        candidates = visible_persons(viewer=viewer).filter(
            first_name_key=data.first_name.strip().casefold(),
            last_name_key=data.last_name.strip().casefold(),
            birth_date=data.birth_date,
        )[:DUPLICATES_SHOWN]
        grants = list_access(viewer=viewer, persons=list(candidates))
        matches = [p for p in candidates if p.pk in grants and grants[p.pk].basis == AccessBasis.OWN_UNIT]
    else:
        matches = []
    access_log_record_many(
        ctx=ctx, action="person.duplicate_shown", grants=[(p.pk, AccessBasis.OWN_UNIT, None) for p in matches]
    )
    return matches


@dataclass(frozen=True)
class DuplicateQuery:
    first_name: str
    last_name: str
    birth_date: dt.date | None
    id_number: str | None  # 12 digits, already parsed


DUPLICATES_SHOWN = 10


def person_search(*, viewer: User, ctx: AccessContext, query: str) -> list[tuple[Person, PersonAccess]]:
    """As-you-type search by name or identity number among visible persons."""
    if len(query.strip()) < 2:
        return []
    walked = _search_by_name(viewer=viewer, query=query.strip())
    if walked is not None:
        return _shown(ctx=ctx, action=SEARCH_ACTION, page=walked, grants=list_access(viewer=viewer, persons=walked))
    rows, _total = _person_page(
        viewer=viewer,
        ctx=ctx,
        filters=PersonFilters(query=query),
        limit=SEARCH_LIMIT,
        offset=0,
        action=SEARCH_ACTION,
        today=None,
        count=False,
    )
    return rows


# The name search of a unit that sees a large share of the register tests the persons whose
# names match one by one, in name order, instead of reading every person the unit sees
# (_search_by_name). Testing a candidate costs about this many times reading one person of
# the unit's set.
SEARCH_TEST_COST = 3
# Up to this many matching names (the planner's estimate) they are collected and sorted; more,
# and the register is walked in name order (index person_name_order_unmerged) instead.
SEARCH_COLLECT_MAX = 20_000
_NO_LIMIT = 2**62


def _search_by_name(*, viewer: User, query: str) -> list[Person] | None:
    """The name search's page read from the matching names, or None where the set of the
    unit's persons (_filtered) is the cheaper read: a number, not PostgreSQL (no
    _register_size), or a unit that sees too few persons.

    The same persons in the same order as _filtered(query)[:SEARCH_LIMIT], ties of both names
    broken by id (people/tests/test_search_by_name.py compares them). The unit's set costs a
    person row per person the unit sees: the big city's 114,000 on every keystroke. Here each
    matching name is tested (visible_person_probe_sql: the candidates are unmerged records, so no
    person row is read to test one) in name order until a page is found: about
    SEARCH_LIMIT × register / seen candidates, at most threshold / SEARCH_TEST_COST of them
    where the unit sees `threshold` or more. Few matches (a rare prefix, two words) are
    collected and sorted first; many are met by walking the register in name order, which
    stops at `threshold` candidates and leaves the page to the set (a name common in the
    register but rare at the unit).
    """
    if _digits_query(query) is not None or not may_see_persons(viewer):
        return None
    register = _register_size()
    if register is None:
        return None
    threshold = max(math.isqrt(SEARCH_TEST_COST * SEARCH_LIMIT * register), SEARCH_LIMIT)
    if not visible_ids_reach(viewer=viewer, count=threshold):
        return None
    matching, params = _name_match_sql(query, alias="wp")
    candidates = f"SELECT {_name_keys_sql('wp')} FROM {sql.table(Person)} wp WHERE {matching}"  # noqa: S608 (names from the model)
    visible, visible_params = visible_person_probe_sql(viewer=viewer, person="c.id")
    in_order = "ORDER BY c.last_key, c.first_key, c.id"
    if _matching_names(query, candidates, params) <= SEARCH_COLLECT_MAX:
        # Collected whole (MATERIALIZED: the planner may not walk the name index for them),
        # sorted, then tested in that order until the page is full. The LIMIT that never
        # limits keeps the test above the sort (SQLite has no OFFSET without a LIMIT).
        page = (
            f"WITH m AS MATERIALIZED ({candidates}) SELECT c.id FROM (SELECT * FROM m c {in_order} LIMIT %s) c"  # noqa: S608 (as above)
            f" WHERE {visible} {in_order} LIMIT %s"
        )
        return _persons_in_name_order(page, [*params, _NO_LIMIT, *visible_params, SEARCH_LIMIT])
    walk, walk_params = _name_walk(query, candidates, params)
    page = f"SELECT c.id FROM ({walk}) c WHERE {visible} {in_order} LIMIT %s"  # noqa: S608 (as above)
    for bound in _walk_bounds(threshold):
        persons = _persons_in_name_order(page, [*walk_params, bound, *visible_params, SEARCH_LIMIT])
        if len(persons) == SEARCH_LIMIT:
            return persons  # the first of the walk's matching names that the unit sees
        ((tested,),) = sql.fetch(Person, f"SELECT COUNT(*) FROM ({walk}) c", [*walk_params, bound])  # noqa: S608 (as above)
        if tested < bound:
            return persons  # every matching name was tested
    return None  # stopped before the last matching name: the set decides


# SQLite first walks this share of the candidates the search may test (_walk_bounds).
SQLITE_FIRST_WALK_SHARE = 4


def _walk_bounds(threshold: int) -> tuple[int, ...]:
    """How many matching names the search's walk tests, in turn, until a page is found.

    PostgreSQL stops its walk when the page is full. SQLite sorts what the walk returns
    before it takes the page, so it tests every candidate up to the bound (10,954 for the big
    city's "an": 150 ms): it first walks a share of them, enough where the unit sees more
    than a few per cent of the register. Each bound gives the same page when it fills it."""
    if connection.vendor != "sqlite":
        return (threshold,)
    return (max(threshold // SQLITE_FIRST_WALK_SHARE, SEARCH_LIMIT), threshold)


# SQLite walks a word's last names and first names apart (_split_walk) when no more than this
# many first names match.
SPLIT_FIRST_NAMES_MAX = 10_000


def _name_keys_sql(alias: str) -> str:
    """The columns the walks in name order (the list's, the name search's) select from the person
    table `alias`: id, last_key, first_key."""
    p = sql.aliased(Person, alias)
    return f"{p('id')} AS id, {p('last_name_key')} AS last_key, {p('first_name_key')} AS first_key"


def _sqlite_single_word(query: str) -> str | None:
    """The query's one word where SQLite reads the name indexes for it (_matching_names,
    _name_walk); None for more words or on PostgreSQL, which plans the whole match itself."""
    words = _name_words(query)
    return words[0] if connection.vendor == "sqlite" and len(words) == 1 else None


def _name_walk(query: str, candidates: str, params: list[str]) -> tuple[str, list[Any]]:
    """The matching names (`candidates` with `params`) in name order: a statement and its
    parameters but the last, the walk's bound (how many names at most)."""
    word = _sqlite_single_word(query)
    split = _split_walk(word, params[0]) if word is not None else None
    if split is not None:
        return split
    return f"{_in_name_order_index(candidates)} ORDER BY last_key, first_key, id LIMIT %s", list(params)


def _split_walk(word: str, prefix: str) -> tuple[str, list[Any]] | None:
    """One word's matching names in name order as two parts merged: the last names that start
    with it (a range of the index person_name_order_unmerged) and the first names that do (their
    NOCASE prefix index, sorted), where those are few (SPLIT_FIRST_NAMES_MAX); None otherwise.

    The whole walk tests every name in name order, so for a word that starts many last names
    and few first names it passed most of the register before it reached the last names'
    range: a coach's "sv" at the national size (62,518 last names, 7,502 first names) took
    110 ms, split 31 ms. Sorting many first names costs more than the walk ("ni", 17,507 of
    them: 74 ms split, 58 ms whole), hence the bound. The range is on the name keys as stored,
    casefolded (Person.save) as the word is; LIKE checks each row as the whole walk does.
    """
    end = _prefix_end(word)
    if end is None or _prefix_matches("first_name_key", prefix, SPLIT_FIRST_NAMES_MAX + 1) > SPLIT_FIRST_NAMES_MAX:
        return None
    p, table, keys = sql.aliased(Person, "wp"), sql.table(Person), _name_keys_sql("wp")
    last = p("last_name_key")
    in_range = f"{last} >= %s AND {last} < %s AND {last} LIKE %s ESCAPE '\\'"
    unmerged = f"{p('merged_into')} IS NULL"
    last_names = f"SELECT {keys} FROM {table} wp INDEXED BY {NAME_ORDER_INDEX} WHERE {unmerged} AND {in_range}"  # noqa: S608 (names from the model)
    first_names = (
        f"SELECT {keys} FROM {table} wp WHERE {unmerged}"  # noqa: S608 (as above)
        f" AND {p('first_name_key')} LIKE %s ESCAPE '\\' AND NOT ({in_range})"
    )
    walk = f"{last_names} UNION ALL {first_names} ORDER BY last_key, first_key, id LIMIT %s"
    return walk, [word, end, prefix, prefix, word, end, prefix]


def _prefix_end(word: str) -> str | None:
    """The least string after every string that starts with `word` (code point order, as SQLite
    compares UTF-8 text), or None when there is none to write."""
    following = ord(word[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000  # surrogates are not text
    return word[:-1] + chr(following) if following <= 0x10FFFF else None


def _in_name_order_index(candidates: str) -> str:
    """The candidates' statement read from the index person_name_order_unmerged, as the walk
    must be. PostgreSQL walks it by itself; SQLite, given a LIKE on each name's prefix index,
    collected every matching name ("an": over 100,000 in the national set) and sorted them
    before the walk's LIMIT, 460 ms of every search, so it is told which index to read."""
    if connection.vendor != "sqlite":
        return candidates
    table = sql.table(Person)
    return candidates.replace(f"FROM {table} wp ", f"FROM {table} wp INDEXED BY {NAME_ORDER_INDEX} ", 1)


def _name_match_sql(query: str, *, alias: str) -> tuple[str, list[str]]:
    """_name_query as SQL on the person table `alias`, merged records left out."""

    p = sql.aliased(Person, alias)

    conditions, params = [f"{p('merged_into')} IS NULL"], []
    for word in _name_words(query):
        conditions.append(f"({p('first_name_key')} LIKE %s ESCAPE '\\' OR {p('last_name_key')} LIKE %s ESCAPE '\\')")
        prefix = connection.ops.prep_for_like_query(word) + "%"
        params += [prefix, prefix]
    return " AND ".join(conditions), params


NAME_KEYS = ("first_name_key", "last_name_key")


def _matching_names(query: str, candidates: str, params: list[str]) -> float:
    """The names that match `query` (`candidates` with `params`: _name_match_sql), estimated.

    For one word on SQLite, the names whose first name matches plus those whose last name
    does, each counted from its NOCASE prefix index alone (covering: no person row read) and no
    further than past SEARCH_COLLECT_MAX. At least as many as match (a name that matches twice
    counts twice, a merged record too), so a walk is never skipped where it is needed, and
    without the person rows that _estimated_rows reads, one per match (a coach's "an" at 200,000
    persons: 13 ms instead of 33).
    """
    if _sqlite_single_word(query) is None:
        return _estimated_rows(candidates, params)
    return float(sum(_prefix_matches(name, params[0], SEARCH_COLLECT_MAX + 1) for name in NAME_KEYS))


def _prefix_matches(name: str, prefix: str, limit: int) -> int:
    """How many person records' name key `name` is LIKE `prefix`, no further than `limit`:
    counted from its NOCASE prefix index alone (SQLite)."""
    prefixed = f"SELECT 1 FROM {sql.table(Person)} WHERE {sql.column(Person, name)} LIKE %s ESCAPE '\\' LIMIT %s"  # noqa: S608 (names from the model)
    ((rows,),) = sql.fetch(Person, f"SELECT COUNT(*) FROM ({prefixed}) b", [prefix, limit])  # noqa: S608 (as above)
    return int(rows)


def _estimated_rows(statement: str, params: list[str]) -> float:
    """The planner's estimate of the rows a SELECT returns (PostgreSQL): no row is read.
    SQLite gives no estimate: its rows are counted, no further than past SEARCH_COLLECT_MAX."""
    if connection.vendor == "sqlite":
        bounded = f"SELECT COUNT(*) FROM ({statement} LIMIT %s) b"  # noqa: S608 (a statement of this module)
        ((rows,),) = sql.fetch(Person, bounded, [*params, SEARCH_COLLECT_MAX + 1])
        return float(rows)
    ((plan,),) = sql.fetch(Person, f"EXPLAIN (FORMAT JSON) {statement}", params)
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def _persons_in_name_order(page: str, params: list[object]) -> list[Person]:
    """The persons whose ids `page` selects, in name order (ties by id)."""
    order = ", ".join(sql.column(Person, name) for name in ("last_name_key", "first_name_key", "id"))
    where = f"{sql.column(Person, 'id')} IN ({page})"
    return sql.fetch_instances(Person, where, params, tail=f"ORDER BY {order}")


def person_get(*, viewer: User, ctx: AccessContext, person_id: uuid.UUID, action: str = "person.viewed") -> PersonView:
    """One person with the enrolments the viewer may see; raises NotFound otherwise."""
    shown = scope_for(ctx, PURPOSE).person(person_id, action=action)
    return PersonView(person=shown.person, access=shown.access, enrolments=_unit_enrolments(viewer, shown.person))


def _unit_enrolments(viewer: User, person: Person) -> list[Enrolment]:
    """The person's enrolments at the viewer's unit, newest first, with their project, unit (and
    organisation), coach and method: that queryset (with select_related) read by hand, because
    every person page asks and its four joins cost 1.5 ms of Python. The unit is the viewer's own,
    loaded with the user (accounts.backends); the others in one query each, only when there are
    enrolments. test_person_get compares it with the queryset."""
    enrolments = sql.fetch_equal(Enrolment, {"person": person.pk, "unit": own_unit_id(viewer)}, order=("-starts_on",))
    if not enrolments:
        return []
    projects = sql.fetch_in_bulk(Project, (e.project_id for e in enrolments))
    coaches = sql.fetch_in_bulk(User, (e.coach_id for e in enrolments if e.coach_id is not None))
    methods = sql.fetch_in_bulk(Method, (e.method_id for e in enrolments if e.method_id is not None))
    unit = viewer.unit
    assert unit is not None  # own_unit_id has refused a user without one
    for enrolment in enrolments:
        enrolment.person, enrolment.unit, enrolment.project = person, unit, projects[enrolment.project_id]
        enrolment.coach = coaches[enrolment.coach_id] if enrolment.coach_id is not None else None
        enrolment.method = methods[enrolment.method_id] if enrolment.method_id is not None else None
    return enrolments


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    kind: str
    text: str
    by: str


def person_timeline(*, view: PersonView) -> list[TimelineEvent]:
    """The person's history as the viewer may see it: record changes and enrolment events.

    Read by hand (sql.fetch_instances, in the models' default order), the users who made the
    changes in one query and the enrolments' projects from the view: on every person page the
    two querysets with their joins cost 1.5 ms of Python. test_person_timeline compares it with
    them."""
    changes = sql.fetch_equal(PersonChange, {"person": view.person.pk}, order=CHANGE_ORDER)
    enrolments = {e.pk: e for e in view.enrolments}
    enrolment_changes = _enrolment_changes(list(enrolments))
    ids = {c.changed_by_id for c in changes} | {c.changed_by_id for c in enrolment_changes}
    users = User.objects.in_bulk(ids) if ids else {}
    events = [
        TimelineEvent(
            at=c.changed_at, kind=f"person.{c.kind}", text=_person_change_text(c), by=str(users[c.changed_by_id])
        )
        for c in changes
    ]
    for change in enrolment_changes:
        change.enrolment = enrolments[change.enrolment_id]
        events.append(
            TimelineEvent(
                at=change.changed_at,
                kind=f"enrolment.{change.kind}",
                text=_enrolment_change_text(change),
                by=str(users[change.changed_by_id]),
            )
        )
    return sorted(events, key=lambda e: e.at, reverse=True)


CHANGE_ORDER = ("-changed_at", "-id")  # PersonChange's and EnrolmentChange's default order


def _enrolment_changes(enrolment_ids: list[uuid.UUID]) -> list[EnrolmentChange]:
    if not enrolment_ids:
        return []
    where = f"{sql.column(EnrolmentChange, 'enrolment')} IN ({sql.placeholders(len(enrolment_ids))})"
    params = sql.values(EnrolmentChange, "enrolment", enrolment_ids)
    return sql.fetch_instances(EnrolmentChange, where, params, tail=sql.order_by(EnrolmentChange, CHANGE_ORDER))


_PERSON_KIND_TEXT = {
    "created": gettext_lazy("Personen registrerades"),
    "changed": gettext_lazy("Uppgifter ändrades"),
    "merged_from": gettext_lazy("Uppgifter från en annan registrering slogs ihop hit"),
}
_ENROLMENT_KIND_TEXT = {
    "created": gettext_lazy("Inskriven i {project}"),
    "changed": gettext_lazy("Deltagandet i {project} ändrades"),
    "reopened": gettext_lazy("Återinskriven i {project}"),
    "moved_by_merge": gettext_lazy("Deltagandet i {project} flyttades vid sammanslagning"),
}


def _person_change_text(change: PersonChange) -> str:
    text = str(_PERSON_KIND_TEXT.get(change.kind, change.kind))
    if change.fields:
        text += ": " + ", ".join(change.fields)
    return text


def _enrolment_change_text(change: EnrolmentChange) -> str:
    text = str(_ENROLMENT_KIND_TEXT.get(change.kind, change.kind)).format(project=change.enrolment.project.name)
    parts = [f"{name}: {old or '–'} → {new or '–'}" for name, (old, new) in change.changes.items()]
    if parts:
        text += " (" + "; ".join(parts) + ")"
    if change.note:
        text += f" – {change.note}"
    return text


def enrolment_get(*, viewer: User, enrolment_id: uuid.UUID) -> Enrolment:
    """An enrolment at the viewer's own unit, for editing; raises NotFound otherwise."""
    enrolment = (
        Enrolment.objects.select_related("person", "project")
        .filter(pk=enrolment_id, unit_id=own_unit_id(viewer))
        .first()
    )
    if enrolment is None:
        raise NotFound(ENROLMENT_NOT_FOUND)
    scope_for(AccessContext(user=viewer), PURPOSE).admit(enrolment.person, not_found=ENROLMENT_NOT_FOUND)
    return enrolment


def enrolment_view_record(*, ctx: AccessContext, viewer: User, enrolment: Enrolment) -> None:
    """Log that an enrolment (and so its person) was shown, on the basis that lets the viewer see them."""
    scope = scope_for(ctx, PURPOSE)
    scope.log(
        "person.viewed", scope.admit(enrolment.person, not_found=ENROLMENT_NOT_FOUND), {"enrolment": str(enrolment.pk)}
    )


def age_on(*, birth_date: dt.date | None, today: dt.date) -> int | None:
    """Age in whole years on `today`, or None when the birth date is unknown."""
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class CaseloadEnrolment:
    """One enrolment at the viewer's unit as the caseload shows it."""

    project: str
    status: str  # the status as displayed
    coach: str  # the responsible coach's name, "" when none


@dataclass(frozen=True)
class CaseloadRow:
    """One row as the caseload table shows it: plain values, prepared once here, so that the
    row tag (people/templatetags/caseload_tags.py) writes each cell without lookups."""

    age: int | None
    url: str  # the person page
    name: str  # "Last name, First name"
    born: str  # birth date as YYYY-MM-DD, "" when unknown
    protected: bool
    projects: list[str]  # "Project: status" per enrolment, ["–"] when none
    coaches: list[str]  # the coach per enrolment ("–" when none), ["–"] when none


@dataclass(frozen=True)
class CaseloadPage:
    rows: list[CaseloadRow]
    total: int
    page: int
    pages: int
    first: int  # 1-based number of the first row shown (0 when empty)
    last: int


_URL_PLACEHOLDER = uuid.UUID(int=0)
# The person fields the caseload and the access check use; the rest stay in the database.
_CASELOAD_FIELDS = ("id", "first_name", "last_name", "birth_date", "protection", "merged_into_id")


def _enrolments_shown(*, person_ids: list[uuid.UUID], unit_id: uuid.UUID) -> dict[uuid.UUID, list[CaseloadEnrolment]]:
    """The enrolments at the unit of these persons, newest first, in one query of plain values.

    Hand-written (see vagval.common.sql): the ORM query with two joins and an IN list of 50 ids
    cost four times its SQL.
    """
    statuses = {value: str(label) for value, label in EnrolmentStatus.choices}
    shown: dict[uuid.UUID, list[CaseloadEnrolment]] = {}

    e = sql.aliased(Enrolment, "e")

    c = sql.aliased(User, "c")

    statement = (
        f"SELECT {e('person')}, {sql.column(Project, 'name', alias='p')}, {e('status')},"  # noqa: S608 (names from the models, values as parameters)
        f" {c('first_name')}, {c('last_name')}, {c('username')}"
        f" FROM {sql.table(Enrolment)} e"
        f" JOIN {sql.table(Project)} p ON {sql.column(Project, 'id', alias='p')} = {e('project')}"
        f" LEFT JOIN {sql.table(User)} c ON {c('id')} = {e('coach')}"
        f" WHERE {e('unit')} = %s AND {e('person')} IN ({sql.placeholders(len(person_ids))})"
        f" ORDER BY {e('starts_on')} DESC"
    )
    params = [sql.value(Enrolment, "unit", unit_id), *sql.values(Enrolment, "person", person_ids)]
    for person_id, project, status, first_name, last_name, username in sql.fetch(Enrolment, statement, params):
        # As str(User): the full name, else the user name.
        coach = (f"{first_name} {last_name}".strip() or username) if username else ""
        shown.setdefault(sql.as_uuid(person_id), []).append(  # type: ignore[arg-type]
            CaseloadEnrolment(project=project, status=statuses.get(status, status), coach=coach)
        )
    return shown


def caseload_page(
    *,
    viewer: User,
    ctx: AccessContext,
    filters: PersonFilters,
    page: int = 1,
    per_page: int = 50,
    today: dt.date | None = None,
) -> CaseloadPage:
    """One page of the caseload with each person's enrolments at the viewer's unit.

    Logs one `person.listed` entry per person shown (as person_list does).
    """
    today = today or dt.date.today()
    page = max(page, 1)
    rows, total = _person_page(
        viewer=viewer,
        ctx=ctx,
        filters=filters,
        limit=per_page,
        offset=(page - 1) * per_page,
        action="person.listed",
        today=today,
        count=True,
        only=_CASELOAD_FIELDS,
    )
    pages = max((total + per_page - 1) // per_page, 1)
    if not rows and total and page > pages:
        return caseload_page(viewer=viewer, ctx=ctx, filters=filters, page=pages, per_page=per_page, today=today)
    enrolments = _enrolments_shown(person_ids=[p.pk for p, _a in rows], unit_id=own_unit_id(viewer)) if rows else {}
    # One reverse() for the page instead of one per row.
    url_pattern = reverse("people:detail", kwargs={"person_id": _URL_PLACEHOLDER})
    placeholder = str(_URL_PLACEHOLDER)
    caseload_rows = []
    for person, _access in rows:
        shown = enrolments.get(person.pk, [])
        caseload_rows.append(
            CaseloadRow(
                age=age_on(birth_date=person.birth_date, today=today),
                url=url_pattern.replace(placeholder, str(person.pk)),
                name=f"{person.last_name}, {person.first_name}",
                protected=person.is_protected,
                born=person.birth_date.isoformat() if person.birth_date else "",
                projects=[f"{e.project}: {e.status}" for e in shown] or ["–"],
                coaches=[e.coach or "–" for e in shown] or ["–"],
            )
        )
    first = (page - 1) * per_page + 1 if rows else 0
    return CaseloadPage(
        rows=caseload_rows,
        total=total,
        page=page,
        pages=pages,
        first=first,
        last=first + len(rows) - 1 if rows else 0,
    )


def enrolment_projects(*, viewer: User, today: dt.date | None = None) -> QuerySet[Project]:
    """The projects a person can be enrolled in at the viewer's unit: the form's choices, and
    the only projects the service (and so the API) accepts for a new enrolment.

    A project that has not ended, and that either names the viewer's organisation among its
    organisations or names none (open to every organisation).
    """
    today = today or dt.date.today()
    running = Project.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    organisation_id = viewer.unit.organisation_id if viewer.unit is not None else None
    return running.filter(Q(organisations__isnull=True) | Q(organisations=organisation_id)).distinct().order_by("name")


def caseload_projects(*, viewer: User) -> QuerySet[Project]:
    """Projects with enrolments at the viewer's unit: the ORM form that caseload_project_choices
    (the caseload filter's choices, on the start page and the export) is tested against."""
    return Project.objects.filter(
        pk__in=Enrolment.objects.filter(unit_id=own_unit_id(viewer)).values("project_id")
    ).order_by("name")


def caseload_project_choices(*, viewer: User) -> list[tuple[uuid.UUID, str]]:
    """caseload_projects as (id, name), ties by id; read by hand (vagval.common.sql): the
    start page asks on every visit, and compiling the queryset cost more than running it."""
    unit_id = own_unit_id(viewer)
    p_id = sql.column(Project, "id", alias="p")
    statement = (
        f"SELECT {p_id}, {sql.column(Project, 'name', alias='p')} FROM {sql.table(Project)} p"  # noqa: S608 (names from the models)
        f" WHERE {p_id} IN (SELECT {sql.column(Enrolment, 'project')} FROM {sql.table(Enrolment)}"
        f" WHERE {sql.column(Enrolment, 'unit')} = %s)"
        f" ORDER BY {sql.column(Project, 'name', alias='p')}, {p_id}"
    )
    rows = sql.fetch(Project, statement, [sql.value(Enrolment, "unit", unit_id)])
    return [(sql.as_uuid(pk), name) for pk, name in rows]  # type: ignore[misc]


def person_get_for_change(*, viewer: User, person_id: uuid.UUID) -> PersonView:
    """A person the viewer may change, for the change forms (without enrolments).

    Raises NotFound when the viewer may not see the person and PermissionDenied when they may
    only read. Does not log: the page logs with person_view_record when it shows the record,
    and the service logs the change itself.
    """
    shown = scope_for(AccessContext(user=viewer), PURPOSE).person(person_id, need=Need.CHANGE, action=None)
    return PersonView(person=shown.person, access=shown.access)


def person_view_record(*, ctx: AccessContext, view: PersonView, action: str = "person.viewed") -> None:
    """Log that a page showed the person (for pages built on person_get_for_change)."""
    access_log_record(
        ctx=ctx, action=action, person_id=view.person.pk, basis=view.access.basis, consent_id=view.access.consent_id
    )


def person_export(
    *, viewer: User, ctx: AccessContext, filters: PersonFilters, today: dt.date | None = None
) -> list[tuple[Person, Enrolment | None]]:
    """The persons of a caseload filter for a CSV export: one row per enrolment at the viewer's unit.

    The same persons as the caseload list with the same filter (own unit, and under a valid
    consent), except that a person with protected personal data is never exported, for anyone.
    A person without a matching enrolment at the viewer's unit (a partner's view under consent)
    gets one row without enrolment. The caller writes only names, birth date, gender, project,
    status and coach: never the identity number or contact details. Logs one `person.exported`
    entry per exported person, with the basis and consent of the viewer's access.

    Raises PermissionDenied for viewers whose role never sees individuals (evaluator,
    administrator) or who have no unit.
    """
    if viewer.unit_id is None or viewer.role in ROLES_WITHOUT_PERSON_ACCESS or not viewer.is_active:
        raise PermissionDenied(_("Din roll ger inte tillgång till uppgifter om enskilda personer."))
    persons = list(
        _filtered(viewer=viewer, filters=filters, today=today or dt.date.today()).filter(protection=Protection.NONE)
    )
    grants = list_access(viewer=viewer, persons=persons)
    persons = [p for p in persons if p.pk in grants]
    if filters.query.strip() and _digits_query(filters.query.strip()) is not None:
        # As in person_list: a hit on a number is only for viewers who may see numbers.
        persons = [p for p in persons if grants[p.pk].sees_identity_number]
    enrolment_q = Q(person_id__in=[p.pk for p in persons], unit_id=own_unit_id(viewer))
    if filters.project_id:
        enrolment_q &= Q(project_id=filters.project_id)
    if filters.status:
        enrolment_q &= Q(status=filters.status)
    if filters.mine_only:
        enrolment_q &= Q(coach=viewer)
    enrolments: dict[uuid.UUID, list[Enrolment]] = {}
    for enrolment in (
        Enrolment.objects.filter(enrolment_q).select_related("project", "coach").order_by("project__name", "-starts_on")
    ):
        enrolments.setdefault(enrolment.person_id, []).append(enrolment)
    with transaction.atomic():
        access_log_record_many(
            ctx=ctx,
            action="person.exported",
            grants=[(p.pk, grants[p.pk].basis, grants[p.pk].consent_id) for p in persons],
        )
    rows: list[tuple[Person, Enrolment | None]] = []
    for person in persons:
        own = enrolments.get(person.pk)
        if own:
            rows.extend((person, enrolment) for enrolment in own)
        else:
            rows.append((person, None))
    return rows
