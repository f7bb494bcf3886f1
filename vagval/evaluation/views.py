"""The evaluator's pages, the project leader's approvals and survey rounds, and the survey behind a link."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vagval.assessments.links import LinkRefused
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.forms import add_service_errors
from vagval.common.http import access_context, download_response
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.evaluation import dataset, selectors, services
from vagval.evaluation.forms import ExportForm, LinksForm, RoundForm, SurveyForm
from vagval.evaluation.models import DatasetExport, ExportStatus

# --- The evaluator --------------------------------------------------------------------------------


@domain_page("GET")
def start(request: AuthenticatedRequest) -> HttpResponse:
    """The evaluator's start page: the projects they evaluate and what they may take out."""
    cards = selectors.evaluator_start(viewer=request.user)
    return render(request, "evaluation/start.html", {"nav": "evaluation", "cards": cards})


@domain_page("GET")
def project(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    """One project: the data dictionary, the form to prepare a dataset, the evaluator's exports."""
    found = selectors.evaluator_project(viewer=request.user, project_id=project_id)
    return render(request, "evaluation/project.html", _project_context(request, found, ExportForm()))


def _project_context(request: AuthenticatedRequest, found: Any, form: ExportForm) -> dict[str, Any]:
    return {
        "nav": "evaluation",
        "project": found,
        "form": form,
        "columns": dataset.dictionary(),
        "exports": DatasetExport.objects.filter(project=found, prepared_by=request.user).select_related("decided_by"),
        "may_write": request.user.can_write,
    }


@domain_page("POST")
def export_create(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    found = selectors.evaluator_project(viewer=request.user, project_id=project_id)
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            export = services.export_prepare(
                ctx=access_context(request), project_id=found.pk, file_format=form.cleaned_data["file_format"]
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            return redirect("evaluation:export", export_id=export.pk)
    return render(request, "evaluation/project.html", _project_context(request, found, form), status=400)


def _export_context(request: AuthenticatedRequest, export: DatasetExport) -> dict[str, Any]:
    finished = export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    percent = round(100 * export.rows_done / export.rows_total) if export.rows_total else 0
    return {
        "nav": "evaluation",
        "export": export,
        "finished": finished,
        "percent": percent,
        "may_download": export.status == ExportStatus.APPROVED and export.prepared_by_id == request.user.pk,
        "may_decide": export.status == ExportStatus.AWAITING_APPROVAL
        and selectors.is_project_leader_of(viewer=request.user, project=export.project),
    }


@domain_page("GET")
def export_detail(request: AuthenticatedRequest, export_id: uuid.UUID) -> HttpResponse:
    export = selectors.export_get(viewer=request.user, export_id=export_id)
    return render(request, "evaluation/export.html", _export_context(request, export))


@domain_page("GET")
def export_progress(request: AuthenticatedRequest, export_id: uuid.UUID) -> HttpResponse:
    """The progress part alone; htmx asks for it every second while the export is built."""
    export = selectors.export_get(viewer=request.user, export_id=export_id)
    return render(request, "evaluation/export.html#progress", _export_context(request, export))


@domain_page("GET")
def export_download(request: AuthenticatedRequest, export_id: uuid.UUID) -> HttpResponse:
    exported = services.export_download(ctx=access_context(request), export_id=export_id)
    return download_response(exported.content, exported.filename, exported.kind)


@domain_page("POST")
def export_decide(request: AuthenticatedRequest, export_id: uuid.UUID) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    try:
        services.export_decide(ctx=access_context(request), export_id=export_id, approve=approve)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:export", export_id=export_id)
    messages.success(
        request,
        _("Uttaget är godkänt och kan hämtas av utvärderaren.") if approve else _("Uttaget godkändes inte."),
    )
    return redirect("evaluation:leader")


def _require_write(request: AuthenticatedRequest) -> None:
    if not request.user.can_write:
        raise PermissionDenied(_("Du har bara läsbehörighet."))


# --- The project leader ---------------------------------------------------------------------------


@domain_page("GET")
def leader(request: AuthenticatedRequest) -> HttpResponse:
    """The project leader's page: exports to approve and the survey rounds of their projects."""
    selectors.require_project_leader(viewer=request.user)
    return render(request, "evaluation/leader.html", _leader_context(request, None))


def _leader_context(request: AuthenticatedRequest, form: RoundForm | None) -> dict[str, Any]:
    projects = list(selectors.led_projects(viewer=request.user))
    return {
        "nav": "evaluation_leader",
        "exports": selectors.exports_awaiting_approval(viewer=request.user),
        "rounds": selectors.leader_rounds(viewer=request.user),
        "form": form or RoundForm(projects=projects),
        "projects": projects,
        "may_write": request.user.can_write,
    }


@domain_page("POST")
def survey_create(request: AuthenticatedRequest) -> HttpResponse:
    selectors.require_project_leader(viewer=request.user)
    _require_write(request)
    projects = list(selectors.led_projects(viewer=request.user))
    form = RoundForm(request.POST, projects=projects)
    if form.is_valid():
        try:
            survey = services.survey_round_create(
                ctx=access_context(request),
                project_id=uuid.UUID(form.cleaned_data["project"]),
                title=form.cleaned_data["title"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            return redirect("evaluation:survey", round_id=survey.pk)
    return render(request, "evaluation/leader.html", _leader_context(request, form), status=400)


@domain_page("GET")
def survey(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    results = selectors.survey_results(viewer=request.user, round_id=round_id)
    return render(request, "evaluation/survey.html", _survey_context(request, results, None, None))


def _survey_context(request: AuthenticatedRequest, results: Any, form: LinksForm | None, tokens: Any) -> dict[str, Any]:
    organisations = list(results.survey.project.organisations.order_by("name"))
    return {
        "nav": "evaluation_leader" if results.may_manage else "evaluation",
        "results": results,
        "form": form or LinksForm(organisations=organisations),
        "links": [request.build_absolute_uri(reverse("evaluation:survey_form", args=[t])) for t in tokens or []],
        "may_write": request.user.can_write,
        "scale": range(1, 6),
    }


@domain_page("POST")
def survey_links(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    """New links for one organisation: shown once on the answer to this POST, never again."""
    survey_round = services.survey_round_for_leader(viewer=request.user, round_id=round_id)
    organisations = list(survey_round.project.organisations.order_by("name"))
    form = LinksForm(request.POST, organisations=organisations)
    _require_write(request)
    tokens = None
    if form.is_valid():
        try:
            tokens = services.survey_links_create(
                ctx=access_context(request),
                round_id=round_id,
                organisation_id=uuid.UUID(form.cleaned_data["organisation"]),
                count=form.cleaned_data["count"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
    results = selectors.survey_results(viewer=request.user, round_id=round_id)
    context = _survey_context(request, results, form if tokens is None else None, tokens)
    return render(request, "evaluation/survey.html", context, status=200 if tokens else 400)


# --- The survey behind a personal link (no login) -------------------------------------------------


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, token: str) -> HttpResponse:
    """The partner's survey. No login and no access log: the token is the only key, and nothing
    records who answered what (see evaluation.services.survey_submit)."""
    try:
        invitation = services.survey_invitation_for_token(token=token)
    except LinkRefused as exc:
        status = 404 if exc.reason == "unknown" else 410
        return _public(render(request, "evaluation/public_refused.html", {"message": exc.message}, status=status))
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(
                token=token,
                ratings=form.ratings(),
                strengths=form.cleaned_data["strengths"],
                weaknesses=form.cleaned_data["weaknesses"],
            )
        except LinkRefused as exc:
            return _public(render(request, "evaluation/public_refused.html", {"message": exc.message}, status=410))
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            return _public(render(request, "evaluation/public_thanks.html", {}))
    return _public(
        render(
            request,
            "evaluation/public_form.html",
            {"invitation": invitation, "form": form},
            status=400 if form.errors else 200,
        )
    )
