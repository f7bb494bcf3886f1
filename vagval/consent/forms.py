"""Forms parse input for the consent pages; the services check the domain rules.

Field names match services.ConsentData so InvalidInput field errors land on the right field.
Recipient choices come from selectors.recipient_choices (passed in by the view).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vagval.consent.models import ConsentCategory, ConsentForm
from vagval.consent.selectors import WHOLE_CONSENT, WithdrawalChoice
from vagval.consent.services import ConsentData

# Short, plain explanations of each category, shown next to its checkbox.
CATEGORY_HELP = {
    ConsentCategory.IDENTITY: _("Namn, personnummer, adress, telefon och e-post."),
    ConsentCategory.PLAN: _("Den individuella planen: mål, steg och vem som gör vad."),
    ConsentCategory.MAPPINGS: _("Kartläggningar av styrkor, intressen och behov."),
    ConsentCategory.SENSITIVE_MAPPINGS: _("Kartläggningar som gäller hälsa eller andra känsliga behov."),
    ConsentCategory.NOTES: _("Anteckningar som din enhet har markerat att de får delas."),
    ConsentCategory.OUTCOMES: _("Hur det gick efter insatsen, till exempel arbete eller studier, och uppföljningar."),
}

DATE_ERRORS = {"required": _("Ange ett datum."), "invalid": _("Ange ett datum (ÅÅÅÅ-MM-DD).")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


@dataclass(frozen=True)
class Option:
    """One checkbox or radio button, for templates that group options in fieldsets."""

    id: str
    value: str
    label: str
    checked: bool
    help: str = ""


@dataclass(frozen=True)
class OptionGroup:
    legend: str
    options: list[Option]


def _selected(bound: forms.BoundField) -> set[str]:
    value = bound.value()
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


def one_year_ahead(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class ConsentRecordForm(forms.Form):
    recipient_unit_ids = forms.TypedMultipleChoiceField(
        label=_("Mottagare"),
        coerce=uuid.UUID,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Välj minst en mottagare."),
            "invalid_choice": _("Okänd eller inaktiv mottagare."),
        },
    )
    categories = forms.MultipleChoiceField(
        label=_("Uppgifter som får lämnas"),
        choices=ConsentCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Välj vilka uppgifter som får lämnas."),
            "invalid_choice": _("Okänd kategori."),
        },
    )
    purpose = forms.CharField(
        label=_("Syfte"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Varför uppgifterna ska lämnas, med den unges egna ord om det går."),
        error_messages={"required": _("Beskriv syftet med samtycket.")},
    )
    form = forms.ChoiceField(
        label=_("Form"),
        choices=ConsentForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj skriftligt eller muntligt.")},
    )
    valid_from = forms.DateField(label=_("Gäller från"), widget=DateInput(), error_messages=DATE_ERRORS)
    valid_to = forms.DateField(
        label=_("Gäller till och med"),
        widget=DateInput(),
        help_text=_("Samtycket slutar gälla efter den dagen."),
        error_messages=DATE_ERRORS,
    )
    document = forms.FileField(
        label=_("Inskannad blankett"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
        help_text=_("Frivillig. PDF, PNG eller JPG, högst 10 MB."),
        error_messages={"empty": _("Filen är tom."), "invalid": _("Det gick inte att läsa filen.")},
    )

    def __init__(self, *args: Any, recipient_groups: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"valid_from": today, "valid_to": one_year_ahead(today)})
        super().__init__(*args, **kwargs)
        self.recipient_groups = recipient_groups
        cast(forms.ChoiceField, self.fields["recipient_unit_ids"]).choices = [
            (value, label) for _org, units in recipient_groups for value, label in units
        ]

    def recipient_option_groups(self) -> list[OptionGroup]:
        selected = _selected(self["recipient_unit_ids"])
        groups = []
        index = 0
        for organisation, units in self.recipient_groups:
            options = []
            for value, label in units:
                options.append(Option(f"id_recipient_{index}", value, label, value in selected))
                index += 1
            groups.append(OptionGroup(organisation, options))
        return groups

    def category_options(self) -> list[Option]:
        selected = _selected(self["categories"])
        return [
            Option(
                f"id_categories_{i}", value, str(label), value in selected, str(CATEGORY_HELP[ConsentCategory(value)])
            )
            for i, (value, label) in enumerate(ConsentCategory.choices)
        ]

    def form_options(self) -> list[Option]:
        selected = _selected(self["form"])
        return [
            Option(f"id_form_{i}", value, str(label), value in selected)
            for i, (value, label) in enumerate(ConsentForm.choices)
        ]

    def to_data(self) -> ConsentData:
        c = self.cleaned_data
        return ConsentData(
            recipient_unit_ids=list(c["recipient_unit_ids"]),
            categories=list(c["categories"]),
            purpose=c["purpose"],
            form=c["form"],
            valid_from=c["valid_from"],
            valid_to=c["valid_to"],
            document=c.get("document") or None,
        )


class WithdrawForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Vad ska återkallas?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj vad som ska återkallas."),
            "invalid_choice": _("Välj ett av alternativen."),
        },
    )
    note = forms.CharField(
        label=_("Kommentar (frivillig)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel hur den unga sa att samtycket ska återkallas. Skriv inga känsliga uppgifter."),
    )

    def __init__(self, *args: Any, choices: list[WithdrawalChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.withdrawal_choices = choices
        field = cast(forms.ChoiceField, self.fields["scope"])
        field.choices = [(c.value, self._label(c)) for c in choices]
        if len(choices) == 1:
            field.initial = choices[0].value

    @staticmethod
    def _label(choice: WithdrawalChoice) -> str:
        if choice.unit is None:
            return str(_("Hela samtycket, för alla mottagare"))
        return str(_("Bara för %(unit)s")) % {"unit": choice.unit}

    def scope_options(self) -> list[Option]:
        selected = _selected(self["scope"])
        return [
            Option(f"id_scope_{i}", c.value, self._label(c), c.value in selected)
            for i, c in enumerate(self.withdrawal_choices)
        ]

    @property
    def recipient_unit_id(self) -> uuid.UUID | None:
        scope = self.cleaned_data["scope"]
        return None if scope == WHOLE_CONSENT else uuid.UUID(scope)
