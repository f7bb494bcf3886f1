"""API endpoints for persons and enrolments: thin, through the same selectors and services as the pages.

Access-log entries per successful call (written by the selectors and services, as for the pages):
  GET  /persons                    one `person.listed` per person returned
  POST /persons/search             one `person.search_hit` per person returned
  GET  /persons/{id}               `person.viewed`
  GET  /persons/{id}/enrolments    `person.viewed`
  GET  /enrolments/{id}            `person.viewed`
  POST /persons                    `person.created` (new person only), `enrolment.created` or `enrolment.reopened`
  PUT  /persons/{id}               `person.changed` (none when nothing changed)
  POST /persons/{id}/enrolments    `enrolment.created` or `enrolment.reopened`
  PUT  /enrolments/{id}            `enrolment.changed` (none when nothing changed)
Writes return what was written; like the pages after a successful form, they log only the change.

Edit versions (vagval/api/versions.py): GET /persons/{id} and GET /enrolments/{id} answer an `ETag`
(and every enrolment in a body carries its `etag`); a PUT needs it in `If-Match` (missing: 428,
stale: 412, nothing saved) and answers the new ETag.
"""

from __future__ import annotations

import uuid
from typing import cast

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from vagval.access.scope import ScopedPerson, scope_for
from vagval.accounts.models import User
from vagval.api.errors import error_openapi_descriptions, error_responses
from vagval.api.versions import IfMatch, expected_version, set_etag, with_etag_header
from vagval.common.http import access_context
from vagval.people import selectors, services
from vagval.people.models import Person
from vagval.people.schemas import (
    EnrolmentIn,
    EnrolmentOut,
    EnrolmentUpdateIn,
    PersonCreatedOut,
    PersonCreateIn,
    PersonDetailOut,
    PersonIn,
    PersonListOut,
    PersonListQuery,
    PersonOut,
    PersonSearchIn,
    PersonSearchOut,
    enrolment_out,
    person_fields,
    person_out,
)

router = Router(tags=["Personer"])

# Every operation can answer 400 (unreadable request), 401, 403 (read-only, or no unit) and 422.
_ERRORS = (400, 401, 403, 422)
_ERRORS_WITH_ID = (*_ERRORS, 404)
# A PUT also answers 412 (stale If-Match) and 428 (no If-Match).
_ERRORS_OF_PUT = (*_ERRORS_WITH_ID, 412, 428)


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


def _written_person(request: HttpRequest, person: Person) -> ScopedPerson:
    """The person as the viewer may now see them (a change of protection level applies at once).

    Not logged again: the service logged the write."""
    return scope_for(access_context(request), selectors.PURPOSE).admit(person)


@router.get(
    "/persons",
    response={200: PersonListOut, **error_responses(*_ERRORS)},
    operation_id="person_list",
    summary="Lista personer",
    openapi_extra=error_openapi_descriptions(*_ERRORS),
)
def person_list(request: HttpRequest, filters: Query[PersonListQuery]) -> PersonListOut:
    """Personer med deltagande på din enhet, sorterade på namn. `q` söker bara på namn."""
    rows, total = selectors.person_list(
        viewer=_viewer(request),
        ctx=access_context(request),
        filters=selectors.PersonFilters(
            query=filters.q or "",
            project_id=filters.project_id,
            status=filters.status or "",
            mine_only=filters.mine,
        ),
        limit=filters.limit,
        offset=filters.offset,
    )
    return PersonListOut(
        count=total,
        limit=filters.limit,
        offset=filters.offset,
        items=[person_out(person, access) for person, access in rows],
    )


@router.post(
    "/persons/search",
    response={200: PersonSearchOut, **error_responses(*_ERRORS)},
    operation_id="person_search",
    summary="Sök person på namn eller nummer",
    openapi_extra=error_openapi_descriptions(*_ERRORS),
)
def person_search(request: HttpRequest, payload: PersonSearchIn) -> PersonSearchOut:
    """Sök bland personer du får se. POST, så att ett personnummer aldrig hamnar i en adress."""
    rows = selectors.person_search(viewer=_viewer(request), ctx=access_context(request), query=payload.query)
    return PersonSearchOut(items=[person_out(person, access) for person, access in rows])


@router.post(
    "/persons",
    response={201: PersonCreatedOut, 200: PersonCreatedOut, **error_responses(*_ERRORS)},
    operation_id="person_create",
    summary="Registrera person",
    openapi_extra=error_openapi_descriptions(*_ERRORS),
)
def person_create(request: HttpRequest, payload: PersonCreateIn) -> Status:
    """Registrera en person och skriv in hen på din enhet (201).

    Finns numret redan skrivs den befintliga personen in i stället och svaret är 200 med
    `created: false`; namn och andra uppgifter på den befintliga personen ändras då inte.
    """
    person, created = services.person_create(
        ctx=access_context(request), data=payload.person_data(), enrolment=payload.enrolment_data()
    )
    shown = _written_person(request, person)
    body = PersonCreatedOut(**person_fields(shown.person, shown.access), created=created)
    return Status(201 if created else 200, body)


@router.get(
    "/persons/{person_id}",
    response={200: PersonDetailOut, **error_responses(*_ERRORS_WITH_ID)},
    operation_id="person_get",
    summary="Hämta person",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_WITH_ID)),
)
def person_get(request: HttpRequest, response: HttpResponse, person_id: uuid.UUID) -> PersonDetailOut:
    """En person med deltagandena på din enhet. Svaret har en `ETag` att skicka i `If-Match` vid PUT."""
    view = selectors.person_get(viewer=_viewer(request), ctx=access_context(request), person_id=person_id)
    set_etag(response, services.person_version(person=view.person, access=view.access))
    return PersonDetailOut(
        **person_fields(view.person, view.access),
        enrolments=[enrolment_out(e) for e in view.enrolments],
    )


@router.put(
    "/persons/{person_id}",
    response={200: PersonOut, **error_responses(*_ERRORS_OF_PUT)},
    operation_id="person_update",
    summary="Ändra person",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_OF_PUT)),
)
def person_update(
    request: HttpRequest, response: HttpResponse, person_id: uuid.UUID, payload: PersonIn, if_match: IfMatch = None
) -> PersonOut:
    """Ersätter personens uppgifter. Kontaktuppgifter du inte får se lämnas orörda.

    Skicka personens `ETag` (från GET) i `If-Match`: utan den svarar API:t 428, och har någon
    annan ändrat personen sedan dess 412. Svaret har den nya `ETag`:en.
    """
    viewer = _viewer(request)
    view = selectors.person_get_for_change(viewer=viewer, person_id=person_id)
    person = services.person_update(
        ctx=access_context(request),
        person=view.person,
        data=payload.person_data(),
        expected_version=expected_version(if_match),
    )
    shown = _written_person(request, person)
    set_etag(response, services.person_version(person=shown.person, access=shown.access))
    return PersonOut(**person_fields(shown.person, shown.access))


@router.get(
    "/persons/{person_id}/enrolments",
    response={200: list[EnrolmentOut], **error_responses(*_ERRORS_WITH_ID)},
    operation_id="enrolment_list",
    summary="Lista deltaganden",
    openapi_extra=error_openapi_descriptions(*_ERRORS_WITH_ID),
)
def enrolment_list(request: HttpRequest, person_id: uuid.UUID) -> list[EnrolmentOut]:
    """Personens deltaganden på din enhet, senast startade först."""
    view = selectors.person_get(viewer=_viewer(request), ctx=access_context(request), person_id=person_id)
    return [enrolment_out(e) for e in view.enrolments]


@router.post(
    "/persons/{person_id}/enrolments",
    response={201: EnrolmentOut, **error_responses(*_ERRORS_WITH_ID)},
    operation_id="enrolment_create",
    summary="Skriv in person i projekt",
    openapi_extra=error_openapi_descriptions(*_ERRORS_WITH_ID),
)
def enrolment_create(request: HttpRequest, person_id: uuid.UUID, payload: EnrolmentIn) -> Status:
    """Skriv in personen i ett projekt på din enhet. Ett avslutat deltagande i samma projekt öppnas igen."""
    view = selectors.person_get_for_change(viewer=_viewer(request), person_id=person_id)
    enrolment = services.enrolment_create(
        ctx=access_context(request), person=view.person, data=payload.enrolment_data()
    )
    return Status(201, enrolment_out(enrolment))


@router.get(
    "/enrolments/{enrolment_id}",
    response={200: EnrolmentOut, **error_responses(*_ERRORS_WITH_ID)},
    operation_id="enrolment_get",
    summary="Hämta deltagande",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_WITH_ID)),
)
def enrolment_get(request: HttpRequest, response: HttpResponse, enrolment_id: uuid.UUID) -> EnrolmentOut:
    """Ett deltagande på din enhet. Svaret har en `ETag` att skicka i `If-Match` vid PUT."""
    viewer = _viewer(request)
    enrolment = selectors.enrolment_get(viewer=viewer, enrolment_id=enrolment_id)
    selectors.enrolment_view_record(ctx=access_context(request), viewer=viewer, enrolment=enrolment)
    set_etag(response, services.enrolment_version(enrolment=enrolment))
    return enrolment_out(enrolment)


@router.put(
    "/enrolments/{enrolment_id}",
    response={200: EnrolmentOut, **error_responses(*_ERRORS_OF_PUT)},
    operation_id="enrolment_update",
    summary="Ändra deltagande",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_OF_PUT)),
)
def enrolment_update(
    request: HttpRequest,
    response: HttpResponse,
    enrolment_id: uuid.UUID,
    payload: EnrolmentUpdateIn,
    if_match: IfMatch = None,
) -> EnrolmentOut:
    """Ersätter deltagandets uppgifter (status, datum, coach, metod). Projektet kan inte bytas.

    Skicka deltagandets `ETag` (från GET, eller fältet `etag`) i `If-Match`: utan den svarar
    API:t 428, och har någon annan ändrat deltagandet sedan dess 412. Svaret har den nya `ETag`:en.
    """
    viewer = _viewer(request)
    enrolment = selectors.enrolment_get(viewer=viewer, enrolment_id=enrolment_id)
    selectors.person_get_for_change(viewer=viewer, person_id=enrolment.person_id)  # read-only: 403 before 428
    updated = services.enrolment_update(
        ctx=access_context(request),
        enrolment=enrolment,
        data=payload.enrolment_data(project_id=enrolment.project_id),
        expected_version=expected_version(if_match),
    )
    set_etag(response, services.enrolment_version(enrolment=updated))
    return enrolment_out(updated)
