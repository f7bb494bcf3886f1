"""Reads for outreach: the unit's worklist, a person's outreach section and the contact follow-up.

Outreach is the unit's own work: only the KAA-ansvarig and coaches of the unit that holds the
person's register entry (or enrolment) see it, decided by vagval.access.checks. Persons seen
under a partner's consent get no outreach data.
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from vagval.access.checks import (
    PersonAccess,
    hidden_own_register,
    list_access,
    responsible_enrolments,
    visible_own_register,
)
from vagval.access.scope import scope_for
from vagval.accounts.models import Role, User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record_many
from vagval.common import sql
from vagval.common.errors import NotFound, PermissionDenied
from vagval.common.workdays import add_working_days, working_days_between
from vagval.kaa.models import Measure
from vagval.outreach.models import ContactAttempt, Occupation, Outcome
from vagval.people.models import Person, Protection
from vagval.registers.models import StudyEntry
from vagval.targetgroup.models import Episode, TargetGroupSetting, TargetList

OUTREACH_ROLES = frozenset({Role.KAA, Role.COACH})
PERSON_NOT_FOUND = gettext_lazy("Personen finns inte eller så saknar du behörighet.")
PURPOSE = "outreach"  # the scope's purpose for outreach pages and services
NOT_OUTREACH_ROLE = gettext_lazy("Uppsökande arbete är för KAA-ansvariga och coacher.")
READ_ONLY = gettext_lazy("Du har endast läsbehörighet.")


# --- Who may do outreach ----------------------------------------------------------------------


def require_outreach_viewer(viewer: User) -> uuid.UUID:
    """The viewer's unit, when the viewer does outreach (KAA-ansvarig or coach with a unit)."""
    if viewer.role not in OUTREACH_ROLES or viewer.unit_id is None:
        raise PermissionDenied(NOT_OUTREACH_ROLE)
    return viewer.unit_id


def outreach_person(*, viewer: User, person_id: uuid.UUID, write: bool = False) -> tuple[Person, PersonAccess]:
    """The person and the viewer's access, when the person is the viewer's unit's own person.

    404 when the viewer may not know the person (or sees them only under consent: outreach is
    the unit's own work and never disclosed); 403 for other roles and, when writing, read-only users.
    """
    shown = scope_for(AccessContext(user=viewer), PURPOSE).person(
        person_id, action=None, related=(), not_found=PERSON_NOT_FOUND
    )
    person, access = shown.person, shown.access
    if access.basis != AccessBasis.OWN_UNIT:
        raise NotFound(PERSON_NOT_FOUND)
    require_outreach_viewer(viewer)
    if write and not access.can_write:
        raise PermissionDenied(READ_ONLY)
    return person, access


def first_contact_workdays(*, unit_id: uuid.UUID) -> int:
    """The unit's target for first contact, from its municipality's setting (no row: the setting's default)."""
    setting = TargetGroupSetting.objects.filter(municipality__organisations__units=unit_id).first()
    return (setting or TargetGroupSetting()).first_contact_workdays


def open_episode(*, unit_id: uuid.UUID, person: Person) -> Episode | None:
    """The person's open episode at the unit (the newest, should there be one per list)."""
    return Episode.objects.filter(unit_id=unit_id, person=person, closed_on__isnull=True).order_by("-opened_on").first()


def target_missed(*, deadline: dt.date, first_reached_on: dt.date | None, today: dt.date) -> bool:
    """No contact with outcome 'nådd' by the deadline (target working days after identification).

    True once the deadline has passed without such a contact, and stays true for a person
    reached late (the target was missed); a person reached in time never is.
    """
    if first_reached_on is None:
        return today > deadline
    return first_reached_on > deadline


# --- Episode annotations shared by the worklist and the follow-up ----------------------------------


def _contacts_of() -> QuerySet[ContactAttempt]:
    return ContactAttempt.objects.filter(episode=OuterRef("pk")).order_by()


def _first_measure_on() -> Subquery:
    measures = Measure.objects.filter(
        unit=OuterRef("unit_id"), person=OuterRef("person_id"), starts_on__gte=OuterRef("opened_on")
    ).order_by()
    return Subquery(measures.values("person").annotate(first=Min("starts_on")).values("first")[:1])


def _with_contacts(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """The last attempt's outcome and the number of attempts, for the rows shown.

    The last contact's moment and the first that reached the person are the episode's own
    columns (last_contact_at, first_reached_at, kept by outreach.services.episode_contacts_keep).
    """
    last = _contacts_of().order_by("-made_at")
    return episodes.annotate(
        last_outcome=Subquery(last.values("outcome")[:1]),
        attempts=Coalesce(
            Subquery(_contacts_of().values("episode").annotate(n=Count("pk")).values("n")[:1]),
            0,
            output_field=IntegerField(),
        ),
    )


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


# --- The worklist ---------------------------------------------------------------------------------


STATUS_NEVER = "aldrig"
STATUS_NOT_REACHED = "ej_nadd"
STATUS_REACHED = "nadd"
STATUS_OVER_TARGET = "over_malet"

WORKLIST_PAGE_SIZE = 50  # as the caseload's and the to-do list's pages
AGE_BANDS: dict[str, tuple[int, int]] = {"16-17": (16, 17), "18-19": (18, 19), "20-24": (20, 24), "25-29": (25, 29)}


@dataclass(frozen=True)
class WorklistFilters:
    status: str = ""
    target_list: str = ""
    age_band: str = ""
    school: str = ""
    reason: str = ""


@dataclass(frozen=True)
class WorklistRow:
    episode: Episode
    person: Person
    last_contact_at: dt.datetime | None
    last_outcome: str
    attempts: int
    workdays_since_identified: int
    over_target: bool

    @property
    def last_outcome_label(self) -> str:
        return str(Outcome(self.last_outcome).label) if self.last_outcome else ""


@dataclass(frozen=True)
class Worklist:
    rows: list[WorklistRow]
    total: int
    target_workdays: int
    over_target_count: int
    page: int
    pages: int
    first: int  # 1-based number of the first row shown (0 when empty)
    last: int


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _school_shown(viewer: User) -> Q:
    """Whose school a viewer may see: anyone's but a protected person's, whose school is a
    location for their responsible coach only."""
    responsible = responsible_enrolments(viewer=viewer).values("person_id")
    return Q(person__protection=Protection.NONE) | Q(person_id__in=responsible)


def _filtered(
    episodes: QuerySet[Episode], *, viewer: User, unit_id: uuid.UUID, filters: WorklistFilters, today: dt.date
) -> QuerySet[Episode]:
    if filters.target_list:
        episodes = episodes.filter(target_list=filters.target_list)
    if filters.reason:
        episodes = episodes.filter(open_code=filters.reason)
    if filters.age_band in AGE_BANDS:
        youngest, oldest = AGE_BANDS[filters.age_band]
        # Aged youngest..oldest today: born after today - (oldest + 1) years, on or before today - youngest years.
        episodes = episodes.filter(
            person__birth_date__gt=_years_ago(today, oldest + 1), person__birth_date__lte=_years_ago(today, youngest)
        )
    if filters.school:
        studies = StudyEntry.objects.filter(
            _school_shown(viewer),
            unit_id=unit_id,
            person=OuterRef("person_id"),
            present=True,
            school_unit=filters.school,
        )
        episodes = episodes.filter(Exists(studies))
    # Never contacted: no attempt, so no last contact.
    if filters.status == STATUS_NEVER:
        episodes = episodes.filter(last_contact_at__isnull=True)
    elif filters.status == STATUS_NOT_REACHED:
        episodes = episodes.filter(last_contact_at__isnull=False, first_reached_at__isnull=True)
    elif filters.status == STATUS_REACHED:
        episodes = episodes.filter(first_reached_at__isnull=False)
    return episodes


@dataclass(frozen=True)
class WorklistOptions:
    schools: list[str]
    reasons: list[str]


def worklist_options(*, viewer: User) -> WorklistOptions:
    """Choices for the worklist's school and reason filters, from the unit's open episodes."""
    unit_id = require_outreach_viewer(viewer)
    return WorklistOptions(
        schools=worklist_schools(viewer=viewer, unit_id=unit_id), reasons=worklist_reasons(unit_id=unit_id)
    )


def worklist_schools(*, viewer: User, unit_id: uuid.UUID) -> list[str]:
    """School units of the unit's open-episode persons in the latest studies snapshot (filter choices).

    Each study entry's person looked up among the open episodes (EXISTS), not the open
    episodes' persons collected (IN): SQLite walked that list, the big city's 100,000 persons,
    probing the studies for each (357 ms where the unit has no studies at all), where this
    reads the unit's studies. PostgreSQL plans both as the same semi-join. Compared with the IN
    form in test_worklist_schools.py.
    """
    on_list = Episode.objects.filter(unit_id=unit_id, closed_on__isnull=True, person_id=OuterRef("person_id"))
    return list(
        StudyEntry.objects.filter(_school_shown(viewer), Exists(on_list), unit_id=unit_id, present=True)
        .exclude(school_unit="")
        .order_by("school_unit")
        .values_list("school_unit", flat=True)
        .distinct()
    )


def worklist_reasons(*, unit_id: uuid.UUID) -> list[str]:
    """Reason codes on the unit's open episodes (filter choices), in order.

    A handful of codes over a city's 100,000 open episodes: found by _open_values from the
    index episode_open_reason (7 buffers at the big city, where the DISTINCT read and hashed
    every open episode: 977 buffers and 30–60 ms). Tested against the ORM's DISTINCT
    (worklist_reasons_orm) in outreach/tests/test_worklist_reasons.py.
    """
    return _open_values(unit_id=unit_id, name="open_code")


def _open_values(*, unit_id: uuid.UUID, name: str) -> list[Any]:
    """The distinct values of an episode column over the unit's open episodes, in order: each
    the least value after the last, one probe of a partial index on (unit, column) of open
    episodes (episode_open_reason, episode_open_identified) instead of every episode read."""
    value, unit, closed_on = (sql.column(Episode, field) for field in (name, "unit", "closed_on"))
    open_here = f"{unit} = %s AND {closed_on} IS NULL"
    statement = (
        f"WITH RECURSIVE found(v) AS ("  # noqa: S608 (names from the model, values as parameters)
        f" SELECT MIN({value}) FROM {sql.table(Episode)} WHERE {open_here}"
        f" UNION ALL SELECT (SELECT MIN({value}) FROM {sql.table(Episode)} WHERE {open_here} AND {value} > found.v)"
        f" FROM found WHERE found.v IS NOT NULL"
        f") SELECT v FROM found WHERE v IS NOT NULL"
    )
    unit_value = sql.value(Episode, "unit", unit_id)
    read = sql.reader(Episode, name)
    return [read(raw) for (raw,) in sql.fetch(Episode, statement, [unit_value, unit_value])]


def worklist_reasons_orm(*, unit_id: uuid.UUID) -> list[str]:
    """worklist_reasons as the ORM writes it (the reference its test compares with)."""
    return list(
        Episode.objects.filter(unit_id=unit_id, closed_on__isnull=True)
        .order_by("open_code")
        .values_list("open_code", flat=True)
        .distinct()
    )


# The worklist's ranking: never contacted first, then the longest since the last contact; ties by
# identification date, then name, then the episode (so that the page is the same on every read).
WORKLIST_RANKING = (
    F("last_contact_at").asc(nulls_first=True),
    "opened_on",
    "person__last_name",
    "person__first_name",
    "pk",
)


def worklist(
    *,
    viewer: User,
    ctx: AccessContext,
    filters: WorklistFilters,
    page: int = 1,
    per_page: int = WORKLIST_PAGE_SIZE,
    today: dt.date | None = None,
) -> Worklist:
    """One page of the unit's persons with an open episode, most urgent first; logs person.listed
    per row shown. A page past the last shows the last (as the caseload does).

    Ranked and cut to the page in the database (WORKLIST_RANKING, OFFSET/LIMIT) from the episode's
    kept last contact, so PostgreSQL reads the order from the index episode_open_worklist and
    stops after the page. The list's total and over-target count are counted (_counts) from
    that index alone, "over target" by target_missed's database mirror (_WorkdayClock.missed_q),
    which the status filter "över målet" uses too: no grouping, so the database hashes none of
    a city's 100,000 open episodes, and as the unit's whole register less the few episodes the
    viewer may not see (access.checks.hidden_own_register), so no episode's person is tested.
    Then only the rows shown are loaded with their contacts' outcome and count, and marked by
    target_missed.
    """
    unit_id = require_outreach_viewer(viewer)
    today = today or timezone.localdate()
    clock = _WorkdayClock(target=first_contact_workdays(unit_id=unit_id), today=today)

    def on_list(register: QuerySet[Episode]) -> QuerySet[Episode]:
        return _filtered(
            register.filter(closed_on__isnull=True), viewer=viewer, unit_id=unit_id, filters=filters, today=today
        )

    episodes = on_list(visible_own_register(viewer=viewer))
    # The identification dates of all the unit's open episodes: every date the list can hold.
    missed = clock.missed_sql(opened_dates=_open_values(unit_id=unit_id, name="opened_on"))
    # Counted as the unit's whole register less what the viewer may not see (the same filters).
    everything = _counts(on_list(Episode.objects.filter(unit_id=unit_id)), missed=missed)
    hidden = on_list(hidden_own_register(viewer=viewer))
    # Usually none (a merge moves the episodes): a plain count, and the CASE tree compiled
    # (about 5 ms of the ORM's time) only when there are some.
    hidden_counts = _counts(hidden, missed=missed) if hidden.exists() else (0, 0)
    total, over_target_count = everything[0] - hidden_counts[0], everything[1] - hidden_counts[1]
    if filters.status == STATUS_OVER_TARGET:
        episodes = episodes.filter(missed)
        total = over_target_count
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    offset = (page - 1) * per_page
    shown_ids = worklist_page_ids(episodes, offset=offset, limit=per_page)
    by_id = {
        episode.pk: episode
        for episode in _with_contacts(Episode.objects.filter(pk__in=shown_ids)).select_related("person")
    }
    rows = [_row(by_id[pk], clock=clock) for pk in shown_ids if pk in by_id]
    grants = list_access(viewer=viewer, persons=[row.person for row in rows])
    rows = [row for row in rows if row.person.pk in grants]
    access_log_record_many(
        ctx=ctx,
        action="person.listed",
        grants=((row.person.pk, grants[row.person.pk].basis, None) for row in rows),
        detail={"list": "outreach.worklist"},
    )
    return Worklist(
        rows=rows,
        total=total,
        target_workdays=clock.target,
        over_target_count=over_target_count,
        page=page,
        pages=pages,
        first=offset + 1 if rows else 0,
        last=offset + len(rows) if rows else 0,
    )


# The partial index the worklist's order is read from (targetgroup.models), named for SQLite's INDEXED BY.
WORKLIST_INDEX = "episode_open_worklist"


def worklist_page_ids(episodes: QuerySet[Episode], *, offset: int, limit: int) -> list[uuid.UUID]:
    """The ids of one page of the episodes in the worklist's order (WORKLIST_RANKING).

    PostgreSQL reads the order from the index episode_open_worklist and stops after the page.
    SQLite, given the unit's equality on several indexes, read the smaller episode_open_reason
    and sorted every open episode of the unit with its person's name (the big city's 100,000:
    810 ms of a 935 ms page), so it is told to read that index (_in_worklist_index): then it
    sorts only the episodes that share a last contact and identification date, until the page
    is full (about 20 ms). The same ids as the ORM's statement (test_worklist_page_ids.py).
    """
    ranked = episodes.order_by(*WORKLIST_RANKING).values_list("pk", flat=True)[offset : offset + limit]
    if connection.vendor != "sqlite":
        return list(ranked)
    read = sql.reader(Episode, "id")
    return [read(raw) for (raw,) in _in_worklist_index(ranked)]


def _counts(episodes: QuerySet[Episode], *, missed: Q | RawSQL) -> tuple[int, int]:
    """How many episodes, and how many of them over target (`missed`: _WorkdayClock.missed_sql),
    in one pass over the index episode_open_worklist and no grouping. COUNT(opened_on), never
    null, stands for COUNT(*), which takes no filter; the id is not in that index.

    SQLite read the other indexes on the unit and each episode's row for its dates (55-70 ms
    CPU for the big city), so it is told to read episode_open_worklist (21 ms): the same
    counts grouped by the unit, which every list has one of (test_worklist_counts.py)."""
    total, over = Count("opened_on"), Count("opened_on", filter=missed)
    episodes = episodes.order_by()
    if connection.vendor != "sqlite":
        counts = episodes.aggregate(total=total, over=over)
        return counts["total"], counts["over"]
    per_unit = episodes.values("unit_id").annotate(total=total, over=over).values_list("total", "over")
    rows = _in_worklist_index(per_unit)
    return (rows[0][0], rows[0][1]) if rows else (0, 0)


def _in_worklist_index(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list queryset of the unit's open episodes, read on SQLite from the
    index episode_open_worklist, named by INDEXED BY in the ORM's own statement (a partial
    index: the statement must hold the unit and closed_on IS NULL, as every list's does)."""
    try:
        statement, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # .none(): a viewer who may see no persons
        return []
    table = sql.table(Episode)
    statement = statement.replace(f"FROM {table} ", f"FROM {table} INDEXED BY {WORKLIST_INDEX} ", 1)
    return sql.fetch(Episode, statement, params)


class _WorkdayClock:
    """Working-day figures per identification date, computed once per date.

    Episodes opened by one import share their date, so a list of thousands of rows needs only
    a handful of day-by-day walks through the calendar.
    """

    def __init__(self, *, target: int, today: dt.date) -> None:
        self.target = target
        self.today = today
        self._since: dict[dt.date, int] = {}
        self._deadline: dict[dt.date, dt.date] = {}

    def since(self, opened_on: dt.date) -> int:
        if opened_on not in self._since:
            self._since[opened_on] = working_days_between(opened_on, self.today)
        return self._since[opened_on]

    def deadline(self, opened_on: dt.date) -> dt.date:
        if opened_on not in self._deadline:
            self._deadline[opened_on] = add_working_days(opened_on, self.target)
        return self._deadline[opened_on]

    def over_target(self, opened_on: dt.date, first_reached_on: dt.date | None) -> bool:
        return target_missed(deadline=self.deadline(opened_on), first_reached_on=first_reached_on, today=self.today)

    def missed_q(self, *, opened_dates: list[dt.date]) -> Q:
        """target_missed as a condition on episodes annotated with `first_reached_at`, for
        episodes identified on one of `opened_dates` (sorted): the database's mirror of the rule,
        compared with it in outreach/tests/test_worklist_paged.py.

        Not reached: missed once today is past the deadline. The deadline never moves back as
        the identification date moves on, so that is every episode identified on or before the
        last date whose deadline has passed. Reached: missed when the first contact that reached
        the person was made after the deadline's day ended (local time).
        """
        not_reached = Q(first_reached_at__isnull=True, opened_on__lte=self._last_opening_past_deadline())
        if not opened_dates:
            return not_reached
        return not_reached | Q(first_reached_at__gte=self._deadline_end(opened_dates))

    def missed_sql(self, *, opened_dates: list[dt.date]) -> RawSQL:
        """missed_q written as SQL on the episode table's columns, for the worklist's count and
        status filter: the same condition and CASE tree, built as text in well under a
        millisecond where the ORM took 5-8 ms to build and compile the tree's expressions for
        a city's 60-odd dates. Compared with missed_q in outreach/tests/test_worklist_paged.py."""
        opened, reached = (
            f"{sql.table(Episode)}.{sql.column(Episode, name)}" for name in ("opened_on", "first_reached_at")
        )
        condition = f"({reached} IS NULL AND {opened} <= %s)"
        params = [sql.value(Episode, "opened_on", self._last_opening_past_deadline())]
        if opened_dates:
            tree, tree_params = _step_sql(self._deadline_ends(opened_dates), opened=opened)
            condition = f"({condition} OR {reached} >= {tree})"
            params.extend(tree_params)
        return RawSQL(condition, params, output_field=BooleanField())  # noqa: S611 (columns from the model, values as parameters)

    def _last_opening_past_deadline(self) -> dt.date:
        # The deadline is at least `target` days after the identification: start the walk there.
        day = self.today - dt.timedelta(days=self.target + 1)
        while not self.today > self.deadline(day):
            day -= dt.timedelta(days=1)
        return day

    def _deadline_end(self, opened_dates: list[dt.date]) -> Case | Value:
        """For an episode's opened_on, the moment its deadline's day ends: a binary tree of CASEs
        over the dates (merged where they share a deadline, as Friday to Sunday do), so a row
        costs a few comparisons however many dates the list has."""
        return _step_function(self._deadline_ends(opened_dates))

    def _deadline_ends(self, opened_dates: list[dt.date]) -> list[tuple[dt.date, dt.datetime]]:
        """The last identification date of each run of dates sharing a deadline, with the moment
        that deadline's day ends."""
        ends: list[tuple[dt.date, dt.datetime]] = []
        for day in opened_dates:
            end = timezone.make_aware(dt.datetime.combine(self.deadline(day) + dt.timedelta(days=1), dt.time()))
            if ends and ends[-1][1] == end:
                ends[-1] = (day, end)
            else:
                ends.append((day, end))
        return ends


def _step_function(steps: list[tuple[dt.date, dt.datetime]]) -> Case | Value:
    """The value of the first step whose date is on or after opened_on (the last step's beyond)."""
    if len(steps) == 1:
        return Value(steps[0][1], output_field=DateTimeField())
    middle = len(steps) // 2
    return Case(
        When(opened_on__lte=steps[middle - 1][0], then=_step_function(steps[:middle])),
        default=_step_function(steps[middle:]),
        output_field=DateTimeField(),
    )


def _step_sql(steps: list[tuple[dt.date, dt.datetime]], *, opened: str) -> tuple[str, list[Any]]:
    """_step_function as SQL on the column `opened`, with its parameters."""
    if len(steps) == 1:
        return "%s", [sql.value(Episode, "first_reached_at", steps[0][1])]
    middle = len(steps) // 2
    left, left_params = _step_sql(steps[:middle], opened=opened)
    right, right_params = _step_sql(steps[middle:], opened=opened)
    day = sql.value(Episode, "opened_on", steps[middle - 1][0])
    return f"CASE WHEN {opened} <= %s THEN {left} ELSE {right} END", [day, *left_params, *right_params]


def _row(episode: Episode, *, clock: _WorkdayClock) -> WorklistRow:
    first_reached_on = _local_date(episode.first_reached_at)
    return WorklistRow(
        episode=episode,
        person=episode.person,
        last_contact_at=episode.last_contact_at,
        last_outcome=episode.last_outcome or "",  # type: ignore[attr-defined]
        attempts=episode.attempts,  # type: ignore[attr-defined]
        workdays_since_identified=clock.since(episode.opened_on),
        over_target=clock.over_target(episode.opened_on, first_reached_on),
    )


# --- The person section ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EpisodeTimes:
    """Time from identification to the first contact with outcome 'nådd' and to the first measure."""

    episode: Episode
    first_reached_on: dt.date | None
    workdays_to_contact: int | None
    first_measure_on: dt.date | None
    days_to_measure: int | None
    over_target: bool


@dataclass(frozen=True)
class PersonOutreach:
    person: Person
    contacts: list[ContactAttempt]
    occupations: list[Occupation]
    current_occupation: Occupation | None
    episodes: list[EpisodeTimes]
    target_workdays: int | None  # shown with the episodes' table only: None without episodes
    may_write: bool


def current_occupation(occupations: list[Occupation], *, today: dt.date) -> Occupation | None:
    """The latest entry that is not planned and has begun (from_date on or before today)."""
    started = [o for o in occupations if not o.planned and o.from_date <= today]
    return max(started, key=lambda o: (o.from_date, o.created_at), default=None)


def person_outreach(
    *, viewer: User, person: Person, access: PersonAccess, today: dt.date | None = None
) -> PersonOutreach | None:
    """The unit's outreach about one person for the person page, or None when the viewer has none.

    The person page has already checked access and logged person.viewed; this only decides
    whether the viewer's unit does outreach for them. Its rows are read with sql.fetch_equal (on
    every person page of a coach; the ORM's querysets cost 3 ms of Python for sections that are
    mostly empty), and the users and the unit's target only when there are rows that show them.
    test_person_outreach_reads compares them with the querysets they stand for.
    """
    if access.basis != AccessBasis.OWN_UNIT or viewer.role not in OUTREACH_ROLES or viewer.unit_id is None:
        return None
    unit_id = viewer.unit_id
    today = today or timezone.localdate()
    of_person = {"unit": unit_id, "person": person.pk}
    occupations = sql.fetch_equal(Occupation, of_person, order=("-from_date", "-created_at"))
    if not access.sees_contact_details:
        _hide_places(occupations)
    contacts = sql.fetch_equal(ContactAttempt, of_person, order=("-made_at",))
    makers = User.objects.in_bulk({c.made_by_id for c in contacts}) if contacts else {}
    for contact in contacts:
        contact.made_by = makers[contact.made_by_id]
    episodes = sql.fetch_equal(Episode, of_person, order=("-opened_on",))
    target = first_contact_workdays(unit_id=unit_id) if episodes else None
    return PersonOutreach(
        person=person,
        contacts=contacts,
        occupations=occupations,
        current_occupation=current_occupation(occupations, today=today),
        episodes=_person_episode_times(episodes, of_person=of_person, target=target, today=today),
        target_workdays=target,
        may_write=access.can_write,
    )


def _person_episode_times(
    episodes: list[Episode], *, of_person: dict[str, Any], target: int | None, today: dt.date
) -> list[EpisodeTimes]:
    """episode_times for the episodes already read: each one's first measure (_first_measure_on)
    from the person's measure starts at the unit, read once."""
    starts = [m.starts_on for m in sql.fetch_equal(Measure, of_person, fields=("starts_on",))] if episodes else []
    for episode in episodes:
        episode.first_measure_on = min((s for s in starts if s >= episode.opened_on), default=None)  # type: ignore[attr-defined]
    return [_times(episode, target=target, today=today) for episode in episodes if target is not None]


def _hide_places(occupations: list[Occupation]) -> None:
    """A protected person's workplace or school (in the description) is for the responsible coach only."""
    for occupation in occupations:
        occupation.description = ""  # shown, never saved


def episode_times(*, unit_id: uuid.UUID, person: Person, target: int, today: dt.date) -> list[EpisodeTimes]:
    episodes = (
        Episode.objects.filter(unit_id=unit_id).filter(person=person).annotate(first_measure_on=_first_measure_on())
    )
    return [_times(episode, target=target, today=today) for episode in episodes.order_by("-opened_on")]


def _times(episode: Episode, *, target: int, today: dt.date) -> EpisodeTimes:
    reached = _local_date(episode.first_reached_at)
    measure: dt.date | None = episode.first_measure_on  # type: ignore[attr-defined]
    return EpisodeTimes(
        episode=episode,
        first_reached_on=reached,
        workdays_to_contact=working_days_between(episode.opened_on, reached) if reached else None,
        first_measure_on=measure,
        days_to_measure=(measure - episode.opened_on).days if measure else None,
        over_target=target_missed(
            deadline=add_working_days(episode.opened_on, target), first_reached_on=reached, today=today
        ),
    )


# --- Follow-up per unit ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowupFigures:
    label: str
    episodes: int
    reached: int
    reached_within_target: int
    median_workdays_to_contact: float | None
    with_measure: int
    median_days_to_measure: float | None


@dataclass(frozen=True)
class ContactFollowup:
    date_from: dt.date
    date_to: dt.date
    target_workdays: int
    rows: list[FollowupFigures]


def contact_followup(
    *, viewer: User, date_from: dt.date, date_to: dt.date, today: dt.date | None = None
) -> ContactFollowup:
    """Counts and medians over the unit's episodes opened in the period, per list and in total.

    Figures only, no individuals: nothing is logged. Time to contact is in working days (like
    the target), time to the first measure in calendar days.
    """
    unit_id = require_outreach_viewer(viewer)
    today = today or timezone.localdate()
    target = first_contact_workdays(unit_id=unit_id)
    episodes = (
        Episode.objects.filter(unit_id=unit_id)
        .filter(opened_on__gte=date_from, opened_on__lte=date_to)
        .annotate(first_measure_on=_first_measure_on())
        .order_by()
    )
    times = [_times(episode, target=target, today=today) for episode in episodes]
    rows = [
        _figures(str(label), [t for t in times if t.episode.target_list == value])
        for value, label in TargetList.choices
    ]
    rows.append(_figures(gettext("Totalt"), times))
    return ContactFollowup(date_from=date_from, date_to=date_to, target_workdays=target, rows=rows)


def contact_figures_at_units(
    *, unit_ids: list[uuid.UUID], date_from: dt.date, date_to: dt.date, today: dt.date
) -> FollowupFigures:
    """The same figures over episodes opened in the period at several units (a project's units),
    for the project's target for time to first contact. Counts and medians only; who may see them
    is the caller's check. "Within target" uses the first unit's municipal setting."""
    target = first_contact_workdays(unit_id=unit_ids[0]) if unit_ids else TargetGroupSetting().first_contact_workdays
    episodes = (
        Episode.objects.filter(unit_id__in=unit_ids)
        .filter(opened_on__gte=date_from, opened_on__lte=date_to)
        .annotate(first_measure_on=_first_measure_on())
        .order_by()
    )
    return _figures(gettext("Totalt"), [_times(episode, target=target, today=today) for episode in episodes])


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def _figures(label: str, times: list[EpisodeTimes]) -> FollowupFigures:
    to_contact = [t.workdays_to_contact for t in times if t.workdays_to_contact is not None]
    to_measure = [t.days_to_measure for t in times if t.days_to_measure is not None]
    return FollowupFigures(
        label=label,
        episodes=len(times),
        reached=len(to_contact),
        reached_within_target=sum(1 for t in times if t.first_reached_on is not None and not t.over_target),
        median_workdays_to_contact=_median(to_contact),
        with_measure=len(to_measure),
        median_days_to_measure=_median(to_measure),
    )


def contact_figures_for(
    *,
    unit_ids: list[uuid.UUID],
    persons: QuerySet[Any],
    date_from: dt.date,
    date_to: dt.date,
    today: dt.date | None = None,
) -> list[FollowupFigures]:
    """The same figures as `contact_followup`, over several units' episodes of the given persons
    (`persons`: rows with a person_id, e.g. a project's enrolments; the steering-group report: a
    project's participants at its units). Each unit's episodes are timed against its own target.
    Figures only, nothing is logged."""
    today = today or timezone.localdate()
    times: list[EpisodeTimes] = []
    for unit_id in unit_ids:
        target = first_contact_workdays(unit_id=unit_id)
        episodes = (
            Episode.objects.filter(unit_id=unit_id)
            # EXISTS, not IN: SQLite builds an IN subquery's whole list (a project's every
            # participant) for each unit, where a correlated look-up reads one index entry per episode.
            .filter(Exists(persons.filter(person_id=OuterRef("person_id"))))
            .filter(opened_on__gte=date_from, opened_on__lte=date_to)
            .annotate(first_measure_on=_first_measure_on())
            .order_by()
        )
        times.extend(_times(episode, target=target, today=today) for episode in episodes)
    rows = [
        _figures(str(label), [t for t in times if t.episode.target_list == value])
        for value, label in TargetList.choices
    ]
    rows.append(_figures(gettext("Totalt"), times))
    return rows
