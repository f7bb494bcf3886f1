"""The follow-up jobs the scheduler calls (re-exported from followup.services), and the young
person's personal link to a follow-up's short form.

Each job acts as the named system actor "uppföljning" (accounts.system), takes `today` (a
controllable clock), is idempotent (a second run the same day changes and sends nothing), and
works in batches, each in its own transaction with its access-log entries. Messages are sent after
the batch has committed, so a message is never sent for a link that was rolled back.

Link tokens: the reminders must carry the same address as the first message, yet only a hash is
stored (as in assessments.links). The token is therefore an HMAC of the link's random key under
the site's SECRET_KEY: recomputable by the server, not by anyone who only reads the database.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from vagval.accounts.system import SystemActor, system_context
from vagval.assessments.links import LinkRefused, token_hash
from vagval.assessments.senders import get_sender
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common import scoping, sql
from vagval.common.errors import InvalidInput
from vagval.followup.models import (
    FollowUp,
    FollowUpLink,
    FollowUpStatus,
    LinkSentVia,
    Situation,
    Source,
)
from vagval.people.models import Protection
from vagval.registers.models import StudyEntry

logger = logging.getLogger("vagval.followup.jobs")
PURPOSE = "followup_jobs"
# Rows per batch (one transaction). Each batch costs a fixed amount besides its rows (PostgreSQL
# plans a batch's IN list with a scan of the person table; a commit), so 5,000 rather than 2,000:
# 300,000 persons took a quarter to a third less time, while a batch holds SQLite's write lock for about a
# second (under the busy timeout of 20 s) and, on PostgreSQL, only its own rows.
BATCH = 5000
# The link is open 30 days: the response rate counts answers within 30 days of the due date.
LINK_VALID_DAYS = 30
# Reminders on these days after the link was sent, while unanswered; then the coach takes over.
REMINDER_DAYS = (3, 7)
TO_COACH_AFTER_DAYS = 10


def link_token(link_id: uuid.UUID) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"vagval.followup.link:{link_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


_PLACEHOLDER = "TOKEN"


def _url_parts() -> tuple[str, str]:
    """The address before and after the token: VAGVAL_PUBLIC_URL, the site's public address, and
    the answer page's path, reversed once with a placeholder (a job builds tens of thousands)."""
    base = getattr(settings, "VAGVAL_PUBLIC_URL", "http://localhost:8000").rstrip("/")
    before, after = reverse("followup:answer", args=[_PLACEHOLDER]).split(_PLACEHOLDER)
    return base + before, after


def link_url(link_id: uuid.UUID, parts: tuple[str, str] | None = None) -> str:
    """The address in the message; a job passes the parts it computed once."""
    before, after = parts or _url_parts()
    return before + link_token(link_id) + after


def _message(*, first_name: str, unit_name: str, url: str, reminder: bool) -> str:
    """Plain Swedish, no personnummer, no project or reason: only the first name and the link."""
    start = "Påminnelse: " if reminder else ""
    return (
        f"{start}Hej {first_name}! Hur har du det nu? Svara på tre korta frågor, det tar en minut: {url}\n"
        f"Hälsningar {unit_name}"
    )


@dataclass
class _Outgoing:
    via: str
    to: str
    body: str


@dataclass
class JobResult:
    changed: int = 0
    sent: int = 0
    to_coach: int = 0
    failed: int = 0
    messages: list[_Outgoing] = field(default_factory=list, repr=False)


def _send(result: JobResult) -> None:
    sender = get_sender()
    for message in result.messages:
        try:
            if message.via == LinkSentVia.SMS:
                sender.send_sms(to=message.to, body=message.body)
            else:
                sender.send_email(to=message.to, subject="Hur har du det nu?", body=message.body)
            result.sent += 1
        except Exception:  # one failed message must not stop the others; the reminder retries
            logger.exception("Meddelandet om uppföljning kunde inte skickas")
            result.failed += 1
    result.messages = []


def _chunks(ids: list[uuid.UUID], size: int) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _channel(row: Mapping[str, Any]) -> tuple[str, str] | None:
    """SMS if there is a mobile number, else e-mail; None: the coach follows up instead.

    Protected persons and merged records never get an automatic message: the coach decides how.
    """
    if row["person__protection"] != Protection.NONE or row["person__merged_into_id"] is not None:
        return None
    phone = str(row["person__phone"] or "").strip()
    if phone:
        return LinkSentVia.SMS, phone
    email = str(row["person__email"] or "").strip()
    if email:
        return LinkSentVia.EMAIL, email
    return None


# The columns of a new link that differ per link (the others are nullable and start empty, or are
# the same for the whole batch: _link_shared).
_LINK_COLUMNS = ("id", "follow_up", "person", "unit", "token_hash", "sent_via")


def _link_shared(*, now: dt.datetime, today: dt.date) -> dict[str, Any]:
    return {
        "created_at": now,
        "updated_at": now,
        "sent_on": today,
        "expires_at": now + dt.timedelta(days=LINK_VALID_DAYS),
        "reminders_sent": 0,
    }


# A follow-up that is kommande when its batch locks it is att göra after the batch's update.
_DUE_AFTER_UPDATE = frozenset({FollowUpStatus.UPCOMING, FollowUpStatus.DUE})


def _locked_by_pk(queryset: QuerySet[Any], ids: list[uuid.UUID], *fields: str) -> list[dict[str, Any]]:
    """A batch's rows, locked, found by primary key alone; the caller checks their state.

    Why not the conditions in the WHERE beside `pk IN (…)`: SQLite then reaches the rows through
    the index on the condition (status, used_at) and reads every row in that state for each
    batch, so a run took time in the square of its size (the day-10 hand-over: 4 s for 30,000
    persons, 366 s for 300,000). By primary key alone each batch reads only its own rows, on
    either database; the rows are locked (PostgreSQL; SQLite's write lock is the transaction's)
    before their state is read, so a second worker sees what the first one wrote.
    """
    return list(queryset.filter(pk__in=ids).values(*fields).order_by())


def _links_seen_now(rows: list[dict[str, Any]]) -> None:
    """Fill in the links of rows already att göra when locked, as they are now.

    The locking read gives each follow-up's own columns as they are after the wait for the lock,
    but a joined table as it was when the statement began: a follow-up that another run made att
    göra meanwhile would look link-less, and get a second link. A kommande follow-up has no link
    (a link is made only as it falls due, under this lock), so in a run alone this reads nothing.
    """
    unsure = [row["pk"] for row in rows if row["status"] == FollowUpStatus.DUE and row["link"] is None]
    if unsure:
        linked = dict(FollowUpLink.objects.filter(follow_up_id__in=unsure).values_list("follow_up_id", "pk"))
        for row in rows:
            row["link"] = row["link"] or linked.get(row["pk"])


def follow_ups_fall_due(*, today: dt.date, batch: int = BATCH, send: bool = True) -> JobResult:
    """kommande → att göra for every follow-up due by `today`, and the young person's link sent."""
    ctx = system_context(SystemActor.FOLLOW_UP)
    result = JobResult()
    with scoping.activated(ctx, PURPOSE):
        ids = list(
            FollowUp.objects.filter(status=FollowUpStatus.UPCOMING, due_on__lte=today)
            .order_by("due_on", "pk")
            .values_list("pk", flat=True)
        )
        parts = _url_parts()
        for chunk in _chunks(ids, batch):
            _fall_due_batch(ctx=ctx, ids=chunk, today=today, result=result, parts=parts)
            if send:
                _send(result)
    return result


def _fall_due_batch(
    *, ctx: AccessContext, ids: list[uuid.UUID], today: dt.date, result: JobResult, parts: tuple[str, str]
) -> None:
    now = timezone.now()
    with transaction.atomic():
        rows = _locked_by_pk(
            FollowUp.objects.select_for_update(of=("self",)),
            ids,
            "pk",
            "status",
            "needs_coach",
            "link",
            "person_id",
            "unit_id",
            "unit__name",
            "person__first_name",
            "person__phone",
            "person__email",
            "person__protection",
            "person__merged_into_id",
        )
        falling = [row["pk"] for row in rows if row["status"] == FollowUpStatus.UPCOMING]
        if falling:
            FollowUp.objects.filter(pk__in=falling).update(status=FollowUpStatus.DUE, updated_at=now)
        result.changed += len(falling)
        _links_seen_now(rows)
        links: list[tuple[Any, ...]] = []
        to_coach: list[uuid.UUID] = []
        outgoing: list[_Outgoing] = []
        grants: list[tuple[uuid.UUID, str, None]] = []
        for row in rows:
            # Due now (fallen due in this batch or before), without a link, not yet the coach's.
            if row["status"] not in _DUE_AFTER_UPDATE or row["link"] is not None or row["needs_coach"]:
                continue
            channel = _channel(row)
            if channel is None:
                to_coach.append(row["pk"])
                continue
            via, to = channel
            link_id = uuid.uuid4()
            token = link_token(link_id)
            links.append((link_id, row["pk"], row["person_id"], row["unit_id"], token_hash(token), via))
            url = parts[0] + token + parts[1]
            body = _message(
                first_name=str(row["person__first_name"]), unit_name=str(row["unit__name"]), url=url, reminder=False
            )
            outgoing.append(_Outgoing(via=via, to=to, body=body))
            grants.append((row["person_id"], AccessBasis.OWN_UNIT, None))
        sql.insert_many(FollowUpLink, _LINK_COLUMNS, links, shared=_link_shared(now=now, today=today))
        if to_coach:
            FollowUp.objects.filter(pk__in=to_coach).update(needs_coach=True, updated_at=now)
        result.to_coach += len(to_coach)
        access_log_record_many(ctx=ctx, action="follow_up.link_sent", grants=grants, detail={"day": str(today)})
    # Reached only when the batch committed (an exception leaves the block): now they may be sent.
    result.messages.extend(outgoing)


def follow_up_reminders_send(*, today: dt.date, batch: int = BATCH, send: bool = True) -> JobResult:
    """Reminders on day 3 and day 7 after the link was sent, while unanswered; from day 10 the
    follow-up goes to the coach (att göra with needs_coach). One step per link and run."""
    ctx = system_context(SystemActor.FOLLOW_UP)
    result = JobResult()
    with scoping.activated(ctx, PURPOSE):
        open_links = FollowUpLink.objects.filter(
            used_at__isnull=True,
            revoked_at__isnull=True,
            follow_up__status=FollowUpStatus.DUE,
            follow_up__needs_coach=False,
        )
        first, second = REMINDER_DAYS
        due_first = Q(reminders_sent=0, sent_on__lte=today - dt.timedelta(days=first))
        due_second = Q(reminders_sent=1, sent_on__lte=today - dt.timedelta(days=second))
        due_coach = Q(reminders_sent__gte=2, sent_on__lte=today - dt.timedelta(days=TO_COACH_AFTER_DAYS))
        ids = list(open_links.filter(due_first | due_second | due_coach).order_by("pk").values_list("pk", flat=True))
        parts = _url_parts()
        for chunk in _chunks(ids, batch):
            _remind_batch(ctx=ctx, ids=chunk, today=today, result=result, parts=parts)
            if send:
                _send(result)
    return result


def _remind_batch(
    *, ctx: AccessContext, ids: list[uuid.UUID], today: dt.date, result: JobResult, parts: tuple[str, str]
) -> None:
    now = timezone.now()
    with transaction.atomic():
        rows = _locked_by_pk(
            FollowUpLink.objects.select_for_update(of=("self",)),
            ids,
            "pk",
            "used_at",
            "revoked_at",
            "follow_up_id",
            "person_id",
            "reminders_sent",
            "sent_on",
            "sent_via",
            "unit__name",
            "person__first_name",
            "person__phone",
            "person__email",
        )
        remind: dict[int, list[uuid.UUID]] = {1: [], 2: []}
        to_coach: list[uuid.UUID] = []
        outgoing: list[_Outgoing] = []
        reminded: list[tuple[uuid.UUID, str, None]] = []
        coached: list[tuple[uuid.UUID, str, None]] = []
        for row in rows:
            if row["used_at"] is not None or row["revoked_at"] is not None:
                continue  # answered or revoked since the run listed it
            days = (today - row["sent_on"]).days
            sent = int(row["reminders_sent"])
            if sent < len(REMINDER_DAYS) and days >= REMINDER_DAYS[sent]:
                remind[sent + 1].append(row["pk"])
                to = row["person__phone"] if row["sent_via"] == LinkSentVia.SMS else row["person__email"]
                if to:
                    body = _message(
                        first_name=str(row["person__first_name"]),
                        unit_name=str(row["unit__name"]),
                        url=link_url(row["pk"], parts),
                        reminder=True,
                    )
                    outgoing.append(_Outgoing(via=str(row["sent_via"]), to=str(to), body=body))
                reminded.append((row["person_id"], AccessBasis.OWN_UNIT, None))
            elif sent >= len(REMINDER_DAYS) and days >= TO_COACH_AFTER_DAYS:
                to_coach.append(row["follow_up_id"])
                coached.append((row["person_id"], AccessBasis.OWN_UNIT, None))
        for number, link_ids in remind.items():
            if link_ids:
                FollowUpLink.objects.filter(pk__in=link_ids).update(
                    reminders_sent=number, last_reminder_on=today, updated_at=now
                )
        _hand_over(to_coach, now=now)
        result.changed += len(remind[1]) + len(remind[2])
        result.to_coach += len(to_coach)
        access_log_record_many(ctx=ctx, action="follow_up.reminder_sent", grants=reminded, detail={"day": str(today)})
        access_log_record_many(ctx=ctx, action="follow_up.to_coach", grants=coached, detail={"day": str(today)})
    result.messages.extend(outgoing)


def _hand_over(follow_up_ids: list[uuid.UUID], *, now: dt.datetime) -> None:
    """The follow-ups still att göra go to the coach. Locked after their links (the order the
    young person's answer takes), then read: one closed meanwhile stays as it is."""
    if not follow_up_ids:
        return
    rows = _locked_by_pk(FollowUp.objects.select_for_update(of=("self",)), follow_up_ids, "pk", "status")
    due = [row["pk"] for row in rows if row["status"] == FollowUpStatus.DUE]
    if due:
        FollowUp.objects.filter(pk__in=due).update(needs_coach=True, updated_at=now)


def register_suggestions_apply(*, today: dt.date, unit_id: uuid.UUID | None = None) -> JobResult:
    """A due follow-up whose person the unit's studies extract shows enrolled on the due date gets
    the suggested outcome "i utbildning" (source register), for the coach to confirm with one click.

    Only the unit's own extract counts (its secrecy domain); `unit_id` None: every unit.
    """
    ctx = system_context(SystemActor.FOLLOW_UP)
    result = JobResult()
    with scoping.activated(ctx, PURPOSE):
        enrolled = StudyEntry.objects.filter(
            unit_id=OuterRef("unit_id"),
            person_id=OuterRef("person_id"),
            present=True,
            start_date__isnull=False,
            start_date__lte=OuterRef("due_on"),
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("due_on")))
        candidates = FollowUp.objects.filter(status=FollowUpStatus.DUE, suggested_outcome="", due_on__lte=today).filter(
            Exists(enrolled)
        )
        if unit_id is not None:
            candidates = candidates.filter(unit_id=unit_id)
        with transaction.atomic():
            rows = list(candidates.values_list("pk", "person_id"))
            FollowUp.objects.filter(pk__in=[pk for pk, _person in rows]).update(
                suggested_outcome=Situation.STUDYING, updated_at=timezone.now()
            )
            access_log_record_many(
                ctx=ctx,
                action="follow_up.suggested",
                grants=((person_id, AccessBasis.OWN_UNIT, None) for _pk, person_id in rows),
                detail={"source": Source.REGISTER},
            )
        result.changed = len(rows)
    return result


# --- The young person's answer -------------------------------------------------------------------


# The form's first question, mapped to the ESF-mapped categories (plain Swedish on the page).
DOING_NOW = {
    "jobbar": Situation.WORKING,
    "studerar": Situation.STUDYING,
    "traningsplats": Situation.ALTERNATIVE_LABOUR_MARKET,
    "soker_jobb": Situation.JOB_SEEKING,
    "inget": Situation.INACTIVE,
    "vill_inte_svara": Situation.UNKNOWN,
}


def link_for_token(*, token: str, ctx: AccessContext, log_opened: bool = True) -> FollowUpLink:
    """The link behind a token if it can still be used (logs follow_up_link.opened with basis
    "egen personlig länk"); LinkRefused otherwise (refusals of a known link are logged)."""
    if not token or len(token) > 100:
        raise LinkRefused("unknown")
    link = (
        FollowUpLink.objects.select_related("follow_up", "person", "unit").filter(token_hash=token_hash(token)).first()
    )
    if link is None:
        raise LinkRefused("unknown")
    reason = link.refusal_reason(now=timezone.now())
    if reason is None and (link.follow_up.status != FollowUpStatus.DUE or link.person.merged_into_id is not None):
        reason = "revoked"
    if reason is not None:
        _link_log(ctx, link, "follow_up_link.refused", reason=reason)
        raise LinkRefused(reason)
    if log_opened:
        _link_log(ctx, link, "follow_up_link.opened")
    return link


def _link_log(ctx: AccessContext, link: FollowUpLink, action: str, **detail: str) -> None:
    access_log_record(
        ctx=ctx,
        action=action,
        person_id=link.person_id,
        basis=AccessBasis.SELF,
        detail={"via": "link", "link": str(link.pk), **detail},
    )


def follow_up_answer(
    *, ctx: AccessContext, link: FollowUpLink, doing_now: str, qualification: bool, contact: bool
) -> FollowUp:
    """The young person's answer: the follow-up is klar with source "den unga själv"."""
    if doing_now not in DOING_NOW:
        raise InvalidInput("Välj ett svar.", field_errors={"doing_now": ["Välj det som stämmer bäst."]})
    outcome = DOING_NOW[doing_now]
    if qualification and outcome in {Situation.JOB_SEEKING, Situation.INACTIVE, Situation.UNKNOWN}:
        outcome = Situation.QUALIFIED
    refused: LinkRefused | None = None
    with transaction.atomic():
        locked = FollowUpLink.objects.select_for_update().select_related("person").get(pk=link.pk)
        follow_up = FollowUp.objects.select_for_update().get(pk=locked.follow_up_id)
        reason = locked.refusal_reason(now=timezone.now())
        if reason is None and follow_up.status != FollowUpStatus.DUE:
            reason = "revoked"
        if reason is not None:
            _link_log(ctx, locked, "follow_up_link.refused", reason=reason)
            refused = LinkRefused(reason)
        else:
            follow_up.status = FollowUpStatus.DONE
            follow_up.outcome = outcome
            follow_up.source = Source.YOUNG_PERSON
            follow_up.recorded_by = ctx.user
            follow_up.recorded_at = timezone.now()
            follow_up.needs_coach = contact
            follow_up.note = "Den unga vill att någon hör av sig." if contact else ""
            follow_up.version += 1
            follow_up.save()
            locked.used_at = timezone.now()
            locked.save(update_fields=["used_at", "updated_at"])
            _link_log(ctx, locked, "follow_up_link.answered", outcome=outcome)
            return follow_up
    assert refused is not None
    raise refused


def run_all(*, today: dt.date, send: bool = True) -> dict[str, JobResult]:
    """All three jobs in order (the command line's `followup_jobs`)."""
    return {
        "due": follow_ups_fall_due(today=today, send=send),
        "reminders": follow_up_reminders_send(today=today, send=send),
        "register": register_suggestions_apply(today=today),
    }
