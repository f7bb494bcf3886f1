"""Matching pages: the young person's matching profile, one person's suggestions with the coach's
decisions, the overview with the project's weights, the demand and interest view, intakes.

Views parse input with forms, call a selector or service and render. Who may read and write is
decided in vagval.access.checks (through the selectors and services).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vagval.access.scope import Need
from vagval.catalogue.offer_selectors import offer_get, require_maintain
from vagval.common.errors import Conflict, InvalidInput
from vagval.common.forms import add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context, download_response
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.matching import exports, intake_selectors, intake_services, reports, selectors, services
from vagval.matching.forms import (
    DecisionForm,
    IntakeForm,
    OfferPreferenceForm,
    PairChangeForm,
    ProfileForm,
    WeightsForm,
    add_service_errors,
)
from vagval.matching.models import MatchingWeights
from vagval.matching.weights import weights_for_project
from vagval.organisations.models import Project


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
        decide = services.suggestion_reject if reject else services.suggestion_propose
        offer_id, reason = form.cleaned_data["offer"], form.cleaned_data["reason"]
        try:
            decide(ctx=ctx, person_id=person_id, offer_id=offer_id, reason=reason)
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


# --- Overview, weights, demand and interest ----------------------------------------------------


@domain_page("GET")
def overview(request: AuthenticatedRequest) -> HttpResponse:
    reports.require_matching_overview(request.user)
    shares = reports.override_shares(viewer=request.user)
    return render(
        request,
        "matching/overview.html",
        {
            "nav": "matching",
            "shares": shares,
            "intakes": intake_selectors.intakes_for_unit(viewer=request.user),
        },
    )


def _versioned_form_page(
    request: AuthenticatedRequest,
    *,
    make_form: Callable[[Any], forms.Form],
    version: Callable[[], str],
    save: Callable[[forms.Form, str | None], object],
    saved_message: str,
    done: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A page with one form carrying an edit version: `make_form(data)` (its initial values read
    fresh), `version()` of what is stored now, `save(form, expected_version)`. A stale save shows
    both versions (409), field errors 400; a saved form goes to `done`."""
    form = make_form(request.POST if request.method == "POST" else None)
    add_version_field(form, version())
    if form.is_bound and form.is_valid():
        try:
            save(form, submitted_version(form))
        except Conflict as exc:
            show_conflict(form, saved=make_form(None), version=version(), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, saved_message)
            return redirect(done)
    status = form_status(form) if not form.is_bound or form.is_valid() or getattr(form, "conflict", None) else 400
    return render(request, template, {**context, "form": form}, status=status)


@domain_page("GET", "POST")
def weights_edit(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise Http404
    if not services.may_edit_weights(user=request.user, project=project):
        raise HttpPermissionDenied
    return _versioned_form_page(
        request,
        make_form=lambda data: WeightsForm(data, initial=weights_for_project(project.pk)),
        version=lambda: services.weights_version(MatchingWeights.objects.filter(project=project).first()),
        save=lambda form, expected: services.weights_update(
            ctx=access_context(request),
            project=project,
            values=form.values(),  # type: ignore[attr-defined]
            expected_version=expected,
        ),
        saved_message=_("Vikterna är sparade."),
        done=reverse("matching:overview"),
        template="matching/weights.html",
        context={"nav": "matching", "project": project},
    )


@domain_page("GET", "POST")
def offer_preference(request: AuthenticatedRequest, offer_id: uuid.UUID) -> HttpResponse:
    """The provider's preferences for an offer, recorded by whoever maintains the offer."""
    offer = offer_get(viewer=request.user, offer_id=offer_id)
    require_maintain(request.user, offer.owner_id)

    def make_form(data: Any) -> forms.Form:
        stored = selectors.offer_preference_of(offer=offer)
        return OfferPreferenceForm(data, initial={"prefers_local": stored.prefers_local if stored else False})

    return _versioned_form_page(
        request,
        make_form=make_form,
        version=lambda: services.offer_preference_version(selectors.offer_preference_of(offer=offer)),
        save=lambda form, expected: services.offer_preference_save(
            ctx=access_context(request),
            offer=offer,
            prefers_local=form.cleaned_data["prefers_local"],
            expected_version=expected,
        ),
        saved_message=_("Anordnarens önskemål är sparade."),
        done=reverse("catalogue:offer_detail", args=[offer.pk]),
        template="matching/offer_preference.html",
        context={"nav": "catalogue", "offer": offer},
    )


@domain_page("GET")
def demand(request: AuthenticatedRequest) -> HttpResponse:
    reports.require_demand_view(request.user)
    return render(
        request,
        "matching/demand.html",
        {
            "nav": "matching",
            "header": reports.demand_header(),
            "rows": reports.demand_and_interest(viewer=request.user),
            "counted": reports.count_scope(request.user).label,
        },
    )


@domain_page("GET")
def demand_export(request: AuthenticatedRequest) -> HttpResponse:
    kind = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    content, filename = exports.demand_file(viewer=request.user, kind=kind)
    return download_response(content, filename, kind)


# --- Intakes ------------------------------------------------------------------------------------


@domain_page("GET", "POST")
def intake_create(request: AuthenticatedRequest) -> HttpResponse:
    intake_selectors.require_intake_writer(request.user)
    ctx = access_context(request)
    persons = intake_selectors.candidate_persons(ctx=ctx)
    offers = intake_selectors.candidate_offers()
    form = IntakeForm(
        request.POST if request.method == "POST" else None,
        persons=[(str(s.person.pk), s.person.full_name) for s in persons],
        offers=[(str(o.pk), f"{o.title} – {o.provider} ({o.free_places})") for o in offers],  # type: ignore[attr-defined]
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            intake = intake_services.intake_create(
                ctx=ctx,
                name=data["name"],
                person_ids=[uuid.UUID(v) for v in data["persons"]],
                offer_ids=[uuid.UUID(v) for v in data["offers"]],
                place_most_first=data["place_most_first"],
                max_gender_gap=data["max_gender_gap"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            return redirect("matching:intake", intake_id=intake.pk)
    return render(
        request,
        "matching/intake_create.html",
        {"nav": "matching", "form": form},
        status=400 if form.is_bound else 200,
    )


@domain_page("GET")
def intake_detail(request: AuthenticatedRequest, intake_id: uuid.UUID) -> HttpResponse:
    view = intake_selectors.intake_view(ctx=access_context(request), intake_id=intake_id)
    return render(request, "matching/intake.html", {"nav": "matching", "view": view, "intake": view.intake})


def _intake_step(request: AuthenticatedRequest, intake_id: uuid.UUID, step: str) -> HttpResponse:
    ctx = access_context(request)
    intake_selectors.require_intake_writer(request.user)
    intake_selectors.intake_get(viewer=request.user, intake_id=intake_id)  # 404 before reading the form
    try:
        if step == "solve":
            intake_services.intake_solve(ctx=ctx, intake_id=intake_id)
            messages.success(request, _("Intaget är löst."))
        elif step == "confirm":
            n = intake_services.intake_confirm(ctx=ctx, intake_id=intake_id)
            messages.success(request, _("Intaget är bekräftat: %(n)s placeringar är erbjudna.") % {"n": n})
        else:
            form = PairChangeForm(request.POST)
            if not form.is_valid():
                raise InvalidInput(_("Skriv en motivering och välj ett erbjudande eller inget."))
            intake_services.intake_pair_change(
                ctx=ctx,
                intake_id=intake_id,
                person_id=form.cleaned_data["person"],
                offer_id=form.cleaned_data["offer"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Paret är ändrat."))
    except InvalidInput as exc:
        messages.error(request, exc.message)
        view = intake_selectors.intake_view(ctx=ctx, intake_id=intake_id)
        return render(
            request, "matching/intake.html", {"nav": "matching", "view": view, "intake": view.intake}, status=400
        )
    return redirect("matching:intake", intake_id=intake_id)


@domain_page("POST")
def intake_solve(request: AuthenticatedRequest, intake_id: uuid.UUID) -> HttpResponse:
    return _intake_step(request, intake_id, "solve")


@domain_page("POST")
def intake_pair(request: AuthenticatedRequest, intake_id: uuid.UUID) -> HttpResponse:
    return _intake_step(request, intake_id, "pair")


@domain_page("POST")
def intake_confirm(request: AuthenticatedRequest, intake_id: uuid.UUID) -> HttpResponse:
    return _intake_step(request, intake_id, "confirm")


@domain_page("POST")
def rank(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    """Add an offer to (or take it out of) the young person's own ranking."""
    ctx = access_context(request)
    selectors.matching_person(ctx=ctx, person_id=person_id, need=Need.CHANGE)  # 404/403 before the form
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj ett erbjudande."))
        return redirect("matching:suggestions", person_id=person_id)
    add = request.POST.get("remove") is None
    try:
        services.profile_rank(ctx=ctx, person_id=person_id, offer_id=form.cleaned_data["offer"], add=add)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Den ungas rangordning är sparad."))
    return redirect((request.POST.get("next") == "profil" and "matching:profile") or "matching:suggestions", person_id)
