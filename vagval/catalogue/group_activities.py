"""Group activities: sessions (date, hours) of an offer of kind gruppaktivitet, and attendance.

A session is not personal data: the staff of the organisation that maintains the offer add
them. Attendance is: each placing unit records it for its own participants (the placements it
may change), and the hours attended count in the participant's hours on the placement.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import ROLES_THAT_WRITE
from vagval.audit.services import AccessContext, access_log_record
from vagval.catalogue.models import (
    OCCUPYING_STATUSES,
    Attendance,
    GroupSession,
    Offer,
    OfferKind,
    Placement,
    PlacementStatus,
)
from vagval.common.errors import InvalidInput, PermissionDenied

ERRORS = gettext_lazy("Uppgifterna innehåller fel.")
# Participants whose attendance is recorded: those with a place, and those who have ended.
ATTENDING_STATUSES = frozenset(OCCUPYING_STATUSES | {PlacementStatus.ENDED})


def may_manage_sessions(*, ctx: AccessContext, offer: Offer) -> bool:
    user = ctx.user
    return bool(
        user.can_write
        and user.role in ROLES_THAT_WRITE
        and user.unit_id is not None
        and user.unit is not None
        and user.unit.organisation_id == offer.owner_id
    )


def group_session_create(
    *, ctx: AccessContext, offer: Offer, held_on: dt.date, hours: Decimal, topic: str = ""
) -> GroupSession:
    if not may_manage_sessions(ctx=ctx, offer=offer):
        raise PermissionDenied(_("Bara den som förvaltar erbjudandet kan lägga till träffar."))
    errors: dict[str, list[str]] = {}
    if offer.kind != OfferKind.GROUP_ACTIVITY:
        errors["held_on"] = [_("Träffar finns bara för gruppaktiviteter.")]
    if not Decimal(0) < Decimal(hours) <= Decimal(24):
        errors["hours"] = [_("Ange 0,5–24 timmar.")]
    if len(topic) > 200:
        errors["topic"] = [_("Högst 200 tecken.")]
    if errors:
        raise InvalidInput(ERRORS, field_errors=errors)
    with transaction.atomic():
        session = GroupSession.objects.create(offer=offer, held_on=held_on, hours=hours, topic=topic.strip())
        access_log_record(
            ctx=ctx, action="group_session.created", detail={"offer": str(offer.pk), "session": str(session.pk)}
        )
    return session


def attendance_placements(*, ctx: AccessContext, session: GroupSession) -> list[Placement]:
    """The participants whose attendance the actor records: their own unit's placements."""
    if ctx.user.unit_id is None:
        return []
    return list(
        Placement.objects.filter(offer_id=session.offer_id, unit_id=ctx.user.unit_id, status__in=ATTENDING_STATUSES)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def attendance_record(
    *, ctx: AccessContext, session: GroupSession, attended: dict[uuid.UUID, bool]
) -> list[Attendance]:
    """Record who came to the session (each for the session's hours), for the actor's own
    unit's participants; one access-log entry per participant, in the same transaction."""
    user = ctx.user
    if not (user.can_write and user.role in ROLES_THAT_WRITE):
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    placements = {p.pk: p for p in attendance_placements(ctx=ctx, session=session)}
    if not placements:
        raise PermissionDenied(_("Din enhet har inga deltagare i gruppaktiviteten."))
    unknown = set(attended) - set(placements)
    if unknown:
        raise InvalidInput(ERRORS, field_errors={"attended": [_("Okänd deltagare.")]})
    rows: list[Attendance] = []
    with transaction.atomic():
        for placement_id, came in attended.items():
            row, _created = Attendance.objects.update_or_create(
                session=session,
                placement_id=placement_id,
                defaults={"attended": came, "hours": session.hours if came else Decimal(0)},
            )
            rows.append(row)
            access_log_record(
                ctx=ctx,
                action="placement.attendance_recorded",
                person_id=placements[placement_id].person_id,
                detail={"placement": str(placement_id), "session": str(session.pk), "attended": came},
            )
    return rows
