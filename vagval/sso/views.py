"""Sign-in through an identity provider: send the browser there, take its answer, log in.

Thin: the protocol modules (saml, oidc) check what the provider says, services decide which
user it names and write the log; these views carry state between the two legs of the trip.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import login
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from vagval.accounts.models import User
from vagval.common.errors import NotFound
from vagval.common.request import client_address
from vagval.sso import oidc, saml, selectors, services
from vagval.sso.models import IdentityProvider, ProviderKind
from vagval.sso.services import Refusal, SignInRefused

# The SAML request's id travels in its own cookie: the provider posts its answer from another
# site, and the session cookie (SameSite=Lax) is not sent with a cross-site POST.
SAML_COOKIE = "vagval_saml"
_SAML_COOKIE_SALT = "vagval.sso.saml"
_STATE_SECONDS = 10 * 60
_OIDC_SESSION_KEY = "sso_oidc"
_SAML_UNAVAILABLE = _("Inloggning med SAML fungerar inte på den här servern just nu. Kontakta driften.")

logger = logging.getLogger(__name__)
SESSION_KEY = "sso"  # what single logout needs: the provider and its session's ids


def base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _provider(slug: str, kind: str) -> IdentityProvider:
    try:
        provider = selectors.provider_for_sign_in(slug=slug)
    except NotFound as exc:
        raise Http404 from exc
    if provider.kind != kind:
        raise Http404
    return provider


def _refused(request: HttpRequest, error: SignInRefused) -> HttpResponse:
    return render(request, "sso/refused.html", {"message": error.message}, status=403)


def _log_in(request: HttpRequest, user: User, provider: IdentityProvider, next_url: str, **ids: str) -> HttpResponse:
    """Log `user` in and go on. An administrator (and anyone with a second factor) is then sent to
    the two-factor page by RequireTwoFactorMiddleware: the provider's sign-in is the first factor."""
    login(request, user, backend="vagval.accounts.backends.UserWithUnitBackend")
    request.session[SESSION_KEY] = {"provider": str(provider.pk), **ids}
    # The login page sends a signed-in user on: to `next`, or to where their role starts.
    target = reverse("accounts:login")
    return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)


@require_GET
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Logga in med …": send the browser to the provider."""
    try:
        provider = selectors.provider_for_sign_in(slug=slug)
    except NotFound as exc:
        raise Http404 from exc
    if not provider.active:
        return _refused(request, SignInRefused(Refusal.PROVIDER_OFF))
    next_url = _safe_next(request, request.GET.get("next", ""))
    if provider.kind == ProviderKind.SAML:
        try:
            request_id, url = saml.sign_in_url(provider, base_url=base_url(request))
        except saml.SamlError as exc:
            return _refused(request, _refuse(request, provider, Refusal.INVALID_RESPONSE, str(exc)))
        response = redirect(url)
        response.set_signed_cookie(
            SAML_COOKIE,
            signing.dumps({"provider": provider.slug, "request_id": request_id, "next": next_url}),
            salt=_SAML_COOKIE_SALT,
            max_age=_STATE_SECONDS,
            secure=request.is_secure(),
            httponly=True,
            samesite="None" if request.is_secure() else "Lax",
        )
        return response
    redirect_uri = base_url(request) + reverse("sso:oidc_callback", args=[provider.slug])
    try:
        begun = oidc.sign_in_start(provider, redirect_uri=redirect_uri)
    except oidc.OidcError as exc:
        return _refused(request, _refuse(request, provider, Refusal.INVALID_RESPONSE, str(exc)))
    request.session[_OIDC_SESSION_KEY] = {
        "provider": provider.slug,
        "state": begun.state,
        "nonce": begun.nonce,
        "code_verifier": begun.code_verifier,
        "next": next_url,
    }
    return redirect(begun.url)


def _refuse(request: HttpRequest, provider: IdentityProvider, reason: Refusal, problem: str) -> SignInRefused:
    return services.sign_in_refuse(
        reason=reason,
        client_address=client_address(request),
        method=provider.kind,
        provider=provider,
        detail={"problem": problem[:200]},
    )


def _saml_state(request: HttpRequest, slug: str) -> dict[str, Any]:
    try:
        state = signing.loads(
            request.get_signed_cookie(SAML_COOKIE, salt=_SAML_COOKIE_SALT, max_age=_STATE_SECONDS) or ""
        )
    except (KeyError, signing.BadSignature):
        return {}
    return state if isinstance(state, dict) and state.get("provider") == slug else {}


@csrf_exempt  # posted by the identity provider; the signed response and our cookie stand in for the token
@require_POST
def saml_acs(request: HttpRequest, slug: str) -> HttpResponse:
    """The provider's answer (HTTP-POST binding): check it, find the user, log in."""
    provider = _provider(slug, ProviderKind.SAML)
    state = _saml_state(request, slug)
    try:
        if not state:
            raise _refuse(request, provider, Refusal.INVALID_RESPONSE, "no outstanding request")
        try:
            result = saml.check_response(
                provider,
                base_url=base_url(request),
                saml_response=request.POST.get("SAMLResponse", ""),
                request_id=state["request_id"],
            )
        except saml.SamlError as exc:
            raise _refuse(request, provider, Refusal.INVALID_RESPONSE, str(exc)) from exc
        user = services.provider_sign_in(
            provider=provider, subject=result.subject, client_address=client_address(request)
        )
    except SignInRefused as error:
        response = _refused(request, error)
    else:
        response = _log_in(
            request, user, provider, state.get("next", ""), name_id=result.name_id, session_index=result.session_index
        )
    response.delete_cookie(SAML_COOKIE)
    return response


@require_GET
def oidc_callback(request: HttpRequest, slug: str) -> HttpResponse:
    """The provider sends the browser back with a code: exchange it, check the ID token, log in."""
    provider = _provider(slug, ProviderKind.OIDC)
    state = request.session.pop(_OIDC_SESSION_KEY, None) or {}
    redirect_uri = base_url(request) + reverse("sso:oidc_callback", args=[provider.slug])
    try:
        if state.get("provider") != slug or not state.get("state") or request.GET.get("state") != state["state"]:
            raise _refuse(request, provider, Refusal.INVALID_RESPONSE, "state does not match")
        if "error" in request.GET or not request.GET.get("code"):
            raise _refuse(request, provider, Refusal.INVALID_RESPONSE, request.GET.get("error", "no code"))
        try:
            result = oidc.sign_in_complete(
                provider,
                redirect_uri=redirect_uri,
                code=request.GET["code"],
                nonce=state["nonce"],
                code_verifier=state["code_verifier"],
            )
        except oidc.OidcError as exc:
            raise _refuse(request, provider, Refusal.INVALID_RESPONSE, str(exc)) from exc
        user = services.provider_sign_in(
            provider=provider, subject=result.subject, client_address=client_address(request), email=result.email
        )
    except SignInRefused as error:
        return _refused(request, error)
    return _log_in(request, user, provider, state.get("next", ""), id_token=result.id_token)


@require_GET
def saml_metadata(request: HttpRequest, slug: str) -> HttpResponse:
    """This installation's SP metadata for the provider's administrator (public, as metadata is)."""
    provider = _provider(slug, ProviderKind.SAML)
    try:
        metadata = saml.metadata_xml(provider, base_url=base_url(request))
    except saml.SamlUnavailable:
        logger.error("SAML metadata for provider %s: the xmlsec1 program is missing on this server", provider.slug)
        return HttpResponse(str(_SAML_UNAVAILABLE), status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(metadata, content_type="application/samlmetadata+xml")


@require_GET
def saml_logout_done(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the provider sends the browser after single logout: our session ended before."""
    _provider(slug, ProviderKind.SAML)
    return redirect("accounts:login")
