"""The young person's own view: a personal link to their plan and coming follow-ups.

A sibling of the assessments' personal links (assessments.links: the token is generated once,
shown once, stored only as a hash), kept here rather than generalising AssessmentLink, whose
rows carry an instrument, a respondent and a one-time use that a read-only view has none of.

The coach's unit creates and revokes the link from the plan (own unit only: a partner who sees
the plan under consent cannot hand it out). Opening the link writes an access-log entry with
the basis "egen personlig länk", as the creator (there is no logged-in user), like the
assessments' links. The view shows the plan's current state and nothing of other units'
records: the plan, its goals and steps, and the unit's own follow-ups after an exit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.scope import Need, scope_for
from vagval.accounts.models import User
from vagval.assessments.links import MAX_TOKEN_LENGTH, REFUSAL_TEXT, new_token, token_hash
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import NotFound, VagvalError
from vagval.followup.models import FollowUp, FollowUpStatus
from vagval.plans.models import Plan
from vagval.plans.snapshots import PlanState, plan_snapshot, plan_state
from vagval.worklist.models import OwnViewLink

VALID_DAYS = 180
PLAN_NOT_FOUND = gettext_lazy("Planen finns inte eller så saknar du behörighet.")
LINK_NOT_FOUND = gettext_lazy("Länken finns inte eller så saknar du behörighet.")


class OwnViewRefused(VagvalError):
    def __init__(self, reason: str) -> None:
        super().__init__(REFUSAL_TEXT.get(reason, REFUSAL_TEXT["unknown"]))
        self.reason = reason


# --- The coach's side -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LinksPage:
    plan: Plan
    links: list[OwnViewLink]
    may_change: bool


def _own_plan(*, viewer: User, plan_id: uuid.UUID, need: Need) -> Plan:
    """A plan the viewer's unit keeps, of a person it sees as its own; NotFound otherwise."""
    plan = (
        Plan.objects.select_related("person", "project").filter(pk=plan_id, unit_id=viewer.unit_id).first()
        if viewer.unit_id
        else None
    )
    if plan is None:
        raise NotFound(PLAN_NOT_FOUND)
    shown = scope_for(AccessContext(user=viewer), "own_view").admit(plan.person, not_found=PLAN_NOT_FOUND)
    if shown.access.basis != AccessBasis.OWN_UNIT:
        raise NotFound(PLAN_NOT_FOUND)
    if need == Need.CHANGE:
        scope_for(AccessContext(user=viewer), "own_view").admit(plan.person, need=Need.CHANGE)
    return plan


def own_view_links(*, viewer: User, ctx: AccessContext, plan_id: uuid.UUID) -> LinksPage:
    plan = _own_plan(viewer=viewer, plan_id=plan_id, need=Need.VIEW)
    access_log_record(ctx=ctx, action="plan.viewed", person_id=plan.person_id, detail={"plan": str(plan.pk)})
    links = list(OwnViewLink.objects.filter(plan=plan).select_related("created_by", "revoked_by"))
    return LinksPage(plan=plan, links=links, may_change=bool(viewer.can_write))


def own_view_link_create(*, ctx: AccessContext, plan_id: uuid.UUID) -> tuple[OwnViewLink, str]:
    """A new link to the plan's own view; returns it and its token (shown once, never stored)."""
    plan = _own_plan(viewer=ctx.user, plan_id=plan_id, need=Need.CHANGE)
    token = new_token()
    with transaction.atomic():
        link = OwnViewLink.objects.create(
            plan=plan,
            person_id=plan.person_id,
            unit_id=plan.unit_id,
            token_hash=token_hash(token),
            created_by=ctx.user,
            expires_at=timezone.now() + dt.timedelta(days=VALID_DAYS),
        )
        access_log_record(
            ctx=ctx, action="worklist.own_view_created", person_id=plan.person_id, detail={"link": str(link.pk)}
        )
    return link, token


def own_view_link_revoke(*, ctx: AccessContext, link_id: uuid.UUID) -> OwnViewLink:
    link = OwnViewLink.objects.filter(pk=link_id, unit_id=ctx.user.unit_id).first() if ctx.user.unit_id else None
    if link is None:
        raise NotFound(LINK_NOT_FOUND)
    _own_plan(viewer=ctx.user, plan_id=link.plan_id, need=Need.CHANGE)
    with transaction.atomic():
        locked = OwnViewLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is None:
            locked.revoked_at, locked.revoked_by = timezone.now(), ctx.user
            locked.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
            access_log_record(
                ctx=ctx, action="worklist.own_view_revoked", person_id=locked.person_id, detail={"link": str(link.pk)}
            )
    return locked


# --- The young person's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class OwnView:
    first_name: str
    state: PlanState
    follow_ups: list[dt.date]
    today: dt.date


def own_view_open(*, token: str, client_address: str) -> OwnView:
    """What the link shows; logged as worklist.own_view_opened (basis: own personal link).

    A revoked or expired link (or one whose person was merged) is refused and nothing is shown;
    an unknown token is refused without logging (there is no person to log it for)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise OwnViewRefused("unknown")
    link = (
        OwnViewLink.objects.select_related("person", "plan", "created_by").filter(token_hash=token_hash(token)).first()
    )
    if link is None:
        raise OwnViewRefused("unknown")
    now = timezone.now()
    reason = link.refusal_reason(now) or ("revoked" if link.person.merged_into_id is not None else None)
    ctx = AccessContext(user=link.created_by, client_address=client_address)
    detail = {"via": "own_view", "link": str(link.pk)}
    if reason is not None:
        access_log_record(
            ctx=ctx,
            action="worklist.own_view_opened",
            person_id=link.person_id,
            basis=AccessBasis.SELF,
            detail={**detail, "refused": reason},
        )
        raise OwnViewRefused(reason)
    with transaction.atomic():
        OwnViewLink.objects.filter(pk=link.pk).update(last_opened_at=now)
        access_log_record(
            ctx=ctx, action="worklist.own_view_opened", person_id=link.person_id, basis=AccessBasis.SELF, detail=detail
        )
    today = timezone.localdate()
    follow_ups = list(
        FollowUp.objects.filter(
            person_id=link.person_id,
            unit_id=link.unit_id,
            status__in=(FollowUpStatus.UPCOMING, FollowUpStatus.DUE),
            due_on__gte=today - dt.timedelta(days=30),
        )
        .order_by("due_on")
        .values_list("due_on", flat=True)
    )
    return OwnView(
        first_name=link.person.first_name,
        state=plan_state(plan_snapshot(plan=link.plan)),
        follow_ups=follow_ups,
        today=today,
    )


def refusal_message(reason: str) -> str:
    if reason == "revoked":
        return _("Länken har stängts. Fråga din coach om du vill ha en ny.")
    return str(REFUSAL_TEXT.get(reason, REFUSAL_TEXT["unknown"]))
