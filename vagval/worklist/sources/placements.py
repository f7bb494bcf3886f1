"""Placements that start or end within the horizon (catalogue.Placement, kept by the unit).

A placement offered or accepted is due on its start date (has the young person started?); a
placement under way is due on its end date (what comes next?). One placement is one item.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from vagval.catalogue.models import Placement, PlacementStatus
from vagval.worklist.sources import Row, SourceContext

KIND = "placering"
NOT_STARTED = (PlacementStatus.OFFERED, PlacementStatus.ACCEPTED)


def collect(ctx: SourceContext) -> list[Row]:
    rows = (
        Placement.objects.filter(
            Q(status__in=NOT_STARTED, starts_on__lte=ctx.horizon)
            | Q(status=PlacementStatus.STARTED, ends_on__lte=ctx.horizon),
            unit_id=ctx.unit_id,
            person_id__in=ctx.visible_ids(),
        )
        .order_by()
        .values_list("pk", "person_id", "status", "starts_on", "ends_on", "offer__title")
    )
    result = []
    for pk, person_id, status, starts_on, ends_on, title in rows:
        if status == PlacementStatus.STARTED:
            label, due_on = _("Placeringen slutar: %(offer)s") % {"offer": title}, ends_on
        else:
            label, due_on = _("Placeringen börjar: %(offer)s") % {"offer": title}, starts_on
        # The placement's page belongs to the catalogue app; until it has one, the person page.
        result.append(Row(KIND, pk, person_id, due_on, label, reverse("people:detail", args=[person_id])))
    return result
