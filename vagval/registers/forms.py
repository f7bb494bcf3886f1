"""The upload form: which extract, the file and the reference date. The import engine checks the content."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from vagval.common.errors import InvalidInput
from vagval.registers.models import ImportKind

# A population extract of 100,000 rows is about 15 MB as CSV; 50 MB leaves room for XLSX and wide files.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Navet and school systems often name their CSV exports .txt; the content decides the format anyway.
ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx")


def add_service_errors(form: forms.Form, error: InvalidInput) -> None:
    """Put a service's field errors on the form fields (unknown fields become form errors)."""
    if not error.field_errors:
        form.add_error(None, error.message)
    for name, messages in error.field_errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class RegisterImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av uttag"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("CSV- eller Excel-fil (xlsx), högst 50 MB."),
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    reference_date = forms.DateField(
        label=_("Referensdatum"),
        help_text=_("Dagen som målgruppen räknas för. Oftast dagens datum."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reference_date"].initial = dt.date.today

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Filen måste vara en CSV-fil (.csv eller .txt) eller en Excel-fil (.xlsx)."))
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor (%(size)s). Största tillåtna storlek är %(max)s."),
                params={"size": filesizeformat(upload.size), "max": filesizeformat(MAX_UPLOAD_BYTES)},
            )
        return upload
