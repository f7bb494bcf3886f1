"""Changes to placements: a person in an offer. Each change is one transaction with its
history event and access-log entry.

The lifecycle (TRANSITIONS): föreslagen → erbjuden → accepterad / avböjd → påbörjad → avslutad,
and väntelista for a full offer. Entering erbjuden, accepterad or påbörjad takes one of the
offer's places (catalogue.capacity): the offer row is locked first, so two coaches confirming
at the same moment cannot both take the last place (OfferFull for the second).

Accepting or starting a placement adds the matching step to the person's plan at the placing
unit (plans.services), and ending or declining it ends that step.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.scope import Need, scope_for
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.catalogue.capacity import taken_places
from vagval.catalogue.models import (
    OCCUPYING_STATUSES,
    Offer,
    OfferStatus,
    Placement,
    PlacementEndReason,
    PlacementEvent,
    PlacementStatus,
    ProviderContact,
)
from vagval.catalogue.placement_selectors import NOT_FOUND, PURPOSE, PlacementAccess, placement_access
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.common.versions import require_version
from vagval.people.models import Enrolment, EnrolmentStatus
from vagval.plans import services as plan_services
from vagval.plans.models import EndReason, Plan, PlanStep, ResponsibleKind

ERRORS = gettext_lazy("Uppgifterna innehåller fel.")
READ_ONLY = gettext_lazy("Du har endast läsbehörighet.")
ONLY_OWN = gettext_lazy("Bara enheten som gjorde placeringen kan ändra den.")
MAX_HOURS_PER_WEEK = Decimal(60)

# Which status may follow which. Declined and ended are final; an exit from the project ends
# any open placement (placement_end).
TRANSITIONS: dict[str, frozenset[str]] = {
    PlacementStatus.SUGGESTED: frozenset(
        {PlacementStatus.OFFERED, PlacementStatus.WAITING, PlacementStatus.DECLINED, PlacementStatus.ENDED}
    ),
    PlacementStatus.WAITING: frozenset({PlacementStatus.OFFERED, PlacementStatus.DECLINED, PlacementStatus.ENDED}),
    PlacementStatus.OFFERED: frozenset({PlacementStatus.ACCEPTED, PlacementStatus.DECLINED, PlacementStatus.ENDED}),
    PlacementStatus.ACCEPTED: frozenset({PlacementStatus.STARTED, PlacementStatus.DECLINED, PlacementStatus.ENDED}),
    PlacementStatus.STARTED: frozenset({PlacementStatus.ENDED}),
    PlacementStatus.DECLINED: frozenset(),
    PlacementStatus.ENDED: frozenset(),
}
CREATE_STATUSES = frozenset({PlacementStatus.SUGGESTED, PlacementStatus.OFFERED, PlacementStatus.WAITING})
# Statuses in which the placement belongs in the plan (the young person has said yes).
IN_PLAN = frozenset({PlacementStatus.ACCEPTED, PlacementStatus.STARTED})

# How a placement's end reason is written on its plan step (plans.EndReason).
_STEP_END_REASON: dict[str, str] = {
    PlacementEndReason.COMPLETED: EndReason.COMPLETED,
    PlacementEndReason.PARTICIPATION_ENDED: EndReason.NO_LONGER_RELEVANT,
}


class OfferFull(InvalidInput):
    """Every place of the offer is taken: nothing was saved. Pages show it at the status field,
    the API answers 422 with it; the waiting list is the way on."""

    def __init__(self, offer: Offer) -> None:
        message = _("Erbjudandet är fullt: alla %(capacity)s platser är tagna. Sätt personen på väntelistan.") % {
            "capacity": offer.capacity
        }
        super().__init__(message, field_errors={"status": [message]})


class InvalidTransition(InvalidInput):
    """The placement cannot go from its status to the one asked for."""

    def __init__(self, current: str, wanted: str) -> None:
        message = _("En placering som är %(current)s kan inte bli %(wanted)s.") % {
            "current": PlacementStatus(current).label.lower(),
            "wanted": PlacementStatus(wanted).label.lower(),
        }
        super().__init__(message, field_errors={"status": [message]})


# --- Locks and checks ----------------------------------------------------------------------------


def lock_offer(offer_id: uuid.UUID) -> Offer:
    """Lock the offer's row until the transaction ends, before its places are counted.

    PostgreSQL: SELECT … FOR UPDATE; a second transaction waits here until the first commits,
    and then counts the place the first one took. SQLite has no row locks: a write statement
    takes the database's write lock for the rest of the transaction, so the offer is first
    "updated" to itself (the settings also open transactions IMMEDIATE; this keeps the rule
    right without that setting and reads as what it is for).
    """
    if connection.vendor == "sqlite":
        Offer.objects.filter(pk=offer_id).update(capacity=F("capacity"))
    return Offer.objects.select_for_update().select_related("provider").get(pk=offer_id)


def _require_place(offer: Offer, *, old_status: str, new_status: str) -> None:
    """Inside the offer's lock: a status that takes a place needs a free one."""
    takes_a_place = new_status in OCCUPYING_STATUSES and old_status not in OCCUPYING_STATUSES
    if takes_a_place and taken_places(offer) >= offer.capacity:
        raise OfferFull(offer)


def require_writer(ctx: AccessContext, placement: Placement) -> PlacementAccess:
    access = placement_access(viewer=ctx.user, placement=placement)
    if access is None:
        raise NotFound(NOT_FOUND)
    if not access.is_own:
        raise PermissionDenied(ONLY_OWN)
    if not access.can_write:
        raise PermissionDenied(READ_ONLY)
    return access


def _check_dates_and_hours(
    *, starts_on: dt.date | None, ends_on: dt.date | None, hours_per_week: Decimal | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("Slutdatum kan inte vara före startdatum.")]
    if hours_per_week is not None and not (Decimal(0) < Decimal(hours_per_week) <= MAX_HOURS_PER_WEEK):
        errors["hours_per_week"] = [_("Ange 0,5–60 timmar per vecka.")]
    return errors


def _event(
    *, ctx: AccessContext, placement: Placement, from_status: str, reason: str, on: dt.date, access: PlacementAccess
) -> None:
    PlacementEvent.objects.create(
        placement=placement,
        from_status=from_status,
        to_status=placement.status,
        reason=reason[:500],
        occurred_on=on,
        created_by=ctx.user,
    )
    access_log_record(
        ctx=ctx,
        action="placement.created" if not from_status else "placement.status_changed",
        person_id=placement.person_id,
        basis=access.basis,
        consent_id=access.consent_id,
        detail={"placement": str(placement.pk), "from": from_status, "to": placement.status},
    )


# --- The plan step -------------------------------------------------------------------------------


def _step_content(placement: Placement, offer: Offer) -> str:
    """What the plan says: the offer and provider, except for a protected person (the plan is
    read by the whole unit; the provider would tell where the person is)."""
    kind = offer.get_kind_display()
    if placement.person.is_protected:
        return _("%(kind)s (placering, se placeringen)") % {"kind": kind}
    return _("%(kind)s: %(title)s hos %(provider)s") % {
        "kind": kind,
        "title": offer.title,
        "provider": offer.provider.name,
    }


def _add_plan_step(ctx: AccessContext, placement: Placement, offer: Offer) -> PlanStep | None:
    """Add the placement's step to the person's current plan in the enrolment's project at the
    placing unit. None when there is no such plan: the page says so, and no plan is created
    behind the coach's back (a plan is made with the young person)."""
    plan = (
        Plan.objects.filter(
            person_id=placement.person_id,
            unit_id=placement.unit_id,
            project_id=placement.enrolment.project_id,
            continued_by__isnull=True,
        )
        .order_by("-created_at")
        .first()
    )
    if plan is None:
        return None
    protected = placement.person.is_protected
    data = plan_services.StepData(
        content=_step_content(placement, offer)[:2000],
        responsible_kind=ResponsibleKind.UNIT if protected else ResponsibleKind.EXTERNAL,
        responsible_unit_id=placement.unit_id if protected else None,
        external_actor="" if protected else offer.provider.name[:200],
        starts_on=placement.starts_on or timezone.localdate(),
        follow_up_on=placement.assessment_next_due_on,
    )
    return plan_services.plan_step_add(ctx=ctx, plan=plan, data=data)


def _end_plan_step(ctx: AccessContext, placement: Placement, *, ends_on: dt.date, reason: str) -> None:
    """End the placement's step with the placement. A step the coach already ended, or one in a
    plan that has since continued in another project (the old plan is kept as it was), is left."""
    if placement.plan_step_id is None:
        return
    step = PlanStep.objects.select_related("plan__person").filter(pk=placement.plan_step_id).first()
    if step is None or step.ends_on is not None or Plan.objects.filter(previous_id=step.plan_id).exists():
        return
    today = timezone.localdate()
    on = max(min(ends_on, today), step.starts_on)
    if on > today:  # a step that has not started cannot end yet (plans refuses future ends)
        return
    step_reason = _STEP_END_REASON.get(reason, EndReason.OTHER)
    note = "" if step_reason != EndReason.OTHER else _label(reason)
    plan_services.plan_step_end(ctx=ctx, step=step, ends_on=on, end_reason=step_reason, end_note=note[:500])


def _label(reason: str) -> str:
    if reason in PlacementEndReason.values:
        return _("Placeringen avslutades: %(reason)s") % {"reason": PlacementEndReason(reason).label.lower()}
    return _("Placeringen avböjdes")


# --- Services ------------------------------------------------------------------------------------


def placement_version(*, placement: Placement) -> str:
    """The placement's edit version (ETag, hidden form field): its own counter."""
    return str(placement.version)


def placement_create(
    *,
    ctx: AccessContext,
    enrolment: Enrolment,
    offer: Offer,
    status: str = PlacementStatus.SUGGESTED,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    hours_per_week: Decimal | None = None,
    reason: str = "",
    supervisor: ProviderContact | None = None,
) -> Placement:
    """Place the enrolled person in the offer as föreslagen, erbjuden or på väntelista.

    Erbjuden takes a place: OfferFull when none is free (nothing is saved). `reason` is kept in
    the history (e.g. why a coach chose this offer over the matching's suggestion).
    """
    viewer = ctx.user
    if enrolment.unit_id != viewer.unit_id:
        raise NotFound(_("Inskrivningen finns inte eller så saknar du behörighet."))
    scope_for(ctx, PURPOSE).admit(enrolment.person, need=Need.CHANGE)
    errors = _check_dates_and_hours(starts_on=starts_on, ends_on=ends_on, hours_per_week=hours_per_week)
    if status not in CREATE_STATUSES:
        errors["status"] = [_("En ny placering är föreslagen, erbjuden eller på väntelista.")]
    if enrolment.status == EnrolmentStatus.ENDED:
        errors["enrolment"] = [_("Deltagandet är avslutat.")]
    if offer.status in (OfferStatus.DRAFT, OfferStatus.CLOSED):
        errors["offer"] = [_("Erbjudandet är inte öppet.")]
    elif offer.status == OfferStatus.FULL and status == PlacementStatus.OFFERED:
        errors["status"] = [_("Erbjudandet är markerat som fullt. Sätt personen på väntelistan.")]
    if supervisor is not None and supervisor.provider_id != offer.provider_id:
        errors["supervisor"] = [_("Handledaren hör inte till anordnaren.")]
    if len(reason) > 500:
        errors["reason"] = [_("Högst 500 tecken.")]
    if errors:
        raise InvalidInput(ERRORS, field_errors=errors)
    access = PlacementAccess(
        basis=AccessBasis.OWN_UNIT, consent_id=None, is_own=True, can_write=True, sees_details=True
    )
    with transaction.atomic():
        locked = lock_offer(offer.pk)
        if Placement.objects.filter(
            person_id=enrolment.person_id, offer=locked, status__in=CREATE_STATUSES | IN_PLAN
        ).exists():
            raise InvalidInput(
                ERRORS, field_errors={"offer": [_("Personen har redan en pågående placering i erbjudandet.")]}
            )
        _require_place(locked, old_status="", new_status=status)
        placement = Placement.objects.create(
            person_id=enrolment.person_id,
            enrolment=enrolment,
            offer=locked,
            unit_id=enrolment.unit_id,
            coach=enrolment.coach,
            status=status,
            starts_on=starts_on or locked.starts_on,
            ends_on=ends_on,
            hours_per_week=hours_per_week if hours_per_week is not None else locked.hours_per_week,
            supervisor=supervisor or locked.supervisor,
            reason_note=reason.strip(),
            waiting_since=timezone.now() if status == PlacementStatus.WAITING else None,
            version=1,
        )
        _event(ctx=ctx, placement=placement, from_status="", reason=reason, on=timezone.localdate(), access=access)
    return placement


def placement_change_status(
    *,
    ctx: AccessContext,
    placement: Placement,
    status: str,
    on: dt.date | None = None,
    reason: str = "",
    end_reason: str = "",
    hours_per_week: Decimal | None = None,
    expected_version: str | None = None,
) -> Placement:
    """Move the placement to `status` (TRANSITIONS). `on` is the day it happened (today by
    default; the start day for påbörjad, the last day for avslutad). Avböjd needs `reason`,
    avslutad needs `end_reason` (and `reason` for annat)."""
    if status == PlacementStatus.ENDED:
        return placement_end(
            ctx=ctx,
            placement=placement,
            ends_on=on or timezone.localdate(),
            reason=end_reason,
            note=reason,
            expected_version=expected_version,
        )
    access = require_writer(ctx, placement)
    errors = _check_dates_and_hours(starts_on=None, ends_on=None, hours_per_week=hours_per_week)
    if status not in PlacementStatus.values:
        errors["status"] = [_("Okänd status.")]
    if status == PlacementStatus.DECLINED and not reason.strip():
        errors["reason"] = [_("Skriv varför platsen avböjdes.")]
    if len(reason) > 500:
        errors["reason"] = [_("Högst 500 tecken.")]
    if errors:
        raise InvalidInput(ERRORS, field_errors=errors)
    today = timezone.localdate()
    with transaction.atomic():
        offer = lock_offer(placement.offer_id)
        current = Placement.objects.select_for_update().select_related("person", "enrolment").get(pk=placement.pk)
        require_version(expected=expected_version, current=placement_version(placement=current))
        old = current.status
        if status not in TRANSITIONS[old]:
            raise InvalidTransition(old, status)
        _require_place(offer, old_status=old, new_status=status)
        current.status = status
        if hours_per_week is not None:
            current.hours_per_week = hours_per_week
        if status == PlacementStatus.WAITING:
            current.waiting_since = timezone.now()
        if status == PlacementStatus.DECLINED:
            current.declined_reason = reason.strip()
        if status == PlacementStatus.STARTED:
            current.starts_on = on or current.starts_on or today
            if current.ends_on and current.ends_on < current.starts_on:
                raise InvalidInput(ERRORS, field_errors={"on": [_("Startdatum kan inte vara efter slutdatum.")]})
            if current.assessment_next_due_on is None and current.assessment_interval_weeks:
                current.assessment_next_due_on = current.starts_on + dt.timedelta(
                    weeks=current.assessment_interval_weeks
                )
        current.reason_note = reason.strip()
        current.version += 1
        current.save()
        if status in IN_PLAN and current.plan_step_id is None:
            step = _add_plan_step(ctx, current, offer)
            if step is not None:
                current.plan_step = step
                current.save(update_fields=["plan_step", "updated_at"])
        if status == PlacementStatus.DECLINED:
            _end_plan_step(ctx, current, ends_on=on or today, reason="avbojd")
        _event(ctx=ctx, placement=current, from_status=old, reason=reason, on=on or today, access=access)
    return current


def placement_end(
    *,
    ctx: AccessContext,
    placement: Placement,
    ends_on: dt.date,
    reason: str,
    note: str = "",
    expected_version: str | None = None,
) -> Placement:
    """End an open placement with its reason (genomförd, avbruten, fick anställning, började
    studera, deltagandet avslutat, annat), freeing its place and ending its plan step.

    The exit from the project (followup) calls this with reason deltagandet_avslutat, as the
    user who records the exit, for each open placement of the enrolment.
    """
    access = require_writer(ctx, placement)
    errors: dict[str, list[str]] = {}
    if reason not in PlacementEndReason.values:
        errors["end_reason"] = [_("Välj varför placeringen avslutades.")]
    elif reason == PlacementEndReason.OTHER and not note.strip():
        errors["reason"] = [_("Beskriv varför placeringen avslutades.")]
    if len(note) > 500:
        errors["reason"] = [_("Högst 500 tecken.")]
    if errors:
        raise InvalidInput(ERRORS, field_errors=errors)
    with transaction.atomic():
        lock_offer(placement.offer_id)  # the place it frees is counted by the next in line
        current = Placement.objects.select_for_update().select_related("person", "enrolment").get(pk=placement.pk)
        require_version(expected=expected_version, current=placement_version(placement=current))
        old = current.status
        if PlacementStatus.ENDED not in TRANSITIONS[old]:
            raise InvalidTransition(old, PlacementStatus.ENDED)
        if current.starts_on and ends_on < current.starts_on:
            if old == PlacementStatus.STARTED:
                raise InvalidInput(ERRORS, field_errors={"on": [_("Slutdatum kan inte vara före startdatum.")]})
            current.starts_on = None  # it never started: the planned start is not kept as a start
        current.status = PlacementStatus.ENDED
        current.end_reason = reason
        current.ends_on = ends_on
        current.reason_note = note.strip()
        current.assessment_next_due_on = None
        current.version += 1
        current.save()
        _end_plan_step(ctx, current, ends_on=ends_on, reason=reason)
        _event(ctx=ctx, placement=current, from_status=old, reason=note or reason, on=ends_on, access=access)
        access_log_record(
            ctx=ctx,
            action="placement.ended",
            person_id=current.person_id,
            basis=access.basis,
            consent_id=access.consent_id,
            detail={"placement": str(current.pk), "end_reason": reason},
        )
    return current
