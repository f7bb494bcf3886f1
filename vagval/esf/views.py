"""ESF+ pages: entry data per enrolment, the coach's list of incomplete records, the indicator
report with its downloads, the administrator's ESF-funding switch and the SCB participant file.

Thin: parse with forms, call a selector or service, render. Who may do what is decided there.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vagval.access.scope import Need
from vagval.audit.models import AccessBasis
from vagval.audit.services import access_log_record
from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from vagval.common.forms import add_service_errors, add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context, download_response
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.esf import export, selectors, services
from vagval.esf.forms import EntryForm, FundingForm, PeriodForm
from vagval.esf.models import EsfEntry, EsfProject
from vagval.esf.rules import isced_levels
from vagval.organisations.models import Project

# --- Entry data -------------------------------------------------------------------------------


def _entry_initial(entry: EsfEntry | None) -> dict[str, Any]:
    if entry is None:
        return {}
    return {
        "labour_status": entry.labour_status,
        "unemployed_since": entry.unemployed_since,
        "isced": "" if entry.isced is None else str(entry.isced),
        **{name: getattr(entry, name) for name in services.ANSWER_FIELDS},
    }


@domain_page("GET", "POST")
def entry_edit(request: AuthenticatedRequest, enrolment_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    if request.method == "POST":
        # Refused (404, or 403 for read-only) before the form is read.
        view = selectors.entry_for_enrolment(
            viewer=request.user, ctx=ctx, enrolment_id=enrolment_id, need=Need.CHANGE, log=False
        )
    else:
        view = selectors.entry_for_enrolment(viewer=request.user, ctx=ctx, enrolment_id=enrolment_id)
    version = services.entry_version(view.entry)
    form = add_version_field(
        EntryForm(request.POST if request.method == "POST" else None, initial=_entry_initial(view.entry)), version
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.esf_entry_save(
                ctx=ctx, enrolment_id=enrolment_id, data=form.entry_data(), expected_version=submitted_version(form)
            )
        except Conflict as exc:
            now = selectors.entry_for_enrolment(viewer=request.user, ctx=ctx, enrolment_id=enrolment_id, log=False)
            show_conflict(
                form,
                saved=EntryForm(initial=_entry_initial(now.entry)),
                version=services.entry_version(now.entry),
                error=exc,
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("ESF-uppgifterna är sparade."))
            return redirect("people:detail", person_id=view.enrolment.person_id)
    status = (form_status(form) if getattr(form, "conflict", None) else 400) if form.is_bound else 200
    return render(
        request,
        "esf/entry_form.html",
        {
            "nav": "caseload",
            "view": view,
            "person": view.enrolment.person,
            "form": form,
            "missing": selectors.missing_items(enrolment=view.enrolment, entry=view.entry),
            "isced_levels": isced_levels(),
        },
        status=status,
    )


@domain_page("GET")
def incomplete(request: AuthenticatedRequest) -> HttpResponse:
    rows = selectors.incomplete_entries(viewer=request.user, ctx=access_context(request))
    return render(request, "esf/incomplete.html", {"nav": "caseload", "rows": rows})


# --- The indicator report ----------------------------------------------------------------------


def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year, 1, 1), today


def _report_table(request: AuthenticatedRequest) -> tuple[PeriodForm, selectors.IndicatorTable | None, list[Any]]:
    if not selectors.may_see_reports(viewer=request.user):
        raise PermissionDenied(_("ESF-rapporten är till för projektledare och administratörer."))
    projects = selectors.report_projects(viewer=request.user)
    start, end = _default_period(dt.date.today())
    initial = {"project": str(projects[0].pk) if projects else "", "start": start, "end": end}
    form = PeriodForm(request.GET or None, projects=projects, initial=initial)
    if not form.is_bound or not form.is_valid():
        return form, None, projects
    table = selectors.indicator_table(
        viewer=request.user,
        ctx=access_context(request),
        project_id=uuid.UUID(form.cleaned_data["project"]),
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
    )
    return form, table, projects


@domain_page("GET")
def report(request: AuthenticatedRequest) -> HttpResponse:
    form, table, projects = _report_table(request)
    return render(
        request,
        "esf/report.html",
        {"nav": "esf", "form": form, "table": table, "projects": projects, "query": request.GET.urlencode()},
        status=400 if form.is_bound and form.errors else 200,
    )


def _download(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    _form, table, _projects = _report_table(request)
    if table is None:
        # No (valid) choice of project and period: the report page, where it is made.
        return redirect(f"{reverse('esf:report')}?{request.GET.urlencode()}" if request.GET else reverse("esf:report"))
    content = export.table_csv(table) if kind == "csv" else export.table_xlsx(table)
    access_log_record(
        ctx=access_context(request),
        action="esf.indicators_exported",
        basis=AccessBasis.ADMINISTRATION,
        detail={"project": str(table.project.pk), "format": kind},
    )
    return download_response(content, export.filename(table, kind), kind)


@domain_page("GET")
def report_csv(request: AuthenticatedRequest) -> HttpResponse:
    return _download(request, "csv")


@domain_page("GET")
def report_xlsx(request: AuthenticatedRequest) -> HttpResponse:
    return _download(request, "xlsx")


# --- ESF funding (administrators) -------------------------------------------------------------


@domain_page("GET", "POST")
def project_funding(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    if not request.user.is_administrator:
        raise PermissionDenied(_("Bara administratörer."))
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(_(selectors.PROJECT_NOT_FOUND))
    funding = EsfProject.objects.filter(project=project).first()
    initial = {"funded": funding is not None, "case_number": funding.case_number if funding else ""}
    form = FundingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.esf_project_set(
            ctx=access_context(request),
            project=project,
            funded=form.cleaned_data["funded"],
            case_number=form.cleaned_data["case_number"],
        )
        messages.success(request, _("Ändringen är sparad."))
        return redirect("organisations:project_detail", project_id=project.pk)
    return render(
        request,
        "esf/project_funding.html",
        {"nav": "admin", "project": project, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- The SCB participant file -------------------------------------------------------------------


@domain_page("GET")
def scb_months(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    project = selectors.scb_project(viewer=request.user, project_id=project_id)
    return render(
        request,
        "esf/scb_months.html",
        {"nav": "esf", "project": project, "months": selectors.scb_months(project=project, today=dt.date.today())},
    )


@domain_page("POST")
def scb_file(request: AuthenticatedRequest, project_id: uuid.UUID, year: int, month: int) -> HttpResponse:
    project = selectors.scb_project(viewer=request.user, project_id=project_id)
    try:
        day = dt.date(year, month, 1)
        produced = services.scb_file_produce(ctx=access_context(request), project=project, month=day)
    except ValueError:
        raise NotFound(_("Månaden finns inte.")) from None
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("esf:scb_months", project_id=project.pk)
    return download_response(produced.content, produced.filename, "csv")
