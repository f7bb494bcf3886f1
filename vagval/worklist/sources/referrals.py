"""Referrals waiting for the unit: to answer (received), to complete (more information asked
for), and the unit's own that are overdue at the recipient (to chase)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from vagval.common.sql import hex_key, query_rows
from vagval.referrals.models import Referral, ReferralStatus
from vagval.worklist.sources import Row, SourceContext, object_url

KIND = "remiss"


def collect(ctx: SourceContext) -> list[Row]:
    rows = query_rows(
        Referral.objects.filter(
            Q(to_unit_id=ctx.unit_id, status=ReferralStatus.SENT)
            | Q(from_unit_id=ctx.unit_id, status=ReferralStatus.MORE_INFO_REQUESTED)
            | Q(from_unit_id=ctx.unit_id, status=ReferralStatus.SENT, response_deadline__lt=ctx.today),
        )
        .order_by()
        .values_list("pk", "person_id", "response_deadline", "to_unit_id", "status")
    )
    return [
        Row(KIND, hex_key(pk), hex_key(person_id), deadline, (hex_key(to_unit_id) == ctx.unit_id.hex, status))
        for pk, person_id, deadline, to_unit_id, status in rows
    ]


def describe(row: Row) -> tuple[str, str]:
    received, status = row.data
    if received:
        label = _("Svara på remissen")
    elif status == ReferralStatus.MORE_INFO_REQUESTED:
        label = _("Komplettera remissen")
    else:
        label = _("Remissen är inte besvarad i tid")
    return label, object_url("referrals:detail", row.object_key)
