"""Admission pages: the rounds of an offer, a round's board, a new application, the next step."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from vagval.catalogue import admission_selectors as selectors
from vagval.catalogue import admission_services as services
from vagval.catalogue.admission_forms import ApplicationForm, RoundForm, StepForm
from vagval.catalogue.models import AdmissionStep, Offer
from vagval.catalogue.offer_selectors import may_maintain
from vagval.common.errors import Conflict, InvalidInput, PermissionDenied
from vagval.common.forms import add_service_errors, add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.versions import version_of
from vagval.common.views import domain_page

NAV = "admission"


def _require_manager(request: AuthenticatedRequest, offer: Offer) -> None:
    if not may_maintain(request.user, offer.owner_id):
        raise PermissionDenied(_("Du får inte hantera antagningen till den här utbildningen."))


def _page(request: AuthenticatedRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context.get("form")
    status = 200
    if form is not None and form.is_bound:
        status = form_status(form) if getattr(form, "conflict", None) else 400
    return render(request, template, {"nav": NAV, **context}, status=status)


@domain_page("GET")
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    return _page(request, "catalogue/admission_round_list.html", {"rounds": selectors.rounds()})


@domain_page("GET", "POST")
def round_create(request: AuthenticatedRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = get_object_or_404(Offer.objects.select_related("provider"), pk=offer_id)
    _require_manager(request, offer)
    form = RoundForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            created = services.round_create(ctx=access_context(request), offer=offer, data=form.round_data())
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Antagningsomgången är skapad."))
            return redirect("catalogue:admission_board", round_id=created.pk)
    return _page(request, "catalogue/admission_round_form.html", {"form": form, "offer": offer})


@domain_page("GET", "POST")
def round_edit(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    admission_round = selectors.round_get(round_id=round_id)
    _require_manager(request, admission_round.offer)
    initial = {
        "name": admission_round.name,
        "starts_on": admission_round.starts_on,
        "places": admission_round.places,
        "applications_close_on": admission_round.applications_close_on,
    }
    form = add_version_field(
        RoundForm(request.POST if request.method == "POST" else None, initial=initial), version_of(admission_round)
    )
    if form.is_bound and form.is_valid():
        try:
            services.round_update(
                ctx=access_context(request),
                admission_round=admission_round,
                data=form.round_data(),
                expected_version=submitted_version(form),
            )
        except Conflict as exc:
            saved = selectors.round_get(round_id=round_id)
            saved_form = RoundForm(
                initial={
                    "name": saved.name,
                    "starts_on": saved.starts_on,
                    "places": saved.places,
                    "applications_close_on": saved.applications_close_on,
                }
            )
            show_conflict(form, saved=saved_form, version=version_of(saved), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Omgången är sparad."))
            return redirect("catalogue:admission_board", round_id=round_id)
    return _page(
        request,
        "catalogue/admission_round_form.html",
        {"form": form, "offer": admission_round.offer, "admission_round": admission_round},
    )


@domain_page("GET")
def board(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    view = selectors.round_board(viewer=request.user, round_id=round_id)
    return _page(request, "catalogue/admission_board.html", {"board": view, "admission_round": view.admission_round})


@domain_page("GET", "POST")
def application_create(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    admission_round = selectors.round_get(round_id=round_id)
    if not selectors.may_record_applications(user=request.user):
        raise PermissionDenied(_("Du får inte registrera ansökningar."))
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        enrolments=selectors.enrolments_for_application(viewer=request.user),
    )
    if form.is_bound and form.is_valid():
        try:
            services.application_create(
                ctx=access_context(request),
                admission_round=admission_round,
                enrolment_id=form.cleaned_data["enrolment"],
                source=form.cleaned_data["source"],
                applied_on=form.cleaned_data["applied_on"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ansökan är registrerad."))
            return redirect("catalogue:admission_board", round_id=round_id)
    return _page(
        request, "catalogue/admission_application_form.html", {"form": form, "admission_round": admission_round}
    )


@domain_page("GET", "POST")
def application_step(request: AuthenticatedRequest, application_id: uuid.UUID) -> HttpResponse:
    application = selectors.application_for_step(viewer=request.user, application_id=application_id)
    if request.method == "POST" and not request.user.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    steps = list(AdmissionStep.values)
    index = steps.index(application.step)
    next_step = steps[index + 1] if index + 1 < len(steps) else None
    form = None
    if next_step is not None and request.user.can_write:
        form = add_version_field(
            StepForm(request.POST if request.method == "POST" else None, step=next_step), version_of(application)
        )
        if form.is_bound and form.is_valid():
            try:
                services.application_advance(
                    ctx=access_context(request),
                    application_id=application.pk,
                    data=form.step_data(),
                    expected_version=submitted_version(form),
                )
            except Conflict as exc:
                form.add_error(None, exc.message)
                form.conflict = []  # type: ignore[attr-defined]
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Steget är sparat."))
                return redirect("catalogue:admission_board", round_id=application.round_id)
    return _page(
        request,
        "catalogue/admission_application_step.html",
        {
            "form": form,
            "application": application,
            "person": application.person,
            "next_step_label": AdmissionStep(next_step).label if next_step else "",
        },
    )
