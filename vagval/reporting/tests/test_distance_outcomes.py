"""Distance travelled read without the ORM's per-row converters (`distance_outcomes_by_key`) gives
what reading every rating through the ORM gave (the code before), for both rules, on the mixed
project (unanswered areas, one, two and three ratings per person)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

import pytest

from vagval.assessments.definitions import definition_of
from vagval.assessments.models import Instrument, Response
from vagval.assessments.progress import RULES, closer_to_labour_market
from vagval.assessments.selectors import DISTANCE_INSTRUMENT, distance_outcomes, distance_outcomes_by_key
from vagval.reporting.report import ReportContext
from vagval.reporting.tests import mixed_world


@pytest.fixture
def persons(project, ludvika_unit, smedjebacken_unit, af_unit, alice):
    mixed_world.build(project=project, units=[ludvika_unit, smedjebacken_unit, af_unit], recorder=alice)
    ctx = ReportContext(project=project, start=mixed_world.START, end=mixed_world.END, today=mixed_world.TODAY)
    return ctx.enrolments().values("person_id")


def _as_before(persons: Any, rule: str, on_date: dt.date | None) -> dict[uuid.UUID, bool | None]:
    """The per-row reading the report used to do: every rating as a model value, in date order."""
    instrument = Instrument.objects.get(slug=DISTANCE_INSTRUMENT)
    directions = {
        version.pk: {s.key: s.scoring.higher_is_better for s in definition_of(version).scored_sections if s.scoring}
        for version in instrument.versions.all()
    }
    ratings = Response.objects.filter(instrument=instrument, person_id__in=persons)
    if on_date is not None:
        ratings = ratings.filter(answered_on__lte=on_date)
    series: dict[uuid.UUID, list[tuple[Any, dict[str, Any]]]] = defaultdict(list)
    for person_id, version_id, scores in ratings.order_by("answered_on", "submitted_at").values_list(
        "person_id", "instrument_version_id", "scores"
    ):
        series[person_id].append((version_id, scores))
    return {
        person_id: closer_to_labour_market(
            first=responses[0][1], latest=responses[-1][1], rule=rule, higher_is_better=directions[responses[-1][0]]
        )
        for person_id, responses in series.items()
        if len(responses) >= 2
    }


@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize("on_date", [None, dt.date(2026, 3, 1)])
def test_the_outcomes_read_lean_are_the_outcomes_read_through_the_orm(persons, rule, on_date):
    expected = _as_before(persons, rule, on_date)
    by_key, _title = distance_outcomes_by_key(persons=persons, rule=rule, on_date=on_date)
    assert by_key == {person_id.hex: closer for person_id, closer in expected.items()}
    assert distance_outcomes(persons=persons, rule=rule, on_date=on_date)[0] == expected
    # A list of ids (the targets' way) is asked with IN, an enrolment queryset with EXISTS: the same.
    ids = list(persons.values_list("person_id", flat=True))
    assert distance_outcomes(persons=ids, rule=rule, on_date=on_date)[0] == expected
    assert {True, False} <= set(expected.values())  # the fixture moves some closer and some not
