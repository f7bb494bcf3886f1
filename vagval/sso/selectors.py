"""Reads of sign-in configuration: the login page's choices, one provider, the admin lists."""

from __future__ import annotations

import uuid

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from vagval.accounts.models import User
from vagval.common.errors import NotFound, PermissionDenied
from vagval.organisations.models import Organisation
from vagval.sso.models import ExternalIdentity, IdentityProvider, OrganisationSignIn


def sign_in_choices() -> list[IdentityProvider]:
    """Active providers, for the login page's "Logga in med …" buttons (nobody is known yet)."""
    return list(IdentityProvider.objects.filter(active=True).order_by("name"))


def provider_for_sign_in(*, slug: str) -> IdentityProvider:
    provider = IdentityProvider.objects.filter(slug=slug).first()
    if provider is None:
        raise NotFound(_("Identitetsleverantören finns inte."))
    return provider


def _require_admin(viewer: User) -> None:
    if not viewer.is_administrator:
        raise PermissionDenied(_("Endast administratörer får se inloggningens inställningar."))


def provider_list(*, viewer: User) -> QuerySet[IdentityProvider]:
    _require_admin(viewer)
    return IdentityProvider.objects.prefetch_related("organisations").annotate(identity_count=Count("identities"))


def provider_get(*, viewer: User, provider_id: uuid.UUID) -> IdentityProvider:
    _require_admin(viewer)
    provider = IdentityProvider.objects.filter(pk=provider_id).first()
    if provider is None:
        raise NotFound(_("Identitetsleverantören finns inte."))
    return provider


def identity_list(*, viewer: User, provider: IdentityProvider) -> QuerySet[ExternalIdentity]:
    _require_admin(viewer)
    return provider.identities.select_related("user__unit__organisation").order_by("user__username")


def identity_get(*, viewer: User, provider: IdentityProvider, identity_id: uuid.UUID) -> ExternalIdentity:
    _require_admin(viewer)
    identity = provider.identities.select_related("user", "provider").filter(pk=identity_id).first()
    if identity is None:
        raise NotFound(_("Identiteten finns inte."))
    return identity


def organisation_policies(*, viewer: User) -> list[tuple[Organisation, bool]]:
    """Every organisation and whether its users may still log in with a local password."""
    _require_admin(viewer)
    refused = set(OrganisationSignIn.objects.filter(passwords_allowed=False).values_list("organisation_id", flat=True))
    return [(org, org.pk not in refused) for org in Organisation.objects.order_by("name")]


def passwords_allowed(*, organisation: Organisation) -> bool:
    return not OrganisationSignIn.objects.filter(organisation=organisation, passwords_allowed=False).exists()


def organisation_get(*, viewer: User, organisation_id: uuid.UUID) -> Organisation:
    _require_admin(viewer)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound(_("Organisationen finns inte."))
    return organisation
