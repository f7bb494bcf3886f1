"""Forms for the target-group pages: the reference date, handover and the municipality setting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.accounts.models import User
from vagval.common.forms import add_service_errors  # noqa: F401 (the views import it from here)
from vagval.organisations.models import Project
from vagval.targetgroup.models import TargetList


class ListFilterForm(forms.Form):
    """GET filters of the list: a date and a list, never anything that identifies a person."""

    datum = forms.DateField(
        label=_("Referensdatum"),
        required=False,
        help_text=_("Listan visar vilka som var i målgruppen detta datum (ÅÅÅÅ-MM-DD). Tomt betyder i dag."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    lista = forms.ChoiceField(label=_("Lista"), choices=TargetList.choices, required=False)
    sida = forms.IntegerField(label=_("Sida"), required=False, min_value=1)


class CoachChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class HandoverForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Projekt för unga vuxna"),
        queryset=Project.objects.none(),
        empty_label=None,
        help_text=_("Personen fortsätter i projektet med samma uppgifter och historik."),
    )
    coach = CoachChoiceField(
        label=_("Coach"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Samma coach som nu"),
        help_text=_("Välj en ny coach eller behåll den nuvarande."),
    )

    def __init__(self, *args: Any, projects: list[Project], coaches: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_project = self.fields["project"]
        field_coach = self.fields["coach"]
        assert isinstance(field_project, forms.ModelChoiceField)
        assert isinstance(field_coach, forms.ModelChoiceField)
        field_project.queryset = Project.objects.filter(pk__in=[p.pk for p in projects]).order_by("name")
        field_coach.queryset = User.objects.filter(pk__in=[c.pk for c in coaches]).order_by("first_name", "username")


class SettingForm(forms.Form):
    im_ends_kaa = forms.BooleanField(
        label=_("Studier på introduktionsprogram tar personen ur KAA"),
        required=False,
        help_text=_(
            "Sedan 1 juli 2018 omfattas elever på introduktionsprogram inte av aktivitetsansvaret. "
            "Ta bort bocken om kommunen ändå vill ha dem kvar på KAA-listan och följa upp dem."
        ),
    )
    first_contact_workdays = forms.IntegerField(
        label=_("Mål för första kontakt (arbetsdagar)"),
        min_value=1,
        max_value=60,
        help_text=_("Så många arbetsdagar efter att en person identifierats ska första kontakten vara tagen."),
    )
