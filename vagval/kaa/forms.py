"""Forms for the KAA pages: they parse input; the services apply the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vagval.common.forms import add_service_errors  # noqa: F401 (the views import it from here)
from vagval.kaa.codes import load_code_list
from vagval.kaa.models import Responsible
from vagval.kaa.services import MeasureData
from vagval.kaa.statistics import FORMATS, HalfYear

_DATE = forms.DateInput(attrs={"type": "date"})


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av insats"))
    content = forms.CharField(
        label=_("Innehåll"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Beskriv vad insatsen går ut på. Skriv inte känsliga uppgifter här, till exempel om hälsa, "
            "sociala förhållanden eller annat som inte hör hemma i KAA-registret."
        ),
    )
    responsible = forms.ChoiceField(label=_("Ansvarig"), choices=Responsible.choices, widget=forms.RadioSelect)
    responsible_name = forms.CharField(
        label=_("Namn på annan aktör"),
        max_length=200,
        required=False,
        help_text=_("Fyll i när en annan aktör ansvarar, till exempel en folkhögskola."),
    )
    starts_on = forms.DateField(label=_("Startdatum"), widget=_DATE)
    ends_on = forms.DateField(label=_("Slutdatum"), widget=_DATE, required=False)
    end_reason = forms.CharField(
        label=_("Orsak till avslut"),
        max_length=200,
        required=False,
        help_text=_("Krävs när insatsen har ett slutdatum."),
    )
    follow_up_on = forms.DateField(label=_("Uppföljningsdatum"), widget=_DATE, required=False)
    declined = forms.BooleanField(label=_("Den unga tackade nej till insatsen"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Välj typ av insats")), *load_code_list("measure_kind").choices()]

    def to_data(self) -> MeasureData:
        d = self.cleaned_data
        return MeasureData(
            kind=d["kind"],
            content=d["content"],
            responsible=d["responsible"],
            responsible_name=d["responsible_name"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            end_reason=d["end_reason"],
            follow_up_on=d["follow_up_on"],
            declined=d["declined"],
        )


class RegisterFilterForm(forms.Form):
    left_from = forms.DateField(label=_("Lämnat KAA från och med"), widget=_DATE, required=False)
    left_to = forms.DateField(label=_("Lämnat KAA till och med"), widget=_DATE, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("left_from"), data.get("left_to")
        if start and end and end < start:
            self.add_error("left_to", _("Slutet av perioden kan inte vara före början."))
        return data


def half_year_choices(today: dt.date | None = None, count: int = 6) -> list[tuple[str, str]]:
    """The current half-year and the ones before it, newest first."""
    today = today or timezone.localdate()
    year, half = today.year, 1 if today.month <= 6 else 2
    choices = []
    for _i in range(count):
        label = f"{year}H{half}"
        choices.append((label, label))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return choices


class StatisticsForm(forms.Form):
    half_year = forms.ChoiceField(label=_("Halvår"), help_text=_("H1 är januari–juni, H2 är juli–december."))
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[(f, f.upper()) for f in FORMATS],
        widget=forms.RadioSelect,
        initial="csv",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["half_year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = half_year_choices()

    def clean_half_year(self) -> HalfYear:
        return HalfYear.parse(self.cleaned_data["half_year"])
