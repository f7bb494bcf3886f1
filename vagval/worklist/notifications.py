"""In-app notifications, derived from the history the casework apps already keep.

The worklist app sits above the casework apps, which must not import it; so instead of those
apps "sending" notifications, a notification is a history record that another unit wrote about
the viewer's unit's work, read here:

- a referral received or answered (referrals.ReferralEvent written by the other unit);
- a partner changed a plan step (plans.PlanVersion of a plan the unit keeps, by another unit);
- a follow-up answer arrived (followup.FollowUp recorded with the source "den unga själv").

Per user, what they opened is kept as NotificationRead (kind + the record's key), and "mark all
read" as a time (WorklistSetting.notifications_read_before). Only the last NOTIFICATION_DAYS
days are shown. The person of each record must be visible to the viewer (the access check).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access.checks import visible_persons
from vagval.access.scope import ScopedPerson, scope_for
from vagval.accounts.models import User
from vagval.audit.services import AccessContext
from vagval.followup.models import FollowUp, Source
from vagval.people.models import Person
from vagval.plans.models import PlanChange, PlanVersion
from vagval.referrals.models import ReferralEvent, ReferralEventKind
from vagval.worklist.models import NotificationRead, WorklistSetting
from vagval.worklist.selectors import COUNT_SECONDS, source_context

NOTIFICATION_DAYS = 30
REFERRAL = "remiss"
PLAN = "plan"
FOLLOW_UP_ANSWER = "uppfoljningssvar"
KINDS = (REFERRAL, PLAN, FOLLOW_UP_ANSWER)
STEP_CHANGES = (PlanChange.STEP_ADDED, PlanChange.STEP_CHANGED, PlanChange.STEP_ENDED)


@dataclass(frozen=True)
class Notification:
    kind: str
    key: str
    at: dt.datetime
    person_id: uuid.UUID
    text: str  # what happened, never who it is about (the page adds the person it may show)
    url: str
    read: bool = False
    person: ScopedPerson | None = None


def _referral_text(kind: str) -> str:
    if kind == ReferralEventKind.SENT:
        return _("En remiss har kommit till er")
    if kind == ReferralEventKind.ACCEPTED:
        return _("Remissen har accepterats")
    if kind == ReferralEventKind.DECLINED:
        return _("Remissen har avböjts")
    if kind == ReferralEventKind.MORE_INFO_REQUESTED:
        return _("Mottagaren vill ha en komplettering")
    if kind == ReferralEventKind.INFO_ADDED:
        return _("Remissen har kompletterats")
    return _("Remissen har återkallats")


def _collect(viewer: User, since: dt.datetime) -> list[Notification]:
    ctx = source_context(viewer=viewer)
    if ctx is None:
        return []
    unit_id = ctx.unit_id
    visible = visible_persons(viewer=viewer).order_by().values("pk")
    found: list[Notification] = []
    events = (
        ReferralEvent.objects.filter(
            Q(referral__to_unit_id=unit_id) | Q(referral__from_unit_id=unit_id),
            at__gte=since,
            referral__person_id__in=visible,
        )
        .exclude(unit_id=unit_id)
        .order_by()
        .values_list("pk", "at", "kind", "referral_id", "referral__person_id")
    )
    for pk, at, kind, referral_id, person_id in events:
        found.append(
            Notification(
                REFERRAL,
                str(pk),
                at,
                person_id,
                _referral_text(kind),
                reverse("referrals:detail", args=[referral_id]),
            )
        )
    versions = (
        PlanVersion.objects.filter(
            plan__unit_id=unit_id,
            change__in=STEP_CHANGES,
            created_at__gte=since,
            created_by__unit__isnull=False,
            plan__person_id__in=visible,
        )
        .exclude(created_by__unit_id=unit_id)
        .order_by()
        .values_list("pk", "created_at", "change", "plan_id", "plan__person_id", "created_by_unit_name")
    )
    changes = dict(PlanChange.choices)
    for pk, at, change, plan_id, person_id, by_unit in versions:
        text = _("%(unit)s: %(change)s") % {"unit": by_unit, "change": str(changes.get(change, change)).lower()}
        found.append(Notification(PLAN, str(pk), at, person_id, text, reverse("plans:detail", args=[plan_id])))
    answers = (
        FollowUp.objects.filter(
            unit_id=unit_id, source=Source.YOUNG_PERSON, recorded_at__gte=since, person_id__in=visible
        )
        .order_by()
        .values_list("pk", "recorded_at", "person_id")
    )
    for pk, at, person_id in answers:  # type: ignore[assignment]  # the same names as the loops above
        found.append(
            Notification(
                FOLLOW_UP_ANSWER,
                str(pk),
                at,
                person_id,
                _("Ett svar på en uppföljning har kommit"),
                reverse("followup:detail", args=[pk]),
            )
        )
    return found


def _window_start(viewer: User) -> tuple[dt.datetime, dt.datetime | None]:
    since = timezone.now() - dt.timedelta(days=NOTIFICATION_DAYS)
    setting = WorklistSetting.objects.filter(user=viewer).first()
    return since, setting.notifications_read_before if setting else None


def notifications_for(*, viewer: User) -> list[Notification]:
    """The viewer's notifications of the last NOTIFICATION_DAYS days, newest first, with read flags
    (no person loaded, nothing logged)."""
    since, read_before = _window_start(viewer)
    found = _collect(viewer, since)
    if not found:
        return []
    read = set(NotificationRead.objects.filter(user=viewer, read_at__gte=since).values_list("kind", "object_key"))
    result = [
        Notification(
            n.kind,
            n.key,
            n.at,
            n.person_id,
            n.text,
            n.url,
            read=(n.kind, n.key) in read or (read_before is not None and n.at <= read_before),
        )
        for n in found
    ]
    result.sort(key=lambda n: n.at, reverse=True)
    return result


def _count_key(viewer: User) -> str:
    return f"worklist:notifications:{viewer.pk}"


def unread_count(*, viewer: User, cached: bool = True) -> int:
    if cached:
        count = cache.get(_count_key(viewer))
        if count is not None:
            return int(count)
    count = sum(1 for n in notifications_for(viewer=viewer) if not n.read)
    cache.set(_count_key(viewer), count, COUNT_SECONDS)
    return count


def unread_count_forget(*, viewer: User) -> None:
    cache.delete(_count_key(viewer))


def notification_page(*, viewer: User, ctx: AccessContext) -> list[Notification]:
    """The notifications with their persons, each person shown logged once."""
    found = notifications_for(viewer=viewer)
    persons = list(Person.objects.filter(pk__in={n.person_id for n in found}).order_by("pk"))
    shown = scope_for(ctx, "notifications").shown(persons, action="worklist.notifications_viewed") if persons else []
    by_id = {s.person.pk: s for s in shown}
    return [
        Notification(n.kind, n.key, n.at, n.person_id, n.text, n.url, n.read, by_id[n.person_id])
        for n in found
        if n.person_id in by_id
    ]


def notification_find(*, viewer: User, kind: str, key: str) -> Notification | None:
    if kind not in KINDS:
        return None
    return next((n for n in notifications_for(viewer=viewer) if n.kind == kind and n.key == key), None)
