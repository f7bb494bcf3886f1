"""Reads of followup that decide visibility: what an exit will close, a unit's follow-ups, one
follow-up, a person's exits. Follow-ups are kept by the unit that recorded the exit (its secrecy
domain): another unit's follow-up is NotFound, the same answer as a missing one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from vagval.access.checks import PersonAccess
from vagval.access.scope import scope_for
from vagval.accounts.models import User
from vagval.audit.services import AccessContext
from vagval.catalogue.models import OPEN_STATUSES as PLACEMENT_OPEN_STATUSES
from vagval.catalogue.models import Placement
from vagval.common.errors import NotFound
from vagval.followup.dates import follow_up_dates
from vagval.followup.models import Exit, FollowUp, FollowUpLink, FollowUpSettings, FollowUpStatus
from vagval.people.models import Enrolment, EnrolmentStatus, Person
from vagval.people.selectors import enrolment_get
from vagval.plans.models import Plan, PlanStep
from vagval.referrals.models import OPEN_STATUSES as REFERRAL_OPEN_STATUSES
from vagval.referrals.models import Referral

PURPOSE = "followup"
NOT_FOUND = "Uppföljningen finns inte eller så saknar du behörighet."
EXIT_NOT_FOUND = "Deltagandet finns inte eller så saknar du behörighet."


@dataclass(frozen=True)
class ExitCloses:
    """What leaving the project will close (shown to the coach before confirming)."""

    placements: list[Placement]
    steps: list[PlanStep]
    referrals: list[Referral]
    # Steps that have not started yet (start after today) cannot be given an end date: they stay
    # open and are listed, so the coach can remove them from the plan.
    future_steps: list[PlanStep] = field(default_factory=list)


def exit_closes(*, enrolment: Enrolment, today: dt.date) -> ExitCloses:
    placements = list(
        Placement.objects.select_related("offer")
        .filter(enrolment=enrolment, status__in=PLACEMENT_OPEN_STATUSES)
        .order_by("created_at")
    )
    # Steps of the project's current plans at the unit (a plan continued elsewhere is closed already).
    open_steps = list(
        PlanStep.objects.select_related("plan")
        .filter(
            plan__person_id=enrolment.person_id,
            plan__project_id=enrolment.project_id,
            plan__unit_id=enrolment.unit_id,
            plan__continued_by__isnull=True,
            ends_on__isnull=True,
        )
        .order_by("starts_on", "created_at")
    )
    other_open = (
        Enrolment.objects.filter(person_id=enrolment.person_id, unit_id=enrolment.unit_id)
        .exclude(pk=enrolment.pk)
        .exclude(status=EnrolmentStatus.ENDED)
        .exists()
    )
    # Referrals are sent by the unit, not for one project: they stay while the person takes part
    # in another project at the unit.
    referrals = (
        []
        if other_open
        else list(
            Referral.objects.select_related("to_unit__organisation")
            .filter(person_id=enrolment.person_id, from_unit_id=enrolment.unit_id, status__in=REFERRAL_OPEN_STATUSES)
            .order_by("sent_at")
        )
    )
    return ExitCloses(
        placements=placements,
        steps=[s for s in open_steps if s.starts_on <= today],
        referrals=referrals,
        future_steps=[s for s in open_steps if s.starts_on > today],
    )


@dataclass(frozen=True)
class ExitPreview:
    enrolment: Enrolment
    person: Person
    access: PersonAccess
    closes: ExitCloses
    plans: list[Plan]
    follow_up_dates: dict[str, dt.date]


def exit_preview(
    *, viewer: User, ctx: AccessContext, enrolment_id: uuid.UUID, exit_on: dt.date | None = None
) -> ExitPreview:
    """The exit page: the enrolment at the viewer's unit and what leaving would close. Logs person.viewed."""
    enrolment = enrolment_get(viewer=viewer, enrolment_id=enrolment_id)
    shown = scope_for(ctx, PURPOSE).admit(enrolment.person, action="person.viewed", not_found=EXIT_NOT_FOUND)
    today = timezone.localdate()
    settings = FollowUpSettings.objects.filter(project_id=enrolment.project_id).first()
    plans = list(
        Plan.objects.filter(person_id=enrolment.person_id, project_id=enrolment.project_id, unit_id=enrolment.unit_id)
    )
    return ExitPreview(
        enrolment=enrolment,
        person=shown.person,
        access=shown.access,
        closes=exit_closes(enrolment=enrolment, today=today),
        plans=plans,
        follow_up_dates=follow_up_dates(exit_on=exit_on or today, settings=settings),
    )


def exits_for_person(*, viewer: User, ctx: AccessContext, person_id: uuid.UUID) -> tuple[Person, list[Exit]]:
    """A person's exits recorded by the viewer's unit. Logs person.viewed."""
    shown = scope_for(ctx, PURPOSE).person(person_id, not_found=EXIT_NOT_FOUND)
    if viewer.unit_id is None:
        return shown.person, []
    exits = list(
        Exit.objects.select_related("enrolment__project")
        .filter(person_id=person_id, unit_id=viewer.unit_id)
        .prefetch_related("follow_ups")
    )
    return shown.person, exits


# --- Follow-ups ---------------------------------------------------------------------------------------


def unit_follow_ups(*, viewer: User, include_upcoming: bool = False) -> QuerySet[FollowUp]:
    """The viewer's unit's open follow-ups (due first); nothing for a user without a unit.

    Each person shown must be logged by the caller (scope.shown), since this only builds the query.
    """
    if viewer.unit_id is None:
        return FollowUp.objects.none()
    statuses = [FollowUpStatus.DUE] + ([FollowUpStatus.UPCOMING] if include_upcoming else [])
    return (
        FollowUp.objects.select_related("person", "exit__enrolment__project", "exit__enrolment__coach")
        .filter(unit_id=viewer.unit_id, status__in=statuses, exit__superseded_on__isnull=True)
        .order_by("-needs_coach", "due_on", "pk")
    )


@dataclass(frozen=True)
class FollowUpRow:
    follow_up: FollowUp
    overdue: bool


def unit_follow_ups_shown(
    *, viewer: User, ctx: AccessContext, include_upcoming: bool = False, limit: int = 200
) -> list[FollowUpRow]:
    """The list page: the unit's follow-ups, each person logged once with its basis."""
    rows = list(unit_follow_ups(viewer=viewer, include_upcoming=include_upcoming)[:limit])
    scope = scope_for(ctx, PURPOSE)
    admitted = {s.person.pk for s in scope.shown([r.person for r in rows], action="follow_up.listed")}
    today = timezone.localdate()
    return [
        FollowUpRow(follow_up=r, overdue=r.status == FollowUpStatus.DUE and r.due_on < today)
        for r in rows
        if r.person_id in admitted
    ]


@dataclass(frozen=True)
class FollowUpView:
    follow_up: FollowUp
    person: Person
    access: PersonAccess
    attempts: list[object]
    link_status: str

    @property
    def may_write(self) -> bool:
        return self.access.can_write and self.follow_up.status not in {
            FollowUpStatus.DONE,
            FollowUpStatus.NOT_REACHED,
            FollowUpStatus.NOT_APPLICABLE,
        }

    @property
    def is_due(self) -> bool:
        return self.follow_up.due_on <= timezone.localdate()


def follow_up_find(*, viewer: User, follow_up_id: uuid.UUID) -> FollowUp:
    """The follow-up if the viewer's unit keeps it (no log); NotFound otherwise."""
    follow_up = (
        FollowUp.objects.select_related("person", "exit__enrolment__project", "recorded_by")
        .filter(pk=follow_up_id, unit_id=viewer.unit_id)
        .first()
        if viewer.unit_id
        else None
    )
    if follow_up is None:
        raise NotFound(NOT_FOUND)
    return follow_up


def follow_up_get(*, viewer: User, ctx: AccessContext, follow_up_id: uuid.UUID, log: bool = True) -> FollowUpView:
    """One follow-up with its attempts; logs follow_up.viewed with the basis."""
    follow_up = follow_up_find(viewer=viewer, follow_up_id=follow_up_id)
    shown = scope_for(ctx, PURPOSE).admit(
        follow_up.person, action="follow_up.viewed" if log else None, not_found=NOT_FOUND
    )
    link = FollowUpLink.objects.filter(follow_up=follow_up).first()
    link_status = "none" if link is None else link.refusal_reason(now=timezone.now()) or "active"
    return FollowUpView(
        follow_up=follow_up,
        person=shown.person,
        access=shown.access,
        attempts=list(follow_up.attempts.select_related("made_by").all()),
        link_status=link_status,
    )
