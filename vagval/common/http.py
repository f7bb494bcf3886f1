"""Glue between HTTP requests and the services: who is acting, from where; files to download."""

from django.http import HttpRequest, HttpResponse

from vagval.audit.services import AccessContext
from vagval.common.request import client_address

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "pdf": "application/pdf",
}


def access_context(request: HttpRequest) -> AccessContext:
    return AccessContext(user=request.user, client_address=client_address(request))  # type: ignore[arg-type]


def download_response(content: bytes, filename: str, kind: str) -> HttpResponse:
    """A file the browser saves: `kind` is its type ("csv", "xlsx", "zip", "pdf"). The file name
    is ours (never typed text, never a person), so it needs no quoting beyond the quotes."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
