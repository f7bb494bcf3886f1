"""Consent pages: a person's consents, recording, details, withdrawal, the uploaded form and
the young person's own "who can see what about me".

Views parse input with forms, call a selector or service and render. Visibility is decided in
vagval.access.checks (through the selectors), which also log every page that shows a person.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vagval.common.errors import InvalidInput
from vagval.common.forms import add_service_errors
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.consent import selectors, services
from vagval.consent.forms import ConsentRecordForm, WithdrawForm

CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"consent/{template}", {"nav": "caseload", **context})


@domain_page("GET")
def person_consents(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    page = selectors.person_consents(viewer=request.user, ctx=access_context(request), person_id=person_id)
    return _render(request, "person_consents.html", {"page": page, "person": page.person})


@domain_page("GET", "POST")
def record(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    person = selectors.consent_record_person(viewer=request.user, ctx=ctx, person_id=person_id)
    form = ConsentRecordForm(
        request.POST or None,
        request.FILES or None,
        recipient_groups=selectors.recipient_choices(viewer=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_record(ctx=ctx, person=person, data=form.to_data())
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Samtycket är sparat. Det gäller från %(day)s.") % {"day": consent.valid_from})
            return redirect("consent:person_consents", person_id=person.pk)
    return _render(request, "record.html", {"form": form, "person": person})


@domain_page("GET")
def detail(request: AuthenticatedRequest, consent_id: uuid.UUID) -> HttpResponse:
    view = selectors.consent_detail(viewer=request.user, ctx=access_context(request), consent_id=consent_id)
    return _render(request, "detail.html", {"view": view, "consent": view.consent, "person": view.consent.person})


@domain_page("GET", "POST")
def withdraw(request: AuthenticatedRequest, consent_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    view = selectors.consent_detail(viewer=request.user, ctx=ctx, consent_id=consent_id)
    choices = selectors.withdrawal_choices(viewer=request.user, view=view)
    form = WithdrawForm(request.POST or None, choices=choices)
    if request.method == "POST" and choices and form.is_valid():
        try:
            services.consent_withdraw(
                ctx=ctx,
                consent=view.consent,
                recipient_unit_id=form.recipient_unit_id,
                note=form.cleaned_data["note"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Samtycket är återkallat. Det gäller från och med nu."))
            if view.documented_here:
                return redirect("consent:person_consents", person_id=view.consent.person_id)
            # A recipient that withdrew for itself no longer sees the person.
            return redirect("people:caseload")
    return _render(
        request,
        "withdraw.html",
        {"view": view, "consent": view.consent, "person": view.consent.person, "form": form, "choices": choices},
    )


@domain_page("GET")
def document(request: AuthenticatedRequest, consent_id: uuid.UUID) -> FileResponse:
    consent = selectors.consent_document(viewer=request.user, ctx=access_context(request), consent_id=consent_id)
    suffix = (consent.document.name or "").rsplit(".", 1)[-1].lower()
    return FileResponse(
        consent.document.open("rb"),
        as_attachment=True,
        # A neutral name: never the person's name or number.
        filename=f"samtyckesblankett-{consent.valid_from:%Y%m%d}.{suffix}",
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )


@domain_page("GET")
def overview(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    page = selectors.person_sharing_page(viewer=request.user, ctx=access_context(request), person_id=person_id)
    return _render(request, "overview.html", {"page": page, "person": page.person})
