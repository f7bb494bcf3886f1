"""Forms of the evaluation pages: choosing a dataset's format, survey rounds and links, the survey itself."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.evaluation.models import ExportFormat
from vagval.evaluation.services import MAX_LINKS
from vagval.evaluation.survey import QUESTIONS, SCALE


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.CSV, widget=forms.RadioSelect
    )


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    closes_on = forms.DateField(
        label=_("Sista svarsdag"),
        help_text=_("ÅÅÅÅ-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, *args: Any, projects: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"] = forms.ChoiceField(label=_("Projekt"), choices=[(str(p.pk), p.name) for p in projects])
        self.order_fields(["project", "title", "closes_on"])


class LinksForm(forms.Form):
    count = forms.IntegerField(label=_("Antal länkar"), min_value=1, max_value=MAX_LINKS, initial=5)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = forms.ChoiceField(
            label=_("Organisation"),
            choices=[(str(o.pk), o.name) for o in organisations],
            help_text=_("Länkarna är till för personal på den här organisationen."),
        )
        self.order_fields(["organisation", "count"])


class SurveyForm(forms.Form):
    """The statements (each optional, 1–5) and two free texts. Nothing identifies the respondent."""

    strengths = forms.CharField(
        label=_("Vad fungerar bra i samverkan?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv inga namn. Svaren visas bara tillsammans med minst fyra andras."),
    )
    weaknesses = forms.CharField(
        label=_("Vad fungerar mindre bra, och vad kan bli bättre?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv inga namn. Svaren visas bara tillsammans med minst fyra andras."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[f"q_{question.key}"] = forms.TypedChoiceField(
                label=str(question.text),
                choices=[(str(v), label) for v, label in SCALE],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{q.key}"] for q in QUESTIONS]

    def ratings(self) -> dict[str, int]:
        return {
            q.key: self.cleaned_data[f"q_{q.key}"]
            for q in QUESTIONS
            if self.cleaned_data.get(f"q_{q.key}") not in (None, "")
        }
