"""Reads of referrals, each taking the viewer. Reads that show a person write an access-log entry.

A unit sees the referrals it sent and those it received, and of those only the ones whose
person the access check (vagval.access.checks) lets it see right now: when the consent is
withdrawn or expires, the recipient loses the referral on the next request.
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import (
    ROLES_THAT_WRITE,
    PersonAccess,
    disclosing_recipients,
    list_access,
    visible_persons,
)
from vagval.access.scope import scope_for
from vagval.accounts.models import User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common import sql
from vagval.common.errors import NotFound, PermissionDenied
from vagval.consent.models import Consent, ConsentRecipient
from vagval.organisations.models import Unit
from vagval.people.models import Person
from vagval.referrals.models import OPEN_STATUSES, Referral, ReferralEvent, ReferralStatus

NOT_FOUND = gettext_lazy("Remissen finns inte eller så saknar du behörighet.")
PERSON_NOT_FOUND = gettext_lazy("Personen finns inte eller så saknar du behörighet.")
PURPOSE = "casework"  # the scope's purpose for the referral pages and services
CLOSED_LIMIT = 50

SENDER = "sender"
RECIPIENT = "recipient"


def is_overdue(referral: Referral, *, today: dt.date | None = None) -> bool:
    """Still waiting for someone (skickad or komplettering begärd) and past the deadline."""
    today = today or timezone.localdate()
    return referral.status in OPEN_STATUSES and today > referral.response_deadline


def _overdue_q(today: dt.date) -> Q:
    return Q(status__in=list(OPEN_STATUSES), response_deadline__lt=today)


# --- Sending ----------------------------------------------------------------------------------


def referral_consent_for(
    *, person: Person, from_unit_id: uuid.UUID, to_unit_id: uuid.UUID, today: dt.date | None = None
) -> Consent | None:
    """The newest valid consent documented by the referring unit that names the recipient.

    A consent lifts secrecy for the unit that documented it, so another unit's consent does
    not let this unit send anything.
    """
    row = (
        disclosing_recipients(person_id=person.pk, to_unit_id=to_unit_id, from_unit_id=from_unit_id, today=today)
        .select_related("consent")
        .first()
    )
    return row.consent if row else None


@dataclass(frozen=True)
class NewReferralView:
    person: Person
    recipients: list[Unit]


def referral_recipients(*, person: Person, from_unit_id: uuid.UUID, today: dt.date | None = None) -> list[Unit]:
    """Active units that a valid consent documented by `from_unit_id` names for this person."""
    today = today or timezone.localdate()
    return list(
        Unit.objects.filter(
            active=True,
            pk__in=_recipient_unit_ids(person=person, from_unit_id=from_unit_id, today=today),
        )
        .exclude(pk=from_unit_id)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def _recipient_unit_ids(
    *, person: Person, from_unit_id: uuid.UUID, today: dt.date
) -> QuerySet[ConsentRecipient, uuid.UUID]:
    return (
        disclosing_recipients(person_id=person.pk, from_unit_id=from_unit_id, today=today)
        .order_by()
        .values_list("unit_id", flat=True)
    )


def referral_new_get(*, viewer: User, ctx: AccessContext, person_id: uuid.UUID) -> NewReferralView:
    """The person and the possible recipients, for the form. Only a writer at the person's own unit."""
    shown = scope_for(ctx, PURPOSE).person(person_id, action=None, related=(), not_found=PERSON_NOT_FOUND)
    person, access = shown.person, shown.access
    if access.basis != AccessBasis.OWN_UNIT:
        raise PermissionDenied(_("Bara en enhet där personen är inskriven kan skicka en remiss."))
    if not access.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    assert viewer.unit_id is not None
    recipients = [] if person.is_protected else referral_recipients(person=person, from_unit_id=viewer.unit_id)
    access_log_record(ctx=ctx, action="referral.form_opened", person_id=person.pk, basis=access.basis)
    return NewReferralView(person=person, recipients=recipients)


# --- One referral -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralAccess:
    referral: Referral
    side: str  # SENDER or RECIPIENT
    access: PersonAccess


def referral_find(*, viewer: User, referral_id: uuid.UUID) -> ReferralAccess:
    """The referral, if the viewer's unit sent or received it and the access check lets them see the person.

    Does not log; referral_get and the services do.
    """
    referral = (
        Referral.objects.select_related(
            "person", "from_unit__organisation", "to_unit__organisation", "from_user", "responded_by", "consent"
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or viewer.unit_id is None:
        raise NotFound(NOT_FOUND)
    if viewer.unit_id == referral.from_unit_id:
        side = SENDER
    elif viewer.unit_id == referral.to_unit_id:
        side = RECIPIENT
    else:
        raise NotFound(NOT_FOUND)
    access = scope_for(AccessContext(user=viewer), PURPOSE).admit(referral.person, not_found=NOT_FOUND).access
    return ReferralAccess(referral=referral, side=side, access=access)


@dataclass(frozen=True)
class ReferralView:
    referral: Referral
    side: str
    access: PersonAccess
    events: list[ReferralEvent]
    overdue: bool
    # Whether a valid consent still names the recipient (shown to the sender).
    consent_active: bool
    may_respond: bool  # recipient: accept or decline
    may_request_info: bool  # recipient
    may_add_info: bool  # sender
    may_withdraw: bool  # sender

    @property
    def is_sender(self) -> bool:
        return self.side == SENDER

    @property
    def is_recipient(self) -> bool:
        return self.side == RECIPIENT


def _is_writer(viewer: User, found: ReferralAccess) -> bool:
    """May change the referral: not read-only, a casework role, and on the sender side a writer for the person."""
    writes = bool(viewer.can_write and viewer.role in ROLES_THAT_WRITE)
    return writes and (found.side == RECIPIENT or found.access.can_write)


def referral_check_side(*, viewer: User, referral_id: uuid.UUID, side: str) -> ReferralAccess:
    """For a change: NotFound unless the viewer sees the referral; PermissionDenied unless they act for `side`."""
    found = referral_find(viewer=viewer, referral_id=referral_id)
    if found.side != side:
        raise PermissionDenied(
            _("Bara mottagaren kan svara på remissen.") if side == RECIPIENT else _("Bara avsändaren kan göra detta.")
        )
    if not _is_writer(viewer, found):
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    return found


def referral_get(
    *, viewer: User, ctx: AccessContext, referral_id: uuid.UUID, today: dt.date | None = None
) -> ReferralView:
    """One referral with its history and what the viewer may do; logs referral.viewed."""
    found = referral_find(viewer=viewer, referral_id=referral_id)
    referral = found.referral
    writes = _is_writer(viewer, found)
    status = referral.status
    consent_active = (
        referral_consent_for(person=referral.person, from_unit_id=referral.from_unit_id, to_unit_id=referral.to_unit_id)
        is not None
    )
    events = list(referral.events.select_related("by", "unit__organisation"))
    access_log_record(
        ctx=ctx,
        action="referral.viewed",
        person_id=referral.person_id,
        basis=found.access.basis,
        consent_id=found.access.consent_id,
        detail={"referral": str(referral.pk)},
    )
    return ReferralView(
        referral=referral,
        side=found.side,
        access=found.access,
        events=events,
        overdue=is_overdue(referral, today=today),
        consent_active=consent_active,
        may_respond=writes and found.side == RECIPIENT and status in OPEN_STATUSES,
        may_request_info=writes and found.side == RECIPIENT and status == ReferralStatus.SENT,
        may_add_info=writes and found.side == SENDER and status == ReferralStatus.MORE_INFO_REQUESTED,
        may_withdraw=writes and found.side == SENDER and status in OPEN_STATUSES,
    )


# --- Lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    overdue: bool


def _visible(viewer: User) -> QuerySet[Referral]:
    """Referrals whose person the viewer may see right now (consent checked at query time)."""
    if viewer.unit_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(person__in=visible_persons(viewer=viewer).values("pk"))


def _incoming(viewer: User) -> QuerySet[Referral]:
    return _visible(viewer).filter(to_unit_id=viewer.unit_id)


def _outgoing(viewer: User) -> QuerySet[Referral]:
    return _visible(viewer).filter(from_unit_id=viewer.unit_id)


def _overdue_first(referrals: list[Referral], *, today: dt.date) -> list[ReferralRow]:
    """The rows of these referrals (open ones first, as given), the overdue ones moved to the top."""
    rows = [ReferralRow(referral=r, overdue=is_overdue(r, today=today)) for r in referrals]
    rows.sort(key=lambda row: not row.overdue)  # stable: keeps the order within each group
    return rows


def _rows(*, viewer: User, ctx: AccessContext, referrals: QuerySet[Referral], today: dt.date) -> list[ReferralRow]:
    """Open referrals (overdue first, then by deadline), then the latest closed ones; logs each person shown."""
    related = referrals.select_related("person", "from_unit__organisation", "to_unit__organisation", "from_user")
    open_ = list(related.filter(status__in=list(OPEN_STATUSES)).order_by("response_deadline", "sent_at"))
    closed = list(related.exclude(status__in=list(OPEN_STATUSES)).order_by("-sent_at")[:CLOSED_LIMIT])
    rows = _overdue_first(open_ + closed, today=today)
    persons = list({row.referral.person_id: row.referral.person for row in rows}.values())
    grants = list_access(viewer=viewer, persons=persons)
    with transaction.atomic():
        access_log_record_many(
            ctx=ctx,
            action="referral.listed",
            grants=[(p.pk, grants[p.pk].basis, grants[p.pk].consent_id) for p in persons if p.pk in grants],
        )
    return [row for row in rows if row.referral.person_id in grants]


def referrals_incoming(*, viewer: User, ctx: AccessContext, today: dt.date | None = None) -> list[ReferralRow]:
    """Referrals to the viewer's unit, for persons the viewer may see under a valid consent."""
    return _rows(viewer=viewer, ctx=ctx, referrals=_incoming(viewer), today=today or timezone.localdate())


def referrals_outgoing(*, viewer: User, ctx: AccessContext, today: dt.date | None = None) -> list[ReferralRow]:
    """Referrals the viewer's unit sent."""
    return _rows(viewer=viewer, ctx=ctx, referrals=_outgoing(viewer), today=today or timezone.localdate())


def referrals_for_person(
    *, viewer: User, ctx: AccessContext, person_id: uuid.UUID, today: dt.date | None = None
) -> list[ReferralRow]:
    """The person's referrals sent or received by the viewer's unit (for the person page)."""
    if viewer.unit_id is None:
        return []
    referrals = (
        _visible(viewer)
        .filter(person_id=person_id)
        .filter(Q(from_unit_id=viewer.unit_id) | Q(to_unit_id=viewer.unit_id))
    )
    return _rows(viewer=viewer, ctx=ctx, referrals=referrals, today=today or timezone.localdate())


def person_page_referrals(
    *, ctx: AccessContext, person: Person, access: PersonAccess, today: dt.date | None = None
) -> list[ReferralRow]:
    """referrals_for_person for the person page, which has already admitted the person (`access`):
    the same rows in the same order and the same "referral.listed" entry, without asking again
    whether the person is visible. Read by hand (vagval.common.sql) because every person page
    shows the section and it is usually empty: the ORM form with its visibility subquery cost
    5 ms of Python per page; the units are read only when there are rows to show.
    test_person_page_referrals compares it with referrals_for_person."""
    unit_id = ctx.user.unit_id
    if unit_id is None:
        return []
    today = today or timezone.localdate()
    unit = sql.value(Referral, "from_unit", unit_id)
    where = (
        f"{sql.column(Referral, 'person')} = %s"
        f" AND ({sql.column(Referral, 'from_unit')} = %s OR {sql.column(Referral, 'to_unit')} = %s)"
    )
    referrals = sql.fetch_instances(Referral, where, [sql.value(Referral, "person", person.pk), unit, unit])
    if not referrals:
        return []
    # The orders of referrals_for_person's two queries (neither column is nullable).
    open_ = sorted((r for r in referrals if r.status in OPEN_STATUSES), key=lambda r: (r.response_deadline, r.sent_at))
    closed = sorted((r for r in referrals if r.status not in OPEN_STATUSES), key=lambda r: r.sent_at, reverse=True)
    shown = open_ + closed[:CLOSED_LIMIT]
    ids = {unit for r in shown for unit in (r.from_unit_id, r.to_unit_id)}
    units = Unit.objects.select_related("organisation").in_bulk(ids)
    for r in shown:
        r.person, r.from_unit, r.to_unit = person, units[r.from_unit_id], units[r.to_unit_id]
    rows = _overdue_first(shown, today=today)
    access_log_record_many(ctx=ctx, action="referral.listed", grants=[(person.pk, access.basis, access.consent_id)])
    return rows


@dataclass(frozen=True)
class OverdueCounts:
    incoming: int  # the viewer's unit must answer
    outgoing: int  # sent by the viewer's unit, still waiting

    @property
    def total(self) -> int:
        return self.incoming + self.outgoing


def _overdue_at_unit(*, unit_id: uuid.UUID, today: dt.date) -> list[tuple[uuid.UUID, uuid.UUID, uuid.UUID]]:
    """(person, to unit, from unit) of the overdue referrals to or from the unit: _overdue_q,
    hand-written (see vagval.common.sql) because the start page asks on every visit and the ORM
    query cost ten times its SQL for an answer that is usually empty."""
    statuses = sorted(OPEN_STATUSES)
    to_unit, from_unit = sql.column(Referral, "to_unit"), sql.column(Referral, "from_unit")
    statement = (
        f"SELECT {sql.column(Referral, 'person')}, {to_unit}, {from_unit} FROM {sql.table(Referral)}"  # noqa: S608 (names from the models)
        f" WHERE {sql.column(Referral, 'status')} IN ({sql.placeholders(len(statuses))})"
        f" AND {sql.column(Referral, 'response_deadline')} < %s AND ({to_unit} = %s OR {from_unit} = %s)"
    )
    unit = sql.value(Referral, "to_unit", unit_id)
    params = [*statuses, sql.value(Referral, "response_deadline", today), unit, unit]
    return [
        (sql.as_uuid(person), sql.as_uuid(to), sql.as_uuid(source))  # type: ignore[misc]
        for person, to, source in sql.fetch(Referral, statement, params)
    ]


def referral_overdue_counts(*, viewer: User, today: dt.date | None = None) -> OverdueCounts:
    """Counts for the start page (no person is shown, so nothing is logged)."""
    today = today or timezone.localdate()
    unit_id = viewer.unit_id
    if unit_id is None:
        return OverdueCounts(incoming=0, outgoing=0)
    # The start page is the most visited page, and a unit's overdue referrals are few: fetch
    # them (one light query, usually empty) and ask the access check about their persons, as
    # _visible does, instead of building the visibility subquery on every visit.
    overdue = _overdue_at_unit(unit_id=unit_id, today=today)
    if not overdue:
        return OverdueCounts(incoming=0, outgoing=0)
    persons = Person.objects.filter(pk__in={person_id for person_id, _to, _from in overdue}).only(
        "id", "protection", "merged_into_id"
    )
    visible = list_access(viewer=viewer, persons=list(persons))
    shown = [(to_unit, from_unit) for person_id, to_unit, from_unit in overdue if person_id in visible]
    return OverdueCounts(
        incoming=sum(1 for to_unit, _from in shown if to_unit == unit_id),
        outgoing=sum(1 for _to, from_unit in shown if from_unit == unit_id),
    )


# --- Response times ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseTimeRow:
    unit: Unit | None  # None for the row summing all partners
    sent: int  # referrals sent (withdrawn before any answer not counted)
    answered: int  # with a first action (accept, decline or ask for more)
    waiting: int  # still without a first action
    median_days: float | None  # calendar days from sending to first action, one decimal


def _median_days(durations: list[dt.timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() / 86400 for d in durations), 1)


def referral_response_times(*, viewer: User, since: dt.date | None = None) -> list[ResponseTimeRow]:
    """Median calendar days from referral to the recipient's first action, per partner unit.

    Counts referrals sent by the viewer's unit (since `since`, if given). Referrals withdrawn
    before any answer are left out; those still waiting are counted but not in the median.
    Aggregate figures only: no person is shown, so nothing is logged.
    """
    if viewer.unit_id is None:
        return []
    referrals = Referral.objects.filter(from_unit_id=viewer.unit_id).exclude(
        status=ReferralStatus.WITHDRAWN, first_action_at__isnull=True
    )
    if since is not None:
        referrals = referrals.filter(sent_at__date__gte=since)
    return response_times_of(referrals=referrals)


def response_times_of(*, referrals: QuerySet[Referral]) -> list[ResponseTimeRow]:
    """The response-time rule over any set of referrals, per receiving unit, with a total row when
    there are several (the unit's page above; the steering-group report for a project's units)."""
    referrals = referrals.exclude(status=ReferralStatus.WITHDRAWN, first_action_at__isnull=True)
    by_unit: dict[uuid.UUID, list[tuple[dt.datetime, dt.datetime | None]]] = {}
    for to_unit_id, sent_at, first_action_at in referrals.values_list("to_unit_id", "sent_at", "first_action_at"):
        by_unit.setdefault(to_unit_id, []).append((sent_at, first_action_at))
    units = {u.pk: u for u in Unit.objects.filter(pk__in=by_unit).select_related("organisation")}
    rows = [_time_row(units[unit_id], times) for unit_id, times in by_unit.items()]
    rows.sort(key=lambda row: str(row.unit))
    if len(rows) > 1:
        rows.append(_time_row(None, [t for times in by_unit.values() for t in times]))
    return rows


def _time_row(unit: Unit | None, times: list[tuple[dt.datetime, dt.datetime | None]]) -> ResponseTimeRow:
    durations = [first - sent for sent, first in times if first is not None]
    return ResponseTimeRow(
        unit=unit,
        sent=len(times),
        answered=len(durations),
        waiting=len(times) - len(durations),
        median_days=_median_days(durations),
    )
