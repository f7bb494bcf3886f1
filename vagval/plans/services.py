"""Changes to plans. Each is one transaction: the change, a new PlanVersion and an audit entry.

Access is checked here too (not only in the views): the coordinating unit changes everything,
a partner under a consent covering "plan" only the steps their own unit is responsible for.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import own_unit_id
from vagval.access.scope import scope_for
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.common.versions import require_version, version_of
from vagval.organisations.models import Project, Unit
from vagval.people.models import Enrolment, Person
from vagval.plans.models import (
    EndReason,
    Plan,
    PlanChange,
    PlanGoal,
    PlanParticipant,
    PlanStep,
    PlanVersion,
    ResponsibleKind,
)
from vagval.plans.selectors import NOT_FOUND, ONLY_OWN_STEPS, PLAN_CLOSED, PURPOSE, READ_ONLY, PlanAccess, plan_access
from vagval.plans.snapshots import plan_snapshot

if TYPE_CHECKING:
    from vagval.referrals.models import Referral

ERRORS = gettext_lazy("Uppgifterna innehåller fel.")


@dataclass(frozen=True)
class GoalData:
    text: str
    achieved_on: dt.date | None = None


@dataclass(frozen=True)
class ParticipantData:
    name: str
    role: str = ""
    unit_id: uuid.UUID | None = None


@dataclass(frozen=True)
class PlanData:
    """The plan's header, the young person's goals and the planning meeting's participants."""

    overall_responsibility_id: uuid.UUID | None = None
    is_sip: bool = False
    meeting_on: dt.date | None = None
    next_meeting_on: dt.date | None = None
    goals: list[GoalData] = field(default_factory=list)
    participants: list[ParticipantData] = field(default_factory=list)


@dataclass(frozen=True)
class StepData:
    content: str
    responsible_kind: str
    starts_on: dt.date
    responsible_unit_id: uuid.UUID | None = None
    external_actor: str = ""
    ends_on: dt.date | None = None
    end_reason: str = ""
    end_note: str = ""
    follow_up_on: dt.date | None = None


# --- Validation ----------------------------------------------------------------------------


def _active_unit(unit_id: uuid.UUID | None) -> Unit | None:
    if unit_id is None:
        return None
    return Unit.objects.filter(pk=unit_id, active=True).select_related("organisation").first()


def _validate_plan(data: PlanData, *, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if data.overall_responsibility_id is not None and _active_unit(data.overall_responsibility_id) is None:
        errors["overall_responsibility_id"] = [_("Okänd eller inaktiv enhet.")]
    elif data.is_sip and data.overall_responsibility_id is None:
        errors["overall_responsibility_id"] = [_("En SIP ska ange vem som har huvudansvaret.")]
    if data.meeting_on and data.meeting_on > today:
        errors["meeting_on"] = [_("Planeringsmötet kan inte ha hållits i framtiden.")]
    if data.meeting_on and data.next_meeting_on and data.next_meeting_on < data.meeting_on:
        errors["next_meeting_on"] = [_("Nästa möte kan inte vara före planeringsmötet.")]
    goal_errors = []
    for goal in data.goals:
        if not goal.text.strip():
            goal_errors.append(_("Skriv målet med den ungas egna ord, eller ta bort raden."))
        elif len(goal.text) > 1000:
            goal_errors.append(_("Ett mål får vara högst 1 000 tecken."))
        if goal.achieved_on and goal.achieved_on > today:
            goal_errors.append(_("Ett mål kan inte vara uppnått i framtiden."))
    if goal_errors:
        errors["goals"] = goal_errors
    participant_errors = []
    for participant in data.participants:
        if not participant.name.strip():
            participant_errors.append(_("Skriv namnet på den som deltog, eller ta bort raden."))
        if participant.unit_id is not None and _active_unit(participant.unit_id) is None:
            participant_errors.append(_("Okänd eller inaktiv enhet."))
    if participant_errors:
        errors["participants"] = participant_errors
    if errors:
        raise InvalidInput(ERRORS, field_errors=errors)


def _validate_step(data: StepData, *, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if not data.content.strip():
        errors["content"] = [_("Beskriv vad som ska göras.")]
    elif len(data.content) > 2000:
        errors["content"] = [_("Beskrivningen får vara högst 2 000 tecken.")]
    if data.responsible_kind not in ResponsibleKind.values:
        errors["responsible_kind"] = [_("Välj vem som ansvarar.")]
    if data.responsible_kind == ResponsibleKind.UNIT:
        if data.responsible_unit_id is None:
            errors["responsible_unit_id"] = [_("Välj vilken enhet som ansvarar.")]
        elif _active_unit(data.responsible_unit_id) is None:
            errors["responsible_unit_id"] = [_("Okänd eller inaktiv enhet.")]
    elif data.responsible_unit_id is not None:
        errors["responsible_unit_id"] = [_("Ange en enhet bara när en enhet ansvarar.")]
    if data.responsible_kind == ResponsibleKind.EXTERNAL:
        if not data.external_actor.strip():
            errors["external_actor"] = [_("Skriv vem som ansvarar.")]
        elif len(data.external_actor) > 200:
            errors["external_actor"] = [_("Högst 200 tecken.")]
    elif data.external_actor.strip():
        errors["external_actor"] = [_("Ange en extern aktör bara när en extern aktör ansvarar.")]
    if data.ends_on is not None:
        if data.ends_on < data.starts_on:
            errors["ends_on"] = [_("Slutdatum kan inte vara före startdatum.")]
        elif data.ends_on > today:
            errors["ends_on"] = [_("Slutdatum kan inte vara i framtiden. Avsluta steget när det är klart.")]
        if not data.end_reason:
            errors["end_reason"] = [_("Ange varför steget avslutades.")]
    elif data.end_reason:
        errors["ends_on"] = [_("Ange slutdatum när du anger varför steget avslutades.")]
    if data.end_reason and data.end_reason not in EndReason.values:
        errors["end_reason"] = [_("Okänd anledning.")]
    elif data.end_reason == EndReason.OTHER and not data.end_note.strip():
        errors["end_note"] = [_("Beskriv varför steget avslutades.")]
    if len(data.end_note) > 500:
        errors["end_note"] = [_("Högst 500 tecken.")]
    if data.follow_up_on is not None and data.follow_up_on < data.starts_on:
        errors["follow_up_on"] = [_("Uppföljningen kan inte vara före startdatum.")]
    if errors:
        raise InvalidInput(ERRORS, field_errors=errors)


# --- Access --------------------------------------------------------------------------------


def _access(ctx: AccessContext, plan: Plan) -> PlanAccess:
    access = plan_access(viewer=ctx.user, plan=plan)
    if access is None:
        raise NotFound(NOT_FOUND)
    return access


def _require_open(plan: Plan) -> None:
    if Plan.objects.filter(previous=plan).exists():
        raise PermissionDenied(PLAN_CLOSED)


def _require_coordinator(access: PlanAccess) -> None:
    if not access.is_own:
        raise PermissionDenied(_("Bara den samordnande enheten kan ändra planens mål och deltagare."))
    if not access.can_write:
        raise PermissionDenied(READ_ONLY)


def _lock(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("person", "project", "unit__organisation").get(pk=plan.pk)


# --- Versions ------------------------------------------------------------------------------


def _record_version(
    *,
    ctx: AccessContext,
    plan: Plan,
    change: str,
    action: str,
    access: PlanAccess,
    detail: dict[str, Any] | None = None,
) -> PlanVersion:
    """Keep the plan's new state as the next version and log the change (inside the transaction)."""
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])
    user = ctx.user
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        change=change,
        created_by=user,
        created_by_unit_name=str(user.unit) if user.unit_id else "",
        snapshot=plan_snapshot(plan=plan),
    )
    access_log_record(
        ctx=ctx,
        action=action,
        person_id=plan.person_id,
        basis=access.basis,
        consent_id=access.consent_id,
        detail={"plan": str(plan.pk), "version": version.number, **(detail or {})},
    )
    return version


def _write_goals_and_participants(plan: Plan, data: PlanData) -> None:
    plan.goals.all().delete()
    PlanGoal.objects.bulk_create(
        [
            PlanGoal(plan=plan, text=g.text.strip(), order=index, achieved_on=g.achieved_on)
            for index, g in enumerate(data.goals, start=1)
        ]
    )
    plan.participants.all().delete()
    PlanParticipant.objects.bulk_create(
        [
            PlanParticipant(plan=plan, name=p.name.strip(), role=p.role.strip(), unit_id=p.unit_id, order=index)
            for index, p in enumerate(data.participants, start=1)
        ]
    )


def _apply_header(plan: Plan, data: PlanData) -> None:
    plan.overall_responsibility_id = data.overall_responsibility_id
    plan.is_sip = data.is_sip
    plan.meeting_on = data.meeting_on
    plan.next_meeting_on = data.next_meeting_on


# --- The plan ------------------------------------------------------------------------------


def _own_person(ctx: AccessContext, person_id: uuid.UUID) -> Person:
    shown = scope_for(ctx, PURPOSE).person(person_id, action=None, related=())
    person, access = shown.person, shown.access
    if access.basis != AccessBasis.OWN_UNIT:
        raise PermissionDenied(_("Bara en enhet där personen deltar kan upprätta en plan."))
    if not access.can_write:
        raise PermissionDenied(READ_ONLY)
    return person


def _check_new_plan_project(*, person: Person, unit_id: uuid.UUID, project: Project | None) -> Project:
    if project is None:
        raise InvalidInput(ERRORS, field_errors={"project_id": [_("Välj ett projekt.")]})
    if not Enrolment.objects.filter(person=person, unit_id=unit_id, project=project).exists():
        raise InvalidInput(ERRORS, field_errors={"project_id": [_("Personen deltar inte i projektet vid din enhet.")]})
    if Plan.objects.filter(person=person, unit_id=unit_id, project=project).exists():
        raise InvalidInput(ERRORS, field_errors={"project_id": [_("Det finns redan en plan för projektet.")]})
    return project


def plan_create(
    *, ctx: AccessContext, person_id: uuid.UUID, project_id: uuid.UUID | None, data: PlanData | None = None
) -> Plan:
    """Start the person's plan in a project at the actor's unit (version 1)."""
    person = _own_person(ctx, person_id)
    unit_id = own_unit_id(ctx.user)
    project = Project.objects.filter(pk=project_id).first() if project_id else None
    data = data or PlanData(overall_responsibility_id=unit_id)
    _validate_plan(data, today=timezone.localdate())
    with transaction.atomic():
        project = _check_new_plan_project(person=person, unit_id=unit_id, project=project)
        plan = Plan(person=person, project=project, unit_id=unit_id, created_by=ctx.user)
        _apply_header(plan, data)
        plan.save()
        _write_goals_and_participants(plan, data)
        access = PlanAccess(basis=AccessBasis.OWN_UNIT, consent_id=None, is_own=True, can_write=True)
        _record_version(ctx=ctx, plan=plan, change=PlanChange.CREATED, action="plan.created", access=access)
    return plan


def plan_version(*, plan: Plan) -> str:
    """The plan's edit version (common.versions): its own version counter, which every change
    of the plan or its steps raises."""
    return str(plan.version)


def step_version(*, step: PlanStep) -> str:
    """A step's edit version (common.versions)."""
    return version_of(step)


def plan_update(*, ctx: AccessContext, plan: Plan, data: PlanData, expected_version: str | None = None) -> Plan:
    """Change the header, goals and participants. A new version only when something changed.

    `expected_version` is the version the form was filled in on: if someone else saved in
    between, the change is refused (Conflict) instead of silently overwriting theirs.
    """
    access = _access(ctx, plan)
    _require_coordinator(access)
    _validate_plan(data, today=timezone.localdate())
    with transaction.atomic():
        locked = _lock(plan)
        _require_open(locked)
        require_version(expected=expected_version, current=plan_version(plan=locked))
        before = plan_snapshot(plan=locked)
        _apply_header(locked, data)
        locked.save()
        _write_goals_and_participants(locked, data)
        if plan_snapshot(plan=locked) != before:
            _record_version(ctx=ctx, plan=locked, change=PlanChange.CHANGED, action="plan.changed", access=access)
    return locked


# --- Steps ---------------------------------------------------------------------------------


def _check_partner_step(access: PlanAccess, data: StepData, *, adding: bool) -> None:
    """A partner's step must stay their own unit's responsibility."""
    if access.can_write:
        return
    if access.step_unit_id is None:
        raise PermissionDenied(READ_ONLY)
    if data.responsible_kind != ResponsibleKind.UNIT or data.responsible_unit_id != access.step_unit_id:
        raise PermissionDenied(
            _("Du kan bara lägga till steg som din egen enhet ansvarar för.") if adding else ONLY_OWN_STEPS
        )


def _apply_step(step: PlanStep, data: StepData) -> None:
    step.content = data.content.strip()
    step.responsible_kind = data.responsible_kind
    step.responsible_unit_id = data.responsible_unit_id if data.responsible_kind == ResponsibleKind.UNIT else None
    step.external_actor = data.external_actor.strip() if data.responsible_kind == ResponsibleKind.EXTERNAL else ""
    step.starts_on = data.starts_on
    step.ends_on = data.ends_on
    step.end_reason = data.end_reason if data.ends_on else ""
    step.end_note = data.end_note.strip() if data.ends_on else ""
    step.follow_up_on = data.follow_up_on


def plan_step_add(*, ctx: AccessContext, plan: Plan, data: StepData) -> PlanStep:
    """Add a step. Partners may add only steps their own unit is responsible for."""
    access = _access(ctx, plan)
    _check_partner_step(access, data, adding=True)
    _validate_step(data, today=timezone.localdate())
    with transaction.atomic():
        locked = _lock(plan)
        _require_open(locked)
        step = PlanStep(plan=locked)
        _apply_step(step, data)
        step.save()
        _record_version(
            ctx=ctx,
            plan=locked,
            change=PlanChange.STEP_ADDED,
            action="plan_step.added",
            access=access,
            detail={"step": str(step.pk)},
        )
    return step


def _step_access(ctx: AccessContext, step: PlanStep) -> PlanAccess:
    access = _access(ctx, step.plan)
    if not access.may_change_step(responsible_unit_id=step.responsible_unit_id):
        raise PermissionDenied(READ_ONLY if access.is_own else ONLY_OWN_STEPS)
    return access


def plan_step_update(
    *, ctx: AccessContext, step: PlanStep, data: StepData, expected_version: str | None = None
) -> PlanStep:
    """Change a step. Partners may change only their own unit's steps, and not hand them on.

    With `expected_version` (step_version), a change on a stale step raises Conflict.
    """
    access = _step_access(ctx, step)
    _check_partner_step(access, data, adding=False)
    _validate_step(data, today=timezone.localdate())
    with transaction.atomic():
        locked = _lock(step.plan)
        _require_open(locked)
        current = PlanStep.objects.select_for_update().get(pk=step.pk, plan=locked)
        require_version(expected=expected_version, current=step_version(step=current))
        ended_now = current.ends_on is None and data.ends_on is not None
        before = plan_snapshot(plan=locked)
        _apply_step(current, data)
        current.save()
        if plan_snapshot(plan=locked) != before:
            _record_version(
                ctx=ctx,
                plan=locked,
                change=PlanChange.STEP_ENDED if ended_now else PlanChange.STEP_CHANGED,
                action="plan_step.ended" if ended_now else "plan_step.changed",
                access=access,
                detail={"step": str(current.pk)},
            )
    return current


def plan_step_end(
    *,
    ctx: AccessContext,
    step: PlanStep,
    ends_on: dt.date,
    end_reason: str,
    end_note: str = "",
    expected_version: str | None = None,
) -> PlanStep:
    """End an open step with the reason it ended (KAA documentation needs the reason).

    With `expected_version` (step_version), ending a step someone changed meanwhile raises Conflict.
    """
    access = _step_access(ctx, step)
    if step.ends_on is not None:
        raise InvalidInput(_("Steget är redan avslutat."), field_errors={"ends_on": [_("Steget är redan avslutat.")]})
    data = StepData(
        content=step.content,
        responsible_kind=step.responsible_kind,
        responsible_unit_id=step.responsible_unit_id,
        external_actor=step.external_actor,
        starts_on=step.starts_on,
        follow_up_on=step.follow_up_on,
        ends_on=ends_on,
        end_reason=end_reason,
        end_note=end_note,
    )
    if not end_reason:
        # The form requires it; say so here too for callers without a form.
        raise InvalidInput(ERRORS, field_errors={"end_reason": [_("Ange varför steget avslutades.")]})
    _validate_step(data, today=timezone.localdate())
    with transaction.atomic():
        locked = _lock(step.plan)
        _require_open(locked)
        current = PlanStep.objects.select_for_update().get(pk=step.pk, plan=locked)
        require_version(expected=expected_version, current=step_version(step=current))
        if current.ends_on is not None:
            raise InvalidInput(
                _("Steget är redan avslutat."), field_errors={"ends_on": [_("Steget är redan avslutat.")]}
            )
        _apply_step(current, data)
        current.save()
        _record_version(
            ctx=ctx,
            plan=locked,
            change=PlanChange.STEP_ENDED,
            action="plan_step.ended",
            access=access,
            detail={"step": str(current.pk), "end_reason": end_reason},
        )
    return current


def plan_step_add_from_referral(*, ctx: AccessContext, referral: Referral) -> PlanStep | None:
    """An accepted referral becomes a step in the referring unit's current plan for the person.

    Called by the referral service, inside its transaction, as the recipient who accepted. The
    step is the recipient unit's responsibility and starts today. Nothing of the plan is shown
    to the recipient, so no consent covering "plan" is needed; the referral's consent is logged.
    Returns None when the referring unit has no current plan for the person: the coach adds
    the step when the plan is made.
    """
    if ctx.user.unit_id is None or ctx.user.unit_id != referral.to_unit_id or not ctx.user.can_write:
        raise PermissionDenied(_("Bara den mottagande enheten kan lägga till remissens steg."))
    plan = (
        Plan.objects.filter(person_id=referral.person_id, unit_id=referral.from_unit_id, continued_by__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if plan is None:
        return None
    data = StepData(
        content=(referral.accepted_step_text or referral.requested_measure).strip()[:2000],
        responsible_kind=ResponsibleKind.UNIT,
        responsible_unit_id=referral.to_unit_id,
        starts_on=timezone.localdate(),
    )
    _validate_step(data, today=timezone.localdate())
    access = PlanAccess(
        basis=AccessBasis.CONSENT,
        consent_id=referral.consent_id,
        is_own=False,
        can_write=False,
        step_unit_id=referral.to_unit_id,
    )
    with transaction.atomic():
        locked = _lock(plan)
        step = PlanStep(plan=locked)
        _apply_step(step, data)
        step.save()
        _record_version(
            ctx=ctx,
            plan=locked,
            change=PlanChange.STEP_ADDED,
            action="plan_step.added",
            access=access,
            detail={"step": str(step.pk), "referral": str(referral.pk)},
        )
    return step


# --- Continuity ----------------------------------------------------------------------------


def plan_continue_in_project(*, ctx: AccessContext, plan: Plan, project: Project | None) -> Plan:
    """Continue the plan in another project at the same unit (studies start, KAA ends at 20).

    The new plan keeps the goals, the overall responsibility and the open steps, and links
    to the previous plan; the previous plan is kept as it was and can no longer be changed.
    """
    access = _access(ctx, plan)
    _require_coordinator(access)
    if project is not None and project.pk == plan.project_id:
        raise InvalidInput(ERRORS, field_errors={"project_id": [_("Välj ett annat projekt än det nuvarande.")]})
    with transaction.atomic():
        old = _lock(plan)
        if Plan.objects.filter(previous=old).exists():
            raise InvalidInput(_("Planen fortsätter redan i ett annat projekt."))
        project = _check_new_plan_project(person=old.person, unit_id=old.unit_id, project=project)
        new = Plan.objects.create(
            person=old.person,
            project=project,
            unit_id=old.unit_id,
            overall_responsibility_id=old.overall_responsibility_id,
            is_sip=old.is_sip,
            next_meeting_on=old.next_meeting_on,
            previous=old,
            created_by=ctx.user,
        )
        PlanGoal.objects.bulk_create(
            [
                PlanGoal(plan=new, text=g.text, order=g.order, achieved_on=g.achieved_on)
                for g in old.goals.order_by("order", "id")
            ]
        )
        PlanStep.objects.bulk_create(
            [
                PlanStep(
                    plan=new,
                    content=s.content,
                    responsible_kind=s.responsible_kind,
                    responsible_unit_id=s.responsible_unit_id,
                    external_actor=s.external_actor,
                    starts_on=s.starts_on,
                    follow_up_on=s.follow_up_on,
                )
                for s in old.steps.filter(ends_on__isnull=True).order_by("starts_on", "created_at")
            ]
        )
        detail = {"previous_plan": str(old.pk), "new_plan": str(new.pk)}
        _record_version(
            ctx=ctx, plan=new, change=PlanChange.CONTINUED_FROM, action="plan.continued", access=access, detail=detail
        )
        _record_version(
            ctx=ctx,
            plan=old,
            change=PlanChange.CONTINUED_IN,
            action="plan.continued_elsewhere",
            access=access,
            detail=detail,
        )
    return new
