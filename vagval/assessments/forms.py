"""Forms built from an instrument definition, the link form and the upload form.

The answer fields only collect what was typed or chosen; the rules (required, scale steps,
min/max, lengths) are checked once, by definitions.validate_answers, called from the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vagval.assessments.definitions import Definition, Item, Section
from vagval.assessments.models import DEFAULT_LINK_DAYS, Respondent, ResponseContext, SentVia
from vagval.assessments.services import MAX_LINK_DAYS

MAX_UPLOAD_BYTES = 256 * 1024


@dataclass(frozen=True)
class Choice:
    id: str
    value: str
    label: str
    description: str
    checked: bool


@dataclass(frozen=True)
class Question:
    """One item ready for the template: names, ids, the current value and errors."""

    item: Item
    name: str
    id: str
    label: str
    value: str
    choices: list[Choice]
    errors: list[str]

    @property
    def help_id(self) -> str:
        return f"{self.id}_helptext"

    @property
    def error_id(self) -> str:
        return f"{self.id}_error"

    @property
    def described_by(self) -> str:
        ids = [self.help_id] if self.item.help else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def is_group(self) -> bool:
        return self.item.type in {"scale", "single_choice", "multiple_choice"}

    @property
    def input_type(self) -> str:
        return "checkbox" if self.item.type == "multiple_choice" else "radio"

    @property
    def first_input_id(self) -> str:
        return self.choices[0].id if self.choices else self.id


@dataclass(frozen=True)
class SectionLayout:
    section: Section
    questions: list[Question]


def _label(item: Item) -> str:
    if item.required or "frivillig" in item.label.lower():
        return item.label
    return f"{item.label} (frivilligt)"


class AnswersForm(forms.Form):
    """The answer fields of one definition, named "<section>__<item>"."""

    def __init__(self, *args: Any, definition: Definition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        for item in definition.items:
            self.fields[item.field_name] = self._field(item)

    @staticmethod
    def _field(item: Item) -> forms.Field:
        label = _label(item)
        if item.type == "scale":
            return forms.ChoiceField(label=label, required=False, choices=[(str(s.value), s.label) for s in item.steps])
        if item.type == "single_choice":
            return forms.ChoiceField(label=label, required=False, choices=[(o.value, o.label) for o in item.options])
        if item.type == "multiple_choice":
            return forms.MultipleChoiceField(
                label=label, required=False, choices=[(o.value, o.label) for o in item.options]
            )
        if item.type == "number":
            return forms.CharField(label=label, required=False, max_length=30)
        return forms.CharField(label=label, required=False, max_length=item.max_length + 100)

    def raw_answers(self) -> dict[str, Any]:
        return {item.field_name: self.cleaned_data.get(item.field_name) for item in self.definition.items}

    def add_answer_errors(self, field_errors: dict[str, list[str]]) -> None:
        for name, errors in field_errors.items():
            if name in self.fields:
                for error in errors:
                    self.add_error(name, error)
            else:
                for error in errors:
                    self.add_error(None, error)

    def _value(self, item: Item) -> Any:
        if self.is_bound:
            if item.type == "multiple_choice":
                return self.data.getlist(self.add_prefix(item.field_name))  # type: ignore[attr-defined]
            return self.data.get(self.add_prefix(item.field_name), "")
        return self.initial.get(item.field_name, "")

    def layout(self) -> list[SectionLayout]:
        result = []
        for section in self.definition.sections:
            questions = []
            for item in section.items:
                bound = self[item.field_name]
                value = self._value(item)
                chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)}
                if item.type == "scale":
                    options = [(str(s.value), f"{s.value}. {s.label}", s.description) for s in item.steps]
                else:
                    options = [(o.value, o.label, "") for o in item.options]
                questions.append(
                    Question(
                        item=item,
                        name=bound.html_name,
                        id=bound.auto_id or item.field_name,
                        label=_label(item),
                        value="" if isinstance(value, list) else str(value or ""),
                        choices=[
                            Choice(id=f"{bound.auto_id}_{i}", value=v, label=label, description=d, checked=v in chosen)
                            for i, (v, label, d) in enumerate(options)
                        ],
                        errors=[str(e) for e in bound.errors],
                    )
                )
            result.append(SectionLayout(section=section, questions=questions))
        return result

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor id, question label, message) for the list of errors at the top of the form."""
        summary: list[tuple[str, str, str]] = []
        item_names = {item.field_name for item in self.definition.items}
        for name, field in self.fields.items():
            if name not in item_names:
                bound = self[name]
                summary.extend((bound.id_for_label, str(field.label), str(e)) for e in bound.errors)
        for section in self.layout():
            for question in section.questions:
                for error in question.errors:
                    summary.append((question.first_input_id, question.label, error))
        return summary


class StaffResponseForm(AnswersForm):
    """The coach's form: date, occasion and who answered, then the answers."""

    answered_on = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=True
    )
    context = forms.ChoiceField(label=_("Tillfälle"), choices=ResponseContext.choices)
    respondent = forms.ChoiceField(label=_("Vem svarar?"), choices=[])

    def __init__(self, *args: Any, definition: Definition, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"answered_on": timezone.localdate(), "context": ResponseContext.START})
        super().__init__(*args, definition=definition, **kwargs)
        labels = dict(Respondent.choices)
        self.fields["respondent"].choices = [(r, labels[r]) for r in definition.respondents]  # type: ignore[attr-defined]
        self.fields["respondent"].initial = definition.respondents[0]
        if "respondent" not in self.initial:
            self.initial["respondent"] = definition.respondents[0]

    def meta_fields(self) -> list[forms.BoundField]:
        return [self["answered_on"], self["context"], self["respondent"]]

    @property
    def answered_on_value(self) -> dt.date:
        value: dt.date = self.cleaned_data["answered_on"]
        return value


class LinkCreateForm(forms.Form):
    target = forms.ChoiceField(label=_("Formulär och vem som ska svara"), choices=[])
    context = forms.ChoiceField(label=_("Tillfälle"), choices=ResponseContext.choices)
    valid_days = forms.IntegerField(
        label=_("Antal dagar länken gäller"), min_value=1, max_value=MAX_LINK_DAYS, initial=DEFAULT_LINK_DAYS
    )
    send_via = forms.ChoiceField(
        label=_("Hur ska länken lämnas?"),
        choices=[("", _("Visa länken och en QR-kod här")), (SentVia.EMAIL, _("E-post")), (SentVia.SMS, _("SMS"))],
        required=False,
        widget=forms.RadioSelect,
    )
    send_to = forms.CharField(
        label=_("E-postadress eller mobilnummer"),
        required=False,
        max_length=200,
        help_text=_("Behövs bara om länken skickas med e-post eller SMS."),
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"valid_days": DEFAULT_LINK_DAYS, "send_via": "", "context": "uppfoljning"})
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("send_via") and not (cleaned.get("send_to") or "").strip():
            self.add_error("send_to", _("Skriv vart länken ska skickas."))
        return cleaned

    @property
    def slug_and_respondent(self) -> tuple[str, str]:
        slug, _sep, respondent = self.cleaned_data["target"].partition(":")
        return slug, respondent


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Definition (JSON-fil)"),
        help_text=_("En ny version måste ha ett högre versionsnummer än den senaste. Högst 256 kB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 256 kB)."))
        return upload
