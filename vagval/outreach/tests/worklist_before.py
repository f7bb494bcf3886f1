"""The worklist as it was ranked before it was paged in the database: every matching episode read
into Python, "over target" decided row by row with target_missed. Kept as the reference that
test_worklist_paged.py compares the paged selector with (rows, order, total, over-target count).

The one difference from the old code: full ties (same last contact, identification and name)
are broken by the episode's id, the tie-break the paged query adds. Before, their order was
whatever the database gave.

It reads each episode's contacts itself, as the old code did (`recomputed`: correlated
subqueries), never the contact times the episode keeps, so comparing with it also checks
those kept columns; the status filters are applied here to those recomputed values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Count, F, IntegerField, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from vagval.access.checks import visible_persons
from vagval.accounts.models import User
from vagval.common.workdays import add_working_days, working_days_between
from vagval.outreach import selectors
from vagval.outreach.models import ContactAttempt, Outcome
from vagval.targetgroup.models import Episode


@dataclass(frozen=True)
class Ranked:
    rows: list[tuple[object, ...]]  # episode id, person id, last contact, outcome, attempts, workdays, over
    total: int
    over_target_count: int


def recomputed(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """The old annotations: last contact, its outcome, attempts and first reached contact,
    each a subquery over the episode's contact attempts (names prefixed was_)."""

    def contacts() -> QuerySet[ContactAttempt]:
        return ContactAttempt.objects.filter(episode=OuterRef("pk")).order_by()

    reached = contacts().filter(outcome=Outcome.REACHED)
    last = contacts().order_by("-made_at")
    return episodes.annotate(
        was_last_contact_at=Subquery(last.values("made_at")[:1]),
        was_last_outcome=Subquery(last.values("outcome")[:1]),
        was_attempts=Coalesce(
            Subquery(contacts().values("episode").annotate(n=Count("pk")).values("n")[:1]),
            0,
            output_field=IntegerField(),
        ),
        was_first_reached_at=Subquery(reached.values("episode").annotate(first=Min("made_at")).values("first")[:1]),
    )


def _status_kept(episode: Episode, status: str, over: bool) -> bool:
    reached = episode.was_first_reached_at is not None  # type: ignore[attr-defined]
    return {
        selectors.STATUS_NEVER: episode.was_attempts == 0,  # type: ignore[attr-defined]
        selectors.STATUS_NOT_REACHED: episode.was_attempts > 0 and not reached,  # type: ignore[attr-defined]
        selectors.STATUS_REACHED: reached,
        selectors.STATUS_OVER_TARGET: over,
    }.get(status, True)


def worklist_before(
    *, viewer: User, filters: selectors.WorklistFilters, today: dt.date, offset: int = 0, limit: int
) -> Ranked:
    unit_id = selectors.require_outreach_viewer(viewer)
    target = selectors.first_contact_workdays(unit_id=unit_id)
    episodes = recomputed(Episode.objects.filter(unit_id=unit_id)).filter(
        closed_on__isnull=True, person_id__in=visible_persons(viewer=viewer, today=today).values("pk")
    )
    unfiltered_status = replace(filters, status="")
    episodes = selectors._filtered(
        episodes, viewer=viewer, unit_id=unit_id, filters=unfiltered_status, today=today
    ).order_by(
        F("was_last_contact_at").asc(nulls_first=True), "opened_on", "person__last_name", "person__first_name", "pk"
    )
    ranked = []
    for episode in episodes.select_related("person"):
        reached = timezone.localdate(episode.was_first_reached_at) if episode.was_first_reached_at else None
        over = selectors.target_missed(
            deadline=add_working_days(episode.opened_on, target), first_reached_on=reached, today=today
        )
        if _status_kept(episode, filters.status, over):
            ranked.append((episode, over))
    rows = [
        (
            episode.pk,
            episode.person_id,
            episode.was_last_contact_at,
            episode.was_last_outcome or "",
            episode.was_attempts,
            working_days_between(episode.opened_on, today),
            over,
        )
        for episode, over in ranked[offset : offset + limit]
    ]
    return Ranked(rows=rows, total=len(ranked), over_target_count=sum(1 for _e, over in ranked if over))
