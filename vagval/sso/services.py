"""Writes of sign-in: who a provider's sign-in names, just-in-time users, the sign-in and
sign-out entries of the access log, and the administrators' provider configuration.

Every sign-in and every refusal (password or identity provider) writes an access-log entry.
A refusal that names no known user is written as the system actor "inloggning".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.accounts.models import Role, User
from vagval.accounts.system import SystemActor, system_user
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.logging import redact
from vagval.common.versions import require_version, version_of
from vagval.organisations.models import Organisation
from vagval.sso.models import ExternalIdentity, IdentityProvider, OrganisationSignIn, ProviderKind


class Refusal(TextChoices):
    """Why a sign-in was refused: the code goes to the log, the label to the person."""

    INVALID_RESPONSE = (
        "invalid_response",
        gettext_lazy(
            "Inloggningen kunde inte bekräftas: svaret från identitetsleverantören var ogiltigt eller för "
            "gammalt. Försök logga in igen."
        ),
    )
    NO_ATTRIBUTE = (
        "no_attribute",
        gettext_lazy(
            "Identitetsleverantören skickade inte den uppgift som Vägval känner igen dig på. "
            "Kontakta din administratör."
        ),
    )
    UNKNOWN_USER = (
        "unknown_user",
        gettext_lazy(
            "Du har inget konto i Vägval som är kopplat till den här inloggningen. Kontakta din administratör."
        ),
    )
    NOT_ALLOWED = (
        "not_allowed",
        gettext_lazy(
            "Ditt konto i Vägval kan inte logga in med den här identitetsleverantören. Kontakta din administratör."
        ),
    )
    PROVIDER_OFF = "provider_off", gettext_lazy("Inloggningen via den här identitetsleverantören är avstängd.")
    PASSWORDS_OFF = (
        "passwords_off",
        gettext_lazy(
            "Din organisation loggar in via sin egen inloggning, inte med lösenord i Vägval. "
            "Välj din organisations inloggning nedan."
        ),
    )
    WRONG_PASSWORD = "wrong_password", gettext_lazy("Fel användarnamn eller lösenord.")


class SignInRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason

    @property
    def message(self) -> str:
        return str(self.reason.label)


def _log_subject(subject: str) -> str:
    """The provider's identity for the log, with anything shaped like an identity number removed
    (a provider such as Freja eID may be configured to send one)."""
    return redact(subject)[:200]


def sign_in_refuse(
    *,
    reason: Refusal,
    client_address: str,
    method: str,
    provider: IdentityProvider | None = None,
    user: User | None = None,
    detail: dict[str, Any] | None = None,
) -> SignInRefused:
    """Write the refusal to the access log (committed at once) and return the error to raise."""
    actor = user if user is not None else system_user(SystemActor.SIGN_IN)
    entry_detail = {"method": method, "reason": reason.value, **(detail or {})}
    if provider is not None:
        entry_detail["provider"] = provider.name
    with transaction.atomic():
        access_log_record(
            ctx=AccessContext(user=actor, client_address=client_address),
            action="sign_in.refused",
            basis=AccessBasis.ADMINISTRATION,
            detail=entry_detail,
        )
    return SignInRefused(reason)


def sign_in_record(*, ctx: AccessContext, method: str, provider: IdentityProvider | None = None) -> None:
    """A successful sign-in of ctx.user, by password or through `provider`."""
    detail = {"method": method}
    if provider is not None:
        detail["provider"] = provider.name
    access_log_record(ctx=ctx, action="sign_in.succeeded", basis=AccessBasis.ADMINISTRATION, detail=detail)


def sign_out_record(*, ctx: AccessContext, provider: IdentityProvider | None, single_logout: bool) -> None:
    detail: dict[str, Any] = {"single_logout": single_logout}
    if provider is not None:
        detail["provider"] = provider.name
    with transaction.atomic():
        access_log_record(ctx=ctx, action="sign_out.done", basis=AccessBasis.ADMINISTRATION, detail=detail)


# --- Who a provider's sign-in names ---------------------------------------------------------------


def _organisation_ids(provider: IdentityProvider) -> set[Any]:
    return set(provider.organisations.values_list("pk", flat=True))


def _linked_user(provider: IdentityProvider, subject: str) -> User | None:
    identity = ExternalIdentity.objects.select_related("user__unit").filter(provider=provider, subject=subject).first()
    if identity is not None:
        return identity.user
    if provider.match_on != "email":
        return None
    # E-mail: a user of one of the provider's organisations with that address, if exactly one.
    candidates = list(
        User.objects.select_related("unit")
        .filter(email__iexact=subject, unit__organisation__in=_organisation_ids(provider))
        .exclude(role=Role.SYSTEM)[:2]
    )
    return candidates[0] if len(candidates) == 1 else None


def _may_use(provider: IdentityProvider, user: User, *, linked_explicitly: bool) -> bool:
    """An active staff user of one of the provider's organisations; an administrator (who has no
    unit) only through an identity an administrator linked explicitly."""
    if not user.is_active or user.role == Role.SYSTEM:
        return False
    if user.role == Role.ADMIN:
        return linked_explicitly
    return user.unit is not None and user.unit.organisation_id in _organisation_ids(provider)


def _jit_username(provider: IdentityProvider, subject: str) -> str:
    base = re.sub(r"[^\w.@+-]", "-", f"{provider.slug}-{subject}".lower())[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _jit_create(*, provider: IdentityProvider, subject: str, email: str, client_address: str) -> User:
    """A new user with the provider's default role at its default unit, and nothing more."""
    assert provider.jit_unit is not None  # the database constraint pairs the role with a unit
    user = User(username=_jit_username(provider, subject), unit=provider.jit_unit, role=provider.jit_role, email=email)
    user.set_unusable_password()
    user.save()
    ExternalIdentity.objects.create(provider=provider, user=user, subject=subject)
    access_log_record(
        ctx=AccessContext(user=user, client_address=client_address),
        action="sign_in.user_created",
        basis=AccessBasis.ADMINISTRATION,
        detail={"provider": provider.name, "username": user.username, "role": user.role},
    )
    return user


def provider_sign_in(*, provider: IdentityProvider, subject: str, client_address: str, email: str = "") -> User:
    """The Vägval user that a checked sign-in at `provider` names, or SignInRefused (logged).

    `subject` is the value of the provider's configured attribute (HSA-id, employee number or
    e-mail). The sign-in is written to the access log; the caller then logs the user in.
    """

    def refuse(reason: Refusal, *, user: User | None = None, detail: dict[str, Any] | None = None) -> SignInRefused:
        return sign_in_refuse(
            reason=reason,
            client_address=client_address,
            method=provider.kind,
            provider=provider,
            user=user,
            detail=detail,
        )

    if not provider.active:
        raise refuse(Refusal.PROVIDER_OFF)
    if not subject:
        raise refuse(Refusal.NO_ATTRIBUTE, detail={"attribute": provider.attribute})
    explicit = ExternalIdentity.objects.filter(provider=provider, subject=subject).exists()
    user = _linked_user(provider, subject)
    if user is None and not provider.jit_role:
        raise refuse(Refusal.UNKNOWN_USER, detail={"subject": _log_subject(subject)})
    if user is not None and not _may_use(provider, user, linked_explicitly=explicit):
        raise refuse(Refusal.NOT_ALLOWED, user=user)
    with transaction.atomic():
        if user is None:
            user = _jit_create(provider=provider, subject=subject, email=email, client_address=client_address)
        else:
            ExternalIdentity.objects.get_or_create(provider=provider, user=user, defaults={"subject": subject})
        ExternalIdentity.objects.filter(provider=provider, user=user).update(last_sign_in_at=timezone.now())
        sign_in_record(
            ctx=AccessContext(user=user, client_address=client_address), method=provider.kind, provider=provider
        )
    return user


# --- Passwords ------------------------------------------------------------------------------------


def password_sign_in_check(*, user: User, client_address: str) -> None:
    """Before a correct password logs `user` in: SignInRefused (logged) if their organisation has
    turned local passwords off. Administrators (no unit) keep their password and two factors."""
    if user.unit_id is None:
        return
    if OrganisationSignIn.objects.filter(organisation__units=user.unit_id, passwords_allowed=False).exists():
        raise sign_in_refuse(reason=Refusal.PASSWORDS_OFF, client_address=client_address, method="password", user=user)


# --- Administration -------------------------------------------------------------------------------


def _require_admin(ctx: AccessContext) -> None:
    if not ctx.user.is_administrator:
        raise PermissionDenied(_("Endast administratörer får ändra inloggningen."))


PROVIDER_FIELDS = (
    "name",
    "slug",
    "kind",
    "active",
    "organisations",
    "match_on",
    "attribute",
    "saml_metadata",
    "oidc_issuer",
    "oidc_client_id",
    "oidc_client_secret",
    "oidc_scopes",
    "jit_role",
    "jit_unit",
)


def provider_version(*, provider: IdentityProvider) -> str:
    return version_of(provider, fields=PROVIDER_FIELDS)


def _validate_provider(provider: IdentityProvider, organisations: list[Organisation]) -> None:
    errors: dict[str, list[str]] = {}
    if provider.kind == ProviderKind.SAML and not provider.saml_metadata.strip():
        errors["saml_metadata"] = [_("Klistra in identitetsleverantörens SAML-metadata.")]
    if provider.kind == ProviderKind.OIDC:
        if not provider.oidc_issuer:
            errors["oidc_issuer"] = [_("Ange utfärdarens adress (issuer).")]
        if not provider.oidc_client_id:
            errors["oidc_client_id"] = [_("Ange klient-id.")]
    if bool(provider.jit_role) != (provider.jit_unit_id is not None):
        errors["jit_unit"] = [_("Välj både roll och enhet för nya användare, eller ingen av dem.")]
    elif provider.jit_unit is not None and provider.jit_unit.organisation not in organisations:
        errors["jit_unit"] = [_("Enheten för nya användare måste höra till en av leverantörens organisationer.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)


def provider_save(
    *,
    ctx: AccessContext,
    provider: IdentityProvider,
    organisations: list[Organisation],
    expected_version: str | None = None,
) -> IdentityProvider:
    """Create (unsaved `provider`) or change a provider and the organisations it serves."""
    _require_admin(ctx)
    _validate_provider(provider, organisations)
    creating = provider._state.adding
    try:
        with transaction.atomic():
            if not creating:
                stored = IdentityProvider.objects.select_for_update().get(pk=provider.pk)
                require_version(expected=expected_version, current=provider_version(provider=stored))
            provider.save()
            provider.organisations.set(organisations)
            access_log_record(
                ctx=ctx,
                action="sso_provider.created" if creating else "sso_provider.changed",
                basis=AccessBasis.ADMINISTRATION,
                detail={"provider": provider.name, "kind": provider.kind, "active": provider.active},
            )
    except IntegrityError as exc:  # a concurrent save took the name or the short name
        raise InvalidInput(
            _("Namnet eller kortnamnet är upptaget."), field_errors={"slug": [_("Välj ett annat kortnamn.")]}
        ) from exc
    return provider


@dataclass(frozen=True)
class IdentityData:
    user: User
    subject: str


def identity_link(*, ctx: AccessContext, provider: IdentityProvider, data: IdentityData) -> ExternalIdentity:
    """Tell Vägval which user a provider's identity (HSA-id, employee number, e-mail) is."""
    _require_admin(ctx)
    subject = data.subject.strip()
    errors: dict[str, list[str]] = {}
    if not subject:
        errors["subject"] = [_("Ange identiteten hos leverantören.")]
    elif ExternalIdentity.objects.filter(provider=provider, subject=subject).exists():
        errors["subject"] = [_("Identiteten är redan kopplad till en användare.")]
    if ExternalIdentity.objects.filter(provider=provider, user=data.user).exists():
        errors["user"] = [_("Användaren har redan en identitet hos leverantören.")]
    if data.user.role == Role.SYSTEM:
        errors["user"] = [_("Välj en användare.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)
    try:
        with transaction.atomic():
            identity = ExternalIdentity.objects.create(provider=provider, user=data.user, subject=subject)
            access_log_record(
                ctx=ctx,
                action="sso_identity.linked",
                basis=AccessBasis.ADMINISTRATION,
                detail={"provider": provider.name, "username": data.user.username, "subject": _log_subject(subject)},
            )
    except IntegrityError as exc:
        raise InvalidInput(
            _("Identiteten är redan kopplad."), field_errors={"subject": [_("Identiteten är redan kopplad.")]}
        ) from exc
    return identity


def identity_remove(*, ctx: AccessContext, identity: ExternalIdentity) -> None:
    _require_admin(ctx)
    with transaction.atomic():
        deleted, _details = ExternalIdentity.objects.filter(pk=identity.pk).delete()
        if deleted:
            access_log_record(
                ctx=ctx,
                action="sso_identity.removed",
                basis=AccessBasis.ADMINISTRATION,
                detail={"provider": identity.provider.name, "username": identity.user.username},
            )


def policy_version(*, organisation: Organisation) -> str:
    policy = OrganisationSignIn.objects.filter(organisation=organisation).first()
    return version_of(policy, fields=["passwords_allowed"]) if policy else "ny"


def policy_set(
    *, ctx: AccessContext, organisation: Organisation, passwords_allowed: bool, expected_version: str | None = None
) -> OrganisationSignIn:
    """Allow or refuse local passwords for `organisation`'s users."""
    _require_admin(ctx)
    if not passwords_allowed and not organisation.identity_providers.filter(active=True).exists():
        raise InvalidInput(
            _("Organisationen har ingen aktiv identitetsleverantör."),
            field_errors={
                "passwords_allowed": [_("Lägg först till en aktiv identitetsleverantör, annars kan ingen logga in.")]
            },
        )
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        require_version(expected=expected_version, current=policy_version(organisation=organisation))
        policy, _created = OrganisationSignIn.objects.update_or_create(
            organisation=organisation, defaults={"passwords_allowed": passwords_allowed}
        )
        access_log_record(
            ctx=ctx,
            action="sso_policy.changed",
            basis=AccessBasis.ADMINISTRATION,
            detail={"organisation": organisation.name, "passwords_allowed": passwords_allowed},
        )
    return policy


def password_sign_in_failed(*, username: str, client_address: str) -> None:
    """A wrong user name or password: logged as the named user if one exists, else as the system
    actor (the typed name is not kept: it may be a password typed into the wrong field)."""
    user = (
        User.objects.filter(username__iexact=username.strip()).exclude(role=Role.SYSTEM).first() if username else None
    )
    sign_in_refuse(reason=Refusal.WRONG_PASSWORD, client_address=client_address, method="password", user=user)
