"""The project leader's target pages: targets against actuals, and the forms that keep them."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access.scope import scope_for
from vagval.common.errors import Conflict, InvalidInput
from vagval.common.forms import add_service_errors, add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.targets import selectors, services
from vagval.targets.forms import TargetForm
from vagval.targets.models import Target

PURPOSE = "mål"


@domain_page("GET")
def project(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    selectors.require_leader(viewer=request.user)
    found = selectors.led_project(viewer=request.user, project_id=project_id)
    result = selectors.targets_against_actuals(
        scope=scope_for(access_context(request), PURPOSE), project=found, on_date=timezone.localdate()
    )
    context = {"nav": "leader", "project": found, "result": result, "may_write": request.user.can_write}
    return render(request, "targets/project.html", context)


def _status(form: TargetForm) -> int:
    return form_status(form) if getattr(form, "conflict", None) else 400 if form.is_bound else 200


@domain_page("GET", "POST")
def create(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    selectors.require_leader(viewer=request.user)
    found = selectors.led_project(viewer=request.user, project_id=project_id)
    form = TargetForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.target_create(ctx=access_context(request), project=found, data=form.to_data())
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Målet är sparat."))
            return redirect("targets:project", project_id=found.pk)
    return render(request, "targets/form.html", {"nav": "leader", "project": found, "form": form}, status=_status(form))


def _edit_form(data: Any, target: Target) -> TargetForm:
    form = TargetForm(data, initial=TargetForm.initial_of(target))
    return add_version_field(form, selectors.target_version(target=target))


@domain_page("GET", "POST")
def edit(request: AuthenticatedRequest, target_id: uuid.UUID) -> HttpResponse:
    selectors.require_leader(viewer=request.user)
    target = selectors.led_target(viewer=request.user, target_id=target_id)
    form = _edit_form(request.POST if request.method == "POST" else None, target)
    if form.is_bound and form.is_valid():
        try:
            services.target_update(
                ctx=access_context(request),
                target=target,
                data=form.to_data(),
                expected_version=submitted_version(form),
            )
        except Conflict as exc:
            now = selectors.led_target(viewer=request.user, target_id=target_id)
            saved = TargetForm(initial=TargetForm.initial_of(now))
            show_conflict(form, saved=saved, version=selectors.target_version(target=now), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Målet är sparat."))
            return redirect("targets:project", project_id=target.project_id)
    context = {"nav": "leader", "project": target.project, "form": form, "target": target}
    return render(request, "targets/form.html", context, status=_status(form))


@domain_page("POST")
def remove(request: AuthenticatedRequest, target_id: uuid.UUID) -> HttpResponse:
    selectors.require_leader(viewer=request.user)
    target = selectors.led_target(viewer=request.user, target_id=target_id)
    try:
        services.target_remove(
            ctx=access_context(request), target=target, expected_version=request.POST.get("version") or ""
        )
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Målet är borttaget."))
    return redirect("targets:project", project_id=target.project_id)
