"""Forms of followup's pages: shape only; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.followup.models import AttemptMethod, ExitReason, Situation, Source

DATE = forms.DateInput(attrs={"type": "date"})


class ExitForm(forms.Form):
    exit_on = forms.DateField(label=_("Avslutsdatum"), widget=DATE)
    reason = forms.ChoiceField(label=_("Anledning"), choices=ExitReason.choices, widget=forms.RadioSelect)
    reason_note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=500,
        help_text=_("Skriv vad som hände om du valde Annat. Skriv inga känsliga uppgifter."),
    )
    situation = forms.ChoiceField(label=_("Situation vid avslut"), choices=Situation.choices, widget=forms.RadioSelect)
    source = forms.ChoiceField(label=_("Varifrån kommer uppgiften?"), choices=Source.choices, widget=forms.RadioSelect)
    confirm = forms.BooleanField(label=_("Jag har läst vad som stängs och vill avsluta deltagandet"), required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Situation nu"), choices=Situation.choices, widget=forms.RadioSelect)
    source = forms.ChoiceField(label=_("Varifrån kommer uppgiften?"), choices=Source.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Kommentar"), required=False, max_length=500)


class AttemptForm(forms.Form):
    attempted_on = forms.DateField(label=_("Datum"), widget=DATE)
    method = forms.ChoiceField(label=_("Hur försökte du nå den unga?"), choices=AttemptMethod.choices)
    note = forms.CharField(label=_("Kommentar"), required=False, max_length=500)


class SettingsForm(forms.Form):
    weeks_4_days = forms.IntegerField(label=_("Första uppföljningen: dagar efter avslut"), min_value=1, max_value=365)
    days_90_days = forms.IntegerField(label=_("Andra uppföljningen: dagar efter avslut"), min_value=2, max_value=730)
    months_6_months = forms.IntegerField(
        label=_("Tredje uppföljningen: månader efter avslut"), min_value=1, max_value=36
    )


class AnswerForm(forms.Form):
    """The young person's form: three questions in plain Swedish, phone first."""

    doing_now = forms.ChoiceField(
        label=_("Vad gör du just nu?"),
        choices=[
            ("jobbar", _("Jag jobbar (även eget företag)")),
            ("studerar", _("Jag studerar")),
            ("traningsplats", _("Jag har praktik eller en träningsplats")),
            ("soker_jobb", _("Jag söker jobb")),
            ("inget", _("Inget av det just nu")),
            ("vill_inte_svara", _("Jag vill inte svara")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj det som stämmer bäst.")},
    )
    qualification = forms.ChoiceField(
        label=_("Har du fått ett betyg, intyg eller certifikat sedan du slutade hos oss?"),
        choices=[("ja", _("Ja")), ("nej", _("Nej"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Svara ja eller nej.")},
    )
    contact = forms.ChoiceField(
        label=_("Vill du att vi hör av oss till dig?"),
        choices=[("ja", _("Ja")), ("nej", _("Nej"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Svara ja eller nej.")},
    )
