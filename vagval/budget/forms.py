from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.budget.importing import parse_month
from vagval.budget.models import CostType

MAX_FILE_BYTES = 2 * 1024 * 1024


def _amount_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Kronor. Lämna tomt om det inte finns något belopp."),
        localize=True,
    )


class AmountsForm(forms.Form):
    """One amount per cost type: the budget, or a month's costs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in CostType.choices:
            self.fields[value] = _amount_field(label)

    def amounts(self) -> dict[str, Decimal | None]:
        return {value: self.cleaned_data.get(value) for value in CostType.values}


class MonthForm(forms.Form):
    manad = forms.CharField(
        label=_("Månad (ÅÅÅÅ-MM)"),
        max_length=7,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2025-01"}),
        error_messages={"required": _("Ange en månad.")},
    )

    def clean_manad(self) -> dt.date:
        month = parse_month(self.cleaned_data["manad"])
        if month is None:
            raise forms.ValidationError(_("Skriv månaden som ÅÅÅÅ-MM, till exempel 2025-01."))
        return month


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Slutdatumet kan inte vara före startdatumet."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil från ekonomisystemet (CSV)"),
        help_text=_("Semikolonseparerad med kolumnerna månad, kostnadstyp och belopp. Se formatet nedan."),
        error_messages={"required": _("Välj en fil.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 2 MB)."))
        return upload
