"""Administration pages: organisations, units, projects and methods (administrators only)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vagval.accounts.decorators import admin_required
from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from vagval.common.forms import add_service_errors, add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.versions import version_of
from vagval.organisations import selectors, services
from vagval.organisations.forms import MethodForm, OrganisationFilterForm, OrganisationForm, ProjectForm, UnitForm

T = TypeVar("T")
PAGE_SIZE = 100


def _call(fn: Callable[..., T], **kwargs: Any) -> T:
    """Call a selector and translate domain errors into HTTP answers (404/403)."""
    try:
        return fn(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise HttpPermissionDenied(exc.message) from exc


def _save(
    form: forms.Form,
    fn: Callable[..., T],
    *,
    saved_now: Callable[[], tuple[forms.Form, str]] | None = None,
    **kwargs: Any,
) -> T | None:
    """Call a service; on InvalidInput put its messages on the form and return None.

    An edit form passes `saved_now` (the form filled in from the record as stored now, and its
    version): a stale save (Conflict) then shows both versions on the form.
    """
    try:
        if saved_now is not None:
            kwargs["expected_version"] = submitted_version(form)
        return _call(fn, **kwargs)
    except Conflict as exc:
        assert saved_now is not None
        saved, version = saved_now()
        show_conflict(form, saved=saved, version=version, error=exc)
        return None
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return None


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context.get("form")
    status = form_status(form) if isinstance(form, forms.BaseForm) else 200
    return render(request, f"organisations/{template}", {"nav": "admin", **context}, status=status)


@admin_required
@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    return _render(request, "index.html", {})


# --- Organisations -----------------------------------------------------------------------


@admin_required
@require_GET
def organisation_list(request: AuthenticatedRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None, municipalities=selectors.municipality_choices())
    filters = selectors.OrganisationFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.OrganisationFilters(
            kind=form.cleaned_data["kind"], municipality_code=form.cleaned_data["municipality_code"]
        )
    organisations = _call(selectors.organisation_list, viewer=request.user, filters=filters)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("sida"))
    return _render(request, "organisation_list.html", {"form": form, "page": page})


@admin_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: AuthenticatedRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, municipalities=selectors.municipality_choices())
    if request.method == "POST" and form.is_valid():
        organisation = _save(form, services.organisation_create, ctx=access_context(request), data=form.to_data())
        if organisation is not None:
            messages.success(request, _("Organisationen %(name)s har skapats.") % {"name": organisation.name})
            return redirect("organisations:organisation_detail", organisation_id=organisation.pk)
    return _render(request, "organisation_form.html", {"form": form, "organisation": None})


@admin_required
@require_GET
def organisation_detail(request: AuthenticatedRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = _call(selectors.organisation_get, viewer=request.user, organisation_id=organisation_id)
    units = _call(selectors.organisation_units, viewer=request.user, organisation=organisation)
    projects = _call(selectors.organisation_projects, viewer=request.user, organisation=organisation)
    return _render(
        request, "organisation_detail.html", {"organisation": organisation, "units": units, "projects": projects}
    )


@admin_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: AuthenticatedRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = _call(selectors.organisation_get, viewer=request.user, organisation_id=organisation_id)

    def edit_form(data: Any, organisation: Any) -> OrganisationForm:
        initial = {
            "name": organisation.name,
            "kind": organisation.kind,
            "municipality_code": organisation.municipality_id or "",
            "organisation_number": organisation.organisation_number,
        }
        form = OrganisationForm(data, initial=initial, municipalities=selectors.municipality_choices())
        return add_version_field(form, version_of(organisation))

    def saved_now() -> tuple[forms.Form, str]:
        now = _call(selectors.organisation_get, viewer=request.user, organisation_id=organisation_id)
        return edit_form(None, now), version_of(now)

    form = edit_form(request.POST or None, organisation)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            services.organisation_update,
            saved_now=saved_now,
            ctx=access_context(request),
            organisation=organisation,
            data=form.to_data(),
        )
        if saved is not None:
            messages.success(request, _("Ändringarna har sparats."))
            return redirect("organisations:organisation_detail", organisation_id=saved.pk)
    return _render(request, "organisation_form.html", {"form": form, "organisation": organisation})


# --- Units ---------------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def unit_create(request: AuthenticatedRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = _call(selectors.organisation_get, viewer=request.user, organisation_id=organisation_id)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = _save(
            form, services.unit_create, ctx=access_context(request), organisation=organisation, data=form.to_data()
        )
        if unit is not None:
            messages.success(request, _("Enheten %(name)s har skapats.") % {"name": unit.name})
            return redirect("organisations:organisation_detail", organisation_id=organisation.pk)
    return _render(request, "unit_form.html", {"form": form, "organisation": organisation, "unit": None})


@admin_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: AuthenticatedRequest, unit_id: uuid.UUID) -> HttpResponse:
    unit = _call(selectors.unit_get, viewer=request.user, unit_id=unit_id)

    def edit_form(data: Any, unit: Any) -> UnitForm:
        initial = {
            "name": unit.name,
            "address": unit.address,
            "phone": unit.phone,
            "email": unit.email,
            "active": unit.active,
        }
        return add_version_field(UnitForm(data, initial=initial), version_of(unit))

    def saved_now() -> tuple[forms.Form, str]:
        now = _call(selectors.unit_get, viewer=request.user, unit_id=unit_id)
        return edit_form(None, now), version_of(now)

    form = edit_form(request.POST or None, unit)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form, services.unit_update, saved_now=saved_now, ctx=access_context(request), unit=unit, data=form.to_data()
        )
        if saved is not None:
            messages.success(request, _("Ändringarna har sparats."))
            return redirect("organisations:organisation_detail", organisation_id=saved.organisation_id)
    return _render(request, "unit_form.html", {"form": form, "organisation": unit.organisation, "unit": unit})


# --- Projects ------------------------------------------------------------------------------


def _project_form(
    request: AuthenticatedRequest, initial: dict[str, Any] | None = None, *, bound: bool = True
) -> ProjectForm:
    return ProjectForm(
        (request.POST or None) if bound else None,
        initial=initial,
        organisations=_call(selectors.organisation_choices, viewer=request.user),
        methods=_call(selectors.method_choices, viewer=request.user),
    )


@admin_required
@require_GET
def project_list(request: AuthenticatedRequest) -> HttpResponse:
    projects = _call(selectors.project_list, viewer=request.user)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("sida"))
    return _render(request, "project_list.html", {"page": page})


@admin_required
@require_http_methods(["GET", "POST"])
def project_create(request: AuthenticatedRequest) -> HttpResponse:
    form = _project_form(request)
    if request.method == "POST" and form.is_valid():
        project = _save(form, services.project_create, ctx=access_context(request), data=form.to_data())
        if project is not None:
            messages.success(request, _("Projektet %(name)s har skapats.") % {"name": project.name})
            return redirect("organisations:project_detail", project_id=project.pk)
    return _render(request, "project_form.html", {"form": form, "project": None})


@admin_required
@require_GET
def project_detail(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    project = _call(selectors.project_get, viewer=request.user, project_id=project_id)
    return _render(request, "project_detail.html", {"project": project})


@admin_required
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    project = _call(selectors.project_get, viewer=request.user, project_id=project_id)

    def edit_form(project: Any, *, bound: bool) -> ProjectForm:
        initial = {
            "name": project.name,
            "description": project.description,
            "starts_on": project.starts_on,
            "ends_on": project.ends_on,
            "target_participants": project.target_participants,
            "organisation_ids": [str(o.pk) for o in project.organisations.all()],
            "method_ids": [str(m.pk) for m in project.methods.all()],
        }
        return add_version_field(_project_form(request, initial, bound=bound), version_of(project))

    def saved_now() -> tuple[forms.Form, str]:
        now = _call(selectors.project_get, viewer=request.user, project_id=project_id)
        return edit_form(now, bound=False), version_of(now)

    form = edit_form(project, bound=True)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            services.project_update,
            saved_now=saved_now,
            ctx=access_context(request),
            project=project,
            data=form.to_data(),
        )
        if saved is not None:
            messages.success(request, _("Ändringarna har sparats."))
            return redirect("organisations:project_detail", project_id=saved.pk)
    return _render(request, "project_form.html", {"form": form, "project": project})


# --- Methods -------------------------------------------------------------------------------


@admin_required
@require_GET
def method_list(request: AuthenticatedRequest) -> HttpResponse:
    methods = _call(selectors.method_list, viewer=request.user)
    return _render(request, "method_list.html", {"methods": methods})


@admin_required
@require_http_methods(["GET", "POST"])
def method_create(request: AuthenticatedRequest) -> HttpResponse:
    form = MethodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        method = _save(form, services.method_create, ctx=access_context(request), data=form.to_data())
        if method is not None:
            messages.success(request, _("Metoden %(name)s har skapats.") % {"name": method.name})
            return redirect("organisations:method_list")
    return _render(request, "method_form.html", {"form": form, "method": None})


@admin_required
@require_http_methods(["GET", "POST"])
def method_edit(request: AuthenticatedRequest, method_id: uuid.UUID) -> HttpResponse:
    method = _call(selectors.method_get, viewer=request.user, method_id=method_id)

    def edit_form(data: Any, method: Any) -> MethodForm:
        form = MethodForm(data, initial={"name": method.name, "description": method.description})
        return add_version_field(form, version_of(method))

    def saved_now() -> tuple[forms.Form, str]:
        now = _call(selectors.method_get, viewer=request.user, method_id=method_id)
        return edit_form(None, now), version_of(now)

    form = edit_form(request.POST or None, method)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            services.method_update,
            saved_now=saved_now,
            ctx=access_context(request),
            method=method,
            data=form.to_data(),
        )
        if saved is not None:
            messages.success(request, _("Ändringarna har sparats."))
            return redirect("organisations:method_list")
    return _render(request, "method_form.html", {"form": form, "method": method})
