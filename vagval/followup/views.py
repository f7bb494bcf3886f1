"""Pages of followup: leaving a project, a person's exits, the unit's follow-ups, one follow-up,
the figures, a project's settings, and the young person's answer behind a personal link."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vagval.accounts.models import Role
from vagval.accounts.system import SystemActor, system_context
from vagval.assessments.links import LinkRefused
from vagval.assessments.selectors import cohort_projects
from vagval.common import scoping
from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from vagval.common.forms import add_service_errors, add_version_field, submitted_version
from vagval.common.http import access_context, client_address
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.followup import figures, jobs, selectors, services
from vagval.followup.forms import AnswerForm, AttemptForm, ExitForm, OutcomeForm, SettingsForm
from vagval.followup.models import FollowUpSettings
from vagval.organisations.models import Project
from vagval.people.services import enrolment_version


@domain_page("GET", "POST")
def exit_create(request: AuthenticatedRequest, enrolment_id: uuid.UUID) -> HttpResponse:
    """Leave a project: the form, what will be closed, then the confirmation."""
    ctx = access_context(request)
    preview = selectors.exit_preview(viewer=request.user, ctx=ctx, enrolment_id=enrolment_id)
    if not preview.access.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    form = ExitForm(request.POST if request.method == "POST" else None, initial={"exit_on": timezone.localdate()})
    add_version_field(form, enrolment_version(enrolment=preview.enrolment))
    status = 200
    if form.is_bound and form.is_valid():
        if not form.cleaned_data["confirm"]:
            form.add_error("confirm", _("Bekräfta att du har läst vad som stängs."))
        else:
            data = services.ExitData(
                exit_on=form.cleaned_data["exit_on"],
                reason=form.cleaned_data["reason"],
                reason_note=form.cleaned_data["reason_note"],
                situation=form.cleaned_data["situation"],
                source=form.cleaned_data["source"],
            )
            try:
                services.enrolment_exit(
                    ctx=ctx, enrolment=preview.enrolment, data=data, expected_version=submitted_version(form)
                )
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Deltagandet är avslutat och uppföljningarna är planerade."))
                return redirect("followup:person", person_id=preview.person.pk)
    if form.errors and status == 200:
        status = 400
    return render(request, "followup/exit.html", {"preview": preview, "form": form}, status=status)


@domain_page("GET")
def person_exits(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    person, exits = selectors.exits_for_person(viewer=request.user, ctx=access_context(request), person_id=person_id)
    return render(request, "followup/person.html", {"person": person, "exits": exits})


@domain_page("GET")
def follow_up_list(request: AuthenticatedRequest) -> HttpResponse:
    upcoming = request.GET.get("kommande") == "1"
    rows = selectors.unit_follow_ups_shown(viewer=request.user, ctx=access_context(request), include_upcoming=upcoming)
    return render(
        request,
        "followup/list.html",
        {"rows": rows, "upcoming": upcoming, "no_unit": request.user.unit_id is None, "nav": "followup"},
    )


def _detail(request: AuthenticatedRequest, follow_up_id: uuid.UUID, **forms: Any) -> HttpResponse:
    view = selectors.follow_up_get(viewer=request.user, ctx=access_context(request), follow_up_id=follow_up_id)
    version = services.follow_up_version(follow_up=view.follow_up)
    outcome = forms.get("outcome_form") or OutcomeForm()
    attempt = forms.get("attempt_form") or AttemptForm(initial={"attempted_on": timezone.localdate()})
    add_version_field(outcome, version)
    status = forms.get("status", 200)
    return render(
        request,
        "followup/detail.html",
        {"view": view, "outcome_form": outcome, "attempt_form": attempt, "version": version, "nav": "followup"},
        status=status,
    )


def _service_error(request: AuthenticatedRequest, exc: InvalidInput | Conflict) -> None:
    messages.error(request, exc.message)


@domain_page("GET", "POST")
def follow_up_detail(request: AuthenticatedRequest, follow_up_id: uuid.UUID) -> HttpResponse:
    """One follow-up; POST records the outcome (the coach after a call or a meeting)."""
    if request.method == "GET":
        return _detail(request, follow_up_id)
    follow_up = selectors.follow_up_find(viewer=request.user, follow_up_id=follow_up_id)
    services.require_writer(access_context(request))
    form = OutcomeForm(request.POST)
    add_version_field(form, "")
    if form.is_valid():
        try:
            services.follow_up_record(
                ctx=access_context(request),
                follow_up=follow_up,
                outcome=form.cleaned_data["outcome"],
                source=form.cleaned_data["source"],
                note=form.cleaned_data["note"],
                expected_version=submitted_version(form),
            )
        except Conflict as exc:
            form.add_error(None, exc.message)
            return _detail(request, follow_up_id, outcome_form=form, status=409)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Uppföljningen är registrerad."))
            return redirect("followup:detail", follow_up_id=follow_up_id)
    return _detail(request, follow_up_id, outcome_form=form, status=400)


@domain_page("POST")
def follow_up_attempt(request: AuthenticatedRequest, follow_up_id: uuid.UUID) -> HttpResponse:
    follow_up = selectors.follow_up_find(viewer=request.user, follow_up_id=follow_up_id)
    services.require_writer(access_context(request))
    form = AttemptForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_attempt_add(
                ctx=access_context(request),
                follow_up=follow_up,
                attempted_on=form.cleaned_data["attempted_on"],
                method=form.cleaned_data["method"],
                note=form.cleaned_data["note"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kontaktförsöket är sparat."))
            return redirect("followup:detail", follow_up_id=follow_up_id)
    return _detail(request, follow_up_id, attempt_form=form, status=400)


def _one_click(
    request: AuthenticatedRequest, follow_up_id: uuid.UUID, service: Callable[..., Any], done: str
) -> HttpResponse:
    follow_up = selectors.follow_up_find(viewer=request.user, follow_up_id=follow_up_id)
    ctx = access_context(request)
    services.require_writer(ctx)
    try:
        service(ctx=ctx, follow_up=follow_up, expected_version=request.POST.get("version") or None)
    except (InvalidInput, Conflict) as exc:
        _service_error(request, exc)
    else:
        messages.success(request, done)
    return redirect("followup:detail", follow_up_id=follow_up_id)


@domain_page("POST")
def follow_up_not_reached(request: AuthenticatedRequest, follow_up_id: uuid.UUID) -> HttpResponse:
    return _one_click(
        request, follow_up_id, services.follow_up_not_reached, _("Uppföljningen är markerad som ej nådd.")
    )


@domain_page("POST")
def follow_up_confirm(request: AuthenticatedRequest, follow_up_id: uuid.UUID) -> HttpResponse:
    return _one_click(
        request, follow_up_id, services.follow_up_suggestion_confirm, _("Registrets uppgift är bekräftad.")
    )


@domain_page("GET")
def figures_page(request: AuthenticatedRequest) -> HttpResponse:
    result = figures.follow_up_figures(viewer=request.user, dimension=request.GET.get("per", "project"))
    return render(
        request,
        "followup/figures.html",
        {"figures": result, "dimensions": [(k, v[0]) for k, v in figures.DIMENSIONS.items()], "nav": "followup"},
    )


def _may_change_settings(request: AuthenticatedRequest, project: Project) -> bool:
    user = request.user
    if user.role == Role.ADMIN and user.can_write:
        return True
    return user.can_write and cohort_projects(viewer=user).filter(pk=project.pk).exists()


@domain_page("GET", "POST")
def settings_page(request: AuthenticatedRequest, project_id: uuid.UUID) -> HttpResponse:
    """A project's follow-up offsets: administrators and the project's leaders."""
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(_("Projektet finns inte."))
    if not _may_change_settings(request, project):
        raise PermissionDenied(_("Bara administratörer och projektets projektledare kan ändra inställningarna."))
    saved = FollowUpSettings.objects.filter(project=project).first()
    initial = {
        "weeks_4_days": saved.weeks_4_days if saved else 28,
        "days_90_days": saved.days_90_days if saved else 90,
        "months_6_months": saved.months_6_months if saved else 6,
    }
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.follow_up_settings_save(ctx=access_context(request), project=project, **form.cleaned_data)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Inställningarna är sparade. De gäller för avslut från och med nu."))
            return redirect("followup:settings", project_id=project.pk)
    return render(
        request, "followup/settings.html", {"project": project, "form": form}, status=400 if form.errors else 200
    )


# --- The young person's answer (no account) ---------------------------------------------------------


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _as_personal_link(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No signed-in user: the page acts as the named actor "personlig länk" (as the assessments' links)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ctx = system_context(SystemActor.PERSONAL_LINK, detail=client_address(request))
        with scoping.activated(ctx, "personal_link"):
            return view(request, ctx, *args, **kwargs)

    return wrapper


def _refused(request: HttpRequest, exc: LinkRefused) -> HttpResponse:
    status = 404 if exc.reason == "unknown" else 410
    return _public(render(request, "followup/answer_refused.html", {"message": exc.message}, status=status))


@require_http_methods(["GET", "POST"])
@_as_personal_link
def answer(request: HttpRequest, ctx: Any, token: str) -> HttpResponse:
    """The young person's three questions. The token opens this one form and nothing else."""
    try:
        link = jobs.link_for_token(token=token, ctx=ctx, log_opened=request.method == "GET")
    except LinkRefused as exc:
        return _refused(request, exc)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            jobs.follow_up_answer(
                ctx=ctx,
                link=link,
                doing_now=form.cleaned_data["doing_now"],
                qualification=form.cleaned_data["qualification"] == "ja",
                contact=form.cleaned_data["contact"] == "ja",
            )
        except LinkRefused as exc:
            return _refused(request, exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            return _public(render(request, "followup/answer_thanks.html", {}))
    last_day: dt.date = timezone.localtime(link.expires_at).date()
    return _public(
        render(
            request,
            "followup/answer.html",
            {"form": form, "first_name": link.person.first_name, "last_day": last_day},
            status=400 if form.errors else 200,
        )
    )
