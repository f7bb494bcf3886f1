"""Making a register extract: the person records through the scope (each logged with the basis
"registerutdrag" and the reason), a kept note that an extract was made, and the PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access.scope import Scope
from vagval.common.errors import InvalidInput
from vagval.dataprotection.extract_selectors import extract_build
from vagval.dataprotection.models import RegisterExtract


@dataclass(frozen=True)
class ExtractFile:
    name: str  # no identity number, no name: the day and time it was made
    pdf: bytes


def register_extract_make(*, scope: Scope, id_number: str, reason: str) -> ExtractFile:
    if not reason.strip():
        raise InvalidInput(_("Ange skälet."), field_errors={"reason": [_("Ange skälet till registerutdraget.")]})
    with transaction.atomic():
        shown = scope.records_by_number(id_number, action="person.register_extract", detail={"reason": reason})
        if not shown:
            raise InvalidInput(
                _("Ingen person hittades."), field_errors={"id_number": [_("Vägval har inga uppgifter om numret.")]}
            )
        RegisterExtract.objects.create(made_by=scope.actor, reason=reason, records=len(shown))
        extract = extract_build(persons=[s.person for s in shown])
    html = render_to_string("dataprotection/extract_pdf.html", {"extract": extract, "reason": reason})
    made = timezone.localtime(extract.made_at)
    return ExtractFile(name=f"registerutdrag-{made:%Y%m%d-%H%M%S}.pdf", pdf=render_pdf(html=html))


def render_pdf(*, html: str) -> bytes:
    # Imported here: WeasyPrint parses its stylesheets on import (see plans.pdf).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    assert pdf is not None
    return pdf
