"""Plan pages: thin views that call a selector or a service and pick a template."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from vagval.common.forms import (
    ConflictRow,
    add_version_field,
    conflict_rows,
    form_status,
    show_conflict,
    submitted_version,
)
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.plans import selectors, services
from vagval.plans.forms import (
    GoalFormSet,
    ParticipantFormSet,
    PlanContinueForm,
    PlanCreateForm,
    PlanHeaderForm,
    StepEndForm,
    StepForm,
    add_service_errors,
    plan_data,
)

T = TypeVar("T")


def _call(fn: Callable[..., T], **kwargs: Any) -> T:
    """Call a selector or service and translate domain errors into HTTP answers (404/403)."""
    try:
        return fn(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise HttpPermissionDenied(exc.message) from exc


def _save(form: forms.Form, fn: Callable[..., T], **kwargs: Any) -> T | None:
    """Call a service; on InvalidInput put its messages on the form and return None."""
    try:
        return _call(fn, **kwargs)
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return None


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"plans/{template}", {"nav": "caseload", **context}, status=status)


# --- A person's plans ----------------------------------------------------------------------


@login_required
@require_GET
def person_plans(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    overview = _call(selectors.person_plans, viewer=request.user, ctx=access_context(request), person_id=person_id)
    form = PlanCreateForm(projects=overview.creatable_projects) if overview.may_create else None
    return _render(request, "person_plans.html", {"overview": overview, "form": form})


@login_required
@require_POST
def plan_create(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    overview = _call(selectors.person_plans, viewer=request.user, ctx=ctx, person_id=person_id)
    if not overview.may_create:
        raise HttpPermissionDenied(_("Du kan inte upprätta en plan för personen."))
    form = PlanCreateForm(request.POST, projects=overview.creatable_projects)
    if form.is_valid():
        plan = _save(
            form, services.plan_create, ctx=ctx, person_id=person_id, project_id=form.cleaned_data["project"].pk
        )
        if plan is not None:
            messages.success(request, _("Planen har skapats. Skriv in den ungas mål."))
            return redirect("plans:plan_edit", plan_id=plan.pk)
    return _render(request, "person_plans.html", {"overview": overview, "form": form}, status=400)


# --- The plan ------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    view = _call(selectors.plan_get, viewer=request.user, ctx=access_context(request), plan_id=plan_id)
    return _render(request, "detail.html", {"view": view, "state": view.state})


def _plan_forms(
    request: HttpRequest, view: selectors.PlanView, *, saved: bool = False
) -> tuple[PlanHeaderForm, Any, Any]:
    """The plan page's three forms: bound to the POST, or (`saved`, or a GET) filled in from the plan."""
    if request.method == "POST" and not saved:
        return (
            add_version_field(PlanHeaderForm(request.POST), services.plan_version(plan=view.plan)),
            GoalFormSet(request.POST, prefix="mal"),
            ParticipantFormSet(request.POST, prefix="deltagare"),
        )
    plan = view.plan
    header = PlanHeaderForm(
        initial={
            "overall_responsibility": plan.overall_responsibility_id,
            "is_sip": plan.is_sip,
            "meeting_on": plan.meeting_on,
            "next_meeting_on": plan.next_meeting_on,
        }
    )
    goals = GoalFormSet(
        prefix="mal", initial=[{"text": g.text, "achieved_on": g.achieved_on} for g in view.state.goals]
    )
    participants = ParticipantFormSet(
        prefix="deltagare",
        initial=[{"name": p.name, "role": p.role, "unit": p.unit_id} for p in view.state.participants],
    )
    return add_version_field(header, services.plan_version(plan=plan)), goals, participants


def _formset_rows(mine: Any, saved: Any, label: str) -> list[ConflictRow]:
    """Conflict rows of a formset's rows, paired by position (an empty row on both sides is left out)."""
    rows: list[ConflictRow] = []
    for index in range(max(len(mine.forms), len(saved.forms))):
        pair = [fs.forms[index] if index < len(fs.forms) else fs.empty_form for fs in (mine, saved)]
        row_label = f"{label} {index + 1}: "
        rows += [r for r in conflict_rows(pair[0], pair[1], label_prefix=row_label) if r.mine != "–" or r.saved != "–"]
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    view = _call(selectors.plan_get_for_change, viewer=request.user, plan_id=plan_id)
    header, goals, participants = _plan_forms(request, view)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and header.is_valid() and goals.is_valid() and participants.is_valid():
        try:
            saved = _save(
                header,
                services.plan_update,
                ctx=access_context(request),
                plan=view.plan,
                data=plan_data(header, goals, participants),
                expected_version=submitted_version(header),
            )
        except Conflict as exc:
            view = _call(selectors.plan_get_for_change, viewer=request.user, plan_id=plan_id)
            now, now_goals, now_participants = _plan_forms(request, view, saved=True)
            show_conflict(
                header,
                saved=now,
                version=services.plan_version(plan=view.plan),
                error=exc,
                more_rows=_formset_rows(goals, now_goals, str(_("Mål")))
                + _formset_rows(participants, now_participants, str(_("Deltagare"))),
            )
            status = form_status(header)
        else:
            if saved is not None:
                messages.success(request, _("Planen har sparats."))
                return redirect("plans:detail", plan_id=saved.pk)
    selectors.plan_view_record(ctx=access_context(request), view=view, page="edit")
    return _render(
        request,
        "plan_form.html",
        {"view": view, "header": header, "goals": goals, "participants": participants},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_continue(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    view = _call(selectors.plan_get_for_change, viewer=request.user, plan_id=plan_id)
    projects = selectors.continuation_projects(view=view)
    form = PlanContinueForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        new = _save(
            form,
            services.plan_continue_in_project,
            ctx=access_context(request),
            plan=view.plan,
            project=form.cleaned_data["project"],
        )
        if new is not None:
            messages.success(request, _("Planen fortsätter i det nya projektet."))
            return redirect("plans:detail", plan_id=new.pk)
    selectors.plan_view_record(ctx=access_context(request), view=view, page="continue")
    return _render(
        request,
        "plan_continue.html",
        {"view": view, "form": form, "projects": projects},
        status=400 if request.method == "POST" else 200,
    )


# --- Steps ---------------------------------------------------------------------------------


def _partner_unit(view: selectors.PlanView) -> uuid.UUID | None:
    return None if view.access.can_write else view.access.step_unit_id


@login_required
@require_http_methods(["GET", "POST"])
def step_add(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    view = _call(selectors.plan_get_for_new_step, viewer=request.user, plan_id=plan_id)
    form = StepForm(
        request.POST or None, partner_unit_id=_partner_unit(view), initial={"starts_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        step = _save(form, services.plan_step_add, ctx=access_context(request), plan=view.plan, data=form.to_data())
        if step is not None:
            messages.success(request, _("Steget har lagts till."))
            return redirect("plans:detail", plan_id=view.plan.pk)
    selectors.plan_view_record(ctx=access_context(request), view=view, page="step_add")
    return _render(
        request, "step_form.html", {"view": view, "form": form, "step": None}, status=400 if form.errors else 200
    )


def _step_form(request: HttpRequest, view: selectors.PlanView, step: Any, *, saved: bool = False) -> StepForm:
    form = StepForm(
        request.POST if request.method == "POST" and not saved else None,
        partner_unit_id=_partner_unit(view),
        with_end=step.ends_on is not None,
        initial=StepForm.initial_for(step),
    )
    return add_version_field(form, services.step_version(step=step))


def _show_step_conflict(
    request: AuthenticatedRequest, form: forms.Form, exc: Conflict, *, plan_id: uuid.UUID, step_id: uuid.UUID
) -> None:
    view, step = _call(selectors.step_get_for_change, viewer=request.user, plan_id=plan_id, step_id=step_id)
    saved = _step_form(request, view, step, saved=True)
    show_conflict(form, saved=saved, version=services.step_version(step=step), error=exc)


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: AuthenticatedRequest, plan_id: uuid.UUID, step_id: uuid.UUID) -> HttpResponse:
    view, step = _call(selectors.step_get_for_change, viewer=request.user, plan_id=plan_id, step_id=step_id)
    form = _step_form(request, view, step)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(
                form,
                services.plan_step_update,
                ctx=access_context(request),
                step=step,
                data=form.to_data(),
                expected_version=submitted_version(form),
            )
        except Conflict as exc:
            _show_step_conflict(request, form, exc, plan_id=plan_id, step_id=step_id)
        else:
            if saved is not None:
                messages.success(request, _("Steget har sparats."))
                return redirect("plans:detail", plan_id=view.plan.pk)
    selectors.plan_view_record(ctx=access_context(request), view=view, page="step_edit", step=str(step.pk))
    status = form_status(form) if getattr(form, "conflict", None) else 400 if form.errors else 200
    return _render(request, "step_form.html", {"view": view, "form": form, "step": step}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def step_end(request: AuthenticatedRequest, plan_id: uuid.UUID, step_id: uuid.UUID) -> HttpResponse:
    view, step = _call(selectors.step_get_for_change, viewer=request.user, plan_id=plan_id, step_id=step_id)
    if step.ends_on is not None:
        messages.info(request, _("Steget är redan avslutat."))
        return redirect("plans:detail", plan_id=view.plan.pk)
    form = add_version_field(StepEndForm(request.POST or None), services.step_version(step=step))
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(
                form,
                services.plan_step_end,
                ctx=access_context(request),
                step=step,
                ends_on=form.cleaned_data["ends_on"],
                end_reason=form.cleaned_data["end_reason"],
                end_note=form.cleaned_data["end_note"],
                expected_version=submitted_version(form),
            )
        except Conflict as exc:
            # The page shows the step as it is saved now above the form; the rows compare the end.
            view, step = _call(selectors.step_get_for_change, viewer=request.user, plan_id=plan_id, step_id=step_id)
            saved_end = StepEndForm(initial=StepForm.initial_for(step))
            show_conflict(form, saved=saved_end, version=services.step_version(step=step), error=exc)
        else:
            if saved is not None:
                messages.success(request, _("Steget har avslutats."))
                return redirect("plans:detail", plan_id=view.plan.pk)
    selectors.plan_view_record(ctx=access_context(request), view=view, page="step_end", step=str(step.pk))
    status = form_status(form) if getattr(form, "conflict", None) else 400 if form.errors else 200
    return _render(request, "step_end.html", {"view": view, "form": form, "step": step}, status=status)


# --- History and print ---------------------------------------------------------------------


@login_required
@require_GET
def versions(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    view, rows = _call(selectors.plan_versions, viewer=request.user, ctx=access_context(request), plan_id=plan_id)
    return _render(request, "versions.html", {"view": view, "rows": rows})


@login_required
@require_GET
def version_detail(request: AuthenticatedRequest, plan_id: uuid.UUID, number: int) -> HttpResponse:
    version = _call(
        selectors.plan_version_get, viewer=request.user, ctx=access_context(request), plan_id=plan_id, number=number
    )
    return _render(
        request, "version_detail.html", {"version": version, "view": version.plan_view, "state": version.state}
    )


@login_required
@require_GET
def pdf(request: AuthenticatedRequest, plan_id: uuid.UUID) -> HttpResponse:
    printed = _call(selectors.plan_print, viewer=request.user, ctx=access_context(request), plan_id=plan_id)
    response = HttpResponse(printed.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
