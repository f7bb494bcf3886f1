"""Sign-in through an organisation's own identity provider (SAML 2.0 or OpenID Connect).

The configuration lives here, not on the user: which providers an installation has, which
organisations each serves, and whether an organisation still allows local passwords. A user's
identity at a provider (HSA-id, employee number, e-mail) is an ExternalIdentity; roles and units
stay decided in Vägval.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import Role
from vagval.common.models import BaseModel


class ProviderKind(models.TextChoices):
    SAML = "saml", _("SAML 2.0")
    OIDC = "oidc", _("OpenID Connect")


class MatchOn(models.TextChoices):
    """What the provider's attribute holds, and so how it finds the Vägval user."""

    HSA_ID = "hsa_id", _("HSA-id")
    EMPLOYEE_NUMBER = "employee_number", _("Anställningsnummer")
    EMAIL = "email", _("E-postadress")


# Roles given only by hand: the administrator, the data-protection officer (who sees across units).
NEVER_JUST_IN_TIME = (Role.ADMIN, Role.SYSTEM, Role.DATA_PROTECTION)


class IdentityProvider(BaseModel):
    name = models.CharField(
        _("namn"), max_length=100, unique=True, help_text=_("Visas på inloggningssidan: ”Logga in med …”.")
    )
    slug = models.SlugField(_("kortnamn i adressen"), max_length=50, unique=True)
    kind = models.CharField(_("protokoll"), max_length=10, choices=ProviderKind.choices)
    active = models.BooleanField(_("aktiv"), default=True)
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("organisationer"),
        related_name="identity_providers",
        blank=True,
        help_text=_("Bara användare vid enheter i dessa organisationer kan logga in med leverantören."),
    )
    match_on = models.CharField(_("matchas mot"), max_length=20, choices=MatchOn.choices, default=MatchOn.HSA_ID)
    attribute = models.CharField(
        _("attribut eller claim"),
        max_length=200,
        help_text=_("Namnet på attributet (SAML) eller claimet (OIDC) som bär identiteten, t.ex. ”email”."),
    )
    # SAML 2.0: the identity provider's metadata (its entity id, sign-in and logout addresses, certificate).
    saml_metadata = models.TextField(_("SAML-metadata (XML)"), blank=True)
    # OpenID Connect: the issuer (its /.well-known/openid-configuration is read) and the client.
    oidc_issuer = models.URLField(_("OIDC-utfärdare (issuer)"), blank=True)
    oidc_client_id = models.CharField(_("klient-id"), max_length=200, blank=True)
    oidc_client_secret = models.CharField(_("klienthemlighet"), max_length=500, blank=True)
    oidc_scopes = models.CharField(_("scopes"), max_length=200, default="openid email profile")
    # Just-in-time creation: an unknown person with a valid sign-in becomes a user with this role at
    # this unit, and nothing more. Empty role: unknown persons are refused. Never an administrator
    # or the data-protection officer (who sees across units): those are given by hand.
    jit_role = models.CharField(
        _("roll för nya användare"),
        max_length=20,
        blank=True,
        choices=[(value, label) for value, label in Role.choices if value not in NEVER_JUST_IN_TIME],
    )
    jit_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("enhet för nya användare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("identitetsleverantör")
        verbose_name_plural = _("identitetsleverantörer")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["saml", "oidc"]),
                name="sso_provider_kind_known",
                violation_error_message=_("Okänt protokoll."),
            ),
            # Just-in-time creation needs both a role and a unit, or neither.
            models.CheckConstraint(
                condition=models.Q(jit_role="", jit_unit__isnull=True)
                | (~models.Q(jit_role="") & models.Q(jit_unit__isnull=False)),
                name="sso_provider_jit_role_and_unit",
                violation_error_message=_("Välj både roll och enhet för nya användare, eller ingen av dem."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExternalIdentity(BaseModel):
    """A Vägval user's identity at one provider: the value of the provider's attribute."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="identities")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities")
    subject = models.CharField(_("identitet hos leverantören"), max_length=255)
    last_sign_in_at = models.DateTimeField(_("senaste inloggning"), null=True, blank=True)

    class Meta:
        ordering = ["provider__name", "subject"]
        verbose_name = _("extern identitet")
        verbose_name_plural = _("externa identiteter")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="sso_identity_subject_unique"),
            models.UniqueConstraint(fields=["provider", "user"], name="sso_identity_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.subject}"


class OrganisationSignIn(BaseModel):
    """How an organisation's staff sign in. No row: local passwords allowed (as before SSO)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="sign_in_policy"
    )
    passwords_allowed = models.BooleanField(
        _("lokala lösenord tillåtna"),
        default=True,
        help_text=_("Av: organisationens användare kan bara logga in via identitetsleverantören."),
    )

    class Meta:
        verbose_name = _("inloggningsregel för organisation")
        verbose_name_plural = _("inloggningsregler för organisationer")

    def __str__(self) -> str:
        return str(self.organisation)
