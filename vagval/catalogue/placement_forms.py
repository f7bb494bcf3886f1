"""Forms of the placement pages. Field errors in Swedish; the services check the rules again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.assessments.models import SentVia
from vagval.catalogue.models import PlacementEndReason, PlacementStatus
from vagval.catalogue.placement_services import CREATE_STATUSES, TRANSITIONS

DATE = forms.DateInput(attrs={"type": "date"})


class PlacementCreateForm(forms.Form):
    offer = forms.ChoiceField(label=_("Erbjudande"), error_messages={"required": _("Välj ett erbjudande.")})
    enrolment = forms.ChoiceField(label=_("Deltagande"), error_messages={"required": _("Välj deltagandet.")})
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in PlacementStatus if s in CREATE_STATUSES],
        initial=PlacementStatus.SUGGESTED,
    )
    starts_on = forms.DateField(label=_("Startdatum"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Slutdatum"), required=False, widget=DATE)
    hours_per_week = forms.DecimalField(
        label=_("Timmar per vecka"), required=False, max_digits=4, decimal_places=1, min_value=0
    )
    reason = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Till exempel varför just detta erbjudande."),
    )

    def __init__(self, *args: object, offers: list[tuple[str, str]], enrolments: list[tuple[str, str]], **kw: object):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["offer"].choices = [("", _("Välj …")), *offers]  # type: ignore[attr-defined]
        self.fields["enrolment"].choices = enrolments  # type: ignore[attr-defined]
        if len(enrolments) == 1:
            self.fields["enrolment"].initial = enrolments[0][0]


class PlacementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), error_messages={"required": _("Välj en status.")})
    on = forms.DateField(
        label=_("Datum"), required=False, widget=DATE, help_text=_("Startdag, slutdag eller dagen det hände.")
    )
    end_reason = forms.ChoiceField(
        label=_("Anledning till avslut"),
        required=False,
        choices=[("", _("Välj …")), *[(r.value, r.label) for r in PlacementEndReason]],
    )
    reason = forms.CharField(
        label=_("Anledning eller kommentar"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när platsen avböjs och när anledningen är Annat."),
    )
    version = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: object, current: str, **kw: object):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        allowed = TRANSITIONS.get(current, frozenset())
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Välj …")),
            *[(s.value, s.label) for s in PlacementStatus if s in allowed],
        ]


class AssessmentScheduleForm(forms.Form):
    interval_weeks = forms.IntegerField(label=_("Bedömning var n:e vecka"), min_value=1, max_value=26, initial=4)
    next_due_on = forms.DateField(label=_("Nästa bedömning"), required=False, widget=DATE)


class AssessmentSendForm(forms.Form):
    send_via = forms.ChoiceField(
        label=_("Skicka med"),
        choices=[(SentVia.EMAIL, _("E-post")), (SentVia.SMS, _("SMS")), (SentVia.NONE, _("Visa länken här"))],
        initial=SentVia.EMAIL,
    )
    send_to = forms.CharField(
        label=_("Till"),
        required=False,
        max_length=200,
        help_text=_("Tomt: handledarens e-post eller telefon."),
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Datum"), widget=DATE, error_messages={"required": _("Ange datum.")})
    hours = forms.DecimalField(label=_("Timmar"), max_digits=4, decimal_places=1, min_value=0.5, max_value=24)
    topic = forms.CharField(label=_("Innehåll"), required=False, max_length=200)


class AttendanceForm(forms.Form):
    """One checkbox per participant: came to the session."""

    def __init__(self, *args: object, participants: list[tuple[str, str, bool]], **kw: object):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        for placement_id, name, attended in participants:
            self.fields[f"p_{placement_id}"] = forms.BooleanField(label=name, required=False, initial=attended)
