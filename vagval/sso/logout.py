"""Signing out: the access-log entry, and the provider's own logout when the user came from one."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from vagval.common.http import access_context
from vagval.sso import oidc, saml, services
from vagval.sso.models import IdentityProvider, ProviderKind
from vagval.sso.views import SESSION_KEY, base_url


def sign_out(request: HttpRequest) -> str | None:
    """Call before the local logout: writes the entry and returns the provider's logout address
    (SAML single logout, OIDC end-session) to send the browser to afterwards, or None."""
    if not request.user.is_authenticated:
        return None
    ids = request.session.get(SESSION_KEY) or {}
    provider = IdentityProvider.objects.filter(pk=ids["provider"]).first() if ids.get("provider") else None
    url = None
    if provider is not None and provider.kind == ProviderKind.SAML and ids.get("name_id"):
        url = saml.logout_url(
            provider, base_url=base_url(request), name_id=ids["name_id"], session_index=ids.get("session_index", "")
        )
    elif provider is not None and provider.kind == ProviderKind.OIDC and ids.get("id_token"):
        url = oidc.logout_url(
            provider,
            id_token=ids["id_token"],
            post_logout_redirect_uri=base_url(request) + reverse("accounts:login"),
        )
    services.sign_out_record(ctx=access_context(request), provider=provider, single_logout=url is not None)
    return url
