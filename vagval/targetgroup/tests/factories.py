"""Helpers for tests that need a person in a unit's KAA register."""

from __future__ import annotations

import datetime as dt

from vagval.organisations.models import Unit
from vagval.people.models import Person
from vagval.targetgroup.models import Episode, TargetList


def kaa_episode(person: Person, unit: Unit, *, closed: bool = False) -> Episode:
    """An episode in the unit's KAA list (Ludvika's municipality code), open or closed at 20."""
    return Episode.objects.create(
        unit=unit,
        municipality_id="2085",
        person=person,
        target_list=TargetList.KAA,
        opened_on=dt.date(2026, 1, 10),
        open_code="aldrig_paborjat",
        open_reason="aldrig påbörjat",
        closed_on=dt.date(2026, 6, 1) if closed else None,
        close_code="fyllt20" if closed else "",
    )
