"""Fixtures for the sign-in tests: the local identity providers on 127.0.0.1, and the providers'
rows in Vägval pointing at them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from vagval.accounts.models import User
from vagval.organisations.models import Unit
from vagval.sso import saml
from vagval.sso.models import ExternalIdentity, IdentityProvider, MatchOn, ProviderKind
from vagval.sso.tests.idp import OidcProvider, SamlIdp, serve
from vagval.sso.tests.xmlsec import require_xmlsec1

HSA_ID = "urn:oid:1.2.752.29.4.13"  # the HSA-id attribute (Inera's catalogue)


class SamlWorld:
    def __init__(self, provider: IdentityProvider, idp: SamlIdp, holder: dict[str, Any]) -> None:
        self.provider, self.idp, self._holder = provider, idp, holder

    def answer_with(self, idp: SamlIdp) -> None:
        """Let another IdP (e.g. one with another key) answer the next sign-in."""
        self._holder["idp"] = idp


@pytest.fixture
def saml_world(db, tmp_path, ludvika_unit: Unit) -> Iterator[SamlWorld]:
    require_xmlsec1()
    provider = IdentityProvider.objects.create(
        name="Ludvika kommuns inloggning",
        slug="ludvika-saml",
        kind=ProviderKind.SAML,
        match_on=MatchOn.HSA_ID,
        attribute=HSA_ID,
    )
    provider.organisations.add(ludvika_unit.organisation)
    holder: dict[str, Any] = {}
    with serve(lambda environ, start_response: holder["idp"].wsgi(environ, start_response)) as base_url:
        sp_metadata = saml.metadata_xml(provider, base_url="http://testserver")
        idp = SamlIdp(base_url=base_url, folder=tmp_path, sp_metadata=sp_metadata)
        holder["idp"] = idp
        provider.saml_metadata = idp.metadata()
        provider.save()
        yield SamlWorld(provider, idp, holder)


def saml_sign_in(client: Client, provider: IdentityProvider, *, next_url: str = "") -> Any:
    """A browser's round trip: Vägval → the IdP's page (over HTTP on 127.0.0.1) → the ACS."""
    start = client.get(reverse("sso:start", args=[provider.slug]), {"next": next_url} if next_url else {})
    assert start.status_code == 302, start
    page = requests.get(start["Location"], timeout=10).text
    action = re.search(r'action="([^"]+)"', page)
    value = re.search(r'name="SAMLResponse" value="([^"]+)"', page)
    assert action, page
    assert value, page
    return client.post(urlsplit(html.unescape(action.group(1))).path, {"SAMLResponse": html.unescape(value.group(1))})


class OidcWorld:
    def __init__(self, provider: IdentityProvider, op: OidcProvider) -> None:
        self.provider, self.op = provider, op


@pytest.fixture
def oidc_world(db, ludvika_unit: Unit) -> Iterator[OidcWorld]:
    op = OidcProvider()
    with serve(op.wsgi) as base_url:
        op.issuer = base_url
        provider = IdentityProvider.objects.create(
            name="Freja eID",
            slug="freja",
            kind=ProviderKind.OIDC,
            match_on=MatchOn.EMAIL,
            attribute="email",
            oidc_issuer=base_url,
            oidc_client_id=op.client_id,
            oidc_client_secret=op.client_secret,
        )
        provider.organisations.add(ludvika_unit.organisation)
        yield OidcWorld(provider, op)


def oidc_sign_in(client: Client, provider: IdentityProvider, *, next_url: str = "") -> Any:
    """Vägval → the provider's authorize endpoint (HTTP, 127.0.0.1) → back to the callback."""
    start = client.get(reverse("sso:start", args=[provider.slug]), {"next": next_url} if next_url else {})
    assert start.status_code == 302, start
    authorized = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert authorized.status_code == 302, authorized.text
    back = urlsplit(authorized.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def link(provider: IdentityProvider, user: User, subject: str) -> ExternalIdentity:
    return ExternalIdentity.objects.create(provider=provider, user=user, subject=subject)
