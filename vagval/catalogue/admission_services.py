"""Admission to a study offer with intakes (Second Chance School, seed 003).

An admission round is an intake of a study offer with a number of places; it is not personal
data. An application is a young person's way through the steps ansökan → vägledningssamtal →
intervju → beslut (antagen, reserv, ej antagen) → start, recorded by the unit where the person is
enrolled. Admitting never exceeds the round's places: the round row is locked while counting.
Each write is one transaction with its access-log entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from vagval.access.scope import Need, scope_for
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.catalogue.models import (
    AdmissionDecision,
    AdmissionRound,
    AdmissionStep,
    Application,
    ApplicationSource,
    Offer,
    OfferKind,
    PlacementStatus,
)
from vagval.catalogue.offer_selectors import may_maintain
from vagval.catalogue.placement_services import placement_change_status, placement_create
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.common.versions import require_version, version_of
from vagval.people.models import Enrolment, EnrolmentStatus

PURPOSE = "casework"
# The order of the steps: an application moves forward one step at a time.
STEP_ORDER = list(AdmissionStep.values)


@dataclass(frozen=True)
class RoundData:
    name: str
    starts_on: dt.date
    places: int
    applications_close_on: dt.date | None = None


def _round_errors(data: RoundData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Skriv ett namn på omgången, till exempel Hösten 2027.")]
    if data.places < 1:
        errors["places"] = [_("Antalet platser måste vara minst 1.")]
    if data.applications_close_on and data.applications_close_on > data.starts_on:
        errors["applications_close_on"] = [_("Sista ansökningsdag kan inte vara efter terminsstarten.")]
    return errors


def round_create(*, ctx: AccessContext, offer: Offer, data: RoundData) -> AdmissionRound:
    if not may_maintain(ctx.user, offer.owner_id):
        raise PermissionDenied(_("Du får inte hantera antagningen till den här utbildningen."))
    errors = _round_errors(data)
    if offer.kind != OfferKind.STUDY:
        errors.setdefault("offer", []).append(_("Antagning finns bara för studieplatser."))
    if AdmissionRound.objects.filter(offer=offer, name=data.name.strip()).exists():
        errors.setdefault("name", []).append(_("Det finns redan en omgång med det namnet."))
    if errors:
        raise InvalidInput(_("Omgången innehåller fel."), field_errors=errors)
    with transaction.atomic():
        admission_round = AdmissionRound.objects.create(
            offer=offer,
            name=data.name.strip(),
            starts_on=data.starts_on,
            places=data.places,
            applications_close_on=data.applications_close_on,
        )
        access_log_record(
            ctx=ctx,
            action="admission.round_created",
            detail={"round": str(admission_round.pk), "offer": str(offer.pk), "places": str(data.places)},
        )
    return admission_round


def round_update(
    *, ctx: AccessContext, admission_round: AdmissionRound, data: RoundData, expected_version: str | None = None
) -> AdmissionRound:
    if not may_maintain(ctx.user, admission_round.offer.owner_id):
        raise PermissionDenied(_("Du får inte hantera antagningen till den här utbildningen."))
    errors = _round_errors(data)
    with transaction.atomic():
        locked = AdmissionRound.objects.select_for_update().get(pk=admission_round.pk)
        require_version(expected=expected_version, current=version_of(locked))
        admitted = admitted_count(locked)
        if data.places < admitted:
            errors.setdefault("places", []).append(
                _("%(n)s är redan antagna. Antalet platser kan inte vara färre.") % {"n": admitted}
            )
        if AdmissionRound.objects.filter(offer=locked.offer_id, name=data.name.strip()).exclude(pk=locked.pk).exists():
            errors.setdefault("name", []).append(_("Det finns redan en omgång med det namnet."))
        if errors:
            raise InvalidInput(_("Omgången innehåller fel."), field_errors=errors)
        locked.name, locked.starts_on, locked.places = data.name.strip(), data.starts_on, data.places
        locked.applications_close_on = data.applications_close_on
        locked.save()
        access_log_record(
            ctx=ctx, action="admission.round_changed", detail={"round": str(locked.pk), "places": str(data.places)}
        )
    return locked


def admitted_count(admission_round: AdmissionRound) -> int:
    """Admitted applications take the round's places (counted over every unit: a number, not data)."""
    return Application.objects.filter(round=admission_round, decision=AdmissionDecision.ADMITTED).count()


def _own_enrolment(ctx: AccessContext, enrolment_id: uuid.UUID | str) -> Enrolment:
    enrolment = Enrolment.objects.select_related("person").filter(pk=enrolment_id).first()
    if enrolment is None:
        raise NotFound(_("Inskrivningen finns inte eller så saknar du behörighet."))
    shown = scope_for(ctx, PURPOSE).admit(enrolment.person, need=Need.CHANGE)
    if shown.access.basis != AccessBasis.OWN_UNIT or enrolment.unit_id != ctx.user.unit_id:
        raise NotFound(_("Inskrivningen finns inte eller så saknar du behörighet."))
    return enrolment


def application_create(
    *,
    ctx: AccessContext,
    admission_round: AdmissionRound,
    enrolment_id: uuid.UUID | str,
    source: str,
    applied_on: dt.date,
) -> Application:
    """Record an application for a person enrolled at the actor's unit."""
    enrolment = _own_enrolment(ctx, enrolment_id)
    errors: dict[str, list[str]] = {}
    if source not in ApplicationSource.values:
        errors["source"] = [_("Välj varifrån ansökan kom.")]
    if enrolment.status == EnrolmentStatus.ENDED:
        errors["enrolment"] = [_("Inskrivningen är avslutad.")]
    if Application.objects.filter(round=admission_round, person=enrolment.person).exists():
        errors["enrolment"] = [_("Personen har redan en ansökan i den här omgången.")]
    if errors:
        raise InvalidInput(_("Ansökan innehåller fel."), field_errors=errors)
    assert ctx.user.unit_id is not None  # _own_enrolment admitted the person at the actor's unit
    with transaction.atomic():
        application = Application.objects.create(
            round=admission_round,
            person=enrolment.person,
            enrolment=enrolment,
            unit_id=ctx.user.unit_id,
            source=source,
            applied_on=applied_on,
        )
        access_log_record(
            ctx=ctx,
            action="admission.applied",
            person_id=enrolment.person_id,
            basis=AccessBasis.OWN_UNIT,
            detail={"application": str(application.pk), "round": str(admission_round.pk), "source": source},
        )
    return application


@dataclass(frozen=True)
class StepData:
    """What the next step records: a date, and for the interview its notes, for the decision
    the decision and its reason."""

    on: dt.date
    notes: str = ""
    decision: str = ""
    reason: str = ""


def _next_step(application: Application) -> str:
    index = STEP_ORDER.index(application.step)
    if index + 1 >= len(STEP_ORDER):
        raise InvalidInput(_("Ansökan har redan gått igenom alla steg."))
    return STEP_ORDER[index + 1]


def _apply_decision(application: Application, data: StepData, errors: dict[str, list[str]]) -> None:
    if data.decision not in AdmissionDecision.values:
        errors["decision"] = [_("Välj beslut.")]
        return
    if data.decision in (AdmissionDecision.REJECTED, AdmissionDecision.RESERVE) and not data.reason.strip():
        errors["reason"] = [_("Skriv en motivering till beslutet.")]
    if data.decision == AdmissionDecision.ADMITTED:
        # Lock the round so two decisions at once cannot both take the last place.
        admission_round = AdmissionRound.objects.select_for_update().get(pk=application.round_id)
        if admitted_count(admission_round) >= admission_round.places:
            errors["decision"] = [_("Omgångens alla platser är redan tillsatta. Sätt personen som reserv.")]
    application.decision, application.decision_reason, application.decided_on = (
        data.decision,
        data.reason.strip(),
        data.on,
    )


def _place(ctx: AccessContext, application: Application, step: str, data: StepData) -> None:
    """Admitted: a place in the offer (accepted, with its plan step); start: the placement starts.
    The placement services keep the offer's capacity; their refusal refuses the step."""
    try:
        if step == AdmissionStep.DECISION and application.decision == AdmissionDecision.ADMITTED:
            admission_round = application.round
            offered = placement_create(
                ctx=ctx,
                enrolment=application.enrolment,
                offer=admission_round.offer,
                status=PlacementStatus.OFFERED,
                starts_on=admission_round.starts_on,
                reason=_("Antagen till %(round)s") % {"round": admission_round.name},
            )
            application.placement = placement_change_status(
                ctx=ctx, placement=offered, status=PlacementStatus.ACCEPTED, on=data.on
            )
        elif step == AdmissionStep.STARTED and application.placement is not None:
            placement_change_status(
                ctx=ctx, placement=application.placement, status=PlacementStatus.STARTED, on=data.on
            )
    except InvalidInput as exc:
        messages = [m for field_messages in exc.field_errors.values() for m in field_messages] or [exc.message]
        raise InvalidInput(_("Steget kunde inte sparas."), field_errors={"decision": messages}) from exc


def application_advance(
    *, ctx: AccessContext, application_id: uuid.UUID | str, data: StepData, expected_version: str | None = None
) -> Application:
    """Move an application to its next step, recording what that step needs."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round", "round__offer", "enrolment", "placement")
            .filter(pk=application_id)
            .first()
        )
        if application is None or application.unit_id != ctx.user.unit_id:
            raise NotFound(_("Ansökan finns inte eller så saknar du behörighet."))
        scope_for(ctx, PURPOSE).admit(application.person, need=Need.CHANGE)
        require_version(expected=expected_version, current=version_of(application))
        step = _next_step(application)
        errors: dict[str, list[str]] = {}
        if step == AdmissionStep.GUIDANCE:
            application.guidance_on = data.on
        elif step == AdmissionStep.INTERVIEW:
            application.interview_on, application.interview_notes = data.on, data.notes.strip()
        elif step == AdmissionStep.DECISION:
            _apply_decision(application, data, errors)
        elif application.decision != AdmissionDecision.ADMITTED:
            errors["decision"] = [_("Bara den som är antagen kan börja.")]
        else:
            application.started_on = data.on
        if errors:
            raise InvalidInput(_("Steget kunde inte sparas."), field_errors=errors)
        _place(ctx, application, step, data)
        application.step = step
        application.save()
        access_log_record(
            ctx=ctx,
            action="admission.step_recorded",
            person_id=application.person_id,
            basis=AccessBasis.OWN_UNIT,
            detail={"application": str(application.pk), "step": step, "decision": application.decision},
        )
    return application
