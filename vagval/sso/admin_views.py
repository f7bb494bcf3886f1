"""The administrators' pages for sign-in: identity providers, the identities linked to users at
each, and whether each organisation still allows local passwords. Thin, like every view."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vagval.accounts.decorators import admin_required
from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from vagval.common.forms import add_service_errors, add_version_field, form_status, show_conflict, submitted_version
from vagval.common.http import access_context
from vagval.common.request import AuthenticatedRequest
from vagval.sso import selectors, services
from vagval.sso.forms import IdentityForm, PolicyForm, ProviderForm
from vagval.sso.models import IdentityProvider
from vagval.sso.services import IdentityData


def _get_provider(request: AuthenticatedRequest, provider_id: uuid.UUID) -> IdentityProvider:
    try:
        return selectors.provider_get(viewer=request.user, provider_id=provider_id)
    except NotFound as exc:
        raise Http404 from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc


@admin_required
def provider_list(request: AuthenticatedRequest) -> HttpResponse:
    providers = selectors.provider_list(viewer=request.user)
    return render(request, "sso/provider_list.html", {"nav": "admin", "providers": providers})


def _save(
    request: AuthenticatedRequest, form: ProviderForm, *, expected_version: str | None
) -> IdentityProvider | None:
    try:
        return services.provider_save(
            ctx=access_context(request),
            provider=form.save(commit=False),
            organisations=list(form.cleaned_data["organisations"]),
            expected_version=expected_version,
        )
    except InvalidInput as exc:
        add_service_errors(form, exc)  # type: ignore[arg-type]  # a ModelForm takes errors alike
    return None


@admin_required
@require_http_methods(["GET", "POST"])
def provider_create(request: AuthenticatedRequest) -> HttpResponse:
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = _save(request, form, expected_version=None)
        if provider is not None:
            messages.success(request, _("Identitetsleverantören är tillagd."))
            return redirect("sso:provider_edit", provider_id=provider.pk)
    return render(request, "sso/provider_form.html", {"nav": "admin", "form": form}, status=200)


def _render_edit(
    request: AuthenticatedRequest,
    provider: IdentityProvider,
    form: ProviderForm,
    identity_form: IdentityForm | None = None,
) -> HttpResponse:
    context = {
        "nav": "admin",
        "provider": provider,
        "form": form,
        "identity_form": identity_form or IdentityForm(),
        "identities": selectors.identity_list(viewer=request.user, provider=provider),
    }
    status = form_status(form) if identity_form is None or identity_form.is_valid() else 200
    return render(request, "sso/provider_form.html", context, status=status)


@admin_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: AuthenticatedRequest, provider_id: uuid.UUID) -> HttpResponse:
    provider = _get_provider(request, provider_id)
    version = services.provider_version(provider=provider)
    if request.method != "POST":
        return _render_edit(request, provider, add_version_field(ProviderForm(instance=provider), version))
    form = add_version_field(ProviderForm(request.POST, instance=provider), version)
    if form.is_valid():
        try:
            saved = _save(request, form, expected_version=submitted_version(form))
        except Conflict as exc:
            stored = _get_provider(request, provider_id)
            show_conflict(
                form, saved=ProviderForm(instance=stored), version=services.provider_version(provider=stored), error=exc
            )
        else:
            if saved is not None:
                messages.success(request, _("Ändringarna är sparade."))
                return redirect("sso:provider_edit", provider_id=provider_id)
    return _render_edit(request, _get_provider(request, provider_id), form)


@admin_required
@require_POST
def identity_add(request: AuthenticatedRequest, provider_id: uuid.UUID) -> HttpResponse:
    provider = _get_provider(request, provider_id)
    form = IdentityForm(request.POST)
    if form.is_valid():
        try:
            services.identity_link(
                ctx=access_context(request),
                provider=provider,
                data=IdentityData(user=form.cleaned_data["user"], subject=form.cleaned_data["subject"]),
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Identiteten är kopplad till användaren."))
            return redirect("sso:provider_edit", provider_id=provider.pk)
    edit_form = add_version_field(ProviderForm(instance=provider), services.provider_version(provider=provider))
    return _render_edit(request, provider, edit_form, identity_form=form)


@admin_required
@require_POST
def identity_remove(request: AuthenticatedRequest, provider_id: uuid.UUID, identity_id: uuid.UUID) -> HttpResponse:
    provider = _get_provider(request, provider_id)
    try:
        identity = selectors.identity_get(viewer=request.user, provider=provider, identity_id=identity_id)
    except NotFound as exc:
        raise Http404 from exc
    services.identity_remove(ctx=access_context(request), identity=identity)
    messages.success(request, _("Identiteten är borttagen."))
    return redirect("sso:provider_edit", provider_id=provider.pk)


@admin_required
def policies(request: AuthenticatedRequest) -> HttpResponse:
    rows = selectors.organisation_policies(viewer=request.user)
    return render(request, "sso/policies.html", {"nav": "admin", "rows": rows})


@admin_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: AuthenticatedRequest, organisation_id: uuid.UUID) -> HttpResponse:
    try:
        organisation = selectors.organisation_get(viewer=request.user, organisation_id=organisation_id)
    except NotFound as exc:
        raise Http404 from exc
    version = services.policy_version(organisation=organisation)
    initial = {"passwords_allowed": selectors.passwords_allowed(organisation=organisation)}
    form = add_version_field(PolicyForm(request.POST or None, initial=initial), version)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_set(
                ctx=access_context(request),
                organisation=organisation,
                passwords_allowed=form.cleaned_data["passwords_allowed"],
                expected_version=submitted_version(form),
            )
        except Conflict as exc:
            stored = {"passwords_allowed": selectors.passwords_allowed(organisation=organisation)}
            show_conflict(
                form,
                saved=PolicyForm(initial=stored),
                version=services.policy_version(organisation=organisation),
                error=exc,
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("sso:policies")
    context = {"nav": "admin", "organisation": organisation, "form": form}
    return render(request, "sso/policy_form.html", context, status=form_status(form))
