"""Forms for the outreach pages: they parse input; the services apply the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vagval.outreach import selectors, services
from vagval.outreach.models import Channel, OccupationCategory, OccupationSource, Outcome
from vagval.targetgroup.models import TargetList

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_BLANK = ("", _("Alla"))


class ContactAttemptForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Kanal"),
        choices=[("", _("Välj kanal")), *Channel.choices],
        error_messages={"required": _("Välj hur du försökte nå den unga.")},
    )
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        choices=[("", _("Välj utfall")), *Outcome.choices],
        error_messages={"required": _("Välj hur det gick.")},
    )
    made_at = forms.DateTimeField(
        label=_("När"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Lämna som det är för just nu."),
        error_messages={"invalid": _("Skriv datum och tid, till exempel 2026-03-02 14:30.")},
    )
    note = forms.CharField(
        label=_("Anteckning (frivillig)"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv bara det som behövs för att nå den unga."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("made_at", timezone.localtime().replace(second=0, microsecond=0))

    def service_data(self) -> services.ContactData:
        return services.ContactData(**self.cleaned_data)  # the fields are named as the service's


class OccupationForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Sysselsättning"),
        choices=[("", _("Välj sysselsättning")), *OccupationCategory.choices],
        error_messages={"required": _("Välj en sysselsättning i listan.")},
    )
    description = forms.CharField(
        label=_("Beskrivning (frivillig)"),
        required=False,
        max_length=services.DESCRIPTION_MAX,
        help_text=_("Till exempel program, arbetsgivare eller insats."),
    )
    from_date = forms.DateField(
        label=_("Från och med"),
        widget=_DATE,
        error_messages={"required": _("Skriv från vilket datum."), "invalid": _("Skriv datumet som 2026-03-02.")},
    )
    planned = forms.BooleanField(label=_("Planerad (har inte börjat än)"), required=False)
    source = forms.ChoiceField(
        label=_("Källa"),
        choices=[("", _("Välj källa")), *OccupationSource.choices],
        error_messages={"required": _("Välj varifrån uppgiften kommer.")},
    )

    def service_data(self) -> services.OccupationData:
        return services.OccupationData(**self.cleaned_data)  # the fields are named as the service's


class LetterForm(forms.Form):
    confirm_protected = forms.BooleanField(
        label=_("Jag är ansvarig coach och bekräftar att brevet får skickas via Skatteverket."),
        required=False,
    )


class WorklistFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            _BLANK,
            (selectors.STATUS_NEVER, _("Aldrig kontaktad")),
            (selectors.STATUS_NOT_REACHED, _("Kontaktad, inte nådd")),
            (selectors.STATUS_REACHED, _("Nådd")),
            (selectors.STATUS_OVER_TARGET, _("Över målet")),
        ],
    )
    target_list = forms.ChoiceField(label=_("Lista"), required=False, choices=[_BLANK, *TargetList.choices])
    age_band = forms.ChoiceField(
        label=_("Ålder"),
        required=False,
        choices=[
            _BLANK,
            ("16-17", _("16–17 år")),
            ("18-19", _("18–19 år")),
            ("20-24", _("20–24 år")),
            ("25-29", _("25–29 år")),
        ],
    )
    school = forms.ChoiceField(label=_("Skola"), required=False)
    reason = forms.ChoiceField(label=_("Orsak"), required=False)

    def __init__(self, *args: Any, schools: list[str], reasons: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices("school", [(s, s) for s in schools])
        self._set_choices("reason", [(r, r) for r in reasons])

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [_BLANK, *choices]

    def filters(self) -> selectors.WorklistFilters:
        """The valid filters; an unknown value (a stale link) is ignored rather than an error page."""
        if not self.is_bound:
            return selectors.WorklistFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return selectors.WorklistFilters(**{name: data.get(name) or "" for name in self.fields})


class FollowupForm(forms.Form):
    date_from = forms.DateField(label=_("Identifierade från och med"), required=False, widget=_DATE)
    date_to = forms.DateField(label=_("till och med"), required=False, widget=_DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Slutdatumet ligger före startdatumet."))
        return data

    def period(self, *, today: dt.date) -> tuple[dt.date, dt.date]:
        """The chosen period; by default (or when invalid) the current half-year up to today."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        default_from = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
        return data.get("date_from") or default_from, data.get("date_to") or today
