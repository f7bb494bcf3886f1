"""The one access check: may this viewer see this person, on what basis, and how much?

Every page, API endpoint, export and search decides visibility of a person here and
nowhere else. Two bases exist:

- own unit: the person has an enrolment or a register entry (a KAA/UVAS episode) at the
  viewer's unit (every unit is its own secrecy domain). The viewer sees every category.
- consent: a consent names the viewer's unit as recipient, is within its validity dates and
  is not withdrawn (as a whole or for that recipient). The viewer sees only the categories
  it covers. Protected persons are never shared with partners, whatever the consent says.

Consents are evaluated at query time, so withdrawal or expiry takes effect on the next request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access import unit_persons
from vagval.accounts.models import Role, User
from vagval.audit.models import AccessBasis
from vagval.common import sql
from vagval.common.errors import PermissionDenied
from vagval.consent.models import ALL_CATEGORIES, Consent, ConsentCategory, ConsentRecipient
from vagval.people.models import Enrolment, EnrolmentStatus, Person, Protection
from vagval.targetgroup.models import Episode

# Roles that never see an individual's identity through the person pages or API:
# the evaluator only gets pseudonymised data; a pure administrator manages the system; the
# data-protection officer sees persons only through a register extract (register_extract_access).
ROLES_WITHOUT_PERSON_ACCESS = frozenset({Role.EVALUATOR, Role.ADMIN, Role.DATA_PROTECTION})
# Roles that may change a person's record at their own unit.
ROLES_THAT_WRITE = frozenset({Role.COACH, Role.KAA, Role.PARTNER})


@dataclass(frozen=True)
class PersonAccess:
    person_id: uuid.UUID
    basis: str
    consent_id: uuid.UUID | None
    can_write: bool
    # Address and contact details: not for a protected person, except to the responsible coach.
    sees_contact_details: bool
    categories: frozenset[str] = ALL_CATEGORIES
    # Under consent: which consent opened each category (for the access log).
    consent_by_category: Mapping[str, uuid.UUID] = field(default_factory=dict)

    def may_see(self, category: str) -> bool:
        return category in self.categories

    def consent_for(self, category: str) -> uuid.UUID | None:
        return self.consent_by_category.get(category)

    @property
    def sees_identity_number(self) -> bool:
        return self.may_see(ConsentCategory.IDENTITY)


def own_unit_id(viewer: User) -> uuid.UUID:
    """The viewer's unit (their secrecy domain); users without one have no person access."""
    if viewer.unit_id is None:
        raise PermissionDenied(_("Du hör inte till någon enhet."))
    return viewer.unit_id


def may_see_persons(viewer: User) -> bool:
    """Whether the viewer may see any person at all (active, with a unit, in a role that does)."""
    return bool(viewer.is_active and viewer.unit_id and viewer.role not in ROLES_WITHOUT_PERSON_ACCESS)


# --- The consent rule, written once -------------------------------------------------------------
#
# Which consents are active: a consent opens access while it is not withdrawn and today lies
# between valid_from and valid_to, both days included; through one recipient row, while it is
# also not withdrawn for that recipient. The rule has three forms, each written here once and
# tested against each other in vagval/common/tests/test_sql.py: the ORM condition
# (consent_active_q, recipient_active_q), the SQL condition of the hand-written statements
# (consent_active_sql, recipient_active_sql) and the test on rows already loaded
# (consent_is_active, recipient_is_active).
#
# Which unit's secrecy a consent lifts: the secrecy of the unit that documented it
# (Consent.unit), towards the units it names as recipients, for the categories it covers. So a
# record kept by unit U (a plan, a note, a mapping) is disclosed to unit V only under an active
# consent documented by U that names V: disclosing_recipients and disclosures_to_unit.

# Newest consent first: the order in which consents are tried, and logged, everywhere.
NEWEST_CONSENT_FIRST = ("-consent__valid_from", "-consent__created_at")


def consent_active_q(*, today: dt.date, via: str = "") -> Q:
    """The ORM condition for an active consent; `via` reaches the consent from another model
    (`"consent__"` from a ConsentRecipient)."""
    return Q(**{f"{via}withdrawn_at__isnull": True, f"{via}valid_from__lte": today, f"{via}valid_to__gte": today})


def recipient_active_q(*, today: dt.date) -> Q:
    """The ORM condition for a ConsentRecipient that opens access today."""
    return Q(withdrawn_at__isnull=True) & consent_active_q(today=today, via="consent__")


def consent_active_sql(*, today: dt.date, alias: str = "") -> tuple[str, list[Any]]:
    """consent_active_q as SQL (see vagval.common.sql) on the Consent table (as `alias`), with its parameters."""

    c = sql.aliased(Consent, alias)

    condition = f"{c('withdrawn_at')} IS NULL AND {c('valid_from')} <= %s AND {c('valid_to')} >= %s"
    return condition, [sql.value(Consent, "valid_from", today), sql.value(Consent, "valid_to", today)]


def recipient_active_sql(*, today: dt.date, recipient_alias: str, consent_alias: str) -> tuple[str, list[Any]]:
    """recipient_active_q as SQL, for a statement that joins ConsentRecipient and Consent under these aliases."""
    consent_condition, params = consent_active_sql(today=today, alias=consent_alias)
    withdrawn = sql.column(ConsentRecipient, "withdrawn_at", alias=recipient_alias)
    return f"{withdrawn} IS NULL AND {consent_condition}", params


def newest_consent_first_sql(*, alias: str = "") -> str:
    """NEWEST_CONSENT_FIRST as an SQL ORDER BY list on the Consent table (as `alias`)."""
    return ", ".join(f"{sql.column(Consent, name, alias=alias)} DESC" for name in ("valid_from", "created_at"))


def consent_is_active(consent: Consent, *, today: dt.date | None = None) -> bool:
    """consent_active_q, for a consent already loaded."""
    today = today or timezone.localdate()
    return consent.withdrawn_at is None and consent.valid_from <= today <= consent.valid_to


def recipient_is_active(recipient: ConsentRecipient, *, today: dt.date | None = None) -> bool:
    """recipient_active_q, for a recipient already loaded (its consent too, e.g. by prefetching)."""
    return recipient.withdrawn_at is None and consent_is_active(recipient.consent, today=today)


def active_consent_recipients(*, unit_id: uuid.UUID, today: dt.date | None = None) -> QuerySet[ConsentRecipient]:
    """Recipient rows that open access for `unit_id` today: which consents are active for this unit."""
    return ConsentRecipient.objects.filter(recipient_active_q(today=today or timezone.localdate()), unit_id=unit_id)


def disclosing_recipients(
    *,
    person_id: uuid.UUID,
    to_unit_id: uuid.UUID | None = None,
    from_unit_id: uuid.UUID | None = None,
    today: dt.date | None = None,
) -> QuerySet[ConsentRecipient]:
    """The active recipient rows under which what `from_unit_id` keeps about the person may be
    disclosed to `to_unit_id`, newest consent first; either side None means any unit.

    The consent lifts the secrecy of the unit that documented it: `from_unit_id` is matched
    against Consent.unit, `to_unit_id` against the recipient.
    """
    rows = ConsentRecipient.objects.filter(
        recipient_active_q(today=today or timezone.localdate()), consent__person_id=person_id
    )
    if to_unit_id is not None:
        rows = rows.filter(unit_id=to_unit_id)
    if from_unit_id is not None:
        rows = rows.filter(consent__unit_id=from_unit_id)
    return rows.order_by(*NEWEST_CONSENT_FIRST)


@dataclass(frozen=True)
class Disclosure:
    """An active consent through which another unit's records about a person open to a unit."""

    consent_id: uuid.UUID
    from_unit_id: uuid.UUID  # the unit whose secrecy the consent lifts (the unit that documented it)
    categories: list[str]


def disclosures_to_unit(*, person_id: uuid.UUID, unit_id: uuid.UUID, today: dt.date | None = None) -> list[Disclosure]:
    """What other units keep about the person and may show `unit_id`: one Disclosure per active
    consent naming `unit_id`, newest first. The unit's own records need no consent, so the
    consents it documented itself are left out."""
    rows = (
        disclosing_recipients(person_id=person_id, to_unit_id=unit_id, today=today)
        .exclude(consent__unit_id=unit_id)
        .values_list("consent_id", "consent__unit_id", "consent__categories")
    )
    return [Disclosure(consent_id, from_unit_id, list(categories)) for consent_id, from_unit_id, categories in rows]


def visible_persons(*, viewer: User, today: dt.date | None = None) -> QuerySet[Person]:
    """All persons the viewer may see, as a queryset to filter further (lists, search, API).

    The query starts from the unit's own persons: `id IN (the unit's enrolments UNION ALL the
    persons of its active consents)`. That suits lists, counts and name search, where a filter
    on the person table alone would match a large share of the register (a name prefix such
    as "an" matches tens of thousands of persons, of whom the unit sees a handful); the cost
    grows with the unit's caseload instead of with the register. For a filter that narrows
    to a few rows by itself (an identity number), use visible_persons_per_row.
    """
    if not may_see_persons(viewer):
        return Person.objects.none()
    return Person.objects.filter(pk__in=_visible_ids(viewer, today, union_all=True), merged_into__isnull=True)


def _visible_ids(viewer: User, today: dt.date | None, *, union_all: bool, consents: bool = True) -> QuerySet[Any]:
    """The ids behind visible_persons: the unit's enrolments, register and active consents
    (protected persons left out of the consents; without them when `consents` is False),
    merged records not yet left out."""
    unit_id = own_unit_id(viewer)
    at_own_unit = Enrolment.objects.filter(unit_id=unit_id).order_by().values("person_id")
    in_own_register = Episode.objects.filter(unit_id=unit_id).order_by().values("person_id")
    if not consents:
        return at_own_unit.union(in_own_register, all=union_all)
    by_consent = (
        active_consent_recipients(unit_id=unit_id, today=today)
        .filter(consent__person__protection=Protection.NONE)
        .order_by()
        .values("consent__person_id")
    )
    return at_own_unit.union(in_own_register, by_consent, all=union_all)


def visible_ids_reach(*, viewer: User, count: int, today: dt.date | None = None) -> bool:
    """Whether the unit's enrolments, register episodes and active consents come to `count`
    rows, read from at most `count` index entries: a cheap bound on how large a share of the
    register the viewer sees, for choosing how to read a list (a person with both an
    enrolment and an episode counts twice, a merged or protected record counts), never a
    figure to show."""
    if count < 1:
        return True
    if not may_see_persons(viewer):
        return False
    unit_id = own_unit_id(viewer)
    at_own_unit = Enrolment.objects.filter(unit_id=unit_id).order_by().values("person_id")
    in_own_register = Episode.objects.filter(unit_id=unit_id).order_by().values("person_id")
    # Protected persons counted too: their test would join every consent to its person.
    by_consent = active_consent_recipients(unit_id=unit_id, today=today).order_by().values("consent__person_id")
    rows = at_own_unit.union(in_own_register, by_consent, all=True)
    return int(rows[:count].count()) >= count


def register_persons(*, unit_ids: Iterable[uuid.UUID]) -> QuerySet[Person]:
    """The persons in these units' own registers (a KAA or UVAS episode there), not merged.

    The register part of the own-unit basis that visible_persons gives a unit's users, for a
    system actor (accounts.system) that acts for the unit and has no unit of its own: the
    statutory KAA statistics run from the command line. The caller logs each person it reads
    with the actor's name and basis own unit.
    """
    in_register = Episode.objects.filter(unit_id__in=list(unit_ids)).order_by().values("person_id")
    return Person.objects.filter(pk__in=in_register, merged_into__isnull=True)


def visible_persons_per_row(*, viewer: User, today: dt.date | None = None) -> QuerySet[Person]:
    """The same persons as visible_persons, tested row by row (EXISTS) instead of as a set.

    For filters that by themselves narrow the register to a few rows (an identity number or
    a birth-date prefix of one, a primary key): each candidate costs two index probes, while
    visible_persons would first collect every person of the unit.
    """
    if not may_see_persons(viewer):
        return Person.objects.none()
    unit_id = own_unit_id(viewer)
    at_own_unit = Enrolment.objects.filter(person=OuterRef("pk"), unit_id=unit_id)
    in_own_register = Episode.objects.filter(person=OuterRef("pk"), unit_id=unit_id)
    by_consent = active_consent_recipients(unit_id=unit_id, today=today).filter(consent__person=OuterRef("pk"))
    return Person.objects.filter(
        Q(Exists(at_own_unit)) | Q(Exists(in_own_register)) | (Q(Exists(by_consent)) & Q(protection=Protection.NONE)),
        merged_into__isnull=True,
    )


def visible_person_sql(*, viewer: User, person: str, today: dt.date | None = None) -> tuple[str, list[Any]]:
    """visible_persons_per_row as an SQL condition on `person`, a column of a hand-written
    statement that holds a person's id (see vagval.common.sql), with its parameters.

    For a statement that tests the persons of many rows at once (the to-do list's page): the
    ORM query cost more to build than the database spends on it. Tested against
    visible_persons_per_row (access/tests/test_visible_query_shapes.py).
    """
    if not may_see_persons(viewer):
        return "1 = 0", []
    own, consented = _bases(viewer, today)
    vp = sql.column(Person, "id", alias="vp")
    condition = (
        f"EXISTS (SELECT 1 FROM {sql.table(Person)} vp WHERE {vp} = {person}"  # noqa: S608 (names from the models)
        f" AND {sql.column(Person, 'merged_into', alias='vp')} IS NULL"
        f" AND ({own.present(vp)}"
        f" OR ({sql.column(Person, 'protection', alias='vp')} = %s AND {consented.present(vp)})))"
    )
    params = [*own.params, sql.value(Person, "protection", Protection.NONE), *consented.params]
    return condition, params


@dataclass(frozen=True)
class _Basis:
    """One basis of the own-unit or consent rule as SQL pieces: the person id `column` of the
    rows `source` (FROM … WHERE, narrowed to the viewer's unit) with its `params`."""

    column: str
    source: str
    params: list[Any]

    def ids(self, *, distinct: bool = False) -> str:
        return f"SELECT {'DISTINCT ' if distinct else ''}{self.column} AS person_id {self.source}"

    def probe(self, person: str) -> str:
        """True when `person` has such a row: one index probe, as a scalar subquery (never hashed)."""
        return f"(SELECT 1 {self.source} AND {self.column} = {person} LIMIT 1) IS NOT NULL"

    def present(self, person: str) -> str:
        """`person` has such a row, as EXISTS: the database may join it (semi join)."""
        return f"EXISTS (SELECT 1 {self.source} AND {self.column} = {person})"

    def absent(self, person: str) -> str:
        """`person` has no such row, as NOT EXISTS: the database may join it (anti join)."""
        return f"NOT {self.present(person)}"


def _bases(viewer: User, today: dt.date | None, *, recipients_first: bool = False) -> tuple[_Basis, _Basis]:
    """The unit's own persons (its enrolments and register, as the table of
    access.unit_persons keeps them: one index entry per person) and its active consents: the
    bases of visible_persons for the hand-written forms of the rule below. The ORM forms
    above read the enrolments and episodes themselves, so each test that compares the two
    also checks the kept table.

    `recipients_first` (SQLite only, for a statement that reads every active consent of the
    unit): SQLite's CROSS JOIN keeps the tables in the order written, from the unit's
    recipients to their consents; left to itself, SQLite read every consent in the country in
    person order for the DISTINCT and looked for the unit among its recipients (the big city,
    which no consent names: 45 ms per count; the partner 77 -> 45 ms). Never for a probe of
    one person, which must start from that person's consents."""
    unit_id = own_unit_id(viewer)
    join = "CROSS JOIN" if recipients_first else "JOIN"

    c = sql.aliased(Consent, "vc")

    r = sql.aliased(ConsentRecipient, "vr")

    active, active_params = recipient_active_sql(
        today=today or timezone.localdate(), recipient_alias="vr", consent_alias="vc"
    )
    own_column, own_source = unit_persons.own_unit_source("vo")
    return (
        _Basis(own_column, own_source, [sql.value(Enrolment, "unit", unit_id)]),
        _Basis(
            c("person"),
            f"FROM {sql.table(ConsentRecipient)} vr {join} {sql.table(Consent)} vc ON {c('id')} = {r('consent')}"
            f" WHERE {r('unit')} = %s AND {active}",
            [sql.value(ConsentRecipient, "unit", unit_id), *active_params],
        ),
    )


def _unprotected_sql(person: str) -> tuple[str, list[Any]]:
    """The person is not protected, from its row: for the few rows a consent would admit."""
    p = sql.column(Person, "id", alias="vp")
    protection = sql.column(Person, "protection", alias="vp")
    condition = f"(SELECT {protection} FROM {sql.table(Person)} vp WHERE {p} = {person}) = %s"  # noqa: S608 (names from the models)
    return condition, [sql.value(Person, "protection", Protection.NONE)]


def visible_person_probe_sql(*, viewer: User, person: str, today: dt.date | None = None) -> tuple[str, list[Any]]:
    """visible_persons_per_row as an SQL condition on `person`, the id of a person row already
    known not to be merged (a walk of the index person_name_order_unmerged), with its parameters.

    Each basis is one index probe for this person, written as a scalar subquery with LIMIT 1:
    PostgreSQL may turn an EXISTS into a hash of the unit's whole set (a city's 114,000 ids),
    never a scalar subquery. For a walk that tests a few hundred rows; a walk of many thousand
    rows is cheaper with visible_person_member_sql. Tested against visible_persons
    (access/tests/test_visible_query_shapes.py).
    """
    if not may_see_persons(viewer):
        return "1 = 0", []
    own, consented = _bases(viewer, today)
    unprotected, unprotected_params = _unprotected_sql(person)
    condition = f"({own.probe(person)} OR ({consented.probe(person)} AND {unprotected}))"
    return condition, [*own.params, *consented.params, *unprotected_params]


def visible_person_member_sql(*, viewer: User, person: str, today: dt.date | None = None) -> tuple[str, list[Any]]:
    """visible_person_probe_sql as membership in the unit's sets: `person IN (the unit's
    enrolments and register) OR (person IN (its active consents) AND not protected)`.

    PostgreSQL reads each set once into a hash (from the indexes on unit and person) and tests
    every row against it: for a walk of tens of thousands of rows (a deep page of a city's
    list), where one probe per row and basis would cost more. The same condition on an
    unmerged person; tested against visible_persons.
    """
    if not may_see_persons(viewer):
        return "1 = 0", []
    own, consented = _bases(viewer, today)
    unprotected, unprotected_params = _unprotected_sql(person)
    condition = f"({person} IN ({own.ids()}) OR ({person} IN ({consented.ids()}) AND {unprotected}))"
    return condition, [*own.params, *consented.params, *unprotected_params]


def visible_persons_count(*, viewer: User, today: dt.date | None = None) -> int:
    """visible_persons(viewer).count(), without reading a person row for each visible person.

    One hand-written statement (see vagval.common.sql): the persons the unit sees on its own
    basis, one index range of the table that access.unit_persons keeps (a city's 114,000
    without merging the enrolments with the register), plus those of its active consents
    without it and not protected (the few protected persons from the index person_protected,
    not a person row per consent: the partner's 20,000), less the merged records that any
    basis names. Tested against visible_persons (access/tests/test_visible_query_shapes.py).
    """
    if not may_see_persons(viewer):
        return 0
    if connection.vendor == "sqlite":
        return visible_persons_count_unmerged_first(viewer=viewer, today=today)
    own, consented = _bases(viewer, today)
    pp, pm = sql.column(Person, "id", alias="pp"), sql.column(Person, "id", alias="pm")
    protected = (
        f"SELECT {pp} FROM {sql.table(Person)} pp WHERE NOT ({sql.column(Person, 'protection', alias='pp')} = %s)"  # noqa: S608 (names from the models)
    )
    visible, visible_params = visible_person_probe_sql(viewer=viewer, person=pm, today=today)
    statement = (
        f"SELECT (SELECT COUNT(*) {own.source})"  # noqa: S608 (as above)
        f" + (SELECT COUNT(*) FROM (SELECT DISTINCT {consented.column} {consented.source}"
        f" AND {consented.column} NOT IN ({protected}) AND {own.absent(consented.column)}) n3)"
        f" - (SELECT COUNT(*) FROM {sql.table(Person)} pm"
        f" WHERE {sql.column(Person, 'merged_into', alias='pm')} IS NOT NULL AND {visible})"
    )
    params = [
        *own.params,
        *consented.params,
        sql.value(Person, "protection", Protection.NONE),
        *own.params,
        *visible_params,
    ]
    ((count,),) = sql.fetch(Person, statement, params)
    return int(count)


def visible_persons_count_unmerged_first(*, viewer: User, today: dt.date | None = None) -> int:
    """visible_persons_count as SQLite reads it cheaply: the unit's own persons not merged (one
    range of the kept table's name-order index, which holds only those), plus the persons of
    its active consents that are neither its own nor protected nor merged, each tested by a
    probe of its person row.

    visible_persons_count leaves the merged records out afterwards, testing every merged
    record of the register; SQLite does not find them from an index (its statistics count
    every NULL of merged_into as one value) and scanned the register's 2,000,000 rows, 430 ms
    of every page of everyone at the unit (benchmarks/bench_list_pages.py). The same number,
    tested against visible_persons on SQLite and PostgreSQL
    (access/tests/test_visible_query_shapes.py).
    """
    if not may_see_persons(viewer):
        return 0
    own, consented = _bases(viewer, today, recipients_first=_on_sqlite())
    person = consented.column
    statement = (
        f"SELECT ({unit_persons.own_unmerged_count_sql('vu')})"  # noqa: S608 (names from the models)
        f" + (SELECT COUNT(*) FROM (SELECT DISTINCT {person} {consented.source}"
        f" AND {own.absent(person)} AND {_sqlite_unprotected_unmerged(person)}) n3)"
    )
    params = [*own.params, *consented.params, *own.params]
    ((count,),) = sql.fetch(Person, statement, params)
    return int(count)


def _sqlite_unprotected_unmerged(person: str) -> str:
    """`person` is neither protected nor merged, as SQLite reads it cheaply: a probe of each of
    the small partial indexes person_protected and person_merged (their conditions written as
    the indexes hold them, so SQLite may read them), not the person's row. For the partner's
    20,000 consents: 130 -> 60 ms of CPU on the national set (a row each is a random read)."""
    p = sql.table(Person)
    vh, vm = sql.column(Person, "id", alias="vh"), sql.column(Person, "id", alias="vm")
    # A literal, not a parameter: SQLite uses a partial index only where the statement's own
    # terms imply the index's condition. The value is a constant of the model, never input.
    none = Protection.NONE.value
    # SQLite is told the index; PostgreSQL (where the form is tested too) has no INDEXED BY.
    protected, merged = (" INDEXED BY person_protected", " INDEXED BY person_merged") if _on_sqlite() else ("", "")
    return (
        f"NOT EXISTS (SELECT 1 FROM {p} vh{protected} WHERE {vh} = {person}"  # noqa: S608 (names from the models)
        f" AND NOT ({sql.column(Person, 'protection', alias='vh')} = '{none}'))"
        f" AND NOT EXISTS (SELECT 1 FROM {p} vm{merged} WHERE {vm} = {person}"
        f" AND {sql.column(Person, 'merged_into', alias='vm')} IS NOT NULL)"
    )


def _on_sqlite() -> bool:
    return connection.vendor == "sqlite"


def sees_only_own_persons(*, viewer: User, today: dt.date | None = None) -> bool:
    """Whether no active consent names the viewer's unit, so that it sees exactly its own
    persons that are not merged (most units): then own_persons_in_name_order_sql is its list."""
    if not may_see_persons(viewer):
        return False
    _own, consented = _bases(viewer, today)
    return not sql.fetch(Person, f"SELECT 1 {consented.source} LIMIT 1", consented.params)


def own_persons_in_name_order_sql(*, viewer: User) -> tuple[str, list[Any]]:
    """The unit's own persons, not merged, in NAME_ORDER, as an SQL SELECT of ids with its
    parameters: visible_persons in the list's order for a unit that sees_only_own_persons,
    read from the kept table's index in that order (access.unit_persons), so a deep page
    skips index entries instead of testing the register's rows. Tested against visible_persons."""
    statement = unit_persons.own_in_name_order_sql("vn")
    return statement, [sql.value(Enrolment, "unit", own_unit_id(viewer))]


def visible_persons_enrolled(*, viewer: User, enrolment: Q) -> QuerySet[Person]:
    """The persons with an enrolment at the viewer's unit that matches `enrolment` (e.g. project,
    status or coach): visible_persons narrowed to `id IN (those enrolments)`.

    Such an enrolment is itself the own-unit basis of visible_persons, so the result is the same
    set without the test against every basis: a cheaper query to build, compile and run (the
    caseload's default "mine only" list). The caller still asks list_access for the rows it shows.
    """
    if not may_see_persons(viewer):
        return Person.objects.none()
    enrolled = Enrolment.objects.filter(enrolment, unit_id=own_unit_id(viewer)).order_by().values("person_id")
    return Person.objects.filter(pk__in=enrolled, merged_into__isnull=True)


def visible_own_register(*, viewer: User) -> QuerySet[Episode]:
    """The episodes in the viewer's unit's own register whose person the viewer may see.

    Such an episode is itself the own-unit basis of visible_persons, so these are the unit's
    episodes with `person_id IN visible_persons`, without collecting the unit's whole visible
    set first: only merged records are left out. The outreach worklist ranks every open
    episode of a city's unit (tens of thousands) on each visit. The caller still asks
    list_access for the rows it shows.

    Merged records are left out by NOT EXISTS rather than a join, so the database checks the
    few merged records instead of reading every episode's person row: the worklist counts a
    city's open episodes from an index on the episodes alone.
    """
    if not may_see_persons(viewer):
        return Episode.objects.none()
    if connection.vendor == "sqlite":
        return visible_own_register_kept(viewer=viewer)
    return Episode.objects.filter(~_merged_person(), unit_id=own_unit_id(viewer))


def hidden_own_register(*, viewer: User) -> QuerySet[Episode]:
    """The episodes of the viewer's unit's own register that visible_own_register leaves out:
    the two together are the unit's whole register, so a count of the visible ones is the
    unit's count less these. A city's 100,000 open episodes are then counted from an index on
    the episodes alone, with no test of each one's person (the anti-join took half the outreach
    worklist's count); these few are found from the merged records' index (on SQLite from the
    merged records' ids, as visible_own_register_kept)."""
    own = Episode.objects.filter(unit_id=own_unit_id(viewer))
    if not may_see_persons(viewer):
        return own
    if connection.vendor == "sqlite":
        return own.filter(person_id__in=_merged_ids())
    return own.filter(_merged_person())


def _merged_person() -> Exists:
    """The episode's person is a merged record (which no list shows)."""
    return Exists(Person.objects.filter(pk=OuterRef("person_id"), merged_into__isnull=False))


def _merged_ids() -> QuerySet[Person, Any]:
    """The register's merged records (which no list shows), as a list of ids SQLite reads once
    from the index on merged_into, whose NULLs it skips: merges are rare (none in the national
    set). The kept table's merged persons of the unit, the list this replaced, cost a read of
    the unit's every kept row (the big city's 114,000: 11 ms, twice per worklist)."""
    return Person.objects.filter(merged_into__isnull=False).values("pk")


def visible_own_register_kept(*, viewer: User) -> QuerySet[Episode]:
    """visible_own_register as SQLite reads it cheaply: the merged records left out as a list of
    ids SQLite reads once (_merged_ids), instead of a probe of the person row for each episode
    (the big city's 100,000 open episodes: 828 -> 128 ms for the worklist's count). The same episodes, tested
    against visible_persons on SQLite and PostgreSQL (access/tests/test_visible_own_register.py)."""
    if not may_see_persons(viewer):
        return Episode.objects.none()
    return Episode.objects.filter(unit_id=own_unit_id(viewer)).exclude(person_id__in=_merged_ids())


def responsible_enrolments(*, viewer: User) -> QuerySet[Enrolment]:
    """The enrolments the viewer is responsible coach for right now (not ended): the rule for
    who sees a protected person's contact details and whereabouts."""
    return Enrolment.objects.filter(coach=viewer).exclude(status=EnrolmentStatus.ENDED)


def responsible_person_ids(*, viewer: User, person_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of these persons, those for whom the viewer is the responsible coach right now."""
    return set(
        responsible_enrolments(viewer=viewer)
        .filter(person_id__in=list(person_ids))
        .order_by()
        .values_list("person_id", flat=True)
    )


def is_responsible_coach(*, viewer: User, person: Person) -> bool:
    return bool(responsible_person_ids(viewer=viewer, person_ids=[person.pk]))


def _own_unit_access(person: Person, *, can_write: bool, responsible: bool) -> PersonAccess:
    return PersonAccess(
        person_id=person.pk,
        basis=AccessBasis.OWN_UNIT,
        consent_id=None,
        can_write=can_write,
        sees_contact_details=(not person.is_protected) or responsible,
    )


def _consent_access(person: Person, rows: list[tuple[uuid.UUID, list[str]]]) -> PersonAccess:
    """Access under one or more consents: the union of their categories, newest consent first."""
    by_category: dict[str, uuid.UUID] = {}
    for consent_id, categories in rows:
        for category in categories:
            by_category.setdefault(category, consent_id)
    return PersonAccess(
        person_id=person.pk,
        basis=AccessBasis.CONSENT,
        consent_id=rows[0][0],
        can_write=False,
        sees_contact_details=ConsentCategory.IDENTITY in by_category,
        categories=frozenset(by_category),
        consent_by_category=by_category,
    )


def _consent_rows(
    unit_id: uuid.UUID, person_ids: list[uuid.UUID], today: dt.date | None = None
) -> dict[uuid.UUID, list[tuple[uuid.UUID, list[str]]]]:
    """Per person: the (consent, categories) that active_consent_recipients opens for the unit,
    newest first (NEWEST_CONSENT_FIRST).

    Hand-written (see vagval.common.sql) with the rule's SQL form (recipient_active_sql):
    a number search that finds a person of another unit asks this for one person, and the ORM
    query cost ten times what the database spends on it. common/tests/test_sql.py compares the two.
    """
    today = today or timezone.localdate()

    c = sql.aliased(Consent, "c")

    r = sql.aliased(ConsentRecipient, "r")

    active, active_params = recipient_active_sql(today=today, recipient_alias="r", consent_alias="c")
    statement = (
        f"SELECT {c('person')}, {c('id')}, {c('categories')}"  # noqa: S608 (names from the models)
        f" FROM {sql.table(ConsentRecipient)} r JOIN {sql.table(Consent)} c ON {c('id')} = {r('consent')}"
        f" WHERE {r('unit')} = %s AND {active}"
        f" AND {c('person')} IN ({sql.placeholders(len(person_ids))})"
        f" ORDER BY {newest_consent_first_sql(alias='c')}"
    )
    params = [
        sql.value(ConsentRecipient, "unit", unit_id),
        *active_params,
        *sql.values(Consent, "person", person_ids),
    ]
    read_categories = sql.reader(Consent, "categories")
    rows: dict[uuid.UUID, list[tuple[uuid.UUID, list[str]]]] = {}
    for person_id, consent_id, categories in sql.fetch(Consent, statement, params):
        key: uuid.UUID = sql.as_uuid(person_id)  # type: ignore[assignment]
        rows.setdefault(key, []).append((sql.as_uuid(consent_id), list(read_categories(categories))))  # type: ignore[arg-type]
    return rows


_OWN, _RESPONSIBLE = 0, 1


def _own_and_responsible(
    *, viewer: User, unit_id: uuid.UUID, person_ids: list[uuid.UUID], protected_ids: list[uuid.UUID]
) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """Of these persons: those with an enrolment or a register episode at the unit, and (of the
    protected ones) those the viewer is responsible coach for, as responsible_person_ids says.

    One hand-written statement (see vagval.common.sql): every list page asks this for its 50
    rows, and the two or three ORM querysets with IN lists of 50 ids cost ten times what the
    database spends on them.
    """
    e_person, r_person = sql.column(Enrolment, "person"), sql.column(Episode, "person")
    marks = sql.placeholders(len(person_ids))
    unit = sql.value(Enrolment, "unit", unit_id)
    persons = sql.values(Enrolment, "person", person_ids)
    statement = (
        f"SELECT {e_person}, {_OWN} FROM {sql.table(Enrolment)}"  # noqa: S608 (names from the models)
        f" WHERE {sql.column(Enrolment, 'unit')} = %s AND {e_person} IN ({marks})"
        f" UNION SELECT {r_person}, {_OWN} FROM {sql.table(Episode)}"
        f" WHERE {sql.column(Episode, 'unit')} = %s AND {r_person} IN ({marks})"
    )
    params = [unit, *persons, unit, *persons]
    if protected_ids:
        statement += (
            f" UNION SELECT {e_person}, {_RESPONSIBLE} FROM {sql.table(Enrolment)}"  # noqa: S608 (as above)
            f" WHERE {sql.column(Enrolment, 'coach')} = %s AND {sql.column(Enrolment, 'status')} <> %s"
            f" AND {e_person} IN ({sql.placeholders(len(protected_ids))})"
        )
        params += [sql.value(Enrolment, "coach", viewer.pk), EnrolmentStatus.ENDED]
        params += sql.values(Enrolment, "person", protected_ids)
    own: set[uuid.UUID] = set()
    responsible: set[uuid.UUID] = set()
    for person_id, kind in sql.fetch(Enrolment, statement, params):
        (own if kind == _OWN else responsible).add(sql.as_uuid(person_id))  # type: ignore[arg-type]
    return own, responsible


def person_access(*, viewer: User, person: Person) -> PersonAccess | None:
    """The viewer's access to one person, or None when they may not know the person exists."""
    return list_access(viewer=viewer, persons=[person]).get(person.pk)


def list_access(*, viewer: User, persons: list[Person]) -> dict[uuid.UUID, PersonAccess]:
    """Access for each of these persons the viewer may see, in at most four queries."""
    if not may_see_persons(viewer):
        return {}
    unit_id = own_unit_id(viewer)
    candidates = [p for p in persons if p.merged_into_id is None]
    if not candidates:
        return {}
    ids = [p.pk for p in candidates]
    # Being the responsible coach only matters for a protected person's contact details.
    protected = [p.pk for p in candidates if p.is_protected]
    own, responsible = _own_and_responsible(viewer=viewer, unit_id=unit_id, person_ids=ids, protected_ids=protected)
    shared_ids = [p.pk for p in candidates if p.pk not in own and not p.is_protected]
    consents = _consent_rows(unit_id, shared_ids) if shared_ids else {}
    can_write = viewer.can_write and viewer.role in ROLES_THAT_WRITE  # the same for every person at the unit
    result: dict[uuid.UUID, PersonAccess] = {}
    for person in candidates:
        if person.pk in own:
            result[person.pk] = _own_unit_access(person, can_write=can_write, responsible=person.pk in responsible)
        elif person.pk in consents:
            result[person.pk] = _consent_access(person, consents[person.pk])
    return result


def may_make_register_extracts(viewer: User) -> bool:
    """The data-protection officer's cross-unit basis (registerutdrag): nobody else has it."""
    return bool(viewer.is_active and viewer.role == Role.DATA_PROTECTION)


def register_extract_access(*, viewer: User, person: Person) -> PersonAccess | None:
    """Access to one person record for a register extract (GDPR art. 15) or a legal hold: every
    unit's record, every category, read only; None for anyone but the data-protection officer."""
    if not may_make_register_extracts(viewer):
        return None
    return PersonAccess(
        person_id=person.pk,
        basis=AccessBasis.REGISTER_EXTRACT,
        consent_id=None,
        can_write=False,
        sees_contact_details=True,
    )


def consent_opening(*, viewer: User, person: Person, category: str, disclosing_unit_id: uuid.UUID) -> uuid.UUID | None:
    """The consent that lets the viewer see `category` held by another unit, or None.

    A record kept by unit U (a plan, a note) is disclosed to the viewer only under an active
    consent documented by U that names the viewer's unit and covers the category
    (disclosing_recipients). Protected persons are never shared.
    """
    if not may_see_persons(viewer) or person.is_protected or person.merged_into_id is not None:
        return None
    rows = disclosing_recipients(
        person_id=person.pk, to_unit_id=own_unit_id(viewer), from_unit_id=disclosing_unit_id
    ).values_list("consent_id", "consent__categories")
    for consent_id, categories in rows:
        if category in categories:
            return consent_id
    return None


def disclosed_records(
    *, viewer: User, category: str, today: dt.date | None = None, person_id: uuid.UUID | None = None
) -> dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID]:
    """The records of other units that active consents disclose to the viewer's unit for
    `category`, as (person, keeping unit) → the newest consent that opens them.

    consent_opening for a list: the same rule (a consent documented by the keeping unit, naming
    the viewer's unit, covering the category; protected persons never), asked once for all the
    records a list page or the API may show (e.g. placements under the category "plan").
    `person_id` asks about one person only (a person page: a unit may hold thousands of consents).
    """
    if not may_see_persons(viewer):
        return {}
    recipients = active_consent_recipients(unit_id=own_unit_id(viewer), today=today)
    if person_id is not None:
        recipients = recipients.filter(consent__person_id=person_id)
    rows = (
        recipients.filter(consent__person__protection=Protection.NONE, consent__person__merged_into__isnull=True)
        .order_by(*NEWEST_CONSENT_FIRST)
        .values_list("consent__person_id", "consent__unit_id", "consent_id", "consent__categories")
    )
    found: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID] = {}
    for person_id, unit_id, consent_id, categories in rows:
        if category in categories and unit_id != viewer.unit_id:
            found.setdefault((person_id, unit_id), consent_id)
    return found
