"""Forms for log review: the GET search form and the POST person lookup."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from vagval.audit.selectors import LogFilters
from vagval.common.identity import looks_like_identity_number

_NO_NUMBERS_HERE = _("Sök på person med formuläret ”Sök på person”, så att numret inte hamnar i adressfältet.")
_DATE_ERRORS = {"invalid": _("Ange ett datum (ÅÅÅÅ-MM-DD).")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class LogFilterForm(forms.Form):
    """Search filters, sent with GET. A person is only ever given as a UUID here."""

    user = forms.CharField(
        label=_("Användare"),
        required=False,
        max_length=150,
        help_text=_("Användarnamnet, till exempel coach.ludvika."),
        widget=forms.TextInput(attrs={"list": "log-usernames", "autocomplete": "off"}),
    )
    action = forms.CharField(
        label=_("Händelse"),
        required=False,
        max_length=60,
        help_text=_("En händelsekod som person.viewed, eller början av en, som person."),
        widget=forms.TextInput(attrs={"list": "log-actions", "autocomplete": "off"}),
    )
    date_from = forms.DateField(
        label=_("Från och med"), required=False, widget=DateInput(), error_messages=_DATE_ERRORS
    )
    date_to = forms.DateField(label=_("Till och med"), required=False, widget=DateInput(), error_messages=_DATE_ERRORS)
    unusual = forms.BooleanField(
        label=_("Endast ovanliga åtkomster"),
        required=False,
        help_text=_("Före klockan 07, från klockan 19 eller på lördagar och söndagar."),
    )
    person = forms.CharField(required=False, widget=forms.HiddenInput)

    def _no_identity_number(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if looks_like_identity_number(value):
            raise forms.ValidationError(_NO_NUMBERS_HERE)
        return value

    def clean_user(self) -> str:
        return self._no_identity_number("user")

    def clean_action(self) -> str:
        return self._no_identity_number("action")

    def clean_person(self) -> uuid.UUID | None:
        value = (self.cleaned_data.get("person") or "").strip()
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Personfiltret är ogiltigt. Sök på personen igen.")) from exc

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("Till-datumet kan inte vara före från-datumet."))
        return cleaned

    def to_filters(self) -> LogFilters:
        c = self.cleaned_data
        return LogFilters(
            username=c["user"],
            action=c["action"],
            date_from=c["date_from"],
            date_to=c["date_to"],
            person_id=c["person"],
            unusual_only=c["unusual"],
        )


def filters_query(filters: LogFilters, *, with_person: bool = True) -> str:
    """The filters as a URL query string (without '?'); built from validated values only."""
    params: dict[str, str] = {}
    if filters.username:
        params["user"] = filters.username
    if filters.action:
        params["action"] = filters.action
    if filters.date_from:
        params["date_from"] = filters.date_from.isoformat()
    if filters.date_to:
        params["date_to"] = filters.date_to.isoformat()
    if filters.unusual_only:
        params["unusual"] = "on"
    if with_person and filters.person_id:
        params["person"] = str(filters.person_id)
    return urlencode(params)


class _NoValueTextInput(forms.TextInput):
    """A text input that never writes the submitted value back into the page."""

    def format_value(self, value: Any) -> str | None:
        return None


class PersonLookupForm(forms.Form):
    """Find a person by identity number or name. Sent with POST so the number stays out of URLs."""

    query = forms.CharField(
        label=_("Personnummer, samordningsnummer eller namn"),
        max_length=100,
        widget=_NoValueTextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Ange ett person- eller samordningsnummer eller ett namn.")},
    )
    # The search filters in use when the lookup was made, to keep them after the redirect.
    filters = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
