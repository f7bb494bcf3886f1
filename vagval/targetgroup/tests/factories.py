"""Helpers for tests that need a person in a unit's KAA register."""

from __future__ import annotations

import datetime as dt

from vagval.organisations.models import Unit
from vagval.people.models import Person
from vagval.targetgroup.models import Episode, TargetList


def kaa_episode(
    person: Person,
    unit: Unit,
    *,
    closed: bool = False,
    opened_on: dt.date = dt.date(2026, 1, 10),
    open_code: str = "aldrig_paborjat",
    closed_on: dt.date | None = None,
    close_code: str = "",
) -> Episode:
    """An episode in the unit's KAA list, made directly (not by the refresh).

    Open unless `closed` (closed at 20 on 1 June 2026) or `closed_on` and `close_code` are given.
    """
    if closed:
        closed_on, close_code = dt.date(2026, 6, 1), "fyllt20"
    return Episode.objects.create(
        unit=unit,
        municipality_id=unit.organisation.municipality_id,
        person=person,
        target_list=TargetList.KAA,
        opened_on=opened_on,
        open_code=open_code,
        open_reason=f"{open_code} {opened_on}",
        closed_on=closed_on,
        close_code=close_code,
        close_reason=close_code,
    )
