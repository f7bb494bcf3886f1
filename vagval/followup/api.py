"""The API of followup: exits (leave a project; a person's exits) and follow-ups (the unit's due
list, one follow-up, record an outcome with If-Match). The same selectors and services as the
pages, so the same scope, the same access log and the same rules."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal, cast

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from pydantic import BaseModel, Field

from vagval.accounts.models import User
from vagval.api.errors import error_openapi_descriptions, error_responses
from vagval.api.versions import IfMatch, expected_version, set_etag, with_etag_header
from vagval.common.http import access_context
from vagval.followup import selectors, services
from vagval.followup.models import Exit, ExitReason, FollowUp, Situation, Source
from vagval.people.schemas import IsoDate, StrictIn

router = Router(tags=["Avslut och uppföljning"])

_ERRORS = (400, 401, 403, 422)
_ERRORS_WITH_ID = (*_ERRORS, 404)
_ERRORS_OF_CHANGE = (*_ERRORS_WITH_ID, 412, 428)

ReasonCode = Literal[tuple(ExitReason.values)]  # type: ignore[valid-type]
SituationCode = Literal[tuple(Situation.values)]  # type: ignore[valid-type]
SourceCode = Literal[tuple(Source.values)]  # type: ignore[valid-type]


class ExitIn(StrictIn):
    """Avsluta deltagandet: datum, anledning, situationen vid avslut och källan."""

    exit_on: IsoDate
    reason: ReasonCode  # type: ignore[valid-type]
    reason_note: str = Field("", max_length=500)
    situation: SituationCode  # type: ignore[valid-type]
    source: SourceCode  # type: ignore[valid-type]


class FollowUpOut(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID
    exit_id: uuid.UUID
    kind: str
    due_on: dt.date
    status: str
    outcome: str
    source: str
    suggested_outcome: str
    needs_coach: bool
    recorded_at: dt.datetime | None


class ExitOut(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID
    enrolment_id: uuid.UUID
    exit_on: dt.date
    reason: str
    situation: str
    source: str
    superseded_on: dt.date | None
    follow_ups: list[FollowUpOut]


class OutcomeIn(StrictIn):
    """Resultatet av en uppföljning, efter ett samtal eller ett möte."""

    outcome: SituationCode  # type: ignore[valid-type]
    source: SourceCode  # type: ignore[valid-type]
    note: str = Field("", max_length=500)


def _follow_up_out(f: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        id=f.pk,
        person_id=f.person_id,
        exit_id=f.exit_id,
        kind=f.kind,
        due_on=f.due_on,
        status=f.status,
        outcome=f.outcome,
        source=f.source,
        suggested_outcome=f.suggested_outcome,
        needs_coach=f.needs_coach,
        recorded_at=f.recorded_at,
    )


def _exit_out(e: Exit) -> ExitOut:
    return ExitOut(
        id=e.pk,
        person_id=e.person_id,
        enrolment_id=e.enrolment_id,
        exit_on=e.exit_on,
        reason=e.reason,
        situation=e.situation,
        source=e.source,
        superseded_on=e.superseded_on,
        follow_ups=[_follow_up_out(f) for f in e.follow_ups.all()],
    )


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


@router.get(
    "/persons/{person_id}/exits",
    response={200: list[ExitOut], **error_responses(*_ERRORS_WITH_ID)},
    operation_id="exit_list",
    summary="Lista avslut",
    openapi_extra=error_openapi_descriptions(*_ERRORS_WITH_ID),
)
def exit_list(request: HttpRequest, person_id: uuid.UUID) -> list[ExitOut]:
    """Personens avslut på din enhet med deras uppföljningar, senaste först."""
    _person, exits = selectors.exits_for_person(
        viewer=_viewer(request), ctx=access_context(request), person_id=person_id
    )
    return [_exit_out(e) for e in exits]


@router.post(
    "/enrolments/{enrolment_id}/exit",
    response={201: ExitOut, **error_responses(*_ERRORS_OF_CHANGE)},
    operation_id="exit_create",
    summary="Avsluta deltagande",
    openapi_extra=error_openapi_descriptions(*_ERRORS_OF_CHANGE),
)
def exit_create(request: HttpRequest, enrolment_id: uuid.UUID, payload: ExitIn, if_match: IfMatch = None) -> Status:
    """Avslutar deltagandet och, i samma transaktion, pågående placeringar och steg i planen, drar tillbaka
    obesvarade remisser och planerar uppföljningarna. Skicka deltagandets `ETag` (GET /enrolments/{id}) i
    `If-Match`: utan den 428, har någon ändrat deltagandet sedan dess 412."""
    viewer = _viewer(request)
    ctx = access_context(request)
    preview = selectors.exit_preview(viewer=viewer, ctx=ctx, enrolment_id=enrolment_id)
    services.require_writer(ctx)
    created = services.enrolment_exit(
        ctx=ctx,
        enrolment=preview.enrolment,
        data=services.ExitData(
            exit_on=payload.exit_on,
            reason=payload.reason,
            reason_note=payload.reason_note,
            situation=payload.situation,
            source=payload.source,
        ),
        expected_version=expected_version(if_match),
    )
    return Status(201, _exit_out(created))


@router.get(
    "/follow-ups",
    response={200: list[FollowUpOut], **error_responses(*_ERRORS)},
    operation_id="follow_up_list",
    summary="Lista uppföljningar att göra",
    openapi_extra=error_openapi_descriptions(*_ERRORS),
)
def follow_up_list(request: HttpRequest) -> list[FollowUpOut]:
    """Din enhets uppföljningar med status "att göra", de som behöver coachen först, sedan efter datum."""
    rows = selectors.unit_follow_ups_shown(viewer=_viewer(request), ctx=access_context(request))
    return [_follow_up_out(r.follow_up) for r in rows]


@router.get(
    "/follow-ups/{follow_up_id}",
    response={200: FollowUpOut, **error_responses(*_ERRORS_WITH_ID)},
    operation_id="follow_up_get",
    summary="Hämta uppföljning",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_WITH_ID)),
)
def follow_up_get(request: HttpRequest, response: HttpResponse, follow_up_id: uuid.UUID) -> FollowUpOut:
    """En uppföljning på din enhet. Svaret har en `ETag` att skicka i `If-Match` när du registrerar resultatet."""
    view = selectors.follow_up_get(viewer=_viewer(request), ctx=access_context(request), follow_up_id=follow_up_id)
    set_etag(response, services.follow_up_version(follow_up=view.follow_up))
    return _follow_up_out(view.follow_up)


@router.post(
    "/follow-ups/{follow_up_id}/outcome",
    response={200: FollowUpOut, **error_responses(*_ERRORS_OF_CHANGE)},
    operation_id="follow_up_record",
    summary="Registrera resultatet av en uppföljning",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_OF_CHANGE)),
)
def follow_up_record(
    request: HttpRequest, response: HttpResponse, follow_up_id: uuid.UUID, payload: OutcomeIn, if_match: IfMatch = None
) -> FollowUpOut:
    """Uppföljningen blir klar med situationen och källan. Skicka uppföljningens `ETag` i `If-Match`."""
    ctx = access_context(request)
    follow_up = selectors.follow_up_find(viewer=_viewer(request), follow_up_id=follow_up_id)
    services.require_writer(ctx)  # read-only: 403 before 428
    recorded = services.follow_up_record(
        ctx=ctx,
        follow_up=follow_up,
        outcome=payload.outcome,
        source=payload.source,
        note=payload.note,
        expected_version=expected_version(if_match),
    )
    set_etag(response, services.follow_up_version(follow_up=recorded))
    return _follow_up_out(recorded)
