"""/api/v1/placements: list, detail, create and status changes, through the same selectors,
services and scope as the pages. GET of one placement answers an ETag; a PUT needs it in
If-Match (missing: 428, stale: 412). A full offer answers 422 with the reason at `status`.

A protected person's placement shows its offer and provider only to the responsible coach:
for anyone else `offer_id`, `offer_title`, `provider` and `address` are null.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal, cast

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from vagval.accounts.models import User
from vagval.api.errors import error_openapi_descriptions, error_responses
from vagval.api.versions import IfMatch, expected_version, set_etag, with_etag_header
from vagval.catalogue import placement_selectors as selectors
from vagval.catalogue import placement_services as services
from vagval.catalogue.models import Offer
from vagval.common.errors import NotFound
from vagval.common.http import access_context
from vagval.people.models import Enrolment
from vagval.people.schemas import IsoDate

router = Router(tags=["Placeringar"])

_ERRORS = (400, 401, 403, 422)
_ERRORS_WITH_ID = (*_ERRORS, 404)
_ERRORS_OF_PUT = (*_ERRORS_WITH_ID, 412, 428)
MAX_LIST = 500

Text = Annotated[str, StringConstraints(max_length=500)]
Hours = Annotated[Decimal, Field(gt=0, le=60, max_digits=4, decimal_places=1)]
# PlacementStatus and PlacementEndReason's values, written out for the schema (a test compares them).
StatusValue = Literal["foreslagen", "erbjuden", "accepterad", "avbojd", "paborjad", "avslutad", "vantelista"]
NewStatus = Literal["foreslagen", "erbjuden", "vantelista"]
EndReasonValue = Literal[
    "genomford", "avbruten", "fick_anstallning", "borjade_studera", "deltagandet_avslutat", "annat", ""
]


class PlacementOut(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID
    enrolment_id: uuid.UUID
    unit_id: uuid.UUID
    status: str
    offer_kind: str
    offer_id: uuid.UUID | None = Field(
        description="Null för en person med skyddade personuppgifter, utom för ansvarig coach."
    )
    offer_title: str | None
    provider: str | None
    address: str | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    hours_per_week: Decimal | None
    declined_reason: str
    end_reason: str
    assessment_next_due_on: dt.date | None
    plan_step_id: uuid.UUID | None
    etag: str


class PlacementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enrolment_id: uuid.UUID
    offer_id: uuid.UUID
    status: NewStatus = "foreslagen"
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    hours_per_week: Hours | None = None
    reason: Text = ""


class PlacementUpdateIn(BaseModel):
    """En ändring av status (se livscykeln i dokumentationen)."""

    model_config = ConfigDict(extra="forbid")

    status: StatusValue
    on: IsoDate | None = Field(None, description="Startdag, slutdag eller dagen det hände; tomt: i dag.")
    reason: Text = Field("", description="Krävs för avböjd och för avslutad med anledningen annat.")
    end_reason: EndReasonValue = ""
    hours_per_week: Hours | None = None


class PlacementListQuery(BaseModel):
    person_id: uuid.UUID | None = None
    offer_id: uuid.UUID | None = None
    status: StatusValue | None = None


def _out(placement: object, access: selectors.PlacementAccess) -> PlacementOut:
    p = cast("selectors.Placement", placement)
    details = access.sees_details
    return PlacementOut(
        id=p.pk,
        person_id=p.person_id,
        enrolment_id=p.enrolment_id,
        unit_id=p.unit_id,
        status=p.status,
        offer_kind=p.offer.kind,
        offer_id=p.offer_id if details else None,
        offer_title=p.offer.title if details else None,
        provider=p.offer.provider.name if details else None,
        address=(p.offer.address or None) if details else None,
        starts_on=p.starts_on,
        ends_on=p.ends_on,
        hours_per_week=p.hours_per_week,
        declined_reason=p.declined_reason,
        end_reason=p.end_reason,
        assessment_next_due_on=p.assessment_next_due_on,
        plan_step_id=p.plan_step_id,
        etag=services.placement_version(placement=p),
    )


@router.get(
    "/placements",
    response={200: list[PlacementOut], **error_responses(*_ERRORS)},
    operation_id="placement_list",
    summary="Lista placeringar",
    openapi_extra=error_openapi_descriptions(*_ERRORS),
)
def placement_list(request: HttpRequest, filters: Query[PlacementListQuery]) -> list[PlacementOut]:
    """Placeringar du får se: din enhets egna och de som ett samtycke (plan och insatser) lämnar ut. Högst 500."""
    ctx = access_context(request)
    rows = selectors.placement_list(
        ctx=ctx, person_id=filters.person_id, offer_id=filters.offer_id, status=filters.status, limit=MAX_LIST
    )
    return [_out(r.placement, r.access) for r in rows]


@router.get(
    "/placements/{placement_id}",
    response={200: PlacementOut, **error_responses(*_ERRORS_WITH_ID)},
    operation_id="placement_get",
    summary="Hämta placering",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_WITH_ID)),
)
def placement_get(request: HttpRequest, response: HttpResponse, placement_id: uuid.UUID) -> PlacementOut:
    """En placering. Svaret har en `ETag` att skicka i `If-Match` vid PUT."""
    view = selectors.placement_get(ctx=access_context(request), placement_id=placement_id)
    set_etag(response, services.placement_version(placement=view.placement))
    return _out(view.placement, view.access)


@router.post(
    "/placements",
    response={201: PlacementOut, **error_responses(*_ERRORS_WITH_ID)},
    operation_id="placement_create",
    summary="Skapa placering",
    openapi_extra=error_openapi_descriptions(*_ERRORS_WITH_ID),
)
def placement_create(request: HttpRequest, payload: PlacementIn) -> Status:
    """Placera en person (ett deltagande på din enhet) i ett erbjudande: föreslagen, erbjuden eller väntelista.
    Erbjuden tar en plats; är erbjudandet fullt svarar API:t 422 och ingenting sparas."""
    viewer = cast(User, request.user)
    ctx = access_context(request)
    enrolment = (
        Enrolment.objects.filter(pk=payload.enrolment_id, unit_id=viewer.unit_id).first() if viewer.unit_id else None
    )
    offer = Offer.objects.filter(pk=payload.offer_id).first()
    if enrolment is None or offer is None:
        raise NotFound(selectors.NOT_FOUND)
    placement = services.placement_create(
        ctx=ctx,
        enrolment=enrolment,
        offer=offer,
        status=payload.status,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        hours_per_week=payload.hours_per_week,
        reason=payload.reason,
    )
    view = selectors.placement_get(ctx=ctx, placement_id=placement.pk)
    return Status(201, _out(view.placement, view.access))


@router.put(
    "/placements/{placement_id}",
    response={200: PlacementOut, **error_responses(*_ERRORS_OF_PUT)},
    operation_id="placement_update",
    summary="Ändra placeringens status",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_OF_PUT)),
)
def placement_update(
    request: HttpRequest,
    response: HttpResponse,
    placement_id: uuid.UUID,
    payload: PlacementUpdateIn,
    if_match: IfMatch = None,
) -> PlacementOut:
    """Flytta placeringen till en ny status. Otillåtna övergångar och ett fullt erbjudande svarar 422.
    Skicka placeringens `ETag` i `If-Match` (saknas: 428, gammal: 412)."""
    ctx = access_context(request)
    placement, _access = selectors.placement_for_change(viewer=cast(User, request.user), placement_id=placement_id)
    changed = services.placement_change_status(
        ctx=ctx,
        placement=placement,
        status=payload.status,
        on=payload.on,
        reason=payload.reason,
        end_reason=payload.end_reason,
        hours_per_week=payload.hours_per_week,
        expected_version=expected_version(if_match),
    )
    placement, access = selectors.placement_for_change(viewer=cast(User, request.user), placement_id=changed.pk)
    set_etag(response, services.placement_version(placement=placement))
    return _out(placement, access)
