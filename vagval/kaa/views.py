"""KAA pages: the register, a person's register extract, measure forms and the statistics download.

Views parse input with forms, call one selector or service and render. Identity numbers never
enter a URL: pages are addressed by the person's id.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vagval.access.checks import PersonAccess
from vagval.audit.services import access_log_form_shown
from vagval.common.db_routing import reporting_reads
from vagval.common.errors import Conflict, InvalidInput
from vagval.common.forms import add_version_field, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest, page_number
from vagval.common.views import domain_page
from vagval.kaa import selectors, services
from vagval.kaa.codes import CodeListError
from vagval.kaa.forms import MeasureForm, RegisterFilterForm, StatisticsForm, add_service_errors
from vagval.kaa.models import Measure
from vagval.people.models import Person


def _page(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponseBase]]:
    """domain_page, and a broken code file answered with a page that says which (503), never a bare 500."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except CodeListError as exc:
                # A broken code file is the administrator's to fix.
                return render(request, "kaa/code_error.html", {"message": exc.message}, status=503)

        return domain_page(*methods)(wrapper)

    return decorate


@_page("GET")
def register(request: AuthenticatedRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    result = selectors.kaa_register(
        viewer=request.user,
        ctx=access_context(request),
        left_from=form.cleaned_data.get("left_from") if valid else None,
        left_to=form.cleaned_data.get("left_to") if valid else None,
        page_number=page_number(request.GET.get("sida")),
    )
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "kaa/register.html",
        {"nav": "kaa", "form": form, "rows": result.rows, "page": result.page, "query": query.urlencode()},
        status=400 if form.is_bound and not valid else 200,
    )


@_page("GET")
def extract(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    row = selectors.kaa_register_extract(viewer=request.user, ctx=access_context(request), person_id=person_id)
    return render(request, "kaa/extract.html", {"nav": "kaa", "row": row})


def _measure_page(
    request: AuthenticatedRequest, form: MeasureForm, person: Person, measure: Measure | None, access: PersonAccess
) -> HttpResponse:
    page = "kaa.measure_edit" if measure else "kaa.measure_create"
    access_log_form_shown(ctx=access_context(request), person_id=person.pk, basis=access.basis, page=page)
    return render(
        request,
        "kaa/measure_form.html",
        {"nav": "kaa", "form": form, "person": person, "measure": measure},
        status=409 if getattr(form, "conflict", None) else 400 if form.is_bound else 200,
    )


@_page("GET", "POST")
def measure_create(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    person = selectors.measure_person_get(viewer=request.user, person_id=person_id)
    access = services.measure_writer_access(ctx=ctx, person=person)  # 403 before any input is read
    form = MeasureForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.measure_create(ctx=ctx, person=person, data=form.to_data())
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Insatsen är sparad."))
            return redirect("people:detail", person.pk)
    return _measure_page(request, form, person, None, access)


@_page("GET", "POST")
def measure_edit(request: AuthenticatedRequest, measure_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    measure = selectors.measure_get(viewer=request.user, measure_id=measure_id)
    access = services.measure_writer_access(ctx=ctx, person=measure.person)
    initial = {name: getattr(measure, name) for name in MeasureForm.base_fields}
    form = MeasureForm(request.POST if request.method == "POST" else None, initial=initial)
    add_version_field(form, services.measure_version(measure=measure))
    if form.is_bound and form.is_valid():
        try:
            services.measure_update(
                ctx=ctx, measure_id=measure.pk, data=form.to_data(), expected_version=submitted_version(form)
            )
        except Conflict as exc:
            measure = selectors.measure_get(viewer=request.user, measure_id=measure_id)
            saved = MeasureForm(initial={name: getattr(measure, name) for name in MeasureForm.base_fields})
            show_conflict(form, saved=saved, version=services.measure_version(measure=measure), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Insatsen är ändrad."))
            return redirect("people:detail", measure.person_id)
    return _measure_page(request, form, measure.person, measure, access)


@_page("GET", "POST")
def statistics(request: AuthenticatedRequest) -> HttpResponse:
    ctx = access_context(request)
    services.statistics_require(viewer=request.user)
    form = StatisticsForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            with reporting_reads():  # a read replica, when there is one (common/db_routing.py)
                exported = services.statistics_export_for_viewer(
                    ctx=ctx, half_year=form.cleaned_data["half_year"], file_format=form.cleaned_data["file_format"]
                )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            response = HttpResponse(exported.content, content_type=exported.content_type)
            response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
            return response
    return render(
        request, "kaa/statistics.html", {"nav": "kaa_statistics", "form": form}, status=400 if form.is_bound else 200
    )
