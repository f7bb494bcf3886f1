"""API endpoints for referrals, so that a partner's own system can read and answer them.

Through the same selectors and services as the pages (a referral is seen by the unit that sent it
and the unit it was sent to, while a valid consent opens the person to that unit):
  GET  /referrals?riktning=inkommande|utgaende   one `referral.listed` per person listed
  GET  /referrals/{id}                           `referral.viewed`; answers an ETag
  POST /referrals/{id}/answer                    `referral.accepted` | `.declined` | `.info_requested`
The answer needs the referral's ETag in `If-Match` (missing: 428; stale: 412, nothing saved).
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated, cast

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from vagval.accounts.models import User
from vagval.api.errors import error_openapi_descriptions, error_responses
from vagval.api.versions import IfMatch, etag, expected_version, set_etag, with_etag_header
from vagval.common.errors import InvalidInput
from vagval.common.http import access_context
from vagval.referrals import selectors, services
from vagval.referrals.models import Referral, ReferralStatus

router = Router(tags=["Remisser"])

_ERRORS = (400, 401, 403, 422)
_ERRORS_WITH_ID = (*_ERRORS, 404)
_ERRORS_OF_ANSWER = (*_ERRORS_WITH_ID, 412, 428)

_Text = Annotated[str, StringConstraints(max_length=4000, pattern=r"^[^\x00]*$")]


class Direction(StrEnum):
    INCOMING = "inkommande"
    OUTGOING = "utgaende"


class ReferralListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    riktning: Direction = Field(Direction.INCOMING, description="inkommande (till din enhet) eller utgaende")


class ReferralOut(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str = Field(description="Personens namn, som din enhet får se det")
    from_unit: str
    to_unit: str
    status: ReferralStatus
    requested_measure: str
    sent_at: dt.datetime
    response_deadline: dt.date
    overdue: bool
    etag: str = Field(description="Skicka i If-Match när du svarar")


class ReferralEventOut(BaseModel):
    at: dt.datetime
    unit: str
    kind: str
    text: str


class ReferralDetailOut(ReferralOut):
    reason: str
    response: str
    decline_reason: str
    events: list[ReferralEventOut]


class Answer(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    REQUEST_INFO = "request_info"


class ReferralAnswerIn(BaseModel):
    """Mottagarens svar: accept (med ett valfritt svar och det steg som ska in i planen), decline
    (med skälet i text) eller request_info (med frågan i text)."""

    model_config = ConfigDict(extra="forbid")
    answer: Answer
    text: _Text = ""
    step_text: _Text = ""


def _out(referral: Referral, *, overdue: bool) -> dict[str, object]:
    return {
        "id": referral.pk,
        "person_id": referral.person_id,
        "person_name": referral.person.full_name,
        "from_unit": str(referral.from_unit),
        "to_unit": str(referral.to_unit),
        "status": referral.status,
        "requested_measure": referral.requested_measure,
        "sent_at": referral.sent_at,
        "response_deadline": referral.response_deadline,
        "overdue": overdue,
        "etag": etag(services.referral_version(referral=referral)),
    }


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


@router.get(
    "/referrals",
    response={200: list[ReferralOut], **error_responses(*_ERRORS)},
    operation_id="referral_list",
    summary="Lista remisser",
    openapi_extra=error_openapi_descriptions(*_ERRORS),
)
def referral_list(request: HttpRequest, filters: Query[ReferralListQuery]) -> list[ReferralOut]:
    """Remisser till din enhet (eller från den), för personer din enhet får se just nu: öppna först."""
    listing = selectors.referrals_incoming if filters.riktning == Direction.INCOMING else selectors.referrals_outgoing
    rows = listing(viewer=_viewer(request), ctx=access_context(request))
    return [ReferralOut.model_validate(_out(row.referral, overdue=row.overdue)) for row in rows]


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralDetailOut, **error_responses(*_ERRORS_WITH_ID)},
    operation_id="referral_get",
    summary="Hämta remiss",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_WITH_ID)),
)
def referral_get(request: HttpRequest, response: HttpResponse, referral_id: uuid.UUID) -> ReferralDetailOut:
    """En remiss med dess historik. Svaret har en `ETag` att skicka i `If-Match` när du svarar."""
    view = selectors.referral_get(viewer=_viewer(request), ctx=access_context(request), referral_id=referral_id)
    return _detail(response, view.referral, overdue=view.overdue)


def _detail(response: HttpResponse, referral: Referral, *, overdue: bool) -> ReferralDetailOut:
    set_etag(response, services.referral_version(referral=referral))
    events = [
        ReferralEventOut(at=e.at, unit=str(e.unit), kind=e.kind, text=e.text)
        for e in referral.events.select_related("unit__organisation").order_by("at")
    ]
    return ReferralDetailOut.model_validate(
        {
            **_out(referral, overdue=overdue),
            "reason": referral.reason,
            "response": referral.response,
            "decline_reason": referral.decline_reason,
            "events": events,
        }
    )


@router.post(
    "/referrals/{referral_id}/answer",
    response={200: ReferralDetailOut, **error_responses(*_ERRORS_OF_ANSWER)},
    operation_id="referral_answer",
    summary="Svara på remiss",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_OF_ANSWER)),
)
def referral_answer(
    request: HttpRequest,
    response: HttpResponse,
    referral_id: uuid.UUID,
    payload: ReferralAnswerIn,
    if_match: IfMatch = None,
) -> ReferralDetailOut:
    """Mottagande enhet svarar: acceptera, avböj (skälet i `text`) eller begär komplettering
    (frågan i `text`). Skicka remissens `ETag` i `If-Match`: utan den 428, och har remissen
    ändrats sedan dess 412. Svaret har den nya `ETag`:en."""
    viewer = _viewer(request)
    selectors.referral_check_side(viewer=viewer, referral_id=referral_id, side=selectors.RECIPIENT)  # 404/403 first
    ctx, version = access_context(request), expected_version(if_match)
    if payload.answer == Answer.ACCEPT:
        referral = services.referral_accept(
            ctx=ctx,
            referral_id=referral_id,
            response=payload.text,
            step_text=payload.step_text,
            expected_version=version,
        )
    elif payload.answer == Answer.DECLINE:
        referral = services.referral_decline(
            ctx=ctx, referral_id=referral_id, reason=payload.text, expected_version=version
        )
    elif payload.step_text:
        raise InvalidInput(_STEP_TEXT_ONLY, field_errors={"step_text": [_STEP_TEXT_ONLY]})
    else:
        referral = services.referral_request_info(
            ctx=ctx, referral_id=referral_id, question=payload.text, expected_version=version
        )
    return _detail(response, referral, overdue=selectors.is_overdue(referral))


_STEP_TEXT_ONLY = "step_text hör bara till accept."
