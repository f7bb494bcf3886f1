"""Forms for journal notes: they parse input; the services apply the rules (KAA, visibility)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.common.forms import add_service_errors  # noqa: F401 (the views import it from here)
from vagval.journal.models import NoteContext, NoteVisibility
from vagval.journal.services import NoteData


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Anteckning"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))
    context = forms.ChoiceField(
        label=_("Sammanhang"),
        choices=NoteContext.choices,
        initial=NoteContext.GENERAL,
        widget=forms.RadioSelect,
        help_text=_(
            "Välj KAA när anteckningen dokumenterar det kommunala aktivitetsansvaret. "
            "I KAA får du inte skriva känsliga uppgifter, till exempel om hälsa."
        ),
    )
    sensitive = forms.BooleanField(
        label=_("Anteckningen innehåller känsliga uppgifter (till exempel om hälsa)"),
        required=False,
        help_text=_("Inte tillåtet i sammanhanget KAA."),
    )
    visibility = forms.ChoiceField(
        label=_("Vem får se anteckningen"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.OWN_UNIT,
        widget=forms.RadioSelect,
        help_text=_(
            "Delade anteckningar visas för andra enheter bara när den unga har lämnat ett giltigt "
            "samtycke som omfattar anteckningar."
        ),
    )

    def note_data(self) -> NoteData:
        data = self.cleaned_data
        return NoteData(
            text=data["text"], visibility=data["visibility"], context=data["context"], sensitive=data["sensitive"]
        )
