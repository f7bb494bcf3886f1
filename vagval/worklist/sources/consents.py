"""Active consents documented by the unit that end within the horizon (renew or let end)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vagval.access.checks import consent_active_q
from vagval.common.sql import hex_key, query_rows
from vagval.consent.models import Consent
from vagval.worklist.sources import Row, SourceContext, object_url

KIND = "samtycke"


def collect(ctx: SourceContext) -> list[Row]:
    rows = query_rows(
        Consent.objects.filter(
            consent_active_q(today=ctx.today),
            unit_id=ctx.unit_id,
            valid_to__lte=ctx.horizon,
        )
        .order_by()
        .values_list("pk", "person_id", "valid_to")
    )
    return [Row(KIND, hex_key(pk), hex_key(person_id), valid_to) for pk, person_id, valid_to in rows]


def describe(row: Row) -> tuple[str, str]:
    return _("Samtycket upphör"), object_url("consent:detail", row.object_key)
