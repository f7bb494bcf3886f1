"""SAML 2.0 through pysaml2: the service provider's side of one identity provider.

Thin over pysaml2: build the client from the provider's row and the installation's settings,
make the sign-in and logout requests, and check a response (signature, audience, validity
period, InResponseTo). Which user the response names is decided in services, not here.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NameID, name_id_from_string

from vagval.sso.models import IdentityProvider


class SamlError(Exception):
    """A response that does not hold: bad signature, expired, not for us, not asked for."""


@dataclass(frozen=True)
class SamlSignIn:
    subject: str  # the value of the provider's configured attribute
    name_id: str  # serialised NameID, kept in the session for single logout
    session_index: str


def _absolute(base_url: str, name: str, provider: IdentityProvider) -> str:
    return base_url + reverse(name, kwargs={"slug": provider.slug})


class SamlUnavailable(SamlError):
    """This server cannot do SAML: the xmlsec1 program pysaml2 signs and checks with is missing."""


def xmlsec1_present() -> bool:
    binary = settings.SSO_XMLSEC_BINARY
    return bool(shutil.which(binary) or os.path.isfile(binary))


def sp_config(provider: IdentityProvider, *, base_url: str) -> SPConfig:
    """pysaml2's configuration for this installation as the service provider of `provider`."""
    if not xmlsec1_present():
        raise SamlUnavailable(f"the xmlsec1 program is missing ({settings.SSO_XMLSEC_BINARY})")
    signing = bool(settings.SSO_SAML_KEY_FILE)
    sp: dict[str, Any] = {
        "endpoints": {
            "assertion_consumer_service": [(_absolute(base_url, "sso:saml_acs", provider), BINDING_HTTP_POST)],
            "single_logout_service": [(_absolute(base_url, "sso:saml_logout_done", provider), BINDING_HTTP_REDIRECT)],
        },
        "allow_unsolicited": False,
        "authn_requests_signed": signing,
        "logout_requests_signed": signing,
        # The response or its assertion must be signed by the provider's key from its metadata.
        "want_response_signed": False,
        "want_assertions_signed": False,
        "want_assertions_or_response_signed": True,
    }
    config: dict[str, Any] = {
        "entityid": settings.SSO_SAML_ENTITY_ID or base_url + reverse("sso:saml_metadata", args=[provider.slug]),
        "xmlsec_binary": settings.SSO_XMLSEC_BINARY,
        "allow_unknown_attributes": True,
        "accepted_time_diff": settings.SSO_CLOCK_SKEW_SECONDS,
        "metadata": {"inline": [provider.saml_metadata]} if provider.saml_metadata else {},
        "service": {"sp": sp},
    }
    if signing:
        config["key_file"] = settings.SSO_SAML_KEY_FILE
        config["cert_file"] = settings.SSO_SAML_CERT_FILE
        config["encryption_keypairs"] = [
            {"key_file": settings.SSO_SAML_KEY_FILE, "cert_file": settings.SSO_SAML_CERT_FILE}
        ]
    conf = SPConfig()
    conf.load(config)
    return conf


def _client(provider: IdentityProvider, base_url: str) -> Saml2Client:
    return Saml2Client(config=sp_config(provider, base_url=base_url))


def _idp_entity_id(client: Saml2Client) -> str:
    ids = list(client.metadata.identity_providers())
    if len(ids) != 1:
        raise SamlError(f"metadata names {len(ids)} identity providers, expected 1")
    return str(ids[0])


def metadata_xml(provider: IdentityProvider, *, base_url: str) -> str:
    """This installation's service-provider metadata, for the identity provider's administrator."""
    return create_metadata_string("", config=sp_config(provider, base_url=base_url)).decode("utf-8")


def sign_in_url(provider: IdentityProvider, *, base_url: str) -> tuple[str, str]:
    """The request id and the address that sends the browser to the provider (HTTP-Redirect)."""
    client = _client(provider, base_url)
    request_id, info = client.prepare_for_authenticate(entityid=_idp_entity_id(client), binding=BINDING_HTTP_REDIRECT)
    return str(request_id), dict(info["headers"])["Location"]


def _attribute_value(response: Any, attribute: str) -> str:
    """The first value of `attribute` (its Name or FriendlyName), or the NameID for "NameID"."""
    if attribute == "NameID":
        return str(response.name_id.text or "")
    for statement in response.assertion.attribute_statement:
        for attr in statement.attribute:
            if attribute in (attr.name, attr.friendly_name):
                for value in attr.attribute_value:
                    if value.text and value.text.strip():
                        return str(value.text.strip())
    return ""


def check_response(provider: IdentityProvider, *, base_url: str, saml_response: str, request_id: str) -> SamlSignIn:
    """Check a posted SAMLResponse that answers `request_id`; raise SamlError if it does not hold."""
    client = _client(provider, base_url)
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"} if request_id else {}
        )
    except Exception as exc:
        raise SamlError(type(exc).__name__) from exc
    if response is None or response.assertion is None:
        raise SamlError("no assertion")
    return SamlSignIn(
        subject=_attribute_value(response, provider.attribute),
        name_id=str(response.name_id),
        session_index=str(response.session_info().get("session_index") or ""),
    )


def logout_url(provider: IdentityProvider, *, base_url: str, name_id: str, session_index: str) -> str | None:
    """The address that asks the provider to end its session too (single logout), or None when its
    metadata names no single-logout service."""
    client = _client(provider, base_url)
    idp = _idp_entity_id(client)
    try:
        destinations = client.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")
    except Exception:
        return None
    if not destinations:
        return None
    destination = destinations[0]["location"]
    parsed: NameID = name_id_from_string(name_id)
    _request_id, request = client.create_logout_request(
        destination,
        idp,
        name_id=parsed,
        session_indexes=[session_index] if session_index else None,
        sign=client.config.logout_requests_signed or None,
    )
    info = client.apply_binding(BINDING_HTTP_REDIRECT, str(request), destination)
    return str(dict(info["headers"])["Location"])
