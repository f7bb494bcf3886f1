"""API endpoints for a plan's steps, so that a partner's own system can keep its steps up to date.

Through the same selectors and services as the pages: the coordinating unit sees and changes every
step; a partner sees the plan while a valid consent covering plans opens it to their unit, and
changes only the steps their own unit is responsible for.
  GET /plans/{id}/steps               `plan.viewed`; each step carries its `etag`
  PUT /plans/{id}/steps/{step_id}     `plan_step.changed` or `plan_step.ended`; If-Match required
A PUT replaces the step's fields (missing If-Match: 428; stale: 412, nothing saved).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, cast

from django.http import HttpRequest, HttpResponse
from ninja import Router
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from vagval.accounts.models import User
from vagval.api.errors import error_openapi_descriptions, error_responses
from vagval.api.versions import IfMatch, etag, expected_version, set_etag, with_etag_header
from vagval.common.http import access_context
from vagval.plans import selectors, services
from vagval.plans.models import EndReason, PlanStep, ResponsibleKind

router = Router(tags=["Planer"])

_ERRORS_WITH_ID = (400, 401, 403, 404, 422)
_ERRORS_OF_PUT = (*_ERRORS_WITH_ID, 412, 428)

_Line = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00-\x1F\x7F]*$")]


class StepOut(BaseModel):
    id: uuid.UUID
    content: str
    responsible_kind: ResponsibleKind
    responsible_unit_id: uuid.UUID | None
    external_actor: str
    starts_on: dt.date
    ends_on: dt.date | None
    end_reason: EndReason | None
    end_note: str
    follow_up_on: dt.date | None
    may_change: bool = Field(description="Om du får ändra steget (din enhet ansvarar för det)")
    etag: str = Field(description="Skicka i If-Match när du ändrar steget")


class StepIn(BaseModel):
    """Stegets uppgifter. PUT ersätter alla: ett utelämnat valfritt fält töms. Ett slutdatum
    avslutar steget och kräver skälet (end_reason)."""

    model_config = ConfigDict(extra="forbid")
    content: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[^\x00]*$")]
    responsible_kind: ResponsibleKind
    responsible_unit_id: uuid.UUID | None = None
    external_actor: _Line = ""
    starts_on: dt.date
    ends_on: dt.date | None = None
    end_reason: EndReason | None = None
    end_note: _Line = ""
    follow_up_on: dt.date | None = None

    def step_data(self) -> services.StepData:
        return services.StepData(
            content=self.content,
            responsible_kind=self.responsible_kind,
            responsible_unit_id=self.responsible_unit_id,
            external_actor=self.external_actor,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            end_reason=self.end_reason or "",
            end_note=self.end_note,
            follow_up_on=self.follow_up_on,
        )


def _out(step: PlanStep, *, may_change: bool) -> StepOut:
    return StepOut(
        id=step.pk,
        content=step.content,
        responsible_kind=ResponsibleKind(step.responsible_kind),
        responsible_unit_id=step.responsible_unit_id,
        external_actor=step.external_actor,
        starts_on=step.starts_on,
        ends_on=step.ends_on,
        end_reason=EndReason(step.end_reason) if step.end_reason else None,
        end_note=step.end_note,
        follow_up_on=step.follow_up_on,
        may_change=may_change,
        etag=etag(services.step_version(step=step)),
    )


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


@router.get(
    "/plans/{plan_id}/steps",
    response={200: list[StepOut], **error_responses(*_ERRORS_WITH_ID)},
    operation_id="plan_step_list",
    summary="Lista planens steg",
    openapi_extra=error_openapi_descriptions(*_ERRORS_WITH_ID),
)
def plan_step_list(request: HttpRequest, plan_id: uuid.UUID) -> list[StepOut]:
    """Planens steg i ordning. `may_change` säger vilka din enhet får ändra."""
    view = selectors.plan_get(viewer=_viewer(request), ctx=access_context(request), plan_id=plan_id)
    changeable = view.editable_step_ids
    steps = view.plan.steps.order_by("starts_on", "created_at")
    return [_out(step, may_change=str(step.pk) in changeable) for step in steps]


@router.put(
    "/plans/{plan_id}/steps/{step_id}",
    response={200: StepOut, **error_responses(*_ERRORS_OF_PUT)},
    operation_id="plan_step_update",
    summary="Ändra ett steg i planen",
    openapi_extra=with_etag_header(error_openapi_descriptions(*_ERRORS_OF_PUT)),
)
def plan_step_update(
    request: HttpRequest,
    response: HttpResponse,
    plan_id: uuid.UUID,
    step_id: uuid.UUID,
    payload: StepIn,
    if_match: IfMatch = None,
) -> StepOut:
    """Ersätter stegets uppgifter. En samverkanspart ändrar bara steg som den egna enheten
    ansvarar för, och kan inte lämna över dem. Skicka stegets `ETag` (från listan, fältet `etag`)
    i `If-Match`: utan den 428, och har någon annan ändrat steget sedan dess 412."""
    _view, step = selectors.step_get_for_change(viewer=_viewer(request), plan_id=plan_id, step_id=step_id)
    updated = services.plan_step_update(
        ctx=access_context(request), step=step, data=payload.step_data(), expected_version=expected_version(if_match)
    )
    set_etag(response, services.step_version(step=updated))
    return _out(updated, may_change=True)
