"""Follow-ups after an exit that are due or overdue (followup.FollowUp, kept by the unit)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vagval.common.sql import hex_key, query_rows
from vagval.followup.models import FollowUp, FollowUpKind, FollowUpStatus
from vagval.worklist.sources import Row, SourceContext, object_url

KIND = "uppfoljning"
OPEN = (FollowUpStatus.UPCOMING, FollowUpStatus.DUE)


def collect(ctx: SourceContext) -> list[Row]:
    rows = query_rows(
        FollowUp.objects.filter(unit_id=ctx.unit_id, status__in=OPEN, due_on__lte=ctx.horizon)
        .order_by()
        .values_list("pk", "person_id", "due_on", "kind")
    )
    return [Row(KIND, hex_key(pk), hex_key(person_id), due_on, (kind,)) for pk, person_id, due_on, kind in rows]


def describe(row: Row) -> tuple[str, str]:
    (kind,) = row.data
    label = _("Uppföljning: %(kind)s") % {"kind": str(dict(FollowUpKind.choices).get(kind, kind)).lower()}
    return label, object_url("followup:detail", row.object_key)
