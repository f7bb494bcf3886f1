"""The to-do list, its marks, the notifications, the user's mail setting and the jobs page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vagval.access.scope import scope_for
from vagval.accounts.decorators import admin_required
from vagval.common.errors import Conflict, InvalidInput, PermissionDenied
from vagval.common.forms import add_service_errors, add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest, page_number
from vagval.common.views import domain_page
from vagval.people.models import Person
from vagval.worklist import jobs, selectors, services
from vagval.worklist import notifications as notes
from vagval.worklist.forms import FilterForm, MarkForm, SettingForm
from vagval.worklist.models import JobRun, JobRunStatus, WorklistSetting
from vagval.worklist.sources import source_for


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@domain_page("GET")
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    kind = request.GET.get("typ") or None
    if kind is not None and source_for(kind) is None:
        kind = None
    person_id = _uuid(request.GET.get("person"))
    page = selectors.worklist_page(
        viewer=request.user,
        ctx=access_context(request),
        kind=kind,
        person_id=person_id,
        page=page_number(request.GET.get("page")),
    )
    form = FilterForm(request.GET or None, kinds=page.kinds)
    return render(
        request,
        "worklist/list.html",
        {
            "nav": "worklist",
            "page": page,
            "form": form,
            "person_id": person_id,
            "filtered": bool(kind or person_id),
            "no_unit": selectors.source_context(viewer=request.user) is None,
            "unread": notes.unread_count(viewer=request.user),
            "page_horizon": selectors.horizon_days(),
        },
    )


@domain_page("GET", "POST")
def mark(request: AuthenticatedRequest, kind: str, object_id: uuid.UUID) -> HttpResponse:
    item = selectors.item_find(viewer=request.user, kind=kind, object_id=object_id)
    if item is None:
        raise Http404(str(services.ITEM_NOT_FOUND))
    if not selectors.may_mark(request.user):
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    form = MarkForm(request.POST if request.method == "POST" else None)
    add_version_field(form, services.mark_version(mark=selectors.item_mark_get(viewer=request.user, item=item)))
    if request.method == "POST" and form.is_valid():
        try:
            services.item_mark(
                ctx=access_context(request),
                kind=kind,
                object_id=object_id,
                state=form.cleaned_data["state"],
                moved_to=form.cleaned_data["moved_to"],
                reason=form.cleaned_data["reason"],
                expected_version=submitted_version(form),
            )
        except Conflict as exc:
            saved_mark = selectors.item_mark_get(viewer=request.user, item=item)
            saved = MarkForm(initial=MarkForm.initial_from(saved_mark))
            show_conflict(form, saved=saved, version=services.mark_version(mark=saved_mark), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Uppgiften är markerad."))
            return redirect("worklist:list")
    person = Person.objects.filter(pk=item.row.person_id).first()
    shown_person = scope_for(access_context(request), "worklist").admit(person, action="worklist.viewed")
    shown = selectors.Item(row=item.row, due_on=item.due_on, moved=item.moved, person=shown_person)
    return render(
        request, "worklist/mark.html", {"nav": "worklist", "item": shown, "form": form}, status=form_status(form)
    )


@domain_page("GET")
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    rows = notes.notification_page(viewer=request.user, ctx=access_context(request))
    return render(request, "worklist/notifications.html", {"nav": "worklist", "rows": rows})


@domain_page("POST")
def notifications_read_all(request: AuthenticatedRequest) -> HttpResponse:
    services.notifications_mark_all_read(ctx=access_context(request))
    messages.success(request, _("Alla aviseringar är markerade som lästa."))
    return redirect("worklist:notifications")


@domain_page("GET")
def notification_open(request: AuthenticatedRequest, kind: str, key: str) -> HttpResponse:
    url = services.notification_open(ctx=access_context(request), kind=kind, key=key)
    return redirect(url)


@domain_page("GET", "POST")
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    setting = WorklistSetting.objects.filter(user=request.user).first()
    form = SettingForm(
        request.POST if request.method == "POST" else None,
        initial={"daily_email": bool(setting and setting.daily_email)},
    )
    if request.method == "POST" and form.is_valid():
        services.worklist_setting_update(ctx=access_context(request), daily_email=form.cleaned_data["daily_email"])
        messages.success(request, _("Inställningen är sparad."))
        return redirect("worklist:settings")
    return render(
        request, "worklist/settings.html", {"nav": "worklist", "form": form, "has_email": bool(request.user.email)}
    )


@admin_required
@require_GET
@never_cache
def jobs_page(request: AuthenticatedRequest) -> HttpResponse:
    runs = list(JobRun.objects.all()[:200])
    labels = {job.name: str(job.label) for job in jobs.JOBS}
    return render(
        request,
        "worklist/jobs.html",
        {
            "nav": "admin",
            "runs": runs,
            "labels": labels,
            "jobs": jobs.JOBS,
            "failed": sum(1 for run in runs if run.status == JobRunStatus.FAILED),
        },
    )
