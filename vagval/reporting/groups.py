"""Participants grouped by what the report breaks figures down by, and their distance travelled.

Shared by the sections that break down by municipality, method and gender. The rule for
"closer to the labour market" is assessments' (`distance_outcomes`, the setting PROGRESS_RULE);
this only groups persons.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from vagval.assessments.progress import RULES, progress_rule
from vagval.assessments.selectors import distance_outcomes
from vagval.people.models import Gender
from vagval.reporting.report import ReportContext

MUNICIPALITY = "unit__organisation__municipality__name"
METHOD = "method__name"
GENDER = "person__gender"


def _label(path: str, value: object) -> str:
    if path == GENDER:
        return str(dict(Gender.choices).get(str(value or ""), _("Ej angivet")))
    if value:
        return str(value)
    return _("Ingen metod angiven") if path == METHOD else _("Okänd kommun")


def participant_groups(ctx: ReportContext, *paths: str) -> dict[tuple[str, ...], set[uuid.UUID]]:
    """The period's participants (person ids) per combination of the given enrolment fields."""
    key = ("groups", paths)
    if key not in ctx.memo:
        ctx.memo[key] = _groups(ctx, paths)
    return ctx.memo[key]  # type: ignore[return-value]


def _groups(ctx: ReportContext, paths: tuple[str, ...]) -> dict[tuple[str, ...], set[uuid.UUID]]:
    groups: dict[tuple[str, ...], set[uuid.UUID]] = defaultdict(set)
    for row in ctx.enrolments().values_list("person_id", *paths).iterator(chunk_size=5000):
        groups[tuple(_label(path, value) for path, value in zip(paths, row[1:], strict=True))].add(row[0])
    return dict(groups)


@dataclass(frozen=True)
class Distance:
    outcomes: dict[uuid.UUID, bool | None]
    instrument: str
    rule_text: str

    def counts(self, persons: set[uuid.UUID]) -> tuple[int, int]:
        """(assessed at least twice, moved closer) among `persons`."""
        assessed = [p for p in persons if self.outcomes.get(p) is not None]
        return len(assessed), sum(1 for p in assessed if self.outcomes[p])


def distance(ctx: ReportContext) -> Distance:
    if "distance" not in ctx.memo:
        ctx.memo["distance"] = _distance(ctx)
    return ctx.memo["distance"]  # type: ignore[return-value]


def _distance(ctx: ReportContext) -> Distance:
    rule = progress_rule()
    outcomes, title = distance_outcomes(persons=ctx.enrolments().values("person_id"), rule=rule)
    return Distance(outcomes=outcomes, instrument=title, rule_text=str(RULES[rule]))
