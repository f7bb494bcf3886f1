"""Forms of the ESF+ pages. Rules live in esf.services; the forms parse and label."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.esf.models import Answer, LabourStatus
from vagval.esf.rules import isced_levels
from vagval.esf.services import EntryData


def _answer(label: Any, help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=Answer.choices, required=False, help_text=help_text)


VOLUNTARY = _("Frivilligt. Personen får alltid avstå.")
SENSITIVE = _("Känslig uppgift: frivillig, syns bara för er enhet och redovisas bara som antal.")


class EntryForm(forms.Form):
    labour_status = forms.ChoiceField(
        label=_("Situation på arbetsmarknaden vid start"),
        choices=[("", _("Välj…")), *LabourStatus.choices],
        required=False,
        help_text=_("Exakt ett av alternativen. Saknas uppgiften räknas deltagaren bara i totalen."),
    )
    unemployed_since = forms.DateField(
        label=_("Arbetslös sedan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Bara för arbetslösa. Långtidsarbetslöshet räknas ut från datumet och åldern."),
    )
    isced = forms.TypedChoiceField(
        label=_("Högsta avslutade utbildning"),
        choices=[],
        coerce=int,
        empty_value=None,
        required=False,
    )
    disability = _answer(_("Har en funktionsnedsättning"), SENSITIVE)
    minority = _answer(_("Tillhör en minoritet"), SENSITIVE)
    third_country = _answer(_("Medborgare i ett land utanför EU"), VOLUNTARY)
    foreign_background = _answer(_("Har utländsk bakgrund"), VOLUNTARY)
    homeless = _answer(_("Hemlös eller utestängd från bostadsmarknaden"), VOLUNTARY)
    improved_after_6_months = _answer(
        _("Förbättrad situation på arbetsmarknaden 6 månader efter avslut"),
        _("Fylls i vid uppföljningen efter 6 månader, bara för den som var sysselsatt vid start."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        isced: forms.TypedChoiceField = self.fields["isced"]  # type: ignore[assignment]
        isced.choices = [("", _("Välj…"))] + [
            (str(level.code), f"ISCED {level.code}: {level.name}") for level in isced_levels()
        ]

    def entry_data(self) -> EntryData:
        data = self.cleaned_data
        return EntryData(
            labour_status=data["labour_status"],
            unemployed_since=data["unemployed_since"],
            isced=data["isced"],
            disability=data["disability"],
            third_country=data["third_country"],
            foreign_background=data["foreign_background"],
            minority=data["minority"],
            homeless=data["homeless"],
            improved_after_6_months=data["improved_after_6_months"],
        )


class FundingForm(forms.Form):
    funded = forms.BooleanField(label=_("Projektet är ESF-finansierat"), required=False)
    case_number = forms.CharField(label=_("Ärendenummer hos ESF-rådet"), max_length=50, required=False)


class PeriodForm(forms.Form):
    """The report's choice: project and period (GET)."""

    project = forms.TypedChoiceField(label=_("Projekt"), choices=[], coerce=str)
    start = forms.DateField(label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, projects: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project: forms.TypedChoiceField = self.fields["project"]  # type: ignore[assignment]
        project.choices = [(str(p.pk), p.name) for p in projects]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end", _("Slutdatumet kan inte vara före startdatumet."))
        return data
