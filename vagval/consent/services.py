"""Recording and withdrawing consent. Each change is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access.checks import own_unit_id
from vagval.access.scope import scope_for
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.consent.models import ALL_CATEGORIES, Consent, ConsentForm, ConsentRecipient
from vagval.consent.selectors import PURPOSE
from vagval.organisations.models import Unit
from vagval.people.models import Person

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {"pdf", "png", "jpg", "jpeg"}
# The first bytes of each accepted file type: a file named .pdf must also be a PDF.
DOCUMENT_SIGNATURES = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"}


@dataclass(frozen=True)
class ConsentData:
    recipient_unit_ids: list[uuid.UUID]
    categories: list[str]
    purpose: str
    form: str
    valid_from: dt.date
    valid_to: dt.date
    document: UploadedFile | None = field(default=None, compare=False)


def _validate(data: ConsentData, *, own_unit: uuid.UUID) -> list[Unit]:
    errors: dict[str, list[str]] = {}
    units = list(Unit.objects.filter(pk__in=data.recipient_unit_ids, active=True))
    if not data.recipient_unit_ids:
        errors["recipient_unit_ids"] = [_("Välj minst en mottagare.")]
    elif len(units) != len(set(data.recipient_unit_ids)):
        errors["recipient_unit_ids"] = [_("Okänd eller inaktiv mottagare.")]
    elif own_unit in data.recipient_unit_ids:
        errors["recipient_unit_ids"] = [_("Din egen enhet behöver inget samtycke.")]
    if not data.categories:
        errors["categories"] = [_("Välj vilka uppgifter som får lämnas.")]
    elif not set(data.categories) <= ALL_CATEGORIES:
        errors["categories"] = [_("Okänd kategori.")]
    if not data.purpose.strip():
        errors["purpose"] = [_("Beskriv syftet med samtycket.")]
    if data.form not in ConsentForm.values:
        errors["form"] = [_("Välj skriftligt eller muntligt.")]
    if data.valid_to < data.valid_from:
        errors["valid_to"] = [_("Slutdatum kan inte vara före startdatum.")]
    if data.document is not None:
        suffix = (data.document.name or "").rsplit(".", 1)[-1].lower()
        if suffix not in DOCUMENT_TYPES:
            errors["document"] = [_("Blanketten måste vara en PDF- eller bildfil (pdf, png, jpg).")]
        elif (data.document.size or 0) > MAX_DOCUMENT_BYTES:
            errors["document"] = [_("Filen är för stor (högst 10 MB).")]
        elif not _starts_with(data.document, DOCUMENT_SIGNATURES[suffix]):
            errors["document"] = [_("Filen är inte en riktig PDF- eller bildfil. Skanna blanketten igen.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)
    return units


def _starts_with(document: UploadedFile, signature: bytes) -> bool:
    document.seek(0)
    head = document.read(len(signature))
    document.seek(0)
    return head == signature


def consent_record(*, ctx: AccessContext, person: Person, data: ConsentData) -> Consent:
    """Document a consent at the actor's unit. Only a writer at the person's own unit may."""
    viewer = ctx.user
    access = scope_for(ctx, PURPOSE).admit(person).access
    if access.basis != "own_unit":
        raise NotFound(_("Personen finns inte eller så saknar du behörighet."))
    if not access.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    if person.is_protected:
        raise InvalidInput(
            _(
                "Personen har skyddade personuppgifter. Uppgifter om personen delas inte med andra "
                "organisationer i Vägval, även med samtycke. Samverka på annat sätt."
            )
        )
    unit_id = own_unit_id(viewer)
    units = _validate(data, own_unit=unit_id)
    with transaction.atomic():
        consent = Consent(
            person=person,
            unit_id=unit_id,
            recorded_by=viewer,
            purpose=data.purpose.strip(),
            form=data.form,
            categories=sorted(set(data.categories)),
            valid_from=data.valid_from,
            valid_to=data.valid_to,
        )
        if data.document is not None:
            consent.document.save(data.document.name or "blankett", data.document, save=False)
        consent.save()
        ConsentRecipient.objects.bulk_create([ConsentRecipient(consent=consent, unit=u) for u in units])
        access_log_record(
            ctx=ctx,
            action="consent.recorded",
            person_id=person.pk,
            detail={
                "consent": str(consent.pk),
                "recipients": [str(u.pk) for u in units],
                "categories": consent.categories,
            },
        )
    return consent


def _may_withdraw(*, viewer_unit: uuid.UUID, consent: Consent, recipient_unit_id: uuid.UUID | None) -> bool:
    """The documenting unit may withdraw all or part; a recipient may record withdrawal for itself."""
    if consent.unit_id == viewer_unit:
        return True
    return recipient_unit_id == viewer_unit


def consent_withdraw(
    *, ctx: AccessContext, consent: Consent, recipient_unit_id: uuid.UUID | None = None, note: str = ""
) -> Consent:
    """Withdraw the whole consent, or only for one recipient. Takes effect on the next request."""
    viewer = ctx.user
    if not viewer.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    unit_id = own_unit_id(viewer)
    if not _may_withdraw(viewer_unit=unit_id, consent=consent, recipient_unit_id=recipient_unit_id):
        raise NotFound(_("Samtycket finns inte eller så saknar du behörighet."))
    now = timezone.now()
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise InvalidInput(_("Samtycket är redan återkallat."))
        if recipient_unit_id is None:
            locked.withdrawn_at, locked.withdrawn_by, locked.withdrawal_note = now, viewer, note[:500]
            locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note", "updated_at"])
            locked.recipients.filter(withdrawn_at__isnull=True).update(withdrawn_at=now, withdrawn_by=viewer)
            action = "consent.withdrawn"
        else:
            updated = locked.recipients.filter(unit_id=recipient_unit_id, withdrawn_at__isnull=True).update(
                withdrawn_at=now, withdrawn_by=viewer
            )
            if not updated:
                raise InvalidInput(_("Mottagaren finns inte på samtycket eller är redan återkallad."))
            action = "consent.recipient_withdrawn"
        access_log_record(
            ctx=ctx,
            action=action,
            person_id=locked.person_id,
            detail={"consent": str(locked.pk), "recipient": str(recipient_unit_id) if recipient_unit_id else None},
        )
    return locked
