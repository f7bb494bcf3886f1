"""Journal note pages: a person's notes with a form to write, and the correction form.

Views parse input with forms, call a selector or service and render. Who may read and write
is decided in vagval.access.checks (through the selectors and services).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vagval.common.errors import InvalidInput
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.common.views import domain_page
from vagval.journal import selectors, services
from vagval.journal.forms import NoteForm, add_service_errors


@domain_page("GET", "POST")
def person_notes(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        # Refuse (404/403) before reading the note, then let the service apply the rules.
        person = selectors.person_for_note(viewer=request.user, person_id=person_id)
        if form.is_valid():
            try:
                services.note_write(ctx=ctx, person=person, data=form.note_data())
            except InvalidInput as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Anteckningen är sparad."))
                return redirect("journal:person_notes", person_id=person_id)
    view = selectors.notes_for_person(viewer=request.user, ctx=ctx, person_id=person_id)
    return render(
        request,
        "journal/person_notes.html",
        {"nav": "caseload", "view": view, "person": view.person, "form": form},
        status=400 if form.is_bound else 200,
    )


@domain_page("GET", "POST")
def note_correct(request: AuthenticatedRequest, note_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    view = selectors.note_for_correction(viewer=request.user, ctx=ctx, note_id=note_id)
    original = view.note
    initial = {
        "text": original.text,
        "context": original.context,
        "sensitive": original.sensitive,
        "visibility": original.visibility,
    }
    form = NoteForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.note_correct(ctx=ctx, note_id=note_id, data=form.note_data())
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rättelsen är sparad. Den tidigare versionen finns kvar i historiken."))
            return redirect("journal:person_notes", person_id=original.person_id)
    return render(
        request,
        "journal/note_correct.html",
        {"nav": "caseload", "view": view, "note": original, "person": view.person, "form": form},
        status=400 if form.is_bound else 200,
    )
