"""A server without the xmlsec1 program cannot do SAML: it says so, never a 500."""

from __future__ import annotations

from django.test import Client, override_settings
from django.urls import reverse

from vagval.sso.models import IdentityProvider, MatchOn, ProviderKind

_MISSING = "/nonexistent/xmlsec1"


def _saml_provider(unit) -> IdentityProvider:
    provider = IdentityProvider.objects.create(
        name="Ludvika kommuns inloggning",
        slug="ludvika-saml",
        kind=ProviderKind.SAML,
        match_on=MatchOn.HSA_ID,
        attribute="urn:oid:1.2.752.29.4.13",
        active=True,
    )
    provider.organisations.add(unit.organisation)
    return provider


@override_settings(SSO_XMLSEC_BINARY=_MISSING)
def test_the_metadata_answers_503_in_plain_swedish_when_xmlsec1_is_missing(db, ludvika_unit):
    provider = _saml_provider(ludvika_unit)

    response = Client().get(reverse("sso:saml_metadata", args=[provider.slug]))

    assert response.status_code == 503
    assert "Inloggning med SAML fungerar inte på den här servern" in response.content.decode()


@override_settings(SSO_XMLSEC_BINARY=_MISSING)
def test_signing_in_is_refused_with_a_page_when_xmlsec1_is_missing(db, ludvika_unit):
    provider = _saml_provider(ludvika_unit)

    response = Client().get(reverse("sso:start", args=[provider.slug]))

    assert response.status_code == 403
    assert "sso/refused.html" in [template.name for template in response.templates]
