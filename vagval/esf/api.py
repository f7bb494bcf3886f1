"""API: the ESF+ indicator table of a project, through the same selector as the report page.

  GET /projects/{id}/esf-indicators?from=YYYY-MM-DD&to=YYYY-MM-DD   `esf.indicators_viewed`

Who may call it: the page's rule (esf.selectors.report_project): the project's project leaders
and administrators; any other project (or caller) 404. Exact counts (for ESF-rådet).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from pydantic import BaseModel, ConfigDict, Field

from vagval.accounts.models import User
from vagval.api.errors import error_openapi_descriptions, error_responses
from vagval.common.http import access_context
from vagval.esf import selectors

router = Router(tags=["ESF+"])

_ERRORS = (400, 401, 403, 404, 422)


class PeriodQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: dt.date | None = Field(
        None, alias="from", description="Periodens första dag, ÅÅÅÅ-MM-DD (utan: årets första dag)."
    )
    end: dt.date | None = Field(None, alias="to", description="Periodens sista dag, ÅÅÅÅ-MM-DD (utan: i dag).")


class CountsOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    total: int = Field(description="Alla deltagare som räknas i indikatorn (för EECO01 även ofullständiga).")
    kvinnor: int
    man: int
    icke_binara: int


@router.get(
    "/projects/{project_id}/esf-indicators",
    response={200: dict[str, CountsOut], **error_responses(*_ERRORS)},
    operation_id="esf_indicators",
    summary="ESF+-indikatorer för ett projekt och en period",
    openapi_extra=error_openapi_descriptions(*_ERRORS),
)
def esf_indicators(request: HttpRequest, project_id: uuid.UUID, period: Query[PeriodQuery]) -> dict[str, CountsOut]:
    """EECO01–EECO17 och EECR01–EECR06, nycklade på kod, uppdelade på kvinnor, män och icke-binära.

    Samma beräkning som ESF-rapporten på webben. För projektets projektledare och administratörer."""
    today = timezone.localdate()
    table = selectors.indicator_table(
        viewer=cast(User, request.user),
        ctx=access_context(request),
        project_id=project_id,
        start=period.start or dt.date(today.year, 1, 1),
        end=period.end or today,
    )
    return {row.indicator.code: CountsOut(**row.counts.as_dict()) for row in table.rows}
