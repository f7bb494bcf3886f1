"""The retention rule form, the register extract's and the legal hold's number forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.common.identity import InvalidIdentityNumber, parse_identity_number
from vagval.dataprotection.models import RecordType, RetentionRule
from vagval.dataprotection.retention_services import RuleData
from vagval.organisations.models import Organisation


class RuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = [
            "organisation",
            "record_type",
            "years_after_last_entry",
            "months_after_entry",
            "by_end_of_following_year",
            "keep_while_other_records",
            "research_exception",
            "decision_reference",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.order_by("name")
        self.fields["months_after_entry"].help_text = _("Bara för åtkomstloggen.")
        self.fields["years_after_last_entry"].help_text = _("För personakter och KAA-registret.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("record_type") == RecordType.ACCESS_LOG and not data.get("months_after_entry"):
            self.add_error("months_after_entry", _("Ange efter hur många månader loggposterna gallras."))
        return data

    def to_data(self) -> RuleData:
        d = self.cleaned_data
        return RuleData(**{name: d[name] for name in self.Meta.fields})


class IdentityNumberField(forms.CharField):
    """An identity number, any common written form, as 12 digits (POST only: never in an address)."""

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        try:
            return parse_identity_number(text).digits
        except InvalidIdentityNumber as exc:
            raise forms.ValidationError(exc.message) from None


class ExtractForm(forms.Form):
    id_number = IdentityNumberField(label=_("Personnummer eller samordningsnummer"), max_length=20)
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=300,
        help_text=_("Till exempel den registrerades begäran och ert ärendenummer. Skälet loggas."),
    )


class HoldForm(ExtractForm):
    reason = forms.CharField(
        label=_("Skäl till gallringsstoppet"),
        max_length=300,
        help_text=_("Till exempel en pågående rättslig process. Skälet loggas."),
    )
