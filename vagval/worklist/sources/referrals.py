"""Referrals waiting for the unit: to answer (received), to complete (more information asked
for), and the unit's own that are overdue at the recipient (to chase)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from vagval.common.sql import hex_key
from vagval.common.urls import object_url
from vagval.referrals.models import Referral, ReferralStatus
from vagval.worklist.sources import Row, SourceContext, as_date, item_query

KIND = "remiss"


def query(ctx: SourceContext) -> QuerySet[Any]:
    return item_query(
        Referral.objects.filter(
            Q(to_unit_id=ctx.unit_id, status=ReferralStatus.SENT)
            | Q(from_unit_id=ctx.unit_id, status=ReferralStatus.MORE_INFO_REQUESTED)
            | Q(from_unit_id=ctx.unit_id, status=ReferralStatus.SENT, response_deadline__lt=ctx.today),
        ),
        person="person_id",
        due="response_deadline",
        a="status",
        b="to_unit_id",
    )


def row(ctx: SourceContext, values: tuple[Any, ...]) -> Row:
    pk, person_id, deadline, status, to_unit = values
    received = hex_key(to_unit) == ctx.unit_id.hex  # to_unit as text: hex (SQLite) or with hyphens
    return Row(KIND, hex_key(pk), hex_key(person_id), as_date(deadline), (received, status))


def describe(row: Row) -> tuple[str, str]:
    received, status = row.data
    if received:
        label = _("Svara på remissen")
    elif status == ReferralStatus.MORE_INFO_REQUESTED:
        label = _("Komplettera remissen")
    else:
        label = _("Remissen är inte besvarad i tid")
    return label, object_url("referrals:detail", row.object_key)
