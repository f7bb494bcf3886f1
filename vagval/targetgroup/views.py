"""Target-group pages: the unit's KAA/UVAS list, handover at 20, and the municipality setting.

Views parse input with forms, call a selector or service and render.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from vagval.audit.models import AccessBasis
from vagval.audit.services import access_log_form_shown
from vagval.common.errors import Conflict, InvalidInput
from vagval.common.forms import add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.organisations import selectors as organisation_selectors
from vagval.targetgroup import selectors, services
from vagval.targetgroup.forms import HandoverForm, ListFilterForm, SettingForm, add_service_errors
from vagval.targetgroup.models import TargetList


@domain_page("GET")
def target_group_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ListFilterForm(request.GET)
    if not form.is_valid():
        # Redirect to a clean address instead of echoing what was typed: someone may have typed
        # an identity number in the date field, and it must not stay in the page or the history.
        messages.error(request, _("Datumet gick inte att läsa. Ange datum som ÅÅÅÅ-MM-DD."))
        return redirect("targetgroup:list")
    data = form.cleaned_data
    day: dt.date = data.get("datum") or timezone.localdate()
    view = selectors.target_group_page(
        viewer=request.user,
        ctx=access_context(request),
        reference_date=day,
        target_list=data.get("lista") or TargetList.KAA,
        page=data.get("sida") or 1,
    )
    return render(
        request,
        "targetgroup/list.html",
        {"nav": "targetgroup", "view": view, "form": form, "tabs": _tabs(view)},
    )


def _tabs(view: selectors.TargetGroupPage) -> list[dict[str, Any]]:
    base = reverse("targetgroup:list")
    return [
        {
            "name": name,
            "label": label,
            "count": view.counts[name],
            "url": f"{base}?{urlencode({'lista': name, 'datum': view.reference_date.isoformat()})}",
            "current": name == view.target_list,
        }
        for name, label in TargetList.choices
    ]


@domain_page("GET", "POST")
def episode_handover(request: AuthenticatedRequest, episode_id: uuid.UUID) -> HttpResponse:
    view = selectors.handover_get(viewer=request.user, episode_id=episode_id)
    form = HandoverForm(
        request.POST if request.method == "POST" else None,
        projects=view.projects,
        coaches=view.coaches,
        initial={"coach": view.current_coach_id},
    )
    if form.is_bound and form.is_valid():
        try:
            services.episode_handover(
                ctx=access_context(request),
                episode=view.episode,
                project=form.cleaned_data["project"],
                coach=form.cleaned_data["coach"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Personen är överlämnad och fortsätter i projektet."))
            return redirect("people:detail", person_id=view.episode.person_id)
    # The episode is in the viewer's own register (handover_get checked it): basis own unit.
    access_log_form_shown(
        ctx=access_context(request),
        person_id=view.episode.person_id,
        basis=AccessBasis.OWN_UNIT,
        page="targetgroup.handover",
    )
    return render(
        request,
        "targetgroup/handover.html",
        {"nav": "targetgroup", "view": view, "form": form},
        status=form_status(form) if getattr(form, "conflict", None) else 400 if form.is_bound else 200,
    )


@domain_page("GET", "POST")
def setting_edit(request: AuthenticatedRequest) -> HttpResponse:
    municipality = selectors.setting_municipality(viewer=request.user, code=request.GET.get("kommun", "")[:4])
    if municipality is None:
        context = {"nav": "targetgroup", "municipalities": organisation_selectors.municipality_choices()}
        return render(request, "targetgroup/settings_choose.html", context)
    if request.method == "POST":
        services.require_may_change_setting(viewer=request.user, municipality=municipality)
    setting = services.target_group_setting_get(municipality=municipality)
    initial = {"im_ends_kaa": setting.im_ends_kaa, "first_contact_workdays": setting.first_contact_workdays}
    form = SettingForm(request.POST if request.method == "POST" else None, initial=initial)
    add_version_field(form, services.target_group_setting_version(setting=setting))
    if form.is_bound and form.is_valid():
        try:
            services.target_group_setting_update(
                ctx=access_context(request),
                municipality=municipality,
                im_ends_kaa=form.cleaned_data["im_ends_kaa"],
                first_contact_workdays=form.cleaned_data["first_contact_workdays"],
                expected_version=submitted_version(form),
            )
        except Conflict as exc:
            setting = services.target_group_setting_get(municipality=municipality)
            saved = SettingForm(
                initial={"im_ends_kaa": setting.im_ends_kaa, "first_contact_workdays": setting.first_contact_workdays}
            )
            show_conflict(form, saved=saved, version=services.target_group_setting_version(setting=setting), error=exc)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Inställningarna är sparade."))
            return redirect(f"{reverse('targetgroup:settings')}?{urlencode({'kommun': municipality.code})}")
    return render(
        request,
        "targetgroup/settings.html",
        {
            "nav": "targetgroup",
            "municipality": municipality,
            "form": form,
            "may_change": services.may_change_setting(viewer=request.user, municipality=municipality),
        },
        status=form_status(form) if getattr(form, "conflict", None) else 400 if form.is_bound else 200,
    )
