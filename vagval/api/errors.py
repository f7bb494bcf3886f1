"""One error format for every API error: {"detail": "...", "errors": {"field": ["..."]}}.

`detail` is always there and is plain Swedish; `errors` is there only when single fields are
wrong (422). Messages never repeat what the client sent: an identity number must not come
back in an error, a log line or a proxy's error page.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel, Field

from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited, VagvalError
from vagval.common.logging import redact

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("vagval.api")

CONTENT_TYPE = "application/json; charset=utf-8"

DETAIL_UNAUTHORIZED = "Du måste skicka en giltig API-nyckel i huvudet Authorization: Bearer <nyckel>."
DETAIL_BAD_REQUEST = "Begäran kunde inte tolkas. Skicka giltig JSON."
DETAIL_TOO_LARGE = "Begäran är för stor."
DETAIL_INVALID = "Uppgifterna innehåller fel."
DETAIL_NOT_FOUND = "Det du söker finns inte."
DETAIL_NOT_ALLOWED = "Metoden är inte tillåten här."
DETAIL_SERVER_ERROR = "Ett oväntat fel inträffade. Försök igen senare."
DETAIL_STALE = (
    "Posten har ändrats sedan du hämtade den (If-Match stämmer inte med postens nuvarande ETag). "
    "Ingenting sparades. Hämta posten igen, gör om ändringen och skicka den nya ETag:en i If-Match."
)
DETAIL_PRECONDITION_REQUIRED = (
    "Huvudet If-Match saknas. Hämta posten med GET och skicka dess ETag i If-Match, så att du inte skriver "
    "över någon annans ändring. Ingenting sparades."
)

# Field key for errors that concern the whole body rather than one field.
WHOLE_BODY = "__all__"


class PreconditionRequired(VagvalError):
    """A change without If-Match: it could overwrite someone else's change unseen (428)."""


class ErrorOut(BaseModel):
    """Alla felsvar från API:t har denna form."""

    detail: str = Field(description="Vad som gick fel, på enkel svenska.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "Finns bara när enskilda fält är fel (status 422): fältnamn → meddelanden. "
            f"Fel som gäller hela innehållet har nyckeln {WHOLE_BODY!r}."
        ),
    )


_DESCRIPTIONS = {
    400: "Begäran kunde inte tolkas (t.ex. ogiltig JSON).",
    401: "API-nyckel saknas eller är ogiltig.",
    403: "Du får inte göra detta (t.ex. endast läsbehörighet, eller ingen enhet).",
    404: "Finns inte, eller så saknar du behörighet att se det.",
    412: "Posten har ändrats sedan du hämtade den: If-Match stämmer inte med postens nuvarande ETag. "
    "Ingenting sparades. Hämta posten igen och gör om ändringen.",
    422: "Uppgifterna innehåller fel; se `errors` för fel per fält.",
    428: "Huvudet If-Match saknas. Skicka den ETag du fick när du hämtade posten. Ingenting sparades.",
}


def error_responses(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error part of an operation's `response=` mapping, so every error is documented."""
    unknown = set(codes) - set(_DESCRIPTIONS)
    if unknown:
        raise ValueError(f"Undocumented error status: {sorted(unknown)}")
    return dict.fromkeys(codes, ErrorOut)


def error_openapi_descriptions(*codes: int) -> dict[str, Any]:
    """`openapi_extra` that gives each documented error status a Swedish description."""
    return {"responses": {code: {"description": _DESCRIPTIONS[code]} for code in codes}}


def error_response(
    *, status: int, detail: str, errors: dict[str, list[str]] | None = None, headers: dict[str, str] | None = None
) -> HttpResponse:
    payload: dict[str, Any] = {"detail": detail}
    if errors:
        payload["errors"] = errors
    response = JsonResponse(
        payload, status=status, content_type=CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# Swedish messages for pydantic's error types. The client's input is never echoed.
_MESSAGES: dict[str, str] = {
    "missing": "Fältet måste fyllas i.",
    "extra_forbidden": "Okänt fält.",
    "string_type": "Ange en text.",
    "string_too_short": "Fältet måste fyllas i.",
    "string_too_long": "Högst {max_length} tecken.",
    "string_pattern_mismatch": "Otillåtna tecken (t.ex. radbrytning, tabb eller andra styrtecken).",
    "string_unicode": "Ogiltiga tecken.",
    "enum": "Ogiltigt värde. Tillåtna värden: {expected}.",
    "date_type": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "date_parsing": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "date_from_datetime_parsing": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "date_from_datetime_inexact": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "date_future": "Datumet måste vara i framtiden.",
    "date_past": "Datumet måste vara passerat.",
    "uuid_type": "Ogiltigt id (ska vara ett UUID).",
    "uuid_parsing": "Ogiltigt id (ska vara ett UUID).",
    "uuid_version": "Ogiltigt id (ska vara ett UUID).",
    "int_type": "Ange ett heltal.",
    "int_parsing": "Ange ett heltal.",
    "int_parsing_size": "Talet är för stort.",
    "int_from_float": "Ange ett heltal.",
    "bool_type": "Ange true eller false.",
    "bool_parsing": "Ange true eller false.",
    "greater_than": "Värdet måste vara större än {gt}.",
    "greater_than_equal": "Värdet måste vara minst {ge}.",
    "less_than": "Värdet måste vara mindre än {lt}.",
    "less_than_equal": "Värdet får vara högst {le}.",
    "model_type": "Skicka ett JSON-objekt.",
    "model_attributes_type": "Skicka ett JSON-objekt.",
    "dict_type": "Skicka ett JSON-objekt.",
    "none_required": "Fältet ska vara null.",
}
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error"):
        # Our own validators raise ValueError with a Swedish message.
        return str(ctx["error"])
    template = _MESSAGES.get(kind)
    if template is None:
        return "Ogiltigt värde."
    values = {key: str(value) for key, value in ctx.items()}
    if "expected" in values:
        values["expected"] = values["expected"].replace(" or ", " eller ")
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template.split("{")[0].strip() or "Ogiltigt värde."


def _field_name(loc: Iterable[Any], body_params: set[str]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        # Body errors carry the view's parameter name first (e.g. "payload"): drop it.
        if source == "body" and parts and parts[0] in body_params:
            parts.pop(0)
    return ".".join(parts) or WHOLE_BODY


def field_errors_from_validation(errors: Iterable[dict[str, Any]], body_params: set[str]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in errors:
        messages = result.setdefault(_field_name(error.get("loc", ()), body_params), [])
        message = _message(error)
        if message not in messages:
            messages.append(message)
    return result


# The name every view in this API gives its JSON body parameter.
BODY_PARAMS = {"payload"}


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace django-ninja's default handlers so that every error has the one format."""

    def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return error_response(
            status=422, detail=DETAIL_INVALID, errors=field_errors_from_validation(exc.errors, BODY_PARAMS)
        )

    def on_invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        errors = exc.field_errors or {WHOLE_BODY: [exc.message]}
        return error_response(status=422, detail=exc.message or DETAIL_INVALID, errors=errors)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = exc.message if isinstance(exc, NotFound) else DETAIL_NOT_FOUND
        return error_response(status=404, detail=message)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(status=403, detail=exc.message)

    def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        # The service refused a change on a stale version: the client's If-Match was stale.
        return error_response(status=412, detail=DETAIL_STALE)

    def on_precondition_required(request: HttpRequest, exc: PreconditionRequired) -> HttpResponse:
        return error_response(status=428, detail=DETAIL_PRECONDITION_REQUIRED)

    def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        return error_response(status=429, detail=exc.message, headers={"Retry-After": str(exc.retry_after)})

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError) or exc.status_code == 401:
            return error_response(
                status=401, detail=DETAIL_UNAUTHORIZED, headers={"WWW-Authenticate": 'Bearer realm="api"'}
            )
        if exc.status_code == 400:
            return error_response(status=400, detail=DETAIL_BAD_REQUEST)
        # django-ninja's own messages are English; ours are not raised as HttpError.
        return error_response(status=exc.status_code, detail=_http_status_detail(exc.status_code))

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # Too large body, too many fields, bad host and the like: the client's fault.
        too_large = isinstance(exc, RequestDataTooBig | TooManyFieldsSent)
        return error_response(status=400, detail=DETAIL_TOO_LARGE if too_large else DETAIL_BAD_REQUEST)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A bug, not bad input: logged and answered as JSON. The traceback goes into the message
        # (not exc_info) so that the log filter scrubs identity numbers from it too, e.g. from a
        # database error that quotes the failing row.
        trace = redact("".join(traceback.format_exception(exc)))
        logger.error("Oväntat fel i API:t: %s %s\n%s", request.method, request.path, trace)
        return error_response(status=500, detail=DETAIL_SERVER_ERROR)

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (NinjaValidationError, on_validation_error),
        (InvalidInput, on_invalid_input),
        (NotFound, on_not_found),
        (Http404, on_not_found),
        (PermissionDenied, on_permission_denied),
        (Conflict, on_conflict),
        (PreconditionRequired, on_precondition_required),
        (RateLimited, on_rate_limited),
        (HttpError, on_http_error),
        (SuspiciousOperation, on_suspicious),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def _http_status_detail(status: int) -> str:
    return {
        403: "Du har inte behörighet.",
        404: DETAIL_NOT_FOUND,
        405: DETAIL_NOT_ALLOWED,
        429: "För många förfrågningar. Vänta en stund och försök igen.",
    }.get(status, "Begäran kunde inte utföras.")


def json_errors_for_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a django-ninja URL view so its plain-text 405 answer gets the JSON error format."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allow = response.get("Allow", "")
            return error_response(status=405, detail=DETAIL_NOT_ALLOWED, headers={"Allow": allow} if allow else None)
        return response

    return wrapper


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any other path under /api/v1/: a JSON 404 instead of the HTML page."""
    return error_response(status=404, detail=DETAIL_NOT_FOUND)
