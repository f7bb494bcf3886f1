"""Active consents documented by the unit that end within the horizon (renew or let end)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from vagval.access.checks import consent_active_q
from vagval.common.sql import hex_key
from vagval.common.urls import object_url
from vagval.consent.models import Consent
from vagval.worklist.sources import Row, SourceContext, as_date, item_query

KIND = "samtycke"


def query(ctx: SourceContext) -> QuerySet[Any]:
    return item_query(
        Consent.objects.filter(consent_active_q(today=ctx.today), unit_id=ctx.unit_id, valid_to__lte=ctx.horizon),
        person="person_id",
        due="valid_to",
    )


def row(ctx: SourceContext, values: tuple[Any, ...]) -> Row:
    pk, person_id, valid_to, _a, _b = values
    return Row(KIND, hex_key(pk), hex_key(person_id), as_date(valid_to))


def describe(row: Row) -> tuple[str, str]:
    return _("Samtycket upphör"), object_url("consent:detail", row.object_key)
