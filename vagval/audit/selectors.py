"""Log review for administrators: search, read and export the access log.

The log is read-only here: nothing in this module (or anywhere) changes or deletes an
entry. Reading the log is itself logged (audit.log_viewed, audit.log_exported,
audit.person_lookup, audit.person_shown), and a personnummer is never written into an
entry's detail: persons are referred to by their UUID only.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils.translation import gettext as _

from vagval.accounts.models import Role, User
from vagval.audit.actions import action_label
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.identity import InvalidIdentityNumber, looks_like_identity_number, parse_identity_number
from vagval.people.models import Person

PAGE_SIZE = 100
EXPORT_LIMIT = 100_000
NAME_LOOKUP_LIMIT = 20

# Office hours in local time (settings.TIME_ZONE): access outside them is flagged for review.
OFFICE_HOURS_START = 7  # 07:00
OFFICE_HOURS_END = 19  # 19:00


def _require_admin(viewer: User) -> None:
    if not (viewer.is_active and viewer.is_administrator):
        raise PermissionDenied(_("Endast administratörer får granska åtkomstloggen."))


def _local_zone() -> dt.tzinfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class LogFilters:
    """Filters for the log. Empty values mean 'no filter'; dates are local and inclusive."""

    username: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    person_id: uuid.UUID | None = None
    unusual_only: bool = False

    def as_detail(self) -> dict[str, Any]:
        """The filters in use, JSON-safe, for the log entry. Never holds a personnummer."""
        detail: dict[str, Any] = {}
        if self.username:
            detail["user"] = self.username
        if self.action:
            detail["action"] = self.action
        if self.date_from:
            detail["date_from"] = self.date_from.isoformat()
        if self.date_to:
            detail["date_to"] = self.date_to.isoformat()
        if self.person_id:
            detail["person"] = str(self.person_id)
        if self.unusual_only:
            detail["unusual_only"] = True
        return detail


def is_unusual(at: dt.datetime) -> bool:
    """True when an access happened outside office hours, the review aid's rule.

    Unusual means, in local time (settings.TIME_ZONE, Europe/Stockholm, so summer time is
    handled): before 07:00, or from 19:00 onwards, or on a Saturday or Sunday. Public
    holidays on weekdays are not flagged. _only_unusual_hours() is the same rule in SQL.
    """
    local = at.astimezone(_local_zone())
    return local.hour < OFFICE_HOURS_START or local.hour >= OFFICE_HOURS_END or local.isoweekday() >= 6


def _only_unusual_hours(entries: QuerySet[AccessLogEntry]) -> QuerySet[AccessLogEntry]:
    """Keep entries outside office hours; the rule is documented in is_unusual()."""
    zone = _local_zone()
    return entries.annotate(
        local_hour=ExtractHour("at", tzinfo=zone), local_weekday=ExtractIsoWeekDay("at", tzinfo=zone)
    ).filter(Q(local_hour__lt=OFFICE_HOURS_START) | Q(local_hour__gte=OFFICE_HOURS_END) | Q(local_weekday__gte=6))


def _merge_family(person_id: uuid.UUID) -> set[uuid.UUID]:
    """The person and every record merged into it or it was merged into.

    Log entries keep the UUID of the record that was accessed, so after a merge (e.g. a
    samordningsnummer replaced by a personnummer) the history lives under several UUIDs.
    """
    root = person_id
    seen: set[uuid.UUID] = set()
    while root not in seen:
        seen.add(root)
        parent = Person.objects.filter(pk=root).values_list("merged_into_id", flat=True).first()
        if parent is None:
            break
        root = parent
    family = {root}
    frontier = {root}
    while frontier:
        frontier = set(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)) - family
        family |= frontier
    return family | {person_id}


def log_entries(*, viewer: User, filters: LogFilters) -> QuerySet[AccessLogEntry]:
    """The entries matching the filters, newest first. Does not log: callers do."""
    _require_admin(viewer)
    entries: QuerySet[AccessLogEntry] = AccessLogEntry.objects.all()
    if filters.username:
        entries = entries.filter(username__iexact=filters.username.strip())
    action = filters.action.strip().lower().rstrip(".")
    if action:
        entries = entries.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    zone = _local_zone()
    if filters.date_from:
        entries = entries.filter(at__gte=dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=zone))
    if filters.date_to:
        next_day = filters.date_to + dt.timedelta(days=1)
        entries = entries.filter(at__lt=dt.datetime.combine(next_day, dt.time.min, tzinfo=zone))
    if filters.person_id:
        entries = entries.filter(person_id__in=_merge_family(filters.person_id))
    if filters.unusual_only:
        entries = _only_unusual_hours(entries)
    return entries.order_by("-at", "-id")


@dataclass(frozen=True)
class LogRow:
    entry: AccessLogEntry
    person_name: str  # empty when the person does not resolve (e.g. deleted)
    unusual: bool

    @property
    def short_person_id(self) -> str:
        return str(self.entry.person_id)[:8] if self.entry.person_id else ""

    @property
    def action_label(self) -> str:
        return action_label(self.entry.action)

    @property
    def role_label(self) -> str:
        return role_label(self.entry.role)

    @property
    def detail_text(self) -> str:
        return detail_text(self.entry.detail)


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    page: Page[AccessLogEntry]
    total: int
    person_name: str  # the filtered person's name, when filtering on a person that resolves


def role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


def detail_text(detail: dict[str, Any] | None) -> str:
    """An entry's details as short readable text: 'key: value; key: value'."""
    parts = []
    for key, value in (detail or {}).items():
        if isinstance(value, dict):
            shown = ", ".join(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = str(value)
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)


def _person_names(person_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = Person.objects.filter(pk__in=person_ids).values_list("pk", "first_name", "last_name")
    return {pk: f"{first} {last}" for pk, first, last in rows}


def access_log_search(*, viewer: User, ctx: AccessContext, filters: LogFilters, page_number: str | int = 1) -> LogPage:
    """One page of the log for review.

    Writes one audit.log_viewed entry with the filters (its person is the filtered person,
    if any) and one audit.person_shown entry per other person whose name the page shows.
    """
    entries = log_entries(viewer=viewer, filters=filters)
    page = Paginator(entries, PAGE_SIZE).get_page(page_number)
    page_entries = list(page.object_list)
    person_ids = {e.person_id for e in page_entries if e.person_id}
    names = _person_names(person_ids | ({filters.person_id} if filters.person_id else set()))
    rows = [
        LogRow(entry=e, person_name=names.get(e.person_id, "") if e.person_id else "", unusual=is_unusual(e.at))
        for e in page_entries
    ]
    total = page.paginator.count
    shown = sorted((person_ids & set(names)) - {filters.person_id}, key=str)
    with transaction.atomic():
        access_log_record(
            ctx=ctx,
            action="audit.log_viewed",
            person_id=filters.person_id,
            basis=AccessBasis.ADMINISTRATION,
            detail={"filters": filters.as_detail(), "page": page.number, "results": total},
        )
        access_log_record_many(
            ctx=ctx,
            action="audit.person_shown",
            grants=[(pid, AccessBasis.ADMINISTRATION, None) for pid in shown],
            detail={"context": "log_review"},
        )
    person_name = names.get(filters.person_id, "") if filters.person_id else ""
    return LogPage(rows=rows, page=page, total=total, person_name=person_name)


def access_log_export(*, viewer: User, ctx: AccessContext, filters: LogFilters) -> Iterator[AccessLogEntry]:
    """All entries matching the filters for a CSV file; writes one audit.log_exported entry.

    Persons are exported by UUID only (no names), and at most EXPORT_LIMIT rows: a larger
    selection raises InvalidInput so the administrator narrows it instead of getting a
    silently cut file.
    """
    entries = log_entries(viewer=viewer, filters=filters)
    total = entries.count()
    if total > EXPORT_LIMIT:
        raise InvalidInput(
            _(
                "Urvalet har %(total)s rader. Begränsa det till högst %(limit)s rader, till exempel med en "
                "kortare period."
            )
            % {"total": total, "limit": EXPORT_LIMIT}
        )
    with transaction.atomic():
        access_log_record(
            ctx=ctx,
            action="audit.log_exported",
            person_id=filters.person_id,
            basis=AccessBasis.ADMINISTRATION,
            detail={"filters": filters.as_detail(), "rows": total},
        )
    return entries.iterator(chunk_size=2000)


@dataclass(frozen=True)
class PersonCandidate:
    """A person found for log review: enough to tell namesakes apart, nothing more."""

    person_id: uuid.UUID
    name: str
    birth_year: int | None
    home_municipality: str  # empty for a protected person
    # Each unit holds its own record of a young person (people.models.Person.unit): the unit
    # tells the records of one number apart. Protected: the page offers lowering the protection.
    unit: str = ""
    protected: bool = False


def _home_municipality(person: Person) -> str:
    """Where the person lives, to tell namesakes apart; never for a protected person (sekretessmarkering
    or skyddad folkbokföring), whose whereabouts the administrator has no need to know."""
    if person.is_protected or person.home_municipality is None:
        return ""
    return person.home_municipality.name


def persons_for_log_review(*, viewer: User, ctx: AccessContext, query: str) -> list[PersonCandidate]:
    """Find persons by identity number or name so the log can be filtered on them.

    Administrators have no person access through access.checks; this lookup exists only for
    log review. It writes audit.person_lookup: one entry per person found (or one without a
    person when nothing matched). The query text is never stored, so a personnummer typed
    here does not end up in the log. Raises InvalidInput for an invalid identity number.
    """
    _require_admin(viewer)
    text = " ".join((query or "").split())
    if looks_like_identity_number(text):
        try:
            number = parse_identity_number(text)
        except InvalidIdentityNumber as exc:
            raise InvalidInput(_("Ogiltigt nummer."), field_errors={"query": [exc.message.capitalize()]}) from exc
        persons = Person.objects.filter(id_number=number.digits)
        method = "identity_number"
    else:
        if len(text) < 2:
            raise InvalidInput(
                _("För kort sökning."),
                field_errors={"query": [_("Ange ett person- eller samordningsnummer eller ett namn.")]},
            )
        name_q = Q()
        for word in text.casefold().split()[:4]:
            name_q &= Q(first_name_key__startswith=word) | Q(last_name_key__startswith=word)
        persons = Person.objects.filter(name_q, merged_into__isnull=True)
        method = "name"
    found = persons.select_related("home_municipality", "unit__organisation").order_by(
        "last_name_key", "first_name_key", "pk"
    )[:NAME_LOOKUP_LIMIT]
    candidates = [
        PersonCandidate(
            person_id=p.pk,
            name=p.full_name,
            birth_year=p.birth_date.year if p.birth_date else None,
            home_municipality=_home_municipality(p),
            unit=str(p.unit) if p.unit is not None else "",
            protected=p.is_protected,
        )
        for p in found
    ]
    detail = {"method": method, "hits": len(candidates)}
    with transaction.atomic():
        if candidates:
            access_log_record_many(
                ctx=ctx,
                action="audit.person_lookup",
                grants=[(c.person_id, AccessBasis.ADMINISTRATION, None) for c in candidates],
                detail=detail,
            )
        else:
            access_log_record(ctx=ctx, action="audit.person_lookup", basis=AccessBasis.ADMINISTRATION, detail=detail)
    return candidates


def known_usernames(*, viewer: User) -> list[str]:
    """User names for the search form's suggestions (current users; the log keeps old names too)."""
    _require_admin(viewer)
    return list(User.objects.order_by("username").values_list("username", flat=True))
