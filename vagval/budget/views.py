"""The project leader's budget pages: the summary, the budget, a month's costs, and imports."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access.scope import scope_for
from vagval.budget import importing, selectors, services
from vagval.budget.forms import AmountsForm, ImportForm, MonthForm, PeriodForm
from vagval.common.errors import Conflict, InvalidInput
from vagval.common.forms import add_service_errors, add_version_field, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.organisations.models import Project
from vagval.targets.selectors import led_project, require_leader

PURPOSE = "budget"
PENDING = "budget_import_pending"  # the session key of a file waiting for the leader's confirmation


def _project(request: AuthenticatedRequest, project_id: uuid.UUID) -> Project:
    require_leader(viewer=request.user)
    return led_project(viewer=request.user, project_id=project_id)


def _status(form: Any) -> int:
    return 409 if getattr(form, "conflict", None) else 400 if form.is_bound else 200


@domain_page("GET")
def project(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    found = _project(request, project_id)
    today = timezone.localdate()
    default = {"start": found.starts_on, "end": min(today, found.ends_on) if found.ends_on else today}
    form = PeriodForm(request.GET if "start" in request.GET else None, initial=default)
    period = form.cleaned_data if form.is_bound and form.is_valid() else default
    summary = None
    if not form.is_bound or form.is_valid():
        summary = selectors.cost_summary(
            scope=scope_for(access_context(request), PURPOSE), project=found, start=period["start"], end=period["end"]
        )
    context = {
        "nav": "leader",
        "project": found,
        "form": form,
        "summary": summary,
        "imports": selectors.imports(project=found)[:10],
        "undoable": selectors.undoable_import(project=found),
        "may_write": request.user.can_write,
    }
    return render(request, "budget/project.html", context, status=400 if form.is_bound and form.errors else 200)


def _amounts_form(data: Any, amounts: dict[str, Any], version: str) -> AmountsForm:
    return add_version_field(AmountsForm(data, initial=amounts), version)


@domain_page("GET", "POST")
def lines(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    found = _project(request, project_id)
    version = selectors.budget_version(project=found)
    form = _amounts_form(
        request.POST if request.method == "POST" else None, selectors.budget_amounts(project=found), version
    )
    if form.is_bound and form.is_valid():
        try:
            services.budget_save(
                ctx=access_context(request),
                project=found,
                amounts=form.amounts(),
                expected_version=submitted_version(form),
            )
        except Conflict as exc:
            saved = AmountsForm(initial=selectors.budget_amounts(project=found))
            show_conflict(form, saved=saved, version=selectors.budget_version(project=found), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Budgeten är sparad."))
            return redirect("budget:project", project_id=found.pk)
    context = {"nav": "leader", "project": found, "form": form}
    return render(request, "budget/lines.html", context, status=_status(form))


@domain_page("GET", "POST")
def month(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    found = _project(request, project_id)
    chooser = MonthForm(request.GET if "manad" in request.GET else None)
    if not (chooser.is_bound and chooser.is_valid()):
        context = {"nav": "leader", "project": found, "chooser": chooser}
        return render(request, "budget/month_choose.html", context, status=400 if chooser.is_bound else 200)
    chosen: dt.date = chooser.cleaned_data["manad"]
    version = selectors.month_version(project=found, month=chosen)
    form = _amounts_form(
        request.POST if request.method == "POST" else None,
        selectors.month_amounts(project=found, month=chosen),
        version,
    )
    if form.is_bound and form.is_valid():
        try:
            services.cost_month_save(
                ctx=access_context(request),
                project=found,
                month=chosen,
                amounts=form.amounts(),
                expected_version=submitted_version(form),
            )
        except Conflict as exc:
            saved = AmountsForm(initial=selectors.month_amounts(project=found, month=chosen))
            show_conflict(form, saved=saved, version=selectors.month_version(project=found, month=chosen), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kostnaderna för månaden är sparade."))
            return redirect("budget:project", project_id=found.pk)
    context = {"nav": "leader", "project": found, "form": form, "month": chosen}
    return render(request, "budget/month.html", context, status=_status(form))


def _pending(request: AuthenticatedRequest, project: Project) -> dict[str, str] | None:
    pending = request.session.get(PENDING)
    return pending if pending and pending.get("project") == str(project.pk) else None


@domain_page("GET", "POST")
def import_costs(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    found = _project(request, project_id)
    context: dict[str, Any] = {"nav": "leader", "project": found}
    form = ImportForm()
    status = 200
    if request.method == "POST":
        pending = _pending(request, found) if request.POST.get("confirm") else None
        if pending is not None:
            file_name, text, confirmed = pending["file_name"], pending["text"], True
        else:
            form = ImportForm(request.POST, request.FILES)
            if not form.is_valid():
                return render(request, "budget/import.html", {**context, "form": form}, status=400)
            upload = form.cleaned_data["file"]
            file_name, text, confirmed = upload.name, importing.decode(upload.read()), False
        request.session.pop(PENDING, None)
        parsed = importing.parse_costs(text)
        context["parsed"] = parsed
        try:
            record = services.cost_import(
                ctx=access_context(request), project=found, file_name=file_name, parsed=parsed, confirmed=confirmed
            )
        except services.NeedsConfirmation as ask:
            request.session[PENDING] = {"project": str(found.pk), "file_name": file_name, "text": text}
            context["confirm_months"] = ask.months
            status = 409
        except InvalidInput as exc:
            form = ImportForm()
            form.add_error(None, exc.message)
            status = 400
        else:
            context["imported"] = record
    return render(request, "budget/import.html", {**context, "form": form}, status=status)


@domain_page("POST")
def import_undo(request: AuthenticatedRequest, import_id: uuid.UUID) -> HttpResponse:
    require_leader(viewer=request.user)
    record = selectors.led_import(viewer=request.user, import_id=import_id)
    try:
        services.cost_import_undo(ctx=access_context(request), cost_import=record)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Importen är ångrad."))
    return redirect("budget:project", project_id=record.project_id)
