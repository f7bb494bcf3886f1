"""Follow-ups after an exit that are due or overdue (followup.FollowUp, kept by the unit)."""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vagval.common.sql import hex_key
from vagval.common.urls import object_url
from vagval.followup.models import FollowUp, FollowUpKind, FollowUpStatus
from vagval.worklist.sources import Row, SourceContext, as_date, item_query

KIND = "uppfoljning"
OPEN = (FollowUpStatus.UPCOMING, FollowUpStatus.DUE)


def query(ctx: SourceContext) -> QuerySet[Any]:
    return item_query(
        FollowUp.objects.filter(unit_id=ctx.unit_id, status__in=OPEN, due_on__lte=ctx.horizon),
        person="person_id",
        due="due_on",
        a="kind",
    )


@functools.lru_cache(maxsize=64)
def _label(kind: str, language: str | None) -> str:
    """The label "Uppföljning: <the kind's name in lower case>" in the active language, made
    once per kind and language (the enum's choices were built, and the text translated, for
    every row)."""
    name = str(FollowUpKind(kind).label).lower() if kind in FollowUpKind.values else kind
    return _("Uppföljning: %(kind)s") % {"kind": name}


def row(ctx: SourceContext, values: tuple[Any, ...]) -> Row:
    pk, person_id, due_on, kind, _unused = values
    return Row(KIND, hex_key(pk), hex_key(person_id), as_date(due_on), (kind,))


def describe(row: Row) -> tuple[str, str]:
    (kind,) = row.data
    return _label(kind, get_language()), object_url("followup:detail", row.object_key)
