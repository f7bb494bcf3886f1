"""Forms for the plan pages: they parse input; the services apply the domain rules."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vagval.common import forms as common_forms
from vagval.common.errors import InvalidInput
from vagval.organisations.models import Project, Unit
from vagval.plans.models import EndReason, PlanStep, ResponsibleKind
from vagval.plans.services import GoalData, ParticipantData, PlanData, StepData

# Field names the services use in InvalidInput.field_errors → the form field that shows them.
SERVICE_FIELD_NAMES = {
    "overall_responsibility_id": "overall_responsibility",
    "responsible_unit_id": "responsible_unit",
    "project_id": "project",
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: InvalidInput) -> None:
    """Service field errors on the form, with this app's field names (SERVICE_FIELD_NAMES)."""
    common_forms.add_service_errors(form, error, field_names=SERVICE_FIELD_NAMES)


def active_units() -> QuerySet[Unit]:
    return Unit.objects.filter(active=True).select_related("organisation").order_by("organisation__name", "name")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


# --- The plan ------------------------------------------------------------------------------


class PlanCreateForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Projekt"), queryset=Project.objects.none(), empty_label=_("Välj projekt"))

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Project.objects.filter(pk__in=[p.pk for p in projects]).order_by("name")


class PlanContinueForm(PlanCreateForm):
    pass


class PlanHeaderForm(forms.Form):
    """The plan's header; the page adds the hidden edit version (common.forms.add_version_field)."""

    overall_responsibility = UnitChoiceField(
        label=_("Huvudansvar"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Ingen vald"),
        help_text=_("Den organisation som har huvudansvaret för planen. Krävs för en SIP."),
    )
    is_sip = forms.BooleanField(
        label=_("Planen är en SIP (samordnad individuell plan)"),
        required=False,
        help_text=_("När hälso- och sjukvården och socialtjänsten deltar. En SIP kräver den ungas samtycke."),
    )
    meeting_on = forms.DateField(label=_("Datum för planeringsmötet"), required=False, widget=DateInput)
    next_meeting_on = forms.DateField(label=_("Nästa möte"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["overall_responsibility"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = active_units()


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("Målet med den ungas egna ord"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    achieved_on = forms.DateField(label=_("Uppnått den"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("achieved_on") and not (data.get("text") or "").strip():
            self.add_error("text", _("Skriv målet, eller töm raden."))
        return data


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Namn"), required=False, max_length=200)
    role = forms.CharField(
        label=_("Roll"), required=False, max_length=200, help_text=_("Till exempel: den unga, coach, vårdnadshavare.")
    )
    unit = UnitChoiceField(label=_("Enhet"), queryset=Unit.objects.none(), required=False, empty_label=_("Ingen"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = active_units()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("role") or data.get("unit")) and not (data.get("name") or "").strip():
            self.add_error("name", _("Skriv namnet, eller töm raden."))
        return data


GoalFormSet = forms.formset_factory(GoalForm, extra=2, max_num=30, validate_max=True)
ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=2, max_num=30, validate_max=True)


def plan_data(header: PlanHeaderForm, goals: Any, participants: Any) -> PlanData:
    """PlanData from the three valid forms; empty rows are left out."""
    unit = header.cleaned_data["overall_responsibility"]
    return PlanData(
        overall_responsibility_id=unit.pk if unit else None,
        is_sip=header.cleaned_data["is_sip"],
        meeting_on=header.cleaned_data["meeting_on"],
        next_meeting_on=header.cleaned_data["next_meeting_on"],
        goals=[
            GoalData(text=f.cleaned_data["text"], achieved_on=f.cleaned_data.get("achieved_on"))
            for f in goals.forms
            if (f.cleaned_data.get("text") or "").strip()
        ],
        participants=[
            ParticipantData(
                name=f.cleaned_data["name"],
                role=f.cleaned_data.get("role") or "",
                unit_id=f.cleaned_data["unit"].pk if f.cleaned_data.get("unit") else None,
            )
            for f in participants.forms
            if (f.cleaned_data.get("name") or "").strip()
        ],
    )


# --- Steps ---------------------------------------------------------------------------------


class StepForm(forms.Form):
    """Add or change a step. A partner's form has no choice of who is responsible: their own unit."""

    content = forms.CharField(label=_("Vad ska göras"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    responsible_kind = forms.ChoiceField(label=_("Vem ansvarar"), choices=ResponsibleKind.choices)
    responsible_unit = UnitChoiceField(
        label=_("Ansvarig enhet"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Välj enhet"),
        help_text=_("Fyll i när en enhet ansvarar."),
    )
    external_actor = forms.CharField(
        label=_("Extern aktör"),
        max_length=200,
        required=False,
        help_text=_("Fyll i när någon utanför Vägval ansvarar, till exempel en skola eller förening."),
    )
    starts_on = forms.DateField(label=_("Startdatum"), widget=DateInput)
    follow_up_on = forms.DateField(label=_("Uppföljning"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Slutdatum"), required=False, widget=DateInput)
    end_reason = forms.ChoiceField(
        label=_("Anledning till avslut"), choices=[("", _("Inte avslutat")), *EndReason.choices], required=False
    )
    end_note = forms.CharField(label=_("Kommentar till avslutet"), max_length=500, required=False)

    def __init__(
        self, *args: Any, partner_unit_id: uuid.UUID | None = None, with_end: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.partner_unit_id = partner_unit_id
        if partner_unit_id is not None:
            for name in ("responsible_kind", "responsible_unit", "external_actor"):
                del self.fields[name]
        else:
            field = self.fields["responsible_unit"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = active_units()
        if not with_end:
            for name in ("ends_on", "end_reason", "end_note"):
                del self.fields[name]

    @staticmethod
    def initial_for(step: PlanStep) -> dict[str, Any]:
        return {
            "content": step.content,
            "responsible_kind": step.responsible_kind,
            "responsible_unit": step.responsible_unit_id,
            "external_actor": step.external_actor,
            "starts_on": step.starts_on,
            "follow_up_on": step.follow_up_on,
            "ends_on": step.ends_on,
            "end_reason": step.end_reason,
            "end_note": step.end_note,
        }

    def to_data(self) -> StepData:
        data = self.cleaned_data
        unit_id: uuid.UUID | None
        if self.partner_unit_id is not None:
            kind, unit_id, actor = ResponsibleKind.UNIT.value, self.partner_unit_id, ""
        else:
            kind = data["responsible_kind"]
            # Only the field that belongs to the chosen kind counts (a leftover choice is ignored).
            unit = data.get("responsible_unit")
            unit_id = unit.pk if unit and kind == ResponsibleKind.UNIT else None
            actor = (data.get("external_actor") or "") if kind == ResponsibleKind.EXTERNAL else ""
        return StepData(
            content=data["content"],
            responsible_kind=kind,
            responsible_unit_id=unit_id,
            external_actor=actor,
            starts_on=data["starts_on"],
            follow_up_on=data.get("follow_up_on"),
            ends_on=data.get("ends_on"),
            end_reason=data.get("end_reason") or "",
            end_note=data.get("end_note") or "",
        )


class StepEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Slutdatum"), widget=DateInput, initial=timezone.localdate)
    end_reason = forms.ChoiceField(
        label=_("Varför avslutades steget?"), choices=[("", _("Välj anledning")), *EndReason.choices]
    )
    end_note = forms.CharField(
        label=_("Kommentar"), max_length=500, required=False, help_text=_("Krävs när du väljer Annat.")
    )
