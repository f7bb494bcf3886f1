"""Pages of the catalogue's offer side: offers, providers and their contacts, employers' needs and interests.

Thin: parse a form, call one selector or service, render. Who may do what is decided in
offer_selectors (see its docstring); a write page refuses (403) before it shows or reads a form.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vagval.accounts.system import SystemActor, system_context
from vagval.catalogue import admission_selectors, offer_links
from vagval.catalogue import offer_selectors as selectors
from vagval.catalogue import offer_services as services
from vagval.catalogue.models import OfferKind
from vagval.catalogue.offer_forms import (
    ContactForm,
    InterestFilterForm,
    InterestForm,
    NeedForm,
    OfferFilterForm,
    OfferForm,
    OfferStatusForm,
    ProviderFilterForm,
    ProviderForm,
    offer_initial,
)
from vagval.common import scoping
from vagval.common.errors import Conflict, InvalidInput
from vagval.common.forms import add_service_errors, add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest, client_address
from vagval.common.views import domain_page

PAGE_SIZE = 50


def _render(request: AuthenticatedRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context.get("form")
    status = form_status(form) if isinstance(form, forms.BaseForm) else 200
    return render(request, f"catalogue/{template}", {"nav": "catalogue", **context}, status=status)


def _owners(request: AuthenticatedRequest) -> list[tuple[str, str]] | None:
    """The owner choices of a form: only administrators choose."""
    return selectors.owner_choices(request.user) if request.user.is_administrator else None


def _save(form: forms.Form, call: Callable[[], Any], saved_now: Callable[[], tuple[forms.Form, str]] | None) -> Any:
    """Call a service; put its field errors (or, for a stale edit, both versions) on the form."""
    try:
        return call()
    except Conflict as exc:
        assert saved_now is not None
        saved, version = saved_now()
        show_conflict(form, saved=saved, version=version, error=exc)
    except InvalidInput as exc:
        add_service_errors(form, exc)
    return None


def _edit_page(
    request: AuthenticatedRequest,
    *,
    load: Callable[[], Any],
    make_form: Callable[[Any, Any], forms.Form],
    update: Callable[..., Any],
    record_kw: str,
    template: str,
    saved_message: str,
    done: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """An edit page of an owned entry: 404 for an unknown one (`load`), 403 for one the user may
    see but not maintain; the form with the version it shows; after a valid POST the service
    `update`, then `done(saved)`; a stale edit shows both versions."""
    record = load()
    selectors.require_maintain(request.user, record.owner_id)
    form, saved = _edit(request, record=record, load=load, make_form=make_form, update=update, record_kw=record_kw)
    if saved is not None:
        messages.success(request, saved_message)
        return done(saved)
    return _render(request, template, {"form": form, record_kw: record})


def _create_page(
    request: AuthenticatedRequest,
    form: forms.Form,
    *,
    create: Callable[..., Any],
    record_kw: str,
    template: str,
    saved_message: Callable[[Any], str],
    done: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """A page that adds an owned entry (the view has checked that the user may create): after a
    valid POST the service `create(ctx=…, data=…)`, then `done(created)`."""
    if request.method == "POST" and form.is_valid():
        created = _save(
            form,
            lambda: create(ctx=access_context(request), data=form.to_data()),  # type: ignore[attr-defined]
            None,
        )
        if created is not None:
            messages.success(request, saved_message(created))
            return done(created)
    return _render(request, template, {"form": form, record_kw: None})


def _edit(
    request: AuthenticatedRequest,
    *,
    record: Any,
    load: Callable[[], Any],
    make_form: Callable[[Any, Any], forms.Form],
    update: Callable[..., Any],
    record_kw: str,
) -> tuple[forms.Form, Any]:
    """An edit page's form with the version it shows, and the saved record after a valid POST (or None)."""

    def edit_form(data: Any, stored: Any) -> forms.Form:
        return add_version_field(make_form(data, stored), services.record_version(stored))

    def saved_now() -> tuple[forms.Form, str]:
        now = load()
        return edit_form(None, now), services.record_version(now)

    form = edit_form(request.POST or None, record)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: update(
                ctx=access_context(request),
                data=form.to_data(),  # type: ignore[attr-defined]
                expected_version=submitted_version(form),
                **{record_kw: record},
            ),
            saved_now,
        )
    return form, saved


# --- Offers ---------------------------------------------------------------------------------


@domain_page("GET")
def offer_list(request: AuthenticatedRequest) -> HttpResponse:
    selectors.require_view(request.user)
    form = OfferFilterForm(request.GET or None, municipalities=selectors.municipality_choices())
    offers = selectors.offer_list(viewer=request.user, filters=form.filters())
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return _render(
        request,
        "offer_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "may_create": selectors.may_create(request.user)},
    )


def _offer_form(request: AuthenticatedRequest, data: Any, initial: dict[str, Any] | None = None) -> OfferForm:
    return OfferForm(
        data,
        initial=initial,
        providers=selectors.provider_choices(viewer=request.user),
        contacts=selectors.contact_choices(viewer=request.user),
        municipalities=selectors.municipality_choices(),
        owners=_owners(request),
    )


@domain_page("GET", "POST")
def offer_create(request: AuthenticatedRequest) -> HttpResponse:
    selectors.require_create(request.user)
    initial = {"provider_id": request.GET.get("anordnare", ""), "capacity": 1}
    return _create_page(
        request,
        _offer_form(request, request.POST or None, initial),
        create=services.offer_create,
        record_kw="offer",
        template="offer_form.html",
        saved_message=lambda offer: _("Erbjudandet %(title)s har lagts till.") % {"title": offer.title},
        done=lambda offer: redirect("catalogue:offer_detail", offer_id=offer.pk),
    )


@domain_page("GET")
def offer_detail(request: AuthenticatedRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = selectors.offer_get(viewer=request.user, offer_id=offer_id)
    may_maintain = selectors.may_maintain(request.user, offer.owner_id)
    return _render(
        request,
        "offer_detail.html",
        {
            "offer": offer,
            "may_maintain": may_maintain,
            "status_form": OfferStatusForm(initial={"status": offer.status}) if may_maintain else None,
            "ssyk": selectors.ssyk_label(offer.ssyk_area) if offer.ssyk_area else "",
            # A study offer's intakes: admission there gives a placement in this offer.
            "rounds": admission_selectors.rounds(offer_id=offer.pk) if offer.kind == OfferKind.STUDY else None,
        },
    )


@domain_page("GET", "POST")
def offer_edit(request: AuthenticatedRequest, offer_id: uuid.UUID) -> HttpResponse:
    return _edit_page(
        request,
        load=lambda: selectors.offer_get(viewer=request.user, offer_id=offer_id),
        make_form=lambda data, stored: _offer_form(request, data, offer_initial(stored)),
        update=services.offer_update,
        record_kw="offer",
        template="offer_form.html",
        saved_message=_("Erbjudandet har sparats."),
        done=lambda offer: redirect("catalogue:offer_detail", offer_id=offer_id),
    )


@domain_page("POST")
def offer_status(request: AuthenticatedRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = selectors.offer_get(viewer=request.user, offer_id=offer_id)
    selectors.require_maintain(request.user, offer.owner_id)
    form = OfferStatusForm(request.POST)
    if form.is_valid():
        changed = services.offer_status_change(
            ctx=access_context(request), offer=offer, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Erbjudandet har nu status %(status)s.") % {"status": changed.get_status_display()})
        return redirect("catalogue:offer_detail", offer_id=offer_id)
    response = _render(
        request,
        "offer_detail.html",
        {"offer": offer, "may_maintain": True, "status_form": form, "ssyk": selectors.ssyk_label(offer.ssyk_area)},
    )
    response.status_code = 400
    return response


# --- Providers and contacts -----------------------------------------------------------------


@domain_page("GET")
def provider_list(request: AuthenticatedRequest) -> HttpResponse:
    selectors.require_view(request.user)
    form = ProviderFilterForm(request.GET or None, municipalities=selectors.municipality_choices())
    providers = selectors.provider_list(viewer=request.user, filters=form.filters())
    page = Paginator(providers, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return _render(
        request,
        "provider_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "may_create": selectors.may_create(request.user)},
    )


def _provider_form(request: AuthenticatedRequest, data: Any, initial: dict[str, Any] | None = None) -> ProviderForm:
    return ProviderForm(data, initial=initial, municipalities=selectors.municipality_choices(), owners=_owners(request))


@domain_page("GET", "POST")
def provider_create(request: AuthenticatedRequest) -> HttpResponse:
    selectors.require_create(request.user)
    return _create_page(
        request,
        _provider_form(request, request.POST or None),
        create=services.provider_create,
        record_kw="provider",
        template="provider_form.html",
        saved_message=lambda provider: _("Anordnaren %(name)s har lagts till.") % {"name": provider.name},
        done=lambda provider: redirect("catalogue:provider_detail", provider_id=provider.pk),
    )


@domain_page("GET")
def provider_detail(request: AuthenticatedRequest, provider_id: uuid.UUID) -> HttpResponse:
    provider = selectors.provider_get(viewer=request.user, provider_id=provider_id)
    return _render(
        request,
        "provider_detail.html",
        {
            "provider": provider,
            "sni": selectors.sni_label(provider.sni_section) if provider.sni_section else "",
            "contacts": selectors.provider_contacts(viewer=request.user, provider=provider),
            "offers": selectors.offer_list(
                viewer=request.user, filters=selectors.OfferFilters(provider_id=provider.pk)
            ),
            "needs": selectors.need_list(viewer=request.user, provider_id=provider.pk),
            "may_maintain": selectors.may_maintain(request.user, provider.owner_id),
            "may_create": selectors.may_create(request.user),
        },
    )


def _provider_initial(provider: Any) -> dict[str, Any]:
    return {
        "name": provider.name,
        "kind": provider.kind,
        "organisation_number": provider.organisation_number,
        "sni_section": provider.sni_section,
        "municipality_code": provider.municipality_id or "",
        "address": provider.address,
        "owner_id": str(provider.owner_id),
    }


@domain_page("GET", "POST")
def provider_edit(request: AuthenticatedRequest, provider_id: uuid.UUID) -> HttpResponse:
    return _edit_page(
        request,
        load=lambda: selectors.provider_get(viewer=request.user, provider_id=provider_id),
        make_form=lambda data, stored: _provider_form(request, data, _provider_initial(stored)),
        update=services.provider_update,
        record_kw="provider",
        template="provider_form.html",
        saved_message=_("Anordnaren har sparats."),
        done=lambda provider: redirect("catalogue:provider_detail", provider_id=provider_id),
    )


@domain_page("GET", "POST")
def provider_contact_create(request: AuthenticatedRequest, provider_id: uuid.UUID) -> HttpResponse:
    provider = selectors.provider_get(viewer=request.user, provider_id=provider_id)
    selectors.require_maintain(request.user, provider.owner_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = _save(
            form,
            lambda: services.provider_contact_create(
                ctx=access_context(request), provider=provider, data=form.to_data()
            ),
            None,
        )
        if contact is not None:
            messages.success(request, _("Kontaktpersonen har lagts till."))
            return redirect("catalogue:provider_detail", provider_id=provider_id)
    return _render(request, "provider_contact_form.html", {"form": form, "provider": provider, "contact": None})


@domain_page("GET", "POST")
def provider_contact_edit(request: AuthenticatedRequest, provider_id: uuid.UUID, contact_id: uuid.UUID) -> HttpResponse:
    provider = selectors.provider_get(viewer=request.user, provider_id=provider_id)
    selectors.require_maintain(request.user, provider.owner_id)

    def load() -> Any:
        return selectors.provider_contact_get(viewer=request.user, provider=provider, contact_id=contact_id)

    contact = load()
    form, saved = _edit(
        request,
        record=contact,
        load=load,
        make_form=lambda data, stored: ContactForm(
            data, initial={"name": stored.name, "role": stored.role, "phone": stored.phone, "email": stored.email}
        ),
        update=services.provider_contact_update,
        record_kw="contact",
    )
    if saved is not None:
        messages.success(request, _("Kontaktpersonen har sparats."))
        return redirect("catalogue:provider_detail", provider_id=provider_id)
    return _render(request, "provider_contact_form.html", {"form": form, "provider": provider, "contact": contact})


# --- Employers' needs and interests (the business network) ----------------------------------


def _need_form(request: AuthenticatedRequest, data: Any, initial: dict[str, Any] | None = None) -> NeedForm:
    return NeedForm(
        data,
        initial=initial,
        providers=selectors.provider_choices(viewer=request.user),
        contacts=selectors.contact_choices(viewer=request.user),
        owners=_owners(request),
    )


def _need_initial(need: Any) -> dict[str, Any]:
    return {
        "provider_id": str(need.provider_id),
        "ssyk_area": need.ssyk_area,
        "sni_section": need.sni_section,
        "headcount": need.headcount,
        "horizon": need.horizon,
        "stated_on": need.stated_on,
        "contact_id": str(need.contact_id or ""),
        "note": need.note,
        "owner_id": str(need.owner_id),
    }


@domain_page("GET")
def need_list(request: AuthenticatedRequest) -> HttpResponse:
    needs = selectors.need_list(viewer=request.user)
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("sida"))
    ssyk = dict(selectors.ssyk_areas())
    return _render(
        request,
        "provider_need_list.html",
        {
            "page": page,
            "rows": [(need, ssyk.get(need.ssyk_area, need.ssyk_area)) for need in page.object_list],
            "demand": [(code, ssyk.get(code, code), n) for code, n in selectors.employer_demand_by_ssyk().items()],
            "may_create": selectors.may_create(request.user),
        },
    )


@domain_page("GET", "POST")
def need_create(request: AuthenticatedRequest) -> HttpResponse:
    selectors.require_create(request.user)
    return _create_page(
        request,
        _need_form(request, request.POST or None, {"provider_id": request.GET.get("anordnare", "")}),
        create=services.need_create,
        record_kw="need",
        template="provider_need_form.html",
        saved_message=lambda need: _("Behovet har registrerats."),
        done=lambda need: redirect("catalogue:need_list"),
    )


@domain_page("GET", "POST")
def need_edit(request: AuthenticatedRequest, need_id: uuid.UUID) -> HttpResponse:
    return _edit_page(
        request,
        load=lambda: selectors.need_get(viewer=request.user, need_id=need_id),
        make_form=lambda data, stored: _need_form(request, data, _need_initial(stored)),
        update=services.need_update,
        record_kw="need",
        template="provider_need_form.html",
        saved_message=_("Behovet har sparats."),
        done=lambda need: redirect("catalogue:need_list"),
    )


def _interest_form(request: AuthenticatedRequest, data: Any, initial: dict[str, Any] | None = None) -> InterestForm:
    return InterestForm(
        data,
        initial=initial,
        providers=selectors.provider_choices(viewer=request.user),
        contacts=selectors.contact_choices(viewer=request.user),
        owners=_owners(request),
    )


def _interest_initial(interest: Any) -> dict[str, Any]:
    return {
        "provider_id": str(interest.provider_id),
        "kind": interest.kind,
        "places": interest.places,
        "contact_id": str(interest.contact_id or ""),
        "status": interest.status,
        "next_contact_on": interest.next_contact_on,
        "note": interest.note,
        "owner_id": str(interest.owner_id),
    }


@domain_page("GET")
def interest_list(request: AuthenticatedRequest) -> HttpResponse:
    form = InterestFilterForm(request.GET or None)
    interests = selectors.interest_list(viewer=request.user, filters=form.filters())
    page = Paginator(interests, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return _render(
        request,
        "provider_interest_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "may_create": selectors.may_create(request.user)},
    )


@domain_page("GET", "POST")
def interest_create(request: AuthenticatedRequest) -> HttpResponse:
    selectors.require_create(request.user)
    return _create_page(
        request,
        _interest_form(request, request.POST or None, {"provider_id": request.GET.get("anordnare", "")}),
        create=services.interest_create,
        record_kw="interest",
        template="provider_interest_form.html",
        saved_message=lambda interest: _("Intresset har registrerats."),
        done=lambda interest: redirect("catalogue:interest_list"),
    )


@domain_page("GET", "POST")
def interest_edit(request: AuthenticatedRequest, interest_id: uuid.UUID) -> HttpResponse:
    return _edit_page(
        request,
        load=lambda: selectors.interest_get(viewer=request.user, interest_id=interest_id),
        make_form=lambda data, stored: _interest_form(request, data, _interest_initial(stored)),
        update=services.interest_update,
        record_kw="interest",
        template="provider_interest_form.html",
        saved_message=_("Uppföljningen har sparats."),
        done=lambda interest: redirect("catalogue:interest_list"),
    )


# --- A young person's offer list through a personal link ------------------------------------


@domain_page("GET", "POST")
def person_offer_links(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    """The coach's page: the person's links to the offer list, and a button to make a new one
    (the address is shown once, right after it is made)."""
    ctx = access_context(request)
    created = None
    if request.method == "POST":
        try:
            created = offer_links.offer_link_create(ctx=ctx, person_id=person_id)
        except InvalidInput as exc:
            messages.error(request, exc.message)
    view = offer_links.offer_links_for_person(ctx=ctx, person_id=person_id)
    url = (
        request.build_absolute_uri(reverse("catalogue:offer_link_public", args=[created.token]))
        if created is not None
        else ""
    )
    return _render(request, "offer_person_links.html", {"view": view, "created_url": url, "now": timezone.now()})


@domain_page("POST")
def offer_link_revoke(request: AuthenticatedRequest, link_id: uuid.UUID) -> HttpResponse:
    link = offer_links.offer_link_revoke(ctx=access_context(request), link_id=link_id)
    messages.success(request, _("Länken är stängd och fungerar inte längre."))
    return redirect("catalogue:person_offer_links", person_id=link.person_id)


@require_GET
def offer_link_public(request: HttpRequest, token: str) -> HttpResponse:
    """The young person's list of open offers. No login: the token is the key, and it opens this
    list and nothing else. Acts as the system actor "personlig länk" (common/scoping.py)."""
    ctx = system_context(SystemActor.PERSONAL_LINK, detail=client_address(request))
    with scoping.activated(ctx, offer_links.PURPOSE):
        try:
            offers = list(offer_links.offers_for_token(token=token, client_address=client_address(request)))
        except offer_links.OfferLinkRefused as exc:
            response = render(
                request,
                "catalogue/offer_public_refused.html",
                {"message": exc.message},
                status=404 if exc.reason == "unknown" else 410,
            )
        else:
            ssyk = dict(selectors.ssyk_areas())
            response = render(
                request,
                "catalogue/offer_public_list.html",
                {"offers": [(offer, ssyk.get(offer.ssyk_area, "")) for offer in offers]},
            )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
