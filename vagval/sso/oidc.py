"""OpenID Connect through Authlib (authorization code flow with PKCE) and joserfc (ID token).

Thin over the libraries: read the provider's discovery document, build the address that sends
the browser there, exchange the code for tokens and check the ID token (signature against the
provider's published keys, issuer, audience, expiry, nonce). Which user the token names is
decided in services, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from vagval.sso.models import IdentityProvider

# Asymmetric algorithms only: a token signed with the client secret (HS256) proves nothing the
# client could not have made itself.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]


class OidcError(Exception):
    """A sign-in that does not hold: provider unreachable, bad code, bad or expired ID token."""


@dataclass(frozen=True)
class OidcStart:
    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class OidcSignIn:
    subject: str  # the value of the provider's configured claim
    id_token: str  # kept in the session as the hint for the provider's end-session endpoint
    email: str = ""  # for a user created just in time


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.SSO_HTTP_TIMEOUT_SECONDS)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OidcError(f"could not read {url}: {type(exc).__name__}") from exc
    if not isinstance(data, dict):
        raise OidcError(f"{url} is not a JSON object")
    return data


def discovery(provider: IdentityProvider) -> dict[str, Any]:
    """The provider's discovery document; its issuer must be the configured one."""
    data = _get_json(provider.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration")
    if data.get("issuer") != provider.oidc_issuer:
        raise OidcError("the discovery document names another issuer")
    return data


def _session(provider: IdentityProvider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.oidc_client_id,
        client_secret=provider.oidc_client_secret or None,
        scope=provider.oidc_scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def sign_in_start(provider: IdentityProvider, *, redirect_uri: str) -> OidcStart:
    config = discovery(provider)
    nonce, code_verifier = generate_token(32), generate_token(64)
    url, state = _session(provider, redirect_uri).create_authorization_url(
        config["authorization_endpoint"], code_verifier=code_verifier, nonce=nonce
    )
    return OidcStart(url=url, state=state, nonce=nonce, code_verifier=code_verifier)


def _check_id_token(provider: IdentityProvider, id_token: str, *, jwks_uri: str, nonce: str) -> dict[str, Any]:
    keys = KeySet.import_key_set(_get_json(jwks_uri))  # type: ignore[arg-type]
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        JWTClaimsRegistry(
            leeway=settings.SSO_CLOCK_SKEW_SECONDS,
            iss={"essential": True, "value": provider.oidc_issuer},
            aud={"essential": True, "value": provider.oidc_client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError) as exc:
        raise OidcError(type(exc).__name__) from exc
    return dict(token.claims)


def sign_in_complete(
    provider: IdentityProvider, *, redirect_uri: str, code: str, nonce: str, code_verifier: str
) -> OidcSignIn:
    """Exchange the code and check the ID token; the subject is the configured claim's value."""
    config = discovery(provider)
    try:
        tokens = _session(provider, redirect_uri).fetch_token(
            config["token_endpoint"], code=code, code_verifier=code_verifier, timeout=settings.SSO_HTTP_TIMEOUT_SECONDS
        )
    except Exception as exc:
        raise OidcError(f"token request refused: {type(exc).__name__}") from exc
    id_token = tokens.get("id_token")
    if not id_token:
        raise OidcError("no ID token in the token response")
    claims = _check_id_token(provider, id_token, jwks_uri=config["jwks_uri"], nonce=nonce)
    value = claims.get(provider.attribute)
    email = claims.get("email") if claims.get("email_verified", True) else ""
    return OidcSignIn(subject=str(value).strip() if value else "", id_token=id_token, email=str(email or "")[:254])


def logout_url(provider: IdentityProvider, *, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session address with the ID token as hint, or None when it has none."""
    try:
        endpoint = discovery(provider).get("end_session_endpoint")
    except OidcError:
        return None
    if not endpoint:
        return None
    request = requests.Request(
        "GET",
        endpoint,
        params={
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": provider.oidc_client_id,
        },
    ).prepare()
    return str(request.url)
