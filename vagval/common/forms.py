"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from vagval.common.errors import Conflict, InvalidInput


def add_service_errors(form: forms.Form, error: InvalidInput, field_names: Mapping[str, str] | None = None) -> None:
    """Put a service's field errors on the form fields (unknown fields become form errors).

    `field_names` maps a service's field name to the form field that shows it (e.g. the
    service's `project_id` is the form's `project`).
    """
    if not error.field_errors:
        form.add_error(None, error.message)
    for name, messages in error.field_errors.items():
        field = (field_names or {}).get(name, name)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


# --- Edit versions (common/versions.py): the hidden field and the conflict display ---------

VERSION_FIELD = "version"


FormT = TypeVar("FormT", bound=forms.BaseForm)


def add_version_field(form: FormT, version: str) -> FormT:
    """Give an edit form the hidden field that carries the version it showed.

    The field is required: a save without it cannot tell whether it would overwrite someone.
    """
    form.fields[VERSION_FIELD] = forms.CharField(
        widget=forms.HiddenInput,
        initial=version,
        max_length=64,
        error_messages={"required": _("Sidan är för gammal. Ladda om sidan och gör om ändringen.")},
    )
    return form


def submitted_version(form: forms.BaseForm) -> str:
    """The version a valid edit form was filled in on."""
    return str(form.cleaned_data[VERSION_FIELD])


@dataclass(frozen=True)
class ConflictRow:
    label: str
    mine: str
    saved: str

    @property
    def differs(self) -> bool:
        return self.mine != self.saved


def _shown(bound: forms.BoundField) -> str:
    """A field's value as a person reads it: choice labels, Ja/Nej, dates as written."""
    field, value = bound.field, bound.value()
    if isinstance(field, forms.BooleanField):
        return str(_("Ja") if value else _("Nej"))
    values = value if isinstance(value, list | tuple) else [value]
    choices = getattr(field, "choices", None)
    texts = []
    for item in values:
        if item is None or item == "":
            continue
        text = str(item)
        if choices is not None:
            text = next((str(label) for key, label in choices if str(key) == text), text)
        texts.append(text)
    return ", ".join(texts) or "–"


def conflict_rows(mine: forms.BaseForm, saved: forms.BaseForm, *, label_prefix: str = "") -> list[ConflictRow]:
    """Each visible field of an edit form: what the editor wrote beside what is saved now."""
    return [
        ConflictRow(label=f"{label_prefix}{field.label or name}", mine=_shown(mine[name]), saved=_shown(saved[name]))
        for name, field in mine.fields.items()
        if name in saved.fields and not field.widget.is_hidden
    ]


def show_conflict(
    form: forms.BaseForm,
    *,
    saved: forms.BaseForm,
    version: str,
    error: Conflict,
    more_rows: list[ConflictRow] | None = None,
) -> None:
    """Show a refused stale save: what the editor tried to save beside what is saved now.

    `saved` is the same form, unbound, filled in from the record as it is stored now (and
    `more_rows` the rows of any formsets on the page). The form keeps what the editor wrote and
    now carries the stored version, so saving again (after reading both) deliberately replaces
    the other change. Templates show `form.conflict` through form_errors.html; views answer 409.
    """
    rows = conflict_rows(form, saved) + (more_rows or [])
    data = form.data.copy() if isinstance(form.data, QueryDict) else QueryDict(mutable=True)
    if not isinstance(form.data, QueryDict):
        data.update(form.data)
    data[form.add_prefix(VERSION_FIELD)] = version
    form.data = data
    form.add_error(None, error.message)
    form.conflict = rows  # type: ignore[attr-defined]


def form_status(form: forms.BaseForm) -> int:
    """The status of a page that shows the form again: 409 after a refused stale save."""
    return 409 if getattr(form, "conflict", None) else 200
