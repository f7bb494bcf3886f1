"""ETag and If-Match: the API's edit versions (common/versions.py).

Every GET of a changeable resource answers its version as a strong `ETag`; a PUT must send it
back in `If-Match`. The service compares it with the stored version inside its transaction:
a stale one answers 412 (`common.errors.Conflict`), a missing one 428, and nothing is saved.
A successful PUT answers the new ETag.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Header

from vagval.api.errors import PreconditionRequired

IfMatch = Annotated[
    str | None,
    Header(
        None,
        alias="If-Match",
        max_length=200,
        description="Postens ETag från din senaste GET. Krävs: utan den svarar API:t 428, med en gammal 412.",
    ),
]


def etag(version: str) -> str:
    return f'"{version}"'


def set_etag(response: HttpResponse, version: str) -> None:
    response["ETag"] = etag(version)


def expected_version(if_match: str | None) -> str:
    """The version named by If-Match (one strong or weak entity tag), or PreconditionRequired.

    Anything that is not one of our entity tags (a list, `*`) is passed on as it is and never
    matches a stored version, so it answers 412.
    """
    if if_match is None or not if_match.strip():
        raise PreconditionRequired("If-Match saknas.")
    tag = if_match.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    if len(tag) >= 2 and tag[0] == tag[-1] == '"':
        tag = tag[1:-1]
    return tag


def with_etag_header(openapi_extra: dict[str, Any], status: int = 200) -> dict[str, Any]:
    """Document the ETag header of an operation's successful answer in the OpenAPI schema."""
    responses = dict(openapi_extra.get("responses", {}))
    responses[status] = {
        **responses.get(status, {}),
        "headers": {
            "ETag": {
                "description": "Postens version. Skicka den i If-Match när du ändrar posten.",
                "schema": {"type": "string"},
            }
        },
    }
    return {**openapi_extra, "responses": responses}
