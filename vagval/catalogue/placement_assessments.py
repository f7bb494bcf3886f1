"""The supervisor assessment (Arbetsplatsbedömning) of a placement: scheduling and the links.

The coach schedules it (by default every 4 weeks from the start: Placement.assessment_interval_weeks
and assessment_next_due_on, which the to-do list reads) and sends a personal link to the
placement's supervisor (a ProviderContact, without an account) through the assessments app's
link mechanism. The answer is the link's Response, kept by the placing unit; it shows on the
placement and on the person's assessments page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.assessments import services as assessment_services
from vagval.assessments.models import Instrument, Respondent, ResponseContext, SentVia
from vagval.audit.services import AccessContext, access_log_record
from vagval.catalogue.models import Placement, PlacementAssessment, PlacementStatus
from vagval.catalogue.placement_services import require_writer
from vagval.common.errors import InvalidInput

INSTRUMENT = "arbetsplatsbedomning"
ERRORS = gettext_lazy("Uppgifterna innehåller fel.")
MAX_INTERVAL_WEEKS = 26


def placement_assessment_schedule(
    *, ctx: AccessContext, placement: Placement, interval_weeks: int, next_due_on: dt.date | None
) -> Placement:
    """Set how often the supervisor assesses (weeks) and when the next one is due (empty: none)."""
    access = require_writer(ctx, placement)
    errors: dict[str, list[str]] = {}
    if not 1 <= interval_weeks <= MAX_INTERVAL_WEEKS:
        errors["interval_weeks"] = [_("Välj 1–26 veckor.")]
    if placement.status in (PlacementStatus.ENDED, PlacementStatus.DECLINED) and next_due_on is not None:
        errors["next_due_on"] = [_("Placeringen är avslutad.")]
    if errors:
        raise InvalidInput(ERRORS, field_errors=errors)
    with transaction.atomic():
        current = Placement.objects.select_for_update().get(pk=placement.pk)
        current.assessment_interval_weeks = interval_weeks
        current.assessment_next_due_on = next_due_on
        current.version += 1
        current.save()
        access_log_record(
            ctx=ctx,
            action="placement.assessment_scheduled",
            person_id=current.person_id,
            basis=access.basis,
            detail={"placement": str(current.pk), "weeks": interval_weeks, "next": str(next_due_on or "")},
        )
    return current


def placement_assessment_send(
    *,
    ctx: AccessContext,
    placement: Placement,
    url_for: Callable[[str], str],
    send_via: str = SentVia.EMAIL,
    send_to: str = "",
    valid_days: int = 14,
) -> assessment_services.CreatedLink:
    """Create the personal link for the supervisor's assessment due next, and send it (to the
    supervisor's e-mail by default). The next due date moves on by the interval."""
    access = require_writer(ctx, placement)
    if placement.status not in (PlacementStatus.ACCEPTED, PlacementStatus.STARTED):
        raise InvalidInput(_("Arbetsplatsbedömningar görs under en påbörjad placering."))
    supervisor = placement.supervisor
    if supervisor is None:
        raise InvalidInput(_("Placeringen har ingen handledare. Ange handledaren först."))
    if not send_to and send_via == SentVia.EMAIL:
        send_to = supervisor.email
    elif not send_to and send_via == SentVia.SMS:
        send_to = supervisor.phone
    instrument = Instrument.objects.filter(slug=INSTRUMENT).first()
    if instrument is None:
        raise InvalidInput(_("Formuläret Arbetsplatsbedömning finns inte i den här installationen."))
    today = timezone.localdate()
    with transaction.atomic():
        current = Placement.objects.select_for_update().get(pk=placement.pk)
        created = assessment_services.link_create(
            ctx=ctx,
            person=placement.person,
            instrument=instrument,
            respondent=Respondent.SUPERVISOR,
            context=ResponseContext.PLACEMENT,
            valid_days=valid_days,
            send_via=send_via,
            send_to=send_to,
            url_for=url_for,
        )
        due_on = current.assessment_next_due_on or today
        PlacementAssessment.objects.create(placement=current, due_on=due_on, link=created.link, created_by=ctx.user)
        current.assessment_next_due_on = max(due_on, today) + dt.timedelta(weeks=current.assessment_interval_weeks)
        current.version += 1
        current.save()
        access_log_record(
            ctx=ctx,
            action="placement.assessment_sent",
            person_id=current.person_id,
            basis=access.basis,
            detail={"placement": str(current.pk), "link": str(created.link.pk), "due_on": str(due_on)},
        )
    return created
