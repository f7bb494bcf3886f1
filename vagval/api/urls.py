"""/api/v1/: the django-ninja API, with JSON answers also for unknown paths and methods."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from vagval.api.api import api
from vagval.api.errors import CONTENT_TYPE, json_errors_for_view, not_found_view


@csrf_exempt
def index(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"title": api.title, "version": api.version, "openapi": request.build_absolute_uri("openapi.json")},
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def _ninja_patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name != "api-root":
            pattern.callback = json_errors_for_view(pattern.callback)
    return patterns


urlpatterns = [
    # Before the API's own root (which only exists so reverse() can find the API's prefix).
    path("", index, name="api-index"),
    path("", include((_ninja_patterns(), "ninja"), namespace="api")),
    re_path(r"^.*$", csrf_exempt(not_found_view), name="api-not-found"),
]
