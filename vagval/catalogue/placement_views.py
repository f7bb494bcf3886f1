"""Placement pages: a new placement for a person, one placement with its history and actions,
an offer's placements and waiting list, group sessions and their attendance register.

Views parse input with forms, call a selector or service and render. Who may see a placement
is decided by catalogue.placement_selectors through vagval.access.checks.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vagval.catalogue import group_activities, placement_assessments, placement_selectors, placement_services
from vagval.catalogue.models import GroupSession, Offer, OfferKind, Placement
from vagval.catalogue.placement_forms import (
    AssessmentScheduleForm,
    AssessmentSendForm,
    AttendanceForm,
    PlacementCreateForm,
    PlacementStatusForm,
    SessionForm,
)
from vagval.common.errors import Conflict, InvalidInput, PermissionDenied
from vagval.common.forms import add_service_errors
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.people.models import Enrolment


@domain_page("GET", "POST")
def placement_create(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    view = placement_selectors.placement_new_get(ctx=ctx, person_id=person_id)
    initial = {"offer": request.GET.get("erbjudande", "")}
    form = PlacementCreateForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        offers=view.offers,
        enrolments=view.enrolments,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        enrolment = Enrolment.objects.filter(pk=data["enrolment"], person=view.person).first()
        offer = Offer.objects.filter(pk=data["offer"]).first()
        if enrolment is None or offer is None:  # the choices already refuse this; kept for safety
            form.add_error(None, _("Välj erbjudande och deltagande igen."))
        else:
            try:
                placement = placement_services.placement_create(
                    ctx=ctx,
                    enrolment=enrolment,
                    offer=offer,
                    status=data["status"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    hours_per_week=data["hours_per_week"],
                    reason=data["reason"],
                )
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Placeringen är sparad."))
                return redirect("catalogue:placement_detail", placement_id=placement.pk)
    return render(
        request,
        "catalogue/placement_create.html",
        {"nav": "caseload", "view": view, "form": form},
        status=400 if form.is_bound else 200,
    )


def _detail_context(request: AuthenticatedRequest, placement_id: uuid.UUID) -> dict[str, object]:
    view = placement_selectors.placement_get(ctx=access_context(request), placement_id=placement_id)
    placement = view.placement
    return {
        "nav": "caseload",
        "view": view,
        "placement": placement,
        "status_form": PlacementStatusForm(
            current=placement.status, initial={"version": placement_services.placement_version(placement=placement)}
        ),
        "schedule_form": AssessmentScheduleForm(
            initial={
                "interval_weeks": placement.assessment_interval_weeks,
                "next_due_on": placement.assessment_next_due_on,
            }
        ),
        "send_form": AssessmentSendForm(),
    }


def _changeable(request: AuthenticatedRequest, placement_id: uuid.UUID) -> Placement:
    """The placement, if the viewer may change it (before any form is read): 404 or 403 otherwise."""
    placement, access = placement_selectors.placement_for_change(viewer=request.user, placement_id=placement_id)
    if not access.is_own:
        raise PermissionDenied(placement_services.ONLY_OWN)
    if not access.can_write:
        raise PermissionDenied(placement_services.READ_ONLY)
    return placement


@domain_page("GET")
def placement_detail(request: AuthenticatedRequest, placement_id: uuid.UUID) -> HttpResponse:
    return render(request, "catalogue/placement_detail.html", _detail_context(request, placement_id))


def _detail_again(
    request: AuthenticatedRequest, placement_id: uuid.UUID, status: int = 400, **extra: Any
) -> HttpResponse:
    """The placement page again, with a form's errors (400) or what a form made (200)."""
    context = _detail_context(request, placement_id)
    context.update(extra)
    return render(request, "catalogue/placement_detail.html", context, status=status)


@domain_page("POST")
def placement_status(request: AuthenticatedRequest, placement_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    placement = _changeable(request, placement_id)
    form = PlacementStatusForm(request.POST, current=placement.status)
    if form.is_valid():
        data = form.cleaned_data
        try:
            placement_services.placement_change_status(
                ctx=ctx,
                placement=placement,
                status=data["status"],
                on=data["on"],
                reason=data["reason"],
                end_reason=data["end_reason"],
                expected_version=data["version"],
            )
        except Conflict as exc:
            form.add_error(None, exc.message)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Placeringens status är ändrad."))
            return redirect("catalogue:placement_detail", placement_id=placement.pk)
    return _detail_again(request, placement_id, status_form=form)


@domain_page("POST")
def placement_assessment_schedule(request: AuthenticatedRequest, placement_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    placement = _changeable(request, placement_id)
    form = AssessmentScheduleForm(request.POST)
    if form.is_valid():
        try:
            placement_assessments.placement_assessment_schedule(
                ctx=ctx,
                placement=placement,
                interval_weeks=form.cleaned_data["interval_weeks"],
                next_due_on=form.cleaned_data["next_due_on"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Schemat för arbetsplatsbedömningar är sparat."))
            return redirect("catalogue:placement_detail", placement_id=placement.pk)
    return _detail_again(request, placement_id, schedule_form=form)


@domain_page("POST")
def placement_assessment_send(request: AuthenticatedRequest, placement_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    placement = _changeable(request, placement_id)
    form = AssessmentSendForm(request.POST)
    if form.is_valid():
        try:
            created = placement_assessments.placement_assessment_send(
                ctx=ctx,
                placement=placement,
                send_via=form.cleaned_data["send_via"],
                send_to=form.cleaned_data["send_to"],
                url_for=lambda token: request.build_absolute_uri(reverse("assessments:link_form", args=[token])),
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            if created.sent:
                messages.success(request, _("Länken till arbetsplatsbedömningen är skickad till handledaren."))
                return redirect("catalogue:placement_detail", placement_id=placement.pk)
            # The address is shown once, on this answer, and never stored (only its hash is).
            return _detail_again(request, placement_id, status=200, created_url=created.url)
    return _detail_again(request, placement_id, send_form=form)


@domain_page("GET", "POST")
def placement_offer_list(request: AuthenticatedRequest, offer_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    offer = get_object_or_404(Offer.objects.select_related("provider", "owner"), pk=offer_id)
    may_manage = group_activities.may_manage_sessions(ctx=ctx, offer=offer) and offer.kind == OfferKind.GROUP_ACTIVITY
    if request.method == "POST" and not may_manage:
        raise PermissionDenied(_("Bara den som förvaltar gruppaktiviteten kan lägga till träffar."))
    form = SessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            group_activities.group_session_create(ctx=ctx, offer=offer, **form.cleaned_data)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Träffen är tillagd."))
            return redirect("catalogue:placement_offer_list", offer_id=offer.pk)
    view = placement_selectors.offer_placements(ctx=ctx, offer=offer)
    return render(
        request,
        "catalogue/placement_offer_list.html",
        {"nav": "catalogue", "view": view, "offer": offer, "session_form": form, "may_manage": may_manage},
        status=400 if form.is_bound and form.errors else 200,
    )


@domain_page("GET", "POST")
def placement_attendance(request: AuthenticatedRequest, session_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    session = get_object_or_404(GroupSession.objects.select_related("offer"), pk=session_id)
    placements = group_activities.attendance_placements(ctx=ctx, session=session)
    marks = {
        a.placement_id: a.attended
        for a in session.attendances.filter(placement__in=placements)  # type: ignore[misc]
    }
    participants = [(str(p.pk), p.person.full_name, marks.get(p.pk, False)) for p in placements]
    if request.method == "POST" and not (placements and request.user.can_write):
        raise PermissionDenied(_("Du kan inte föra närvaro för den här träffen."))
    form = AttendanceForm(request.POST if request.method == "POST" else None, participants=participants)
    if form.is_bound and form.is_valid():
        try:
            group_activities.attendance_record(
                ctx=ctx,
                session=session,
                attended={p.pk: bool(form.cleaned_data.get(f"p_{p.pk}")) for p in placements},
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Närvaron är sparad."))
            return redirect("catalogue:placement_attendance", session_id=session.pk)
    return render(
        request,
        "catalogue/placement_attendance.html",
        {"nav": "catalogue", "session": session, "form": form, "may_write": request.user.can_write},
        status=400 if form.is_bound else 200,
    )
