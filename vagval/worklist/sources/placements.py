"""Placements that start or end within the horizon (catalogue.Placement, kept by the unit).

A placement offered or accepted is due on its start date (has the young person started?); a
placement under way is due on its end date (what comes next?). One placement is one item.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, Q, QuerySet, When
from django.utils.translation import gettext as _

from vagval.catalogue.models import Placement, PlacementStatus
from vagval.common.sql import hex_key
from vagval.common.urls import object_url
from vagval.worklist.sources import Row, SourceContext, as_date, item_query

KIND = "placering"
NOT_STARTED = (PlacementStatus.OFFERED, PlacementStatus.ACCEPTED)


def query(ctx: SourceContext) -> QuerySet[Any]:
    return item_query(
        Placement.objects.filter(
            Q(status__in=NOT_STARTED, starts_on__lte=ctx.horizon)
            | Q(status=PlacementStatus.STARTED, ends_on__lte=ctx.horizon),
            unit_id=ctx.unit_id,
        ),
        person="person_id",
        due=Case(When(status=PlacementStatus.STARTED, then=F("ends_on")), default=F("starts_on")),
        a="status",
        b="offer__title",
    )


def row(ctx: SourceContext, values: tuple[Any, ...]) -> Row:
    pk, person_id, due_on, status, title = values
    # The date is never NULL: the query keeps only placements whose date is within the horizon.
    return Row(KIND, hex_key(pk), hex_key(person_id), as_date(due_on), (status == PlacementStatus.STARTED, title))


def describe(row: Row) -> tuple[str, str]:
    ending, title = row.data
    if ending:
        label = _("Placeringen slutar: %(offer)s") % {"offer": title}
    else:
        label = _("Placeringen börjar: %(offer)s") % {"offer": title}
    return label, object_url("catalogue:placement_detail", row.object_key)
