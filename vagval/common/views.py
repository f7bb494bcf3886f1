"""The decorator every page that shows domain data uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from vagval.common.errors import NotFound, PermissionDenied

View = Callable[..., HttpResponseBase]


def domain_page(*methods: str) -> Callable[[View], View]:
    """Logged-in users only, the given methods, never cached; domain errors answered as 404/403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from None
            except PermissionDenied as exc:
                raise HttpPermissionDenied(exc.message) from None

        return login_required(require_http_methods(list(methods))(never_cache(wrapper)))

    return decorate
