"""Forms for admission: they parse input; admission_services applies the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vagval.catalogue.admission_services import RoundData, StepData
from vagval.catalogue.models import AdmissionDecision, AdmissionStep, ApplicationSource

DATE = forms.DateInput(attrs={"type": "date"})


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Namn på omgången"), max_length=100, help_text=_("Till exempel Hösten 2027."))
    starts_on = forms.DateField(label=_("Terminsstart"), widget=DATE)
    places = forms.IntegerField(label=_("Antal platser"), min_value=1, max_value=10000)
    applications_close_on = forms.DateField(label=_("Sista ansökningsdag"), required=False, widget=DATE)

    def round_data(self) -> RoundData:
        d = self.cleaned_data
        return RoundData(
            name=d["name"],
            starts_on=d["starts_on"],
            places=d["places"],
            applications_close_on=d["applications_close_on"],
        )


class ApplicationForm(forms.Form):
    enrolment = forms.ChoiceField(label=_("Vem ansöker"), help_text=_("Personer inskrivna vid din enhet."))
    source = forms.ChoiceField(label=_("Varifrån kom ansökan"), choices=ApplicationSource.choices)
    applied_on = forms.DateField(label=_("Ansökningsdatum"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: object, enrolments: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["enrolment"].choices = [("", _("Välj person")), *enrolments]  # type: ignore[attr-defined]


class StepForm(forms.Form):
    """The next step of one application; which fields matter depends on the step."""

    on = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(
        label=_("Anteckningar från intervjun"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    decision = forms.ChoiceField(
        label=_("Beslut"), required=False, choices=[("", "–"), *AdmissionDecision.choices], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=500,
        help_text=_("Krävs för reserv och ej antagen. Skriv så att den unga kan förstå beslutet."),
    )

    def __init__(self, *args: object, step: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if step != AdmissionStep.INTERVIEW:
            del self.fields["notes"]
        if step != AdmissionStep.DECISION:
            del self.fields["decision"], self.fields["reason"]
        else:
            self.fields["decision"].choices = AdmissionDecision.choices  # type: ignore[attr-defined]
            self.fields["decision"].required = True

    def step_data(self) -> StepData:
        d = self.cleaned_data
        return StepData(
            on=d["on"], notes=d.get("notes", ""), decision=d.get("decision", ""), reason=d.get("reason", "")
        )
