"""Assessments due again ("Nästa skattning senast"): an instrument that is to be repeated every
N months (its definition's repeat_months), N months after the person's latest response at the
unit, for persons still taking part at the unit (an open enrolment).

The same date as the person's assessment page shows (assessments.progress, next_due). The item
has no row of its own: its id is derived from (person, instrument, latest date), so a new
response makes a new item and a mark on the old one no longer applies.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from vagval.assessments.models import Instrument, Response
from vagval.common.urls import object_url
from vagval.people.models import Enrolment, EnrolmentStatus
from vagval.worklist.sources import Read, Row, SourceContext

KIND = "skattning"
_NAMESPACE = uuid.UUID("6f1d7a52-3c1b-4e0a-9a57-0c6f3f5d2b11")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (31 January + 1 month: 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def item_id(person_id: uuid.UUID, instrument_id: uuid.UUID, last: dt.date) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{person_id}:{instrument_id}:{last.isoformat()}")


def _instruments(ctx: SourceContext) -> QuerySet[Any]:
    """Instruments with a current version and its repeat_months (the one key of each definition:
    the database reads it, the definitions are large). Not person data."""
    return Instrument.objects.filter(current_version__isnull=False).values_list(
        "pk", "title", "current_version__definition__repeat_months"
    )


def _latest(ctx: SourceContext) -> QuerySet[Any]:
    """The latest response per (person, instrument) at the unit, for persons taking part there,
    of the instruments whose definition has a repeat_months (a superset, which collect narrows
    to whole numbers above 0). No list of instruments, so the query is compiled once; a key, not
    a comparison with a JSON value, whose parameter PostgreSQL's driver wraps in an object that
    equals no other (worklist.compiled could not trace it)."""
    taking_part = (
        Enrolment.objects.filter(unit_id=ctx.unit_id).exclude(status=EnrolmentStatus.ENDED).values("person_id")
    )
    repeating = Instrument.objects.filter(current_version__definition__has_key="repeat_months").values("pk")
    return (
        Response.objects.filter(unit_id=ctx.unit_id, instrument_id__in=repeating, person_id__in=taking_part)
        .order_by()
        .values_list("person_id", "instrument_id")
        .annotate(last=Max("answered_on"))
    )


def collect(ctx: SourceContext, read: Read) -> list[Row]:
    repeating = {
        pk: (title, months) for pk, title, months in read(_instruments) if isinstance(months, int) and months > 0
    }
    if not repeating:
        return []
    result = []
    for person_id, instrument_id, last in read(_latest):
        if instrument_id not in repeating:
            continue
        title, months = repeating[instrument_id]
        due_on = add_months(last, months)
        if due_on <= ctx.horizon:
            result.append(Row(KIND, item_id(person_id, instrument_id, last).hex, person_id.hex, due_on, (title,)))
    return result


def describe(row: Row) -> tuple[str, str]:
    (title,) = row.data
    return _("Ny skattning: %(instrument)s") % {"instrument": title}, object_url("assessments:person", row.person_key)
