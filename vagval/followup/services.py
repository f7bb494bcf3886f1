"""Writes of followup: leaving a project (the exit cascade), follow-ups and their outcomes, the
young person's answer through a personal link, and the jobs the scheduler calls.

Every write runs in one transaction with its access-log entry. The exit cascade uses the owning
apps' own services (people's enrolment_end, plans' plan_step_end, referrals' referral_withdraw),
each nested in the one transaction of enrolment_exit, so a failure anywhere leaves everything as it
was.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access.checks import ROLES_THAT_WRITE
from vagval.access.scope import Need, scope_for
from vagval.audit.services import AccessContext, access_log_record
from vagval.catalogue.models import OPEN_STATUSES as PLACEMENT_OPEN_STATUSES
from vagval.catalogue.models import Placement, PlacementEndReason, PlacementStatus
from vagval.catalogue.placement_services import placement_end
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.common.versions import require_version, version_of
from vagval.followup.dates import follow_up_dates
from vagval.followup.models import (
    CLOSED_STATUSES,
    AttemptMethod,
    Exit,
    ExitReason,
    FollowUp,
    FollowUpAttempt,
    FollowUpLink,
    FollowUpSettings,
    FollowUpStatus,
    Situation,
    Source,
)
from vagval.followup.selectors import PURPOSE, exit_closes
from vagval.organisations.models import Project
from vagval.people.models import Enrolment, EnrolmentStatus
from vagval.people.services import enrolment_end
from vagval.plans.models import EndReason
from vagval.plans.services import plan_step_end
from vagval.referrals.services import referral_withdraw

NOT_FOUND = "Uppföljningen finns inte eller så saknar du behörighet."
WITHDRAW_NOTE = "Deltagandet i projektet avslutades."


@dataclass(frozen=True)
class ExitData:
    exit_on: dt.date
    reason: str
    situation: str
    source: str
    reason_note: str = ""


def require_writer(ctx: AccessContext) -> None:
    user = ctx.user
    if not (user.can_write and user.unit_id is not None and user.role in ROLES_THAT_WRITE):
        raise PermissionDenied(_("Du har endast läsbehörighet."))


def _validate_exit(data: ExitData, *, enrolment: Enrolment, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if data.exit_on > today:
        errors["exit_on"] = [_("Avslutsdatum kan inte vara i framtiden.")]
    elif data.exit_on < enrolment.starts_on:
        errors["exit_on"] = [
            _("Avslutsdatum kan inte vara före startdatum %(starts_on)s.") % {"starts_on": enrolment.starts_on}
        ]
    if data.reason not in ExitReason.values:
        errors["reason"] = [_("Välj en anledning.")]
    elif data.reason == ExitReason.OTHER and not data.reason_note.strip():
        errors["reason_note"] = [_("Skriv vad som hände när du väljer Annat.")]
    if data.situation not in Situation.values:
        errors["situation"] = [_("Välj situationen vid avslut.")]
    if data.source not in Source.values:
        errors["source"] = [_("Välj varifrån uppgiften kommer.")]
    if len(data.reason_note) > 500:
        errors["reason_note"] = [_("Högst 500 tecken.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)


def _end_open_placements(*, ctx: AccessContext, enrolment: Enrolment, ends_on: dt.date) -> int:
    """End the enrolment's open placements with the reason "deltagandet avslutat", through the
    catalogue's one rule for ending a placement (placement_end: the offer's lock, the history, the
    freed place, the access log). Nested in the exit's transaction, so a later failure undoes it.

    A placement under way cannot end before it started: it ends on its start date then. One that
    never started ends on the exit date (placement_end drops a planned start after it)."""
    placements = list(Placement.objects.filter(enrolment=enrolment, status__in=PLACEMENT_OPEN_STATUSES))
    for placement in placements:
        on = ends_on
        if placement.status == PlacementStatus.STARTED and placement.starts_on is not None:
            on = max(ends_on, placement.starts_on)
        placement_end(ctx=ctx, placement=placement, ends_on=on, reason=PlacementEndReason.PARTICIPATION_ENDED)
    return len(placements)


def _settings_of(project_id: uuid.UUID) -> FollowUpSettings | None:
    return FollowUpSettings.objects.filter(project_id=project_id).first()


def enrolment_exit(
    *,
    ctx: AccessContext,
    enrolment: Enrolment,
    data: ExitData,
    expected_version: str | None = None,
    today: dt.date | None = None,
) -> Exit:
    """Leave a project: in ONE transaction end the enrolment, its open placements and plan steps,
    withdraw the unit's unanswered referrals, record the exit and schedule its follow-ups.

    The plan becomes read-only for partners by the rule plans.selectors.plan_enrolment_ended.
    """
    require_writer(ctx)
    today = today or timezone.localdate()
    scope_for(ctx, PURPOSE).admit(enrolment.person, need=Need.CHANGE, not_found=NOT_FOUND)
    if enrolment.unit_id != ctx.user.unit_id:
        raise NotFound(NOT_FOUND)
    if enrolment.status == EnrolmentStatus.ENDED:
        raise InvalidInput(_("Deltagandet är redan avslutat."))
    _validate_exit(data, enrolment=enrolment, today=today)
    closes = exit_closes(enrolment=enrolment, today=today)
    with transaction.atomic():
        enrolment_end(ctx=ctx, enrolment=enrolment, ends_on=data.exit_on, expected_version=expected_version)
        # Steps first, all with the reason "deltagandet avslutat": ending a placement ends its own
        # step too (with the catalogue's reason), but leaves a step that has already ended.
        for step in closes.steps:
            plan_step_end(
                ctx=ctx,
                step=step,
                ends_on=max(data.exit_on, step.starts_on),
                end_reason=EndReason.PARTICIPATION_ENDED,
            )
        placements = _end_open_placements(ctx=ctx, enrolment=enrolment, ends_on=data.exit_on)
        for referral in closes.referrals:
            referral_withdraw(ctx=ctx, referral_id=referral.pk, note=WITHDRAW_NOTE)
        exit_ = Exit.objects.create(
            enrolment=enrolment,
            person_id=enrolment.person_id,
            unit_id=enrolment.unit_id,
            exit_on=data.exit_on,
            reason=data.reason,
            reason_note=data.reason_note.strip(),
            situation=data.situation,
            source=data.source,
            recorded_by=ctx.user,
        )
        dates = follow_up_dates(exit_on=data.exit_on, settings=_settings_of(enrolment.project_id))
        FollowUp.objects.bulk_create(
            FollowUp(exit=exit_, person_id=exit_.person_id, unit_id=exit_.unit_id, kind=kind, due_on=due_on)
            for kind, due_on in dates.items()
        )
        access_log_record(
            ctx=ctx,
            action="exit.created",
            person_id=enrolment.person_id,
            detail={
                "exit": str(exit_.pk),
                "enrolment": str(enrolment.pk),
                "placements": placements,
                "steps": len(closes.steps),
                "referrals": len(closes.referrals),
                "follow_ups": len(dates),
            },
        )
    return exit_


def exit_supersede_on_reentry(*, ctx: AccessContext, enrolment: Enrolment, today: dt.date | None = None) -> int:
    """Re-entry: the open exit is kept as history (superseded) and its unfinished follow-ups become
    "ej aktuell". Called inside the re-entry's transaction (people.signals.enrolment_reopened)."""
    today = today or timezone.localdate()
    open_exits = list(Exit.objects.select_for_update().filter(enrolment=enrolment, superseded_on__isnull=True))
    for exit_ in open_exits:
        exit_.superseded_on = today
        exit_.save(update_fields=["superseded_on", "updated_at"])
        FollowUp.objects.filter(exit=exit_).exclude(status__in=CLOSED_STATUSES).update(
            status=FollowUpStatus.NOT_APPLICABLE, needs_coach=False, updated_at=timezone.now()
        )
        FollowUpLink.objects.filter(follow_up__exit=exit_, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        access_log_record(ctx=ctx, action="exit.superseded", person_id=exit_.person_id, detail={"exit": str(exit_.pk)})
    return len(open_exits)


def on_enrolment_reopened(sender: Any, *, ctx: AccessContext, enrolment: Enrolment, **kwargs: Any) -> None:
    exit_supersede_on_reentry(ctx=ctx, enrolment=enrolment)


# --- A follow-up's outcome, recorded by the coach ---------------------------------------------------


def follow_up_version(*, follow_up: FollowUp) -> str:
    return version_of(follow_up)


def _locked_follow_up(ctx: AccessContext, follow_up: FollowUp, expected_version: str | None) -> FollowUp:
    require_writer(ctx)
    if follow_up.unit_id != ctx.user.unit_id:
        raise NotFound(NOT_FOUND)
    scope_for(ctx, PURPOSE).admit(follow_up.person, need=Need.CHANGE, not_found=NOT_FOUND)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    require_version(expected=expected_version, current=follow_up_version(follow_up=locked))
    if locked.status in CLOSED_STATUSES:
        raise InvalidInput(_("Uppföljningen är redan avslutad."))
    return locked


def _require_due(follow_up: FollowUp, today: dt.date) -> None:
    if follow_up.due_on > today:
        raise InvalidInput(
            _("Uppföljningen görs tidigast %(due_on)s.") % {"due_on": follow_up.due_on},
            field_errors={"outcome": [_("Uppföljningen görs tidigast %(due_on)s.") % {"due_on": follow_up.due_on}]},
        )


def _close(follow_up: FollowUp, *, status: str, outcome: str, source: str, ctx: AccessContext, note: str) -> None:
    follow_up.status = status
    follow_up.outcome = outcome
    follow_up.source = source
    follow_up.note = note.strip()[:500]
    follow_up.recorded_by = ctx.user
    follow_up.recorded_at = timezone.now()
    follow_up.needs_coach = False
    follow_up.version += 1
    follow_up.save()
    # The young person's link stops when the coach has the answer another way.
    FollowUpLink.objects.filter(follow_up=follow_up, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def follow_up_record(
    *,
    ctx: AccessContext,
    follow_up: FollowUp,
    outcome: str,
    source: str,
    note: str = "",
    expected_version: str | None = None,
    today: dt.date | None = None,
) -> FollowUp:
    """The coach records the outcome (after a call or a meeting): status klar."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if outcome not in Situation.values:
        errors["outcome"] = [_("Välj situationen.")]
    if source not in Source.values:
        errors["source"] = [_("Välj varifrån uppgiften kommer.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)
    with transaction.atomic():
        locked = _locked_follow_up(ctx, follow_up, expected_version)
        _require_due(locked, today)
        _close(locked, status=FollowUpStatus.DONE, outcome=outcome, source=source, ctx=ctx, note=note)
        access_log_record(
            ctx=ctx,
            action="follow_up.recorded",
            person_id=locked.person_id,
            detail={"follow_up": str(locked.pk), "outcome": outcome, "source": source},
        )
    return locked


def follow_up_suggestion_confirm(
    *, ctx: AccessContext, follow_up: FollowUp, expected_version: str | None = None, today: dt.date | None = None
) -> FollowUp:
    """One click: the register's suggestion ("i utbildning") becomes the outcome, source register."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked_follow_up(ctx, follow_up, expected_version)
        if not locked.suggested_outcome:
            raise InvalidInput(_("Det finns inget förslag att bekräfta."))
        _require_due(locked, today)
        _close(
            locked,
            status=FollowUpStatus.DONE,
            outcome=locked.suggested_outcome,
            source=Source.REGISTER,
            ctx=ctx,
            note="",
        )
        access_log_record(
            ctx=ctx,
            action="follow_up.suggestion_confirmed",
            person_id=locked.person_id,
            detail={"follow_up": str(locked.pk), "outcome": locked.outcome},
        )
    return locked


def follow_up_attempt_add(
    *,
    ctx: AccessContext,
    follow_up: FollowUp,
    attempted_on: dt.date,
    method: str,
    note: str = "",
    today: dt.date | None = None,
) -> FollowUpAttempt:
    """A try to reach the young person that did not give an answer (listed on the follow-up)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if method not in AttemptMethod.values:
        errors["method"] = [_("Välj hur du försökte nå den unga.")]
    if attempted_on > today:
        errors["attempted_on"] = [_("Datumet kan inte vara i framtiden.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)
    with transaction.atomic():
        locked = _locked_follow_up(ctx, follow_up, None)
        attempt = FollowUpAttempt.objects.create(
            follow_up=locked,
            person_id=locked.person_id,
            unit_id=locked.unit_id,
            attempted_on=attempted_on,
            method=method,
            note=note.strip()[:500],
            made_by=ctx.user,
        )
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        access_log_record(
            ctx=ctx,
            action="follow_up.attempt_added",
            person_id=locked.person_id,
            detail={"follow_up": str(locked.pk), "attempt": str(attempt.pk)},
        )
    return attempt


def follow_up_not_reached(
    *, ctx: AccessContext, follow_up: FollowUp, expected_version: str | None = None, today: dt.date | None = None
) -> FollowUp:
    """ "Ej nådd": only after at least one listed attempt."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked_follow_up(ctx, follow_up, expected_version)
        _require_due(locked, today)
        if not FollowUpAttempt.objects.filter(follow_up=locked).exists():
            raise InvalidInput(
                _("Skriv in minst ett kontaktförsök innan du markerar uppföljningen som ej nådd."),
                field_errors={"attempts": [_("Skriv in minst ett kontaktförsök först.")]},
            )
        _close(locked, status=FollowUpStatus.NOT_REACHED, outcome="", source="", ctx=ctx, note="")
        access_log_record(
            ctx=ctx, action="follow_up.not_reached", person_id=locked.person_id, detail={"follow_up": str(locked.pk)}
        )
    return locked


# --- Settings ----------------------------------------------------------------------------------------


def follow_up_settings_save(
    *, ctx: AccessContext, project: Project, weeks_4_days: int, days_90_days: int, months_6_months: int
) -> FollowUpSettings:
    """A project's offsets (administrators and the project's leaders; the view checks who)."""
    errors: dict[str, list[str]] = {}
    if not 1 <= weeks_4_days <= 365:
        errors["weeks_4_days"] = [_("Ange ett antal dagar mellan 1 och 365.")]
    if not weeks_4_days < days_90_days <= 730:
        errors["days_90_days"] = [_("Ange fler dagar än för den första uppföljningen, högst 730.")]
    if not 1 <= months_6_months <= 36:
        errors["months_6_months"] = [_("Ange ett antal månader mellan 1 och 36.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)
    with transaction.atomic():
        saved, _created = FollowUpSettings.objects.update_or_create(
            project=project,
            defaults={
                "weeks_4_days": weeks_4_days,
                "days_90_days": days_90_days,
                "months_6_months": months_6_months,
                "updated_by": ctx.user,
            },
        )
        access_log_record(ctx=ctx, action="follow_up_settings.changed", detail={"project": str(project.pk)})
    return saved


# The jobs the scheduler calls live in followup.jobs; named here, where the lead wires them.
from vagval.followup.jobs import (  # noqa: E402
    follow_up_answer,
    follow_up_reminders_send,
    follow_ups_fall_due,
    register_suggestions_apply,
)

__all__ = [
    "ExitData",
    "enrolment_exit",
    "exit_supersede_on_reentry",
    "follow_up_answer",
    "follow_up_attempt_add",
    "follow_up_not_reached",
    "follow_up_record",
    "follow_up_reminders_send",
    "follow_up_settings_save",
    "follow_up_suggestion_confirm",
    "follow_ups_fall_due",
    "register_suggestions_apply",
]
