"""Forms for the referral pages: they parse input; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.common.forms import add_service_errors  # noqa: F401 (the views import it from here)
from vagval.organisations.models import Unit

_TEXT = {"rows": 5}


class ReferralForm(forms.Form):
    to_unit = forms.TypedChoiceField(
        label=_("Mottagare"),
        help_text=_("Bara enheter som den unga har lämnat ett giltigt samtycke till visas."),
        coerce=str,
    )
    requested_measure = forms.CharField(
        label=_("Önskad insats"),
        max_length=500,
        help_text=_("Till exempel: samtal med socialsekreterare, arbetsmarknadsutbildning."),
    )
    reason = forms.CharField(
        label=_("Anledning och frågeställning"),
        max_length=4000,
        widget=forms.Textarea(attrs=_TEXT),
        help_text=_("Skriv bara det mottagaren behöver veta och det som samtycket omfattar."),
    )

    def __init__(self, *args: Any, recipients: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Välj mottagare"))] + [(str(u.pk), str(u)) for u in recipients]


class AcceptForm(forms.Form):
    response = forms.CharField(
        label=_("Svar till avsändaren"), max_length=4000, required=False, widget=forms.Textarea(attrs=_TEXT)
    )
    step_text = forms.CharField(
        label=_("Insats i planen"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Blir ett steg i personens plan med er enhet som ansvarig. Lämna tomt för att använda den önskade insatsen."
        ),
    )


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Skäl till att ni avböjer"), max_length=2000, widget=forms.Textarea(attrs=_TEXT)
    )


class RequestInfoForm(forms.Form):
    question = forms.CharField(label=_("Vad behöver ni veta mer?"), max_length=4000, widget=forms.Textarea(attrs=_TEXT))


class AddInfoForm(forms.Form):
    text = forms.CharField(label=_("Komplettering"), max_length=4000, widget=forms.Textarea(attrs=_TEXT))


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Varför återkallas remissen? (frivilligt)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResponseTimesForm(forms.Form):
    since = forms.DateField(
        label=_("Skickade från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
