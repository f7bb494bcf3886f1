"""The worklist as it was ranked before it was paged in the database: every matching episode read
into Python, "over target" decided row by row with target_missed. Kept as the reference that
test_worklist_paged.py compares the paged selector with (rows, order, total, over-target count).

The one difference from the old code: full ties (same last contact, identification and name)
are broken by the episode's id, the tie-break the paged query adds. Before, their order was
whatever the database gave.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from vagval.access.checks import visible_persons
from vagval.accounts.models import User
from vagval.common.workdays import add_working_days, working_days_between
from vagval.outreach import selectors


@dataclass(frozen=True)
class Ranked:
    rows: list[tuple[object, ...]]  # episode id, person id, last contact, outcome, attempts, workdays, over
    total: int
    over_target_count: int


def worklist_before(*, viewer: User, filters: selectors.WorklistFilters, today: dt.date, limit: int) -> Ranked:
    unit_id = selectors.require_outreach_viewer(viewer)
    target = selectors.first_contact_workdays(unit_id=unit_id)
    episodes = selectors._annotated_episodes(unit_id).filter(
        closed_on__isnull=True, person_id__in=visible_persons(viewer=viewer, today=today).values("pk")
    )
    episodes = selectors._filtered(episodes, viewer=viewer, unit_id=unit_id, filters=filters, today=today).order_by(
        F("last_contact_at").asc(nulls_first=True), "opened_on", "person__last_name", "person__first_name", "pk"
    )
    ranked = []
    for episode in episodes.select_related("person"):
        reached = timezone.localdate(episode.first_reached_at) if episode.first_reached_at else None
        over = selectors.target_missed(
            deadline=add_working_days(episode.opened_on, target), first_reached_on=reached, today=today
        )
        ranked.append((episode, over))
    if filters.status == selectors.STATUS_OVER_TARGET:
        ranked = [item for item in ranked if item[1]]
    rows = [
        (
            episode.pk,
            episode.person_id,
            episode.last_contact_at,
            episode.last_outcome or "",
            episode.attempts,
            working_days_between(episode.opened_on, today),
            over,
        )
        for episode, over in ranked[:limit]
    ]
    return Ranked(rows=rows, total=len(ranked), over_target_count=sum(1 for _e, over in ranked if over))
