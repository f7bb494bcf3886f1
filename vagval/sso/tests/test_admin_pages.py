"""The administrators' sign-in pages: providers, linked identities, passwords per organisation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry
from vagval.sso.models import ExternalIdentity, IdentityProvider, OrganisationSignIn, ProviderKind
from vagval.sso.services import provider_version

pytestmark = pytest.mark.django_db


def _oidc_form(**changes: object) -> dict[str, object]:
    return {
        "name": "Entra ID Ludvika",
        "slug": "entra-ludvika",
        "kind": ProviderKind.OIDC,
        "active": "on",
        "match_on": "email",
        "attribute": "email",
        "oidc_issuer": "https://login.example.se/ludvika/v2.0",
        "oidc_client_id": "vagval",
        "oidc_client_secret": "hemligt",
        "oidc_scopes": "openid email",
        **changes,
    }


@pytest.fixture
def provider(ludvika_unit) -> IdentityProvider:
    provider = IdentityProvider.objects.create(
        name="Ludvika", slug="ludvika", kind=ProviderKind.OIDC, attribute="email", oidc_issuer="https://x.example"
    )
    provider.organisations.add(ludvika_unit.organisation)
    return provider


def test_an_administrator_adds_a_provider_for_an_organisation(dana, ludvika_unit):
    response = verified_admin_client(dana).post(
        reverse("sso:provider_create"), _oidc_form(organisations=[ludvika_unit.organisation.pk])
    )

    provider = IdentityProvider.objects.get(slug="entra-ludvika")
    assert response["Location"] == reverse("sso:provider_edit", args=[provider.pk])
    assert list(provider.organisations.all()) == [ludvika_unit.organisation]
    assert provider.oidc_client_secret == "hemligt"
    assert AccessLogEntry.objects.filter(action="sso_provider.created", user_id=dana.pk).exists()


def test_a_saml_provider_needs_its_metadata(dana):
    response = verified_admin_client(dana).post(reverse("sso:provider_create"), _oidc_form(kind=ProviderKind.SAML))

    assert response.status_code == 200
    assert "Klistra in identitetsleverantörens SAML-metadata." in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_the_jit_unit_must_belong_to_the_providers_organisations(dana, ludvika_unit, smedjebacken_unit):
    form = _oidc_form(organisations=[ludvika_unit.organisation.pk], jit_role=Role.COACH, jit_unit=smedjebacken_unit.pk)

    response = verified_admin_client(dana).post(reverse("sso:provider_create"), form)

    assert "måste höra till en av leverantörens organisationer" in response.content.decode()


def test_administrator_is_not_a_role_for_new_users(dana, ludvika_unit):
    form = _oidc_form(organisations=[ludvika_unit.organisation.pk], jit_role=Role.ADMIN, jit_unit=ludvika_unit.pk)

    response = verified_admin_client(dana).post(reverse("sso:provider_create"), form)

    assert response.status_code == 200
    assert not IdentityProvider.objects.exists()


def test_an_empty_secret_keeps_the_saved_one(dana, provider, ludvika_unit):
    form = _oidc_form(
        name="Ludvika",
        slug="ludvika",
        organisations=[ludvika_unit.organisation.pk],
        oidc_client_secret="",
        version=provider_version(provider=provider),
    )
    provider.oidc_client_secret = "gammal"
    provider.save()
    form["version"] = provider_version(provider=provider)

    verified_admin_client(dana).post(reverse("sso:provider_edit", args=[provider.pk]), form)

    provider.refresh_from_db()
    assert (provider.oidc_client_secret, provider.oidc_issuer) == ("gammal", "https://login.example.se/ludvika/v2.0")


def test_a_stale_provider_form_is_refused_with_409(dana, provider, ludvika_unit):
    stale = provider_version(provider=provider)
    provider.attribute = "sub"
    provider.save()

    response = verified_admin_client(dana).post(
        reverse("sso:provider_edit", args=[provider.pk]),
        _oidc_form(slug="ludvika", organisations=[ludvika_unit.organisation.pk], version=stale),
    )

    assert response.status_code == 409
    provider.refresh_from_db()
    assert provider.attribute == "sub"


def test_an_administrator_links_and_unlinks_a_users_identity(dana, provider, alice):
    client = verified_admin_client(dana)

    client.post(reverse("sso:identity_add", args=[provider.pk]), {"user": alice.pk, "subject": " alice@ludvika.se "})
    identity = ExternalIdentity.objects.get(provider=provider, user=alice)
    assert identity.subject == "alice@ludvika.se"
    duplicate = client.post(reverse("sso:identity_add", args=[provider.pk]), {"user": alice.pk, "subject": "annan"})
    assert "redan en identitet" in duplicate.content.decode()

    client.post(reverse("sso:identity_remove", args=[provider.pk, identity.pk]))
    assert not ExternalIdentity.objects.exists()
    assert AccessLogEntry.objects.filter(action__startswith="sso_identity.").count() == 2


def test_passwords_cannot_be_turned_off_without_an_active_provider(dana, ludvika_unit):
    org = ludvika_unit.organisation

    response = verified_admin_client(dana).post(reverse("sso:policy_edit", args=[org.pk]), {"version": "ny"})

    assert "Lägg först till en aktiv identitetsleverantör" in response.content.decode()
    assert not OrganisationSignIn.objects.exists()


def test_an_administrator_turns_passwords_off_and_on(dana, provider, ludvika_unit):
    org, client = ludvika_unit.organisation, verified_admin_client(dana)

    assert client.post(reverse("sso:policy_edit", args=[org.pk]), {"version": "ny"}).status_code == 302
    assert OrganisationSignIn.objects.get(organisation=org).passwords_allowed is False
    stale = client.post(reverse("sso:policy_edit", args=[org.pk]), {"version": "ny", "passwords_allowed": "on"})
    assert stale.status_code == 409

    page = client.get(reverse("sso:policies")).content.decode()
    assert "Avstängda" in page
    assert AccessLogEntry.objects.filter(action="sso_policy.changed").count() == 1


def test_staff_may_not_see_the_sign_in_settings(alice, provider):
    assert client_for(alice).get(reverse("sso:provider_list")).status_code == 403
    assert client_for(alice).get(reverse("sso:provider_edit", args=[provider.pk])).status_code == 403
