"""View decorators for role checks. Person access is never decided here: see access.checks."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from vagval.accounts.models import Role


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in administrators only; anonymous users go to the login page, others get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "role", None) != Role.ADMIN or not request.user.is_active:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def data_protection_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in data-protection officers only (register extracts, legal holds); others get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "role", None) != Role.DATA_PROTECTION or not request.user.is_active:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)
