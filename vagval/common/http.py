"""Glue between HTTP requests and the services: who is acting, from where."""

from django.http import HttpRequest

from vagval.audit.services import AccessContext
from vagval.common.request import client_address


def access_context(request: HttpRequest) -> AccessContext:
    return AccessContext(user=request.user, client_address=client_address(request))  # type: ignore[arg-type]
