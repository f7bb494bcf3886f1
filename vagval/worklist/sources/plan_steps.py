"""Open plan steps at their follow-up date (plans.PlanStep.follow_up_on).

A coach's unit sees the steps of the plans it keeps; a partner sees the steps its unit is
responsible for in another unit's plan, only while a consent documented by the plan's unit
names the partner and covers the plan (the rule plans.selectors.plan_access uses).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vagval.access.checks import active_consent_recipients
from vagval.common.sql import hex_key
from vagval.common.urls import object_url
from vagval.consent.models import ConsentCategory
from vagval.people.models import Protection
from vagval.plans.models import PlanStep
from vagval.worklist.sources import Row, SourceContext, as_date, item_query

KIND = "steg"


def query(ctx: SourceContext) -> tuple[QuerySet[Any], ...]:
    """The steps of the unit's plans, and (disjoint) the steps it is responsible for in another
    unit's plan under consent: two parts of a UNION ALL. As one OR, the database gathered both
    index ranges' rows and tested each against the whole condition: twice the time of the two."""
    # Under consent: documented by the plan's unit, naming this unit, active today, covering the
    # plan, for a person without protection. The category is matched as the quoted JSON string in
    # the list's text, which SQLite and PostgreSQL both support (JSON containment does not exist
    # on SQLite). The person is the consent's (the plan's person), so only these steps look a
    # person up.
    disclosed = active_consent_recipients(unit_id=ctx.unit_id, today=ctx.today).filter(
        consent__unit_id=OuterRef("plan__unit_id"),
        consent__person_id=OuterRef("plan__person_id"),
        consent__person__protection=Protection.NONE,
        consent__categories__icontains=f'"{ConsentCategory.PLAN}"',
    )
    open_steps = PlanStep.objects.filter(
        ends_on__isnull=True, follow_up_on__isnull=False, follow_up_on__lte=ctx.horizon
    )
    own = open_steps.filter(plan__unit_id=ctx.unit_id)
    partner = open_steps.filter(Exists(disclosed), responsible_unit_id=ctx.unit_id).exclude(plan__unit_id=ctx.unit_id)
    return tuple(
        item_query(part, person="plan__person_id", due="follow_up_on", a="plan_id", b="content")
        for part in (own, partner)
    )


def row(ctx: SourceContext, values: tuple[Any, ...]) -> Row:
    pk, person_id, due_on, plan_id, content = values
    # follow_up_on__lte in the query leaves no step without a date.
    return Row(KIND, hex_key(pk), hex_key(person_id), as_date(due_on), (hex_key(plan_id), content))


@functools.lru_cache(maxsize=16)
def _label_format(language: str | None) -> str:
    """The label's text in the active language, translated once per language (not per row)."""
    return _("Följ upp steget: %(content)s")


def describe(row: Row) -> tuple[str, str]:
    plan_id, content = row.data
    label = _label_format(get_language()) % {"content": _short(content)}
    return label, object_url("plans:detail", plan_id)


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
