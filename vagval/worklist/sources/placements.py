"""Placements that start or end within the horizon (catalogue.Placement, kept by the unit).

A placement offered or accepted is due on its start date (has the young person started?); a
placement under way is due on its end date (what comes next?). One placement is one item.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from vagval.catalogue.models import Placement, PlacementStatus
from vagval.common.sql import hex_key, query_rows
from vagval.worklist.sources import Row, SourceContext, object_url

KIND = "placering"
NOT_STARTED = (PlacementStatus.OFFERED, PlacementStatus.ACCEPTED)


def collect(ctx: SourceContext) -> list[Row]:
    rows = query_rows(
        Placement.objects.filter(
            Q(status__in=NOT_STARTED, starts_on__lte=ctx.horizon)
            | Q(status=PlacementStatus.STARTED, ends_on__lte=ctx.horizon),
            unit_id=ctx.unit_id,
        )
        .order_by()
        .values_list("pk", "person_id", "status", "starts_on", "ends_on", "offer__title")
    )
    return [
        Row(
            KIND,
            hex_key(pk),
            hex_key(person_id),
            ends_on if status == PlacementStatus.STARTED else starts_on,  # type: ignore[arg-type]  # filtered on the date
            (status == PlacementStatus.STARTED, title),
        )
        for pk, person_id, status, starts_on, ends_on, title in rows
    ]


def describe(row: Row) -> tuple[str, str]:
    ending, title = row.data
    if ending:
        label = _("Placeringen slutar: %(offer)s") % {"offer": title}
    else:
        label = _("Placeringen börjar: %(offer)s") % {"offer": title}
    return label, object_url("catalogue:placement_detail", row.object_key)
