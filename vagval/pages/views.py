"""Pages that show sections of several apps: the start page (caseload) and the person page.

They sit in the pages layer (docs/ARCHITECTURE.md, "Layers") so that people does not import
consent, referrals or the register apps. Their URLs keep the names people:caseload and
people:detail (vagval/urls.py). Each section's data come from its own app's selectors; the
sections that templates include (targetgroup, outreach, kaa, journal) load their own data.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation

from vagval.access.scope import scope_for
from vagval.accounts.models import Role
from vagval.common.errors import PermissionDenied
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest, page_number
from vagval.common.views import domain_page
from vagval.consent import selectors as consent_selectors
from vagval.pages.leader import leader_cards
from vagval.people import selectors as people_selectors
from vagval.people import services as people_services
from vagval.people.forms import CaseloadFilterForm
from vagval.people.selectors import PersonFilters
from vagval.people.views import full_number
from vagval.referrals import selectors as referral_selectors
from vagval.targets.selectors import require_leader
from vagval.worklist import selectors as worklist_selectors

CASELOAD_PAGE_SIZE = 50
START_PAGE_ITEMS = 10  # the to-do list's soonest items on the start page
FILTER_FIELDS_TEMPLATE = "pages/_caseload_filter_fields.html"


# --- Start page: the caseload, with the day's alerts of consent and referrals -----------------


# Roles that work with no caseload start elsewhere: evaluators on the evaluation page, project
# leaders on their projects (issue 13), the data-protection officer on the register extract (issue 14).
_START_PAGES = {
    Role.EVALUATOR: "evaluation:start",
    Role.PROJECT_LEADER: "leader_start",
    Role.DATA_PROTECTION: "dataprotection:extract",
}


def _starts_elsewhere(user: Any) -> str | None:
    """The start page of a role without a caseload, or None."""
    return _START_PAGES.get(user.role) if user.is_authenticated else None


def home(request: HttpRequest) -> HttpResponse:
    """The root URL: the user's start page (the caseload, or their role's page); log in first."""
    return redirect(_starts_elsewhere(request.user) or "people:caseload")


@domain_page("GET")
def caseload(request: AuthenticatedRequest) -> HttpResponse:
    start = _starts_elsewhere(request.user)
    if start and (request.user.role != Role.PROJECT_LEADER or not request.GET):
        # Login lands here (LOGIN_REDIRECT_URL): send the role on to its own start page. A project
        # leader may still list the unit's participants (read only) by asking with a filter.
        return redirect(start)
    context: dict[str, Any] = {"nav": "caseload"}
    try:
        choices = people_selectors.caseload_project_choices(viewer=request.user)
    except PermissionDenied:
        # No unit (e.g. a pure administrator): no person data to show.
        return render(request, "pages/caseload.html", {**context, "no_unit": True, "mine_only": True})
    if not request.GET:
        # The start page as most visits ask for it: no filters, the form's markup from the cache.
        return _caseload_page(request, context, PersonFilters(mine_only=True), _unbound_filter_fields(choices))
    form = CaseloadFilterForm(request.GET, projects=choices)
    filters = form.filters()
    if "name" in form.errors:
        # Digits in the name filter may be an identity number: take it out of the address at once.
        messages.error(request, " ".join(str(error) for error in form.errors["name"]))
        query = request.GET.copy()
        query.pop("name", None)
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    return _caseload_page(request, {**context, "form": form}, filters, "")


def _unbound_filter_fields(projects: list[tuple[uuid.UUID, str]]) -> str:
    """The filter form's fields, as the page's template writes them for the empty form."""
    return _filter_fields_in(translation.get_language(), tuple(projects))


@functools.lru_cache(maxsize=512)
def _filter_fields_in(language: str | None, projects: tuple[tuple[uuid.UUID, str], ...]) -> str:
    # The empty form's markup depends only on the unit's projects and the language: building
    # and writing the form was 1.5 ms of every visit of the start page.
    form = CaseloadFilterForm(None, projects=projects)
    return render_to_string(FILTER_FIELDS_TEMPLATE, {"form": form})


def _caseload_page(
    request: AuthenticatedRequest, context: dict[str, Any], filters: PersonFilters, filter_fields: str
) -> HttpResponse:
    ctx = access_context(request)
    page = people_selectors.caseload_page(
        viewer=request.user,
        ctx=ctx,
        filters=filters,
        page=page_number(request.GET.get("page")),
        per_page=CASELOAD_PAGE_SIZE,
    )
    return render(
        request,
        "pages/caseload.html",
        {
            **context,
            # The caseload is the coach's start page: the day's alerts come first.
            "expiring_consents": consent_selectors.start_page_items(viewer=request.user, ctx=ctx),
            "referral_counts": referral_selectors.referral_overdue_counts(viewer=request.user),
            "worklist": worklist_selectors.worklist_page(viewer=request.user, ctx=ctx, per_page=START_PAGE_ITEMS),
            "filter_fields": filter_fields,
            "page": page,
            "mine_only": filters.mine_only,
            "filtered": bool(
                filters.query
                or filters.project_id
                or filters.status
                or filters.gender
                or filters.age_min is not None
                or filters.age_max is not None
            ),
            "may_register": people_services.may_register_persons(viewer=request.user),
        },
    )


# --- The project leader's start page (issue 13) ----------------------------------------------


@domain_page("GET")
def leader_start(request: AuthenticatedRequest) -> HttpResponse:
    """Their projects' headline figures against targets, the budget, and what needs attention."""
    require_leader(viewer=request.user)
    cards = leader_cards(scope=scope_for(access_context(request), "projektledning"), today=timezone.localdate())
    return render(request, "pages/leader_start.html", {"nav": "leader", "cards": cards})


# --- Person page: the person's facts, with sections of the casework and register apps --------


@domain_page("GET")
def person_detail(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    view = people_selectors.person_get(viewer=request.user, ctx=ctx, person_id=person_id)
    return render(
        request,
        "pages/person_detail.html",
        {
            "nav": "caseload",
            "view": view,
            "person": view.person,
            "access": view.access,
            "number": full_number(view.person) if view.access.sees_identity_number else "",
            "age": people_selectors.age_on(birth_date=view.person.birth_date, today=dt.date.today()),
            "timeline": people_selectors.person_timeline(view=view),
            "person_referrals": referral_selectors.person_page_referrals(
                ctx=ctx, person=view.person, access=view.access
            ),
        },
    )
