"""Referral pages: lists, a new referral, one referral with its actions, and response times.

Views parse input with forms, call a selector or service and render. Who may see a referral
is decided by the selectors through vagval.access.checks.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.audit.services import AccessContext
from vagval.common.errors import InvalidInput
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.referrals import selectors, services
from vagval.referrals.forms import (
    AcceptForm,
    AddInfoForm,
    DeclineForm,
    ReferralForm,
    RequestInfoForm,
    ResponseTimesForm,
    WithdrawForm,
    add_service_errors,
)
from vagval.referrals.models import Referral


@domain_page("GET")
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    ctx = access_context(request)
    incoming = selectors.referrals_incoming(viewer=request.user, ctx=ctx)
    outgoing = selectors.referrals_outgoing(viewer=request.user, ctx=ctx)
    return render(
        request,
        "referrals/list.html",
        {
            "nav": "referrals",
            "incoming": incoming,
            "outgoing": outgoing,
            "incoming_overdue": sum(1 for row in incoming if row.overdue),
            "outgoing_overdue": sum(1 for row in outgoing if row.overdue),
            "no_unit": request.user.unit_id is None,
        },
    )


@domain_page("GET", "POST")
def referral_create(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    view = selectors.referral_new_get(viewer=request.user, ctx=ctx, person_id=person_id)
    form = ReferralForm(request.POST if request.method == "POST" else None, recipients=view.recipients)
    if form.is_bound and form.is_valid():
        data = services.ReferralData(
            to_unit_id=uuid.UUID(form.cleaned_data["to_unit"]),
            reason=form.cleaned_data["reason"],
            requested_measure=form.cleaned_data["requested_measure"],
        )
        try:
            referral = services.referral_send(ctx=ctx, person=view.person, data=data)
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Remissen är skickad."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(
        request,
        "referrals/create.html",
        {"nav": "referrals", "view": view, "form": form},
        status=400 if form.is_bound else 200,
    )


@dataclass(frozen=True)
class _Action:
    form_class: type[forms.Form]
    side: str  # who may take it: selectors.SENDER or selectors.RECIPIENT
    call: Callable[[AccessContext, uuid.UUID, dict[str, Any]], Referral]
    message: Any  # lazy translated success message


_ACTIONS: dict[str, _Action] = {
    "accept": _Action(
        AcceptForm,
        selectors.RECIPIENT,
        lambda ctx, rid, d: services.referral_accept(
            ctx=ctx, referral_id=rid, response=d["response"], step_text=d["step_text"]
        ),
        gettext_lazy("Remissen är accepterad."),
    ),
    "decline": _Action(
        DeclineForm,
        selectors.RECIPIENT,
        lambda ctx, rid, d: services.referral_decline(ctx=ctx, referral_id=rid, reason=d["decline_reason"]),
        gettext_lazy("Remissen är avböjd."),
    ),
    "request_info": _Action(
        RequestInfoForm,
        selectors.RECIPIENT,
        lambda ctx, rid, d: services.referral_request_info(ctx=ctx, referral_id=rid, question=d["question"]),
        gettext_lazy("Begäran om komplettering är skickad."),
    ),
    "add_info": _Action(
        AddInfoForm,
        selectors.SENDER,
        lambda ctx, rid, d: services.referral_add_info(ctx=ctx, referral_id=rid, text=d["text"]),
        gettext_lazy("Kompletteringen är skickad."),
    ),
    "withdraw": _Action(
        WithdrawForm,
        selectors.SENDER,
        lambda ctx, rid, d: services.referral_withdraw(ctx=ctx, referral_id=rid, note=d["note"]),
        gettext_lazy("Remissen är återkallad."),
    ),
}


@domain_page("GET", "POST")
def referral_detail(request: AuthenticatedRequest, referral_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        action = _ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            raise Http404(_("Okänd åtgärd."))
        name = request.POST["action"]
        # 404 for those who may not see the referral, 403 for those who may not act, before any input is read.
        selectors.referral_check_side(viewer=request.user, referral_id=referral_id, side=action.side)
        form = action.form_class(request.POST, prefix=name)
        if form.is_valid():
            try:
                action.call(ctx, referral_id, form.cleaned_data)
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, action.message)
                return redirect("referrals:detail", referral_id=referral_id)
        bound[name] = form
    view = selectors.referral_get(viewer=request.user, ctx=ctx, referral_id=referral_id)
    action_forms = {name: bound.get(name) or action.form_class(prefix=name) for name, action in _ACTIONS.items()}
    return render(
        request,
        "referrals/detail.html",
        {"nav": "referrals", "view": view, "referral": view.referral, "forms": action_forms},
        status=400 if bound else 200,
    )


@domain_page("GET")
def response_times(request: AuthenticatedRequest) -> HttpResponse:
    form = ResponseTimesForm(request.GET or None)
    since = form.cleaned_data["since"] if form.is_bound and form.is_valid() else None
    rows = selectors.referral_response_times(viewer=request.user, since=since)
    return render(request, "referrals/response_times.html", {"nav": "referrals", "form": form, "rows": rows})
