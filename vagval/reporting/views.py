"""The steering-group report: the list of one's projects, the page, the PDF and the workbook.

Thin: the period from the form, the report from the selector (which decides who may see it and
logs it), then render.
"""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.common.errors import PermissionDenied
from vagval.common.http import access_context, download_response
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.reporting import exports, selectors
from vagval.reporting.forms import PeriodForm


@domain_page("GET")
def index(request: AuthenticatedRequest) -> HttpResponse:
    projects = selectors.report_projects(viewer=request.user)
    if not projects:
        raise PermissionDenied(_("Styrgruppsrapporten är till för projektledare, utvärderare och administratörer."))
    return render(request, "reporting/index.html", {"nav": "reporting", "projects": projects})


def _report(
    request: AuthenticatedRequest, project_id: uuid.UUID, file_format: str = ""
) -> tuple[PeriodForm, selectors.SteeringReport]:
    project = selectors.report_project(viewer=request.user, project_id=project_id)
    start, end = selectors.default_period(project, timezone.localdate())
    form = PeriodForm(request.GET or None, initial={"fran": start, "till": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["fran"], form.cleaned_data["till"]
    report = selectors.steering_report(
        viewer=request.user,
        ctx=access_context(request),
        project_id=project.pk,
        start=start,
        end=end,
        file_format=file_format,
    )
    return form, report


@domain_page("GET")
def steering(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    form, report = _report(request, project_id)
    return render(
        request,
        "reporting/report.html",
        {"nav": "reporting", "form": form, "report": report, "query": request.GET.urlencode()},
        status=400 if form.is_bound and form.errors else 200,
    )


@domain_page("GET")
def steering_pdf(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    _form, report = _report(request, project_id, "pdf")
    return download_response(exports.report_pdf(report), exports.file_name(report, "pdf"), "pdf")


@domain_page("GET")
def steering_xlsx(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    _form, report = _report(request, project_id, "xlsx")
    return download_response(exports.report_xlsx(report), exports.file_name(report, "xlsx"), "xlsx")
