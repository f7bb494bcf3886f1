"""Sending and answering referrals. Each change is one transaction with its access-log entry.

Sender side: a writer at the person's own unit, while a consent documented by that unit names
the recipient. Recipient side: a writer at the recipient unit who sees the person through the
access check (normally under that consent). Anyone else gets NotFound.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import PersonAccess
from vagval.access.scope import scope_for
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.versions import require_version, version_of
from vagval.common.workdays import add_working_days
from vagval.organisations.models import Unit
from vagval.people.models import Person
from vagval.plans import services as plan_services
from vagval.referrals.models import OPEN_STATUSES, Referral, ReferralEvent, ReferralEventKind, ReferralStatus
from vagval.referrals.selectors import (
    PURPOSE,
    RECIPIENT,
    SENDER,
    ReferralAccess,
    referral_check_side,
    referral_consent_for,
)

RESPONSE_WORKING_DAYS = 5
READ_ONLY = gettext_lazy("Du har endast läsbehörighet.")


@dataclass(frozen=True)
class ReferralData:
    to_unit_id: uuid.UUID
    reason: str
    requested_measure: str


def _sender_access(ctx: AccessContext, person: Person) -> PersonAccess:
    """A writer at the person's own unit; anyone else is refused."""
    access = scope_for(ctx, PURPOSE).admit(person).access
    if access.basis != AccessBasis.OWN_UNIT:
        raise PermissionDenied(_("Bara en enhet där personen är inskriven kan skicka en remiss."))
    if not access.can_write:
        raise PermissionDenied(READ_ONLY)
    return access


def referral_send(*, ctx: AccessContext, person: Person, data: ReferralData) -> Referral:
    viewer = ctx.user
    _sender_access(ctx, person)
    from_unit_id = viewer.unit_id
    assert from_unit_id is not None  # the access check only answers for users with a unit
    errors: dict[str, list[str]] = {}
    consent = None
    if person.is_protected:
        raise InvalidInput(
            _(
                "Personen har skyddade personuppgifter. Uppgifter om personen lämnas inte till andra "
                "organisationer i Vägval, även med samtycke. Samverka på annat sätt."
            )
        )
    if data.to_unit_id == from_unit_id:
        errors["to_unit"] = [_("Välj en annan enhet än din egen.")]
    elif not Unit.objects.filter(pk=data.to_unit_id, active=True).exists():
        errors["to_unit"] = [_("Okänd eller inaktiv mottagare.")]
    else:
        consent = referral_consent_for(person=person, from_unit_id=from_unit_id, to_unit_id=data.to_unit_id)
        if consent is None:
            errors["to_unit"] = [
                _(
                    "Det finns inget giltigt samtycke som omfattar den här mottagaren. Den unga behöver "
                    "först lämna ett samtycke till att uppgifter lämnas till mottagaren. Dokumentera "
                    "samtycket och skicka sedan remissen."
                )
            ]
    if not data.reason.strip():
        errors["reason"] = [_("Beskriv anledningen till remissen och vad du vill att mottagaren svarar på.")]
    if not data.requested_measure.strip():
        errors["requested_measure"] = [_("Skriv vilken insats du önskar.")]
    if errors or consent is None:
        raise InvalidInput(_("Remissen innehåller fel."), field_errors=errors)
    now = timezone.now()
    with transaction.atomic():
        referral = Referral.objects.create(
            person=person,
            from_unit_id=from_unit_id,
            from_user=viewer,
            to_unit_id=data.to_unit_id,
            consent=consent,
            reason=data.reason.strip(),
            requested_measure=data.requested_measure.strip(),
            status=ReferralStatus.SENT,
            sent_at=now,
            response_deadline=add_working_days(timezone.localdate(now), RESPONSE_WORKING_DAYS),
        )
        _event(referral, ctx=ctx, kind=ReferralEventKind.SENT, text="", at=now)
        # Sending discloses information to the recipient under this consent: log it with it.
        access_log_record(
            ctx=ctx,
            action="referral.sent",
            person_id=person.pk,
            basis=AccessBasis.OWN_UNIT,
            consent_id=consent.pk,
            detail={"referral": str(referral.pk), "to_unit": str(data.to_unit_id)},
        )
    return referral


def _event(referral: Referral, *, ctx: AccessContext, kind: str, text: str, at: dt.datetime) -> ReferralEvent:
    unit_id = ctx.user.unit_id
    assert unit_id is not None
    return ReferralEvent.objects.create(referral=referral, at=at, by=ctx.user, unit_id=unit_id, kind=kind, text=text)


# --- Changes to an existing referral ------------------------------------------------------


def _locked(
    ctx: AccessContext, referral_id: uuid.UUID, side: str, expected_version: str | None = None
) -> tuple[Referral, ReferralAccess]:
    """Check access (404), the side and write permission (403), then lock the row; with
    `expected_version` (referral_version, the API's If-Match) a referral changed meanwhile
    raises Conflict."""
    found = referral_check_side(viewer=ctx.user, referral_id=referral_id, side=side)
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    require_version(expected=expected_version, current=referral_version(referral=referral))
    return referral, found


def referral_version(*, referral: Referral) -> str:
    """A referral's edit version (common.versions): changes with every answer or event."""
    return version_of(referral)


def _record(ctx: AccessContext, found: ReferralAccess, action: str, **detail: str) -> None:
    access_log_record(
        ctx=ctx,
        action=action,
        person_id=found.referral.person_id,
        basis=found.access.basis,
        consent_id=found.access.consent_id,
        detail={"referral": str(found.referral.pk), **detail},
    )


def _first_action(referral: Referral, now: dt.datetime) -> list[str]:
    if referral.first_action_at is None:
        referral.first_action_at = now
        return ["first_action_at"]
    return []


def referral_accept(
    *,
    ctx: AccessContext,
    referral_id: uuid.UUID,
    response: str = "",
    step_text: str = "",
    expected_version: str | None = None,
) -> Referral:
    """The recipient accepts. `step_text` is what should become a step in the person's plan."""
    now = timezone.now()
    with transaction.atomic():
        referral, found = _locked(ctx, referral_id, RECIPIENT, expected_version)
        if referral.status not in OPEN_STATUSES:
            raise InvalidInput(_("Remissen är redan besvarad eller återkallad."))
        referral.status = ReferralStatus.ACCEPTED
        referral.response = response.strip()
        referral.accepted_step_text = step_text.strip() or referral.requested_measure
        referral.responded_by = ctx.user
        referral.responded_at = now
        fields = ["status", "response", "accepted_step_text", "responded_by", "responded_at", "updated_at"]
        referral.save(update_fields=fields + _first_action(referral, now))
        _event(referral, ctx=ctx, kind=ReferralEventKind.ACCEPTED, text=referral.response, at=now)
        _record(ctx, found, "referral.accepted")
        # An accepted referral becomes a step in the referring unit's current plan.
        plan_services.plan_step_add_from_referral(ctx=ctx, referral=referral)
    return referral


def referral_decline(
    *, ctx: AccessContext, referral_id: uuid.UUID, reason: str, expected_version: str | None = None
) -> Referral:
    if not reason.strip():
        raise InvalidInput(
            _("Skälet saknas."), field_errors={"decline_reason": [_("Skriv varför ni avböjer, så att avsändaren vet.")]}
        )
    now = timezone.now()
    with transaction.atomic():
        referral, found = _locked(ctx, referral_id, RECIPIENT, expected_version)
        if referral.status not in OPEN_STATUSES:
            raise InvalidInput(_("Remissen är redan besvarad eller återkallad."))
        referral.status = ReferralStatus.DECLINED
        referral.decline_reason = reason.strip()
        referral.responded_by = ctx.user
        referral.responded_at = now
        fields = ["status", "decline_reason", "responded_by", "responded_at", "updated_at"]
        referral.save(update_fields=fields + _first_action(referral, now))
        _event(referral, ctx=ctx, kind=ReferralEventKind.DECLINED, text=referral.decline_reason, at=now)
        _record(ctx, found, "referral.declined")
    return referral


def referral_request_info(
    *, ctx: AccessContext, referral_id: uuid.UUID, question: str, expected_version: str | None = None
) -> Referral:
    """The recipient asks the sender for more information; the sender's turn to act."""
    if not question.strip():
        raise InvalidInput(_("Frågan saknas."), field_errors={"question": [_("Skriv vad ni behöver veta.")]})
    now = timezone.now()
    with transaction.atomic():
        referral, found = _locked(ctx, referral_id, RECIPIENT, expected_version)
        if referral.status != ReferralStatus.SENT:
            raise InvalidInput(_("Komplettering kan bara begäras när remissen väntar på svar."))
        referral.status = ReferralStatus.MORE_INFO_REQUESTED
        referral.save(update_fields=["status", "updated_at", *_first_action(referral, now)])
        _event(referral, ctx=ctx, kind=ReferralEventKind.MORE_INFO_REQUESTED, text=question.strip(), at=now)
        _record(ctx, found, "referral.info_requested")
    return referral


def referral_add_info(*, ctx: AccessContext, referral_id: uuid.UUID, text: str) -> Referral:
    """The sender answers a request for more: back to 'skickad'.

    The recipient then gets a fresh response window: the deadline moves to 5 working days
    after the answer, unless it was already later.
    """
    if not text.strip():
        raise InvalidInput(_("Svaret saknas."), field_errors={"text": [_("Skriv kompletteringen.")]})
    now = timezone.now()
    with transaction.atomic():
        referral, found = _locked(ctx, referral_id, SENDER)
        if referral.status != ReferralStatus.MORE_INFO_REQUESTED:
            raise InvalidInput(_("Mottagaren har inte begärt någon komplettering."))
        referral.status = ReferralStatus.SENT
        referral.response_deadline = max(
            referral.response_deadline, add_working_days(timezone.localdate(now), RESPONSE_WORKING_DAYS)
        )
        referral.save(update_fields=["status", "response_deadline", "updated_at"])
        _event(referral, ctx=ctx, kind=ReferralEventKind.INFO_ADDED, text=text.strip(), at=now)
        _record(ctx, found, "referral.info_added")
    return referral


def referral_withdraw(*, ctx: AccessContext, referral_id: uuid.UUID, note: str = "") -> Referral:
    """The sender withdraws a referral that has not been accepted or declined."""
    now = timezone.now()
    with transaction.atomic():
        referral, found = _locked(ctx, referral_id, SENDER)
        if referral.status not in OPEN_STATUSES:
            raise InvalidInput(_("Remissen är redan besvarad eller återkallad."))
        referral.status = ReferralStatus.WITHDRAWN
        referral.save(update_fields=["status", "updated_at"])
        _event(referral, ctx=ctx, kind=ReferralEventKind.WITHDRAWN, text=note.strip()[:2000], at=now)
        _record(ctx, found, "referral.withdrawn")
    return referral
