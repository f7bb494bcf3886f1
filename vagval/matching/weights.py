"""The weights that apply: the project's MatchingWeights, or the defaults (scoring.DEFAULT_WEIGHTS)."""

from __future__ import annotations

import uuid

from vagval.matching.models import MatchingWeights
from vagval.matching.scoring import DEFAULT_WEIGHTS
from vagval.people.models import Enrolment

WEIGHT_FIELDS = tuple(DEFAULT_WEIGHTS)


def weights_for_project(project_id: uuid.UUID | None) -> dict[str, int]:
    if project_id is None:
        return dict(DEFAULT_WEIGHTS)
    stored = MatchingWeights.objects.filter(project_id=project_id).first()
    if stored is None:
        return dict(DEFAULT_WEIGHTS)
    return {name: getattr(stored, name) for name in WEIGHT_FIELDS}


def enrolment_project_id(*, person_id: uuid.UUID, unit_id: uuid.UUID | None) -> uuid.UUID | None:
    """The project of the person's newest enrolment at the unit (whose weights apply)."""
    if unit_id is None:
        return None
    return (
        Enrolment.objects.filter(person_id=person_id, unit_id=unit_id)
        .order_by("-starts_on")
        .values_list("project_id", flat=True)
        .first()
    )


def weights_for_person(*, person_id: uuid.UUID, unit_id: uuid.UUID | None) -> dict[str, int]:
    return weights_for_project(enrolment_project_id(person_id=person_id, unit_id=unit_id))
