"""Supervisor assessments due ("Handledarbedömning"): a started placement of the unit whose next
assessment date (catalogue.Placement.assessment_next_due_on) falls within the horizon.

The due rule is the catalogue's own (catalogue.placement_selectors.assessments_due), not written
again here. Like the repeated assessments, the item's id is derived from (placement, due date):
sending the link moves the date on and makes a new item, so a mark on the old one stops applying.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vagval.catalogue.placement_selectors import assessments_due
from vagval.common.urls import object_url
from vagval.worklist.sources import Read, Row, SourceContext

KIND = "handledarbedomning"
_NAMESPACE = uuid.UUID("0b0d7e1c-5a8e-4f4e-9f55-2d7c3a8b6e41")


def item_id(placement_id: uuid.UUID, due_on: dt.date) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{placement_id}:{due_on.isoformat()}")


def _due(ctx: SourceContext) -> QuerySet[Any]:
    return (
        assessments_due(viewer=ctx.viewer, on_or_before=ctx.horizon)
        .order_by()
        .values_list("pk", "person_id", "assessment_next_due_on", "offer__title")
    )


def collect(ctx: SourceContext, read: Read) -> list[Row]:
    return [
        Row(KIND, item_id(pk, due_on).hex, person_id.hex, due_on, (pk.hex, title))
        for pk, person_id, due_on, title in read(_due)
    ]


def describe(row: Row) -> tuple[str, str]:
    placement_id, title = row.data
    label = _("Handledarbedömning: %(offer)s") % {"offer": title}
    return label, object_url("catalogue:placement_detail", placement_id)
