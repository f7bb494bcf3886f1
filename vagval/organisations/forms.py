"""Forms parse input for the administration pages; the services check the domain rules.

Field names match the services' data classes so InvalidInput field errors land on the
right field. Choices that come from the database are passed in by the view (from selectors).
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.organisations.models import OrganisationKind
from vagval.organisations.services import MethodData, OrganisationData, ProjectData, UnitData


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _Form(forms.Form):
    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices


class OrganisationFilterForm(_Form):
    kind = forms.ChoiceField(label=_("Typ"), required=False)
    municipality_code = forms.ChoiceField(label=_("Kommun"), required=False)

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", [("", _("Alla typer")), *OrganisationKind.choices])
        self._choices("municipality_code", [("", _("Alla kommuner")), *municipalities])


class OrganisationForm(_Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ"), choices=OrganisationKind.choices)
    municipality_code = forms.ChoiceField(
        label=_("Kommun"),
        required=False,
        help_text=_("Kommunen organisationen är eller verkar i. Måste anges för en kommun."),
    )
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"),
        required=False,
        max_length=20,
        help_text=_("Tio siffror, till exempel 556677-8899."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("municipality_code", [("", _("Ingen kommun")), *municipalities])

    def to_data(self) -> OrganisationData:
        c = self.cleaned_data
        return OrganisationData(
            name=c["name"],
            kind=c["kind"],
            municipality_code=c["municipality_code"] or "",
            organisation_number=c["organisation_number"] or "",
        )


class UnitForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"),
        max_length=200,
        help_text=_(
            "Varje enhet är en egen sekretessdomän: användare på enheten ser bara de unga som är "
            "inskrivna vid just den enheten, inte vid andra enheter i samma organisation."
        ),
    )
    address = forms.CharField(label=_("Adress"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-post"),
        required=False,
        error_messages={"invalid": _("Ange en giltig e-postadress.")},
    )
    active = forms.BooleanField(
        label=_("Aktiv"),
        required=False,
        initial=True,
        help_text=_("Ta bort krysset när enheten inte längre används. Enheten och dess historik finns kvar."),
    )

    def to_data(self) -> UnitData:
        c = self.cleaned_data
        return UnitData(name=c["name"], address=c["address"], phone=c["phone"], email=c["email"], active=c["active"])


class ProjectForm(_Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    description = forms.CharField(label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    starts_on = forms.DateField(
        label=_("Startdatum"), widget=DateInput(), error_messages={"invalid": _("Ange ett datum (ÅÅÅÅ-MM-DD).")}
    )
    ends_on = forms.DateField(
        label=_("Slutdatum"),
        required=False,
        widget=DateInput(),
        help_text=_("Lämna tomt om projektet pågår tills vidare."),
        error_messages={"invalid": _("Ange ett datum (ÅÅÅÅ-MM-DD).")},
    )
    target_participants = forms.IntegerField(
        label=_("Mål antal deltagare"),
        required=False,
        min_value=0,
        error_messages={
            "invalid": _("Ange ett heltal."),
            "min_value": _("Antalet kan inte vara negativt."),
        },
    )
    organisation_ids = forms.MultipleChoiceField(
        label=_("Medverkande organisationer"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kryssa i de organisationer som deltar i projektet."),
    )
    method_ids = forms.MultipleChoiceField(
        label=_("Metoder"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Arbetsmetoder som används i projektet."),
    )

    def __init__(
        self, *args: Any, organisations: list[tuple[str, str]], methods: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("organisation_ids", organisations)
        self._choices("method_ids", methods)
        for name in ("organisation_ids", "method_ids"):
            self.fields[name].error_messages["invalid_choice"] = _("Välj bland alternativen.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Slutdatum kan inte vara före startdatum."))
        return cleaned

    def to_data(self) -> ProjectData:
        c = self.cleaned_data
        return ProjectData(
            name=c["name"],
            description=c["description"],
            starts_on=c["starts_on"],
            ends_on=c["ends_on"],
            target_participants=c["target_participants"],
            organisation_ids=[uuid.UUID(v) for v in c["organisation_ids"]],
            method_ids=[uuid.UUID(v) for v in c["method_ids"]],
        )


class MethodForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=100)
    description = forms.CharField(label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def to_data(self) -> MethodData:
        c = self.cleaned_data
        return MethodData(name=c["name"], description=c["description"])
