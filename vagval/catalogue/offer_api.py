"""API endpoints for offers: thin, through the same selectors and services (and the same rule) as the pages.

Every member of staff reads offers (not personal data: no access-log entry for a read). Writes
follow offer_selectors' rule: staff with write access at an organisation taking part in a project
create offers owned by it and change what it owns; administrators change every offer. A write
logs `offer.created` / `offer.changed` (the fields changed).

Edit versions (vagval/api/versions.py): GET /offers/{id} answers an `ETag` (every offer in a body
carries its `etag`); PUT and PATCH need it in `If-Match` (missing: 428, stale: 412, nothing
saved) and answer the new ETag.
"""

from __future__ import annotations

import uuid
from typing import cast

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from vagval.accounts.models import User
from vagval.api.errors import error_openapi_descriptions, error_responses
from vagval.api.versions import IfMatch, expected_version, set_etag, with_etag_header
from vagval.catalogue import offer_selectors as selectors
from vagval.catalogue import offer_services as services
from vagval.catalogue.offer_schemas import OfferIn, OfferListOut, OfferListQuery, OfferOut, OfferPatchIn, offer_out
from vagval.common.http import access_context

router = Router(tags=["Erbjudanden"])

_ERRORS = (400, 401, 403, 422)
_ERRORS_WITH_ID = (*_ERRORS, 404)
_ERRORS_OF_CHANGE = (*_ERRORS_WITH_ID, 412, 428)


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


@router.get(
    "/offers",
    response={200: OfferListOut, **error_responses(*_ERRORS)},
    operation_id="offer_list",
    summary="Lista erbjudanden",
    openapi_extra=error_openapi_descriptions(*_ERRORS),
)
def offer_list(request: HttpRequest, filters: Query[OfferListQuery]) -> OfferListOut:
    """Alla erbjudanden i katalogen, sorterade på rubrik, med lediga platser."""
    offers = selectors.offer_list(
        viewer=_viewer(request),
        filters=selectors.OfferFilters(
            kind=filters.kind or "",
            municipality_code=filters.municipality or "",
            ssyk_area=filters.ssyk_area or "",
            status=filters.status or "",
            period_from=filters.period_from,
            period_to=filters.period_to,
            free_places_only=filters.free_only,
        ),
    )
    total = offers.count()
    page = offers[filters.offset : filters.offset + filters.limit]
    return OfferListOut(count=total, limit=filters.limit, offset=filters.offset, items=[offer_out(o) for o in page])


@router.post(
    "/offers",
    response={201: OfferOut, **error_responses(*_ERRORS)},
    operation_id="offer_create",
    summary="Lägg till erbjudande",
    openapi_extra=error_openapi_descriptions(*_ERRORS),
)
def offer_create(request: HttpRequest, response: HttpResponse, payload: OfferIn) -> Status:
    """Lägg till ett erbjudande som din organisation förvaltar (administratörer anger `owner_id`)."""
    offer = services.offer_create(ctx=access_context(request), data=payload.offer_data())
    shown = selectors.offer_get(viewer=_viewer(request), offer_id=offer.pk)
    return Status(201, offer_out(shown))


@router.get(
    "/offers/{offer_id}",
    response={200: OfferOut, **error_responses(*_ERRORS_WITH_ID)},
    operation_id="offer_get",
    summary="Hämta erbjudande",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_WITH_ID)),
)
def offer_get(request: HttpRequest, response: HttpResponse, offer_id: uuid.UUID) -> OfferOut:
    """Ett erbjudande. Svaret har en `ETag` att skicka i `If-Match` vid PUT eller PATCH."""
    offer = selectors.offer_get(viewer=_viewer(request), offer_id=offer_id)
    set_etag(response, services.record_version(offer))
    return offer_out(offer)


def _changed(
    request: HttpRequest, response: HttpResponse, offer_id: uuid.UUID, data_of, if_match: str | None
) -> OfferOut:  # type: ignore[no-untyped-def]
    viewer = _viewer(request)
    offer = selectors.offer_get(viewer=viewer, offer_id=offer_id)
    selectors.require_maintain(viewer, offer.owner_id)  # 403 before 428: a refusal says nothing about versions
    services.offer_update(
        ctx=access_context(request), offer=offer, data=data_of(offer), expected_version=expected_version(if_match)
    )
    shown = selectors.offer_get(viewer=viewer, offer_id=offer_id)
    set_etag(response, services.record_version(shown))
    return offer_out(shown)


@router.put(
    "/offers/{offer_id}",
    response={200: OfferOut, **error_responses(*_ERRORS_OF_CHANGE)},
    operation_id="offer_update",
    summary="Ändra erbjudande",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_OF_CHANGE)),
)
def offer_update(
    request: HttpRequest, response: HttpResponse, offer_id: uuid.UUID, payload: OfferIn, if_match: IfMatch = None
) -> OfferOut:
    """Ersätter erbjudandets uppgifter. Skicka `ETag` från GET i `If-Match` (saknas: 428, gammal: 412)."""
    return _changed(request, response, offer_id, lambda offer: payload.offer_data(), if_match)


@router.patch(
    "/offers/{offer_id}",
    response={200: OfferOut, **error_responses(*_ERRORS_OF_CHANGE)},
    operation_id="offer_patch",
    summary="Ändra delar av erbjudande",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_OF_CHANGE)),
)
def offer_patch(
    request: HttpRequest, response: HttpResponse, offer_id: uuid.UUID, payload: OfferPatchIn, if_match: IfMatch = None
) -> OfferOut:
    """Ändrar de fält som skickas, t.ex. `{"status": "stangd"}`. `If-Match` som vid PUT."""
    return _changed(request, response, offer_id, payload.offer_data, if_match)
