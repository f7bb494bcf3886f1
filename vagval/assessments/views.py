"""Mapping pages: a person's responses and progress, filling in, personal links (staff side and the
public page behind a link), the project leader's cohort view and instrument administration.

Views parse input with forms, call a selector or service and render. Person visibility is decided
in vagval.access.checks through the selectors, which also write the access log.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from vagval.accounts.decorators import admin_required
from vagval.accounts.system import SystemActor, system_context
from vagval.assessments import selectors, services
from vagval.assessments.definitions import RESPONDENTS
from vagval.assessments.forms import AnswersForm, InstrumentUploadForm, LinkCreateForm, StaffResponseForm
from vagval.assessments.links import LinkRefused
from vagval.assessments.models import Respondent
from vagval.common import scoping
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.common.forms import add_service_errors
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest, client_address
from vagval.common.views import domain_page

# The one-time display of a new link's token: kept in the session until the page shows it once.
SESSION_TOKENS = "assessment_link_tokens"


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"assessments/{template}", {"nav": "caseload", **context}, status=status)


def _add_errors(form: Any, exc: InvalidInput) -> None:
    if not isinstance(form, AnswersForm):
        add_service_errors(form, exc)
        return
    form.add_answer_errors(exc.field_errors)
    if not exc.field_errors:
        form.add_error(None, exc.message)


# --- A person's mappings -----------------------------------------------------------------------


def _link_targets(page: selectors.PersonAssessments) -> list[tuple[str, str]]:
    labels = dict(Respondent.choices)
    return [
        (f"{choice.instrument.slug}:{respondent}", f"{choice.instrument.title} – {labels[respondent]}")
        for choice in page.instruments
        for respondent in choice.definition.link_respondents
    ]


@domain_page("GET")
def person(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    page = selectors.person_assessments(viewer=request.user, ctx=access_context(request), person_id=person_id)
    link_form = LinkCreateForm(targets=_link_targets(page)) if page.may_write else None
    return _render(request, "person.html", {"page": page, "person": page.person, "link_form": link_form})


@domain_page("GET", "POST")
def response_create(request: AuthenticatedRequest, person_id: uuid.UUID, slug: str) -> HttpResponse:
    person = selectors.person_for_writing(viewer=request.user, person_id=person_id)
    instrument, version, definition = selectors.instrument_for_filling(slug=slug)
    form = StaffResponseForm(request.POST if request.method == "POST" else None, definition=definition)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_create(
                ctx=access_context(request),
                person=person,
                version=version,
                respondent=form.cleaned_data["respondent"],
                context=form.cleaned_data["context"],
                answered_on=form.answered_on_value,
                raw_answers=form.raw_answers(),
            )
        except InvalidInput as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Svaren på %(title)s är sparade.") % {"title": definition.title})
            return redirect("assessments:response_detail", response_id=response.pk)
    return _render(
        request,
        "response_form.html",
        {"person": person, "instrument": instrument, "version": version, "definition": definition, "form": form},
        status=400 if form.errors else 200,
    )


@domain_page("GET")
def response_detail(request: AuthenticatedRequest, response_id: uuid.UUID) -> HttpResponse:
    view = selectors.response_get(viewer=request.user, ctx=access_context(request), response_id=response_id)
    return _render(request, "response_detail.html", {"view": view, "person": view.person, "response": view.response})


# --- Personal links (staff side) -----------------------------------------------------------------


@domain_page("POST")
def link_create(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    ctx = access_context(request)
    person = selectors.person_for_writing(viewer=request.user, person_id=person_id)
    page = selectors.person_assessments(viewer=request.user, ctx=ctx, person_id=person.pk)
    form = LinkCreateForm(request.POST, targets=_link_targets(page))
    if form.is_valid():
        slug, respondent = form.slug_and_respondent
        instrument, _version, _definition = selectors.instrument_for_filling(slug=slug)
        try:
            created = services.link_create(
                ctx=ctx,
                person=person,
                instrument=instrument,
                respondent=respondent,
                context=form.cleaned_data["context"],
                valid_days=form.cleaned_data["valid_days"],
                send_via=form.cleaned_data["send_via"],
                send_to=form.cleaned_data["send_to"],
                url_for=lambda token: request.build_absolute_uri(reverse("assessments:link_form", args=[token])),
            )
        except InvalidInput as exc:
            _add_errors(form, exc)
        else:
            tokens = request.session.get(SESSION_TOKENS, {})
            tokens[str(created.link.pk)] = created.url
            request.session[SESSION_TOKENS] = tokens
            if created.sent:
                messages.success(request, _("Länken är skapad och skickad."))
            return redirect("assessments:link_detail", link_id=created.link.pk)
    return _render(request, "person.html", {"page": page, "person": page.person, "link_form": form}, status=400)


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg: bytes = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


@domain_page("GET")
def link_detail(request: AuthenticatedRequest, link_id: uuid.UUID) -> HttpResponse:
    link, access = selectors.link_get(viewer=request.user, link_id=link_id, ctx=access_context(request))
    # The address is shown once, right after the link was made; then only its status.
    tokens = request.session.get(SESSION_TOKENS, {})
    url = tokens.pop(str(link.pk), None)
    if url is not None:
        request.session[SESSION_TOKENS] = tokens
    return _render(
        request,
        "link_detail.html",
        {
            "link": link,
            "person": link.person,
            "url": url,
            "qr": _qr_data_uri(url) if url else None,
            "may_write": access.can_write,
        },
    )


@domain_page("POST")
def link_revoke(request: AuthenticatedRequest, link_id: uuid.UUID) -> HttpResponse:
    link, _access = selectors.link_get(viewer=request.user, link_id=link_id, for_change=True)
    try:
        services.link_revoke(ctx=access_context(request), link=link)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Länken är återkallad och fungerar inte längre."))
    return redirect("assessments:person", person_id=link.person_id)


# --- The public page behind a link ---------------------------------------------------------------


def _public(response: HttpResponse) -> HttpResponse:
    # The site's Referrer-Policy (same-origin) already keeps the token from leaving the site;
    # "no-referrer" would make browsers send "Origin: null" and fail the CSRF check.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _as_personal_link(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page behind a personal link has no signed-in user: it acts as the named system actor
    "personlig länk" (common/scoping.py). What it shows is logged with the link's own basis."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ctx = system_context(SystemActor.PERSONAL_LINK, detail=client_address(request))
        with scoping.activated(ctx, "personal_link"):
            return view(request, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@_as_personal_link
def link_form(request: HttpRequest, token: str) -> HttpResponse:
    """The young person's or supervisor's form. No login: the token is the only key, and it opens
    this one form and nothing else (no navigation, no other pages or responses)."""
    address = client_address(request)
    try:
        view = selectors.link_for_token(token=token, client_address=address, log_opened=request.method == "GET")
    except LinkRefused as exc:
        status = 404 if exc.reason == "unknown" else 410
        return _public(
            render(
                request,
                "assessments/public_refused.html",
                {"reason": exc.reason, "message": exc.message},
                status=status,
            )
        )
    form = AnswersForm(request.POST if request.method == "POST" else None, definition=view.definition)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_submit(link=view.link, client_address=address, raw_answers=form.raw_answers())
        except LinkRefused as exc:
            return _public(
                render(
                    request,
                    "assessments/public_refused.html",
                    {"reason": exc.reason, "message": exc.message},
                    status=410,
                )
            )
        except InvalidInput as exc:
            _add_errors(form, exc)
        else:
            return _public(render(request, "assessments/public_thanks.html", {"view": view}))
    if request.method == "POST":
        # Answers that could not be accepted: the form is shown again, and that use is logged too.
        services.link_log(
            link=view.link, client_address=address, action="assessment_link.opened", answers="ofullständiga"
        )
    return _public(
        render(
            request,
            "assessments/public_form.html",
            {"view": view, "definition": view.definition, "form": form},
            status=400 if form.errors else 200,
        )
    )


# --- Cohort ---------------------------------------------------------------------------------------


@domain_page("GET")
def cohort(request: AuthenticatedRequest) -> HttpResponse:
    view = selectors.cohort_progress(viewer=request.user, ctx=access_context(request))
    return _render(request, "cohort.html", {"view": view, "nav": "cohort"})


# --- Administration of instruments ------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
@never_cache
def instrument_list(request: AuthenticatedRequest) -> HttpResponse:
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.instrument_version_upload(
                ctx=access_context(request), raw=form.cleaned_data["file"].read()
            )
        except InvalidInput as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            raise HttpPermissionDenied(exc.message) from None
        else:
            messages.success(
                request,
                _("Version %(number)s av %(title)s är inläst och används för nya svar.")
                % {"number": version.number, "title": version.instrument.title},
            )
            return redirect("assessments:instrument_list")
    rows = selectors.instrument_admin_list(viewer=request.user)
    return render(
        request,
        "assessments/instrument_list.html",
        {"nav": "admin", "rows": rows, "form": form},
        status=400 if form.errors else 200,
    )


@admin_required
@require_http_methods(["GET"])
def instrument_version(request: AuthenticatedRequest, slug: str, number: int) -> HttpResponse:
    try:
        version, definition = selectors.instrument_version_get(viewer=request.user, slug=slug, number=number)
    except NotFound as exc:
        raise Http404(exc.message) from None
    return render(
        request,
        "assessments/instrument_version.html",
        {
            "nav": "admin",
            "version": version,
            "definition": definition,
            "source_text": services.definition_text(version.definition),
            "respondents": [RESPONDENTS[r] for r in definition.respondents],
        },
    )
