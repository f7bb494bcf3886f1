"""The report's period (GET): from and to, both days included."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    fran = forms.DateField(label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"}))
    till = forms.DateField(label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fran"), data.get("till")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("till", _("Slutdatumet kan inte vara före startdatumet."))
        return data
