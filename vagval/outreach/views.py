"""Outreach pages: the unit's worklist, contact follow-up, and per person: contact, occupation, letter.

Views parse input with forms, call one selector or service and render. Who may see what is
decided in the selectors through vagval.access.checks; persons are addressed by id, never by number.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.audit.services import access_log_form_shown
from vagval.common.errors import InvalidInput
from vagval.common.forms import add_service_errors
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest, page_number
from vagval.common.views import domain_page
from vagval.outreach import selectors, services
from vagval.outreach.forms import ContactAttemptForm, FollowupForm, LetterForm, OccupationForm, WorklistFilterForm


@domain_page("GET")
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    options = selectors.worklist_options(viewer=request.user)
    form = WorklistFilterForm(request.GET or None, schools=options.schools, reasons=options.reasons)
    result = selectors.worklist(
        viewer=request.user,
        ctx=access_context(request),
        filters=form.filters(),
        page=page_number(request.GET.get("page")),
    )
    return render(request, "outreach/worklist.html", {"nav": "outreach", "form": form, "worklist": result})


@domain_page("GET")
def followup(request: AuthenticatedRequest) -> HttpResponse:
    form = FollowupForm(request.GET or None)
    date_from, date_to = form.period(today=timezone.localdate())
    result = selectors.contact_followup(viewer=request.user, date_from=date_from, date_to=date_to)
    return render(request, "outreach/followup.html", {"nav": "outreach", "form": form, "followup": result})


@domain_page("GET", "POST")
def contact_create(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    return _record_for_person(
        request,
        person_id,
        form=ContactAttemptForm(request.POST if request.method == "POST" else None),
        record=services.contact_attempt_record,
        done=_("Kontaktförsöket är registrerat."),
        template="outreach/contact_form.html",
        page="outreach.contact",
    )


@domain_page("GET", "POST")
def occupation_create(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    return _record_for_person(
        request,
        person_id,
        form=OccupationForm(request.POST if request.method == "POST" else None),
        record=services.occupation_record,
        done=_("Sysselsättningen är registrerad."),
        template="outreach/occupation_form.html",
        page="outreach.occupation",
    )


def _record_for_person(
    request: AuthenticatedRequest,
    person_id: uuid.UUID,
    *,
    form: ContactAttemptForm | OccupationForm,
    record: Callable[..., object],
    done: str,
    template: str,
    page: str,
) -> HttpResponse:
    """A form that records one thing about a person: shown (a view of the person, logged as
    such), then recorded through the service, and back to the person page."""
    person, access = selectors.outreach_person(viewer=request.user, person_id=person_id, write=True)
    if form.is_bound and form.is_valid():
        try:
            record(ctx=access_context(request), person_id=person.pk, data=form.service_data())
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("people:detail", person_id=person.pk)
    access_log_form_shown(ctx=access_context(request), person_id=person.pk, basis=access.basis, page=page)
    return render(
        request,
        template,
        {"nav": "outreach", "person": person, "form": form},
        status=400 if form.is_bound else 200,
    )


@domain_page("GET", "POST")
def letter(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    person, access = selectors.outreach_person(viewer=request.user, person_id=person_id, write=True)
    form = LetterForm(request.POST if request.method == "POST" else None)
    refused = services.letter_refused(person=person, access=access)
    if form.is_bound and form.is_valid() and not refused:
        try:
            printed = services.letter_print(
                ctx=access_context(request),
                person_id=person.pk,
                confirmed_protected=form.cleaned_data["confirm_protected"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            response = HttpResponse(printed.pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
            response["Cache-Control"] = "no-store, private"
            return response
    access_log_form_shown(ctx=access_context(request), person_id=person.pk, basis=access.basis, page="outreach.letter")
    return render(
        request,
        "outreach/letter_form.html",
        {"nav": "outreach", "person": person, "form": form, "refused": refused},
        status=403 if refused else (400 if form.is_bound else 200),
    )
