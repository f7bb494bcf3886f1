"""Helpers for the assessments tests: answers for the built-in instruments and quick recording."""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import ctx_for
from vagval.accounts.models import User
from vagval.assessments import services
from vagval.assessments.links import new_token, token_hash
from vagval.assessments.models import AssessmentLink, Instrument, Response
from vagval.people.models import Person

VF_AREAS = ["motivation", "rutiner", "halsa", "natverk", "fardigheter", "soka", "arbetsvanor", "boende_ekonomi"]
WORK_AREAS = ["narvaro", "instruktioner", "samarbete", "initiativ", "kvalitet", "sakerhet"]


def vf_answers(steps: int | list[int]) -> dict[str, Any]:
    """Raw form answers for Vägen framåt: one step for every area, or one per area in order."""
    values = steps if isinstance(steps, list) else [steps] * len(VF_AREAS)
    return {f"{area}__steg": str(value) for area, value in zip(VF_AREAS, values, strict=True)}


def work_answers(level: int = 3) -> dict[str, Any]:
    return {f"{area}__niva": str(level) for area in WORK_AREAS}


def instrument(slug: str) -> Instrument:
    return Instrument.objects.select_related("current_version").get(slug=slug)


def record(
    person: Person,
    by: User,
    *,
    slug: str = "vagen-framat",
    answers: dict[str, Any] | None = None,
    on: dt.date = dt.date(2026, 2, 1),
    context: str = "start",
    respondent: str | None = None,
) -> Response:
    version = instrument(slug).current_version
    assert version is not None
    return services.response_create(
        ctx=ctx_for(by),
        person=person,
        version=version,
        respondent=respondent or version.definition["respondents"][0],
        context=context,
        answered_on=on,
        raw_answers=answers if answers is not None else vf_answers(3),
    )


def make_link(
    person: Person,
    by: User,
    *,
    slug: str = "vagen-framat",
    respondent: str = "den_unga",
    context: str = "uppfoljning",
    **fields: Any,
) -> tuple[AssessmentLink, str]:
    """A link straight in the database (for lifecycle tests), and its token."""
    token = new_token()
    version = instrument(slug).current_version
    defaults: dict[str, Any] = {
        "expires_at": dt.datetime.now(dt.UTC) + dt.timedelta(days=14),
    }
    defaults.update(fields)
    link = AssessmentLink.objects.create(
        person=person,
        instrument_version=version,
        respondent=respondent,
        context=context,
        unit=by.unit,
        token_hash=token_hash(token),
        created_by=by,
        **defaults,
    )
    return link, token
