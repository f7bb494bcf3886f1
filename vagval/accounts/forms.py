"""Forms for logging in, two-factor codes and user administration. They parse input only:
the domain rules (unique user name, unit required, password strength) live in services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import STAFF_ROLES, Role, User
from vagval.accounts.services import UserData
from vagval.organisations.models import Project, Unit

_BAD_LOGIN = _("Fel användarnamn eller lösenord.")


class LoginForm(AuthenticationForm):
    """Django's login form in Swedish. The same error for a wrong password, an unknown user
    and an inactive account, so the page never reveals whether a user name exists."""

    error_messages = {
        "invalid_login": _BAD_LOGIN,
        "inactive": _BAD_LOGIN,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Användarnamn")
        self.fields["password"].label = _("Lösenord")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Sexsiffrig kod från appen"),
        max_length=12,
        error_messages={"required": _("Ange koden från appen.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = re.sub(r"\s", "", self.cleaned_data["token"])
        if not re.fullmatch(r"\d{6}", token):
            raise forms.ValidationError(_("Ange de sex siffrorna som appen visar."))
        return token


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def _unit_field(current: Unit | None = None) -> UnitChoiceField:
    """Active units, plus the user's current unit even if it has been deactivated."""
    condition = Q(active=True)
    if current is not None:
        condition |= Q(pk=current.pk)
    return UnitChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.select_related("organisation").filter(condition),
        required=False,
        empty_label=_("Ingen enhet (endast administratörer)"),
    )


class UserForm(forms.Form):
    username = forms.CharField(
        label=_("Användarnamn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-post"), required=False)
    role = forms.ChoiceField(label=_("Roll"), choices=STAFF_ROLES)
    read_only = forms.BooleanField(label=_("Endast läsbehörighet (kan se men inte ändra)"), required=False)
    is_active = forms.BooleanField(label=_("Aktivt konto (kan logga in)"), required=False, initial=True)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        if user is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "unit": user.unit,
                "role": user.role,
                "read_only": user.read_only,
                "is_active": user.is_active,
            }
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field(user.unit if user is not None else None)
        self.order_fields(["username", "first_name", "last_name", "email", "unit", "role", "read_only", "is_active"])

    def user_data(self) -> UserData:
        data = self.cleaned_data
        return UserData(
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            unit=data["unit"],
            role=data["role"],
            read_only=data["read_only"],
            is_active=data["is_active"],
        )


class PasswordFieldsMixin(forms.Form):
    password = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 10 tecken. Undvik vanliga lösenord och lösenord med bara siffror."),
    )
    password_repeat = forms.CharField(
        label=_("Upprepa lösenordet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, repeat = cleaned.get("password"), cleaned.get("password_repeat")
        if password and repeat and password != repeat:
            self.add_error("password_repeat", _("Lösenorden är inte likadana."))
        return cleaned


class UserCreateForm(PasswordFieldsMixin, UserForm):
    pass


class PasswordForm(PasswordFieldsMixin):
    pass


class ProjectRoleForm(forms.Form):
    prefix = "projektroll"  # the user form on the same page also has a "role" field

    project = forms.ModelChoiceField(label=_("Projekt"), queryset=Project.objects.all(), empty_label=_("Välj projekt"))
    role = forms.ChoiceField(
        label=_("Roll i projektet"),
        choices=[(value, label) for value, label in STAFF_ROLES if value not in (Role.ADMIN, Role.DATA_PROTECTION)],
    )


class UserFilterForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.select_related("organisation"),
        required=False,
        empty_label=_("Alla enheter"),
    )
    role = forms.ChoiceField(label=_("Roll"), choices=[("", _("Alla roller")), *Role.choices], required=False)
