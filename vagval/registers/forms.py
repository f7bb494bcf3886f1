"""The upload form: which extract, the file and the reference date. The import engine checks the content."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vagval.registers.models import ImportKind
from vagval.registers.services import ALLOWED_SUFFIXES, MAX_UPLOAD_BYTES


class RegisterImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av uttag"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Fil"),
        help_text=format_lazy(_("CSV- eller Excel-fil (xlsx), högst {size}."), size=f"{MAX_UPLOAD_BYTES // 2**20} MB"),
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    reference_date = forms.DateField(
        label=_("Referensdatum"),
        required=False,  # empty: today, as the engine decides
        help_text=_("Dagen som målgruppen räknas för. Lämna tomt för dagens datum."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reference_date"].initial = dt.date.today

    def clean_file(self) -> UploadedFile:
        # The engine's limits, checked here too so the answer is a field error before anything is
        # stored. Navet and school systems often name CSV exports .txt; the content decides the format.
        upload: UploadedFile = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Filen måste vara en CSV-fil (.csv eller .txt) eller en Excel-fil (.xlsx)."))
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor (%(size)s). Största tillåtna storlek är %(max)s."),
                params={"size": filesizeformat(upload.size or 0), "max": filesizeformat(MAX_UPLOAD_BYTES)},
            )
        return upload
