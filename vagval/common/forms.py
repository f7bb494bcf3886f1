"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from vagval.common.errors import InvalidInput


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
