"""Matching pages: the young person's matching profile, one person's suggestions with the coach's
decisions, the overview with the project's weights, the demand and interest view, intakes.

Views parse input with forms, call a selector or service and render. Who may read and write is
decided in vagval.access.checks (through the selectors and services).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vagval.access.scope import Need
from vagval.common.errors import Conflict, InvalidInput
from vagval.common.forms import add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.matching import selectors, services
from vagval.matching.forms import DecisionForm, ProfileForm, add_service_errors


@domain_page("GET", "POST")
def profile_edit(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    if request.method == "POST":
        # Refuse (404/403) before reading the form.
        selectors.matching_person(ctx=ctx, person_id=person_id, need=Need.CHANGE)
    view = selectors.profile_view(ctx=ctx, person_id=person_id, log=request.method == "GET")
    form = ProfileForm(
        request.POST if request.method == "POST" else None, initial=ProfileForm.initial_from(view.profile)
    )
    add_version_field(form, services.profile_version(view.profile))
    if form.is_bound and form.is_valid():
        try:
            services.profile_save(
                ctx=ctx, person_id=person_id, data=form.profile_data(), expected_version=submitted_version(form)
            )
        except Conflict as exc:
            stored = selectors.profile_of(person_id=person_id, unit_id=request.user.unit_id)
            saved = ProfileForm(initial=ProfileForm.initial_from(stored))
            show_conflict(form, saved=saved, version=services.profile_version(stored), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Matchningsprofilen är sparad."))
            return redirect("matching:suggestions", person_id=person_id)
    status = form_status(form) if not form.is_bound or form.is_valid() or getattr(form, "conflict", None) else 400
    return render(
        request,
        "matching/profile.html",
        {"nav": "caseload", "view": view, "person": view.person, "form": form},
        status=status,
    )


@domain_page("GET")
def suggestions(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    view = selectors.suggestions_for_person(ctx=access_context(request), person_id=person_id)
    rows = [(s, selectors.young_person_text(suggestion=s)) for s in view.suggestions]
    return render(
        request,
        "matching/suggestions.html",
        {"nav": "caseload", "view": view, "person": view.person, "rows": rows, "form": DecisionForm()},
    )


def _decision(request: AuthenticatedRequest, person_id: uuid.UUID, *, reject: bool) -> HttpResponse:
    ctx = access_context(request)
    # Refuse (404/403) before reading the form.
    selectors.matching_person(ctx=ctx, person_id=person_id, need=Need.CHANGE)
    form = DecisionForm(request.POST)
    if form.is_valid():
        action = services.suggestion_reject if reject else services.suggestion_propose
        offer_id, reason = form.cleaned_data["offer"], form.cleaned_data["reason"]
        try:
            action(ctx=ctx, person_id=person_id, offer_id=offer_id, reason=reason)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Erbjudandet är avvisat.") if reject else _("Erbjudandet är föreslaget."))
            return redirect("matching:suggestions", person_id=person_id)
    else:
        messages.error(request, _("Välj ett erbjudande."))
    view = selectors.suggestions_for_person(ctx=ctx, person_id=person_id)
    rows = [(s, selectors.young_person_text(suggestion=s)) for s in view.suggestions]
    return render(
        request,
        "matching/suggestions.html",
        {"nav": "caseload", "view": view, "person": view.person, "rows": rows, "form": form},
        status=400,
    )


@domain_page("POST")
def propose(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    return _decision(request, person_id, reject=False)


@domain_page("POST")
def reject(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    return _decision(request, person_id, reject=True)
