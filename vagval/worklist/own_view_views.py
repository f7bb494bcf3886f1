"""Pages of the young person's own view: the coach's links on a plan, and the public page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vagval.accounts.system import SystemActor, system_context
from vagval.common import scoping
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest, client_address
from vagval.common.views import domain_page
from vagval.worklist import own_view


@domain_page("GET", "POST")
def links(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    new_url = ""
    if request.method == "POST":
        _link, token = own_view.own_view_link_create(ctx=access_context(request), plan_id=plan_id)
        # Shown once, on this answer only: the token is stored only as a hash.
        new_url = request.build_absolute_uri(reverse("worklist:own_view", args=[token]))
    page = own_view.own_view_links(viewer=request.user, ctx=access_context(request), plan_id=plan_id)
    return render(request, "worklist/own_view_links.html", {"nav": "caseload", "page": page, "new_url": new_url})


@domain_page("POST")
def revoke(request: AuthenticatedRequest, link_id: uuid.UUID) -> HttpResponse:
    link = own_view.own_view_link_revoke(ctx=access_context(request), link_id=link_id)
    messages.success(request, _("Länken är återkallad. Den går inte längre att öppna."))
    return redirect("worklist:own_view_links", plan_id=link.plan_id)


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def public(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the token is the only key, and it opens this one page and nothing else."""
    address = client_address(request)
    with scoping.activated(system_context(SystemActor.PERSONAL_LINK, detail=address), "own_view"):
        try:
            view = own_view.own_view_open(token=token, client_address=address)
        except own_view.OwnViewRefused as exc:
            status = 404 if exc.reason == "unknown" else 410
            return _public(
                render(
                    request,
                    "worklist/own_view_refused.html",
                    {"message": own_view.refusal_message(exc.reason)},
                    status=status,
                )
            )
        return _public(render(request, "worklist/own_view.html", {"view": view}))
