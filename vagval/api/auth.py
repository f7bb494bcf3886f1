"""Bearer-token authentication for the API. No sessions or cookies, hence no CSRF."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from vagval.accounts.models import User
from vagval.accounts.services import api_token_user
from vagval.common import scoping
from vagval.common.http import access_context


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token is created with `vagval api-token USERNAME`.

    A revoked or expired token, or one of a deactivated user, is refused like an unknown one
    (accounts.services.api_token_user): 401 with `WWW-Authenticate: Bearer`.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token:
            return None
        user = api_token_user(raw=token)
        if user is None:
            return None
        # Services and selectors take the acting user from the request (access_context), and
        # the token's user is the actor of the request's scope (common/scoping.py).
        request.user = user
        scoping.activate_for_request(access_context(request), scoping.REQUEST_PURPOSE)
        return user
