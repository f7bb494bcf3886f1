from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.targets.models import Figure, Target
from vagval.targets.services import TargetData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TargetForm(forms.Form):
    figure = forms.ChoiceField(
        label=_("Mått"),
        choices=[("", _("Välj…")), *Figure.choices],
        error_messages={"required": _("Välj ett mått.")},
    )
    value = forms.DecimalField(
        label=_("Målvärde"),
        min_value=0,
        max_digits=9,
        decimal_places=1,
        help_text=_("Antal deltagare, procent för andelar, eller arbetsdagar för tid till första kontakt."),
        error_messages={"required": _("Ange ett målvärde.")},
    )
    starts_on = forms.DateField(
        label=_("Periodens första dag"), widget=DATE, error_messages={"required": _("Ange periodens första dag.")}
    )
    ends_on = forms.DateField(
        label=_("Periodens sista dag"), widget=DATE, error_messages={"required": _("Ange periodens sista dag.")}
    )

    @classmethod
    def initial_of(cls, target: Target) -> dict[str, object]:
        return {
            "figure": target.figure,
            "value": target.value,
            "starts_on": target.starts_on,
            "ends_on": target.ends_on,
        }

    def to_data(self) -> TargetData:
        data = self.cleaned_data
        return TargetData(
            figure=data["figure"], value=data["value"], starts_on=data["starts_on"], ends_on=data["ends_on"]
        )
