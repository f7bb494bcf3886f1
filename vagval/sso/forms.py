"""Forms for the administrators' sign-in pages. They parse input only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import Role, User
from vagval.organisations.models import Organisation, Unit
from vagval.sso.models import IdentityProvider
from vagval.sso.services import PROVIDER_FIELDS

# Short names that are paths of the sso app itself.
_RESERVED_SLUGS = {"administration"}


class ProviderForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisationer"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bara användare vid enheter i dessa organisationer kan logga in med leverantören."),
    )
    oidc_issuer = forms.URLField(label=_("OIDC-utfärdare (issuer)"), required=False, assume_scheme="https")
    oidc_client_secret = forms.CharField(
        label=_("Klienthemlighet"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Visas aldrig. Lämna tomt för att behålla den sparade."),
    )

    class Meta:
        model = IdentityProvider
        fields = list(PROVIDER_FIELDS)  # what the service saves, listed once
        widgets = {"saml_metadata": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jit_unit"].queryset = Unit.objects.select_related("organisation").filter(active=True)  # type: ignore[attr-defined]
        self.fields["jit_unit"].empty_label = _("Ingen (okända personer nekas)")  # type: ignore[attr-defined]
        self.fields["jit_role"].help_text = _(
            "Tomt: den som inte har ett konto i Vägval nekas. Annars skapas ett konto med bara denna roll."
        )
        self.fields["jit_role"].choices = [("", _("Ingen (okända personer nekas)"))] + [  # type: ignore[attr-defined]
            (value, label) for value, label in Role.choices if value not in (Role.ADMIN, Role.SYSTEM)
        ]
        self._stored_secret = self.instance.oidc_client_secret if self.instance.pk else ""

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"])
        if slug in _RESERVED_SLUGS:
            raise forms.ValidationError(_("Välj ett annat kortnamn."))
        return slug

    def clean_oidc_client_secret(self) -> str:
        return str(self.cleaned_data.get("oidc_client_secret") or self._stored_secret)


class IdentityForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Användare"),
        queryset=User.objects.exclude(role=Role.SYSTEM).order_by("username"),
        empty_label=_("Välj användare"),
    )
    subject = forms.CharField(
        label=_("Identitet hos leverantören"),
        max_length=255,
        help_text=_("Värdet av leverantörens attribut för användaren: HSA-id, anställningsnummer eller e-postadress."),
    )


class PolicyForm(forms.Form):
    passwords_allowed = forms.BooleanField(
        label=_("Lokala lösenord tillåtna"),
        required=False,
        help_text=_("Av: organisationens användare kan bara logga in via organisationens identitetsleverantör."),
    )
