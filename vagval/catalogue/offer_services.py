"""Writes to the catalogue's offer side: providers and their contacts, offers, employers' needs and interests.

Who may write is decided by `offer_selectors` (the one rule, see there). Every write runs in one
transaction with its access-log entry (no person: basis administration, the record in the
detail). Domain rules are checked here so the pages and the API share them; violations raise
InvalidInput with Swedish field errors keyed by the data classes' field names. Edits carry the
version the editor saw (`common.versions.version_of`, the hidden form field or If-Match): the
row is locked and compared inside the transaction, and a stale edit raises Conflict.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils.translation import gettext as _

from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.catalogue import offer_selectors as rules
from vagval.catalogue.models import (
    WORK_LIKE_KINDS,
    EmployerInterest,
    EmployerNeed,
    FollowUpStatus,
    InterestKind,
    NeedHorizon,
    Offer,
    OfferKind,
    OfferStatus,
    Provider,
    ProviderContact,
    ProviderKind,
    StudyKind,
)
from vagval.common.errors import InvalidInput
from vagval.common.versions import require_version, version_of
from vagval.organisations.models import Municipality, Organisation
from vagval.organisations.services import InvalidOrganisationNumber, normalise_organisation_number

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class ProviderData:
    name: str
    kind: str
    organisation_number: str = ""
    sni_section: str = ""
    municipality_code: str = ""
    address: str = ""
    # Only an administrator chooses; anyone else's entries belong to their own organisation.
    owner_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ContactData:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class OfferData:
    kind: str
    title: str
    provider_id: uuid.UUID
    description: str = ""
    study_kind: str = ""
    ssyk_area: str = ""
    municipality_code: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    travel: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    hours_per_week: Decimal | None = None
    capacity: int = 1
    min_age: int | None = None
    max_age: int | None = None
    language: str = ""
    requires_driving_licence: bool = False
    adaptations: str = ""
    supervisor_id: uuid.UUID | None = None
    status: str = OfferStatus.DRAFT
    owner_id: uuid.UUID | None = None


@dataclass(frozen=True)
class NeedData:
    provider_id: uuid.UUID
    ssyk_area: str
    headcount: int
    stated_on: dt.date
    horizon: str = NeedHorizon.YEAR
    sni_section: str = ""
    contact_id: uuid.UUID | None = None
    note: str = ""
    owner_id: uuid.UUID | None = None


@dataclass(frozen=True)
class InterestData:
    provider_id: uuid.UUID
    kind: str
    status: str = FollowUpStatus.NEW
    places: int | None = None
    contact_id: uuid.UUID | None = None
    next_contact_on: dt.date | None = None
    note: str = ""
    owner_id: uuid.UUID | None = None


# --- Shared steps ---------------------------------------------------------------------------


class _Errors(dict[str, list[str]]):
    def add(self, name: str, message: str) -> None:
        self.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self:
            raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=dict(self))


# How an entry's form data becomes its field values (errors collected, not raised).
_ValuesOf = Callable[[Any, _Errors], dict[str, Any]]


def _text(value: str) -> str:
    return (value or "").strip()


def _log(ctx: AccessContext, action: str, record: models.Model, **detail: Any) -> None:
    access_log_record(
        ctx=ctx,
        action=action,
        basis=AccessBasis.ADMINISTRATION,
        detail={"record": str(record.pk), **{k: str(v) for k, v in detail.items()}},
    )


def _owner_for_new(ctx: AccessContext, owner_id: uuid.UUID | None, errors: _Errors) -> Organisation | None:
    """The owner of a new entry: the user's own organisation, or the one an administrator chose."""
    rules.require_create(ctx.user)
    if ctx.user.is_administrator:
        owner = Organisation.objects.filter(pk=owner_id).first() if owner_id else None
        if owner is None:
            errors.add("owner_id", _("Välj vilken organisation som förvaltar uppgiften."))
        return owner
    assert ctx.user.unit is not None  # require_create: a non-administrator who may create has a unit
    own = ctx.user.unit.organisation
    if owner_id and owner_id != own.pk:
        errors.add("owner_id", _("Du kan bara lägga till uppgifter som din egen organisation förvaltar."))
    return own


def _owner_for_change(ctx: AccessContext, current: uuid.UUID, owner_id: uuid.UUID | None, errors: _Errors) -> Any:
    """An administrator may move an entry to another organisation; anyone else keeps the owner."""
    if ctx.user.is_administrator and owner_id and owner_id != current:
        owner = Organisation.objects.filter(pk=owner_id).first()
        if owner is None:
            errors.add("owner_id", _("Okänd organisation."))
        return owner
    if not ctx.user.is_administrator and owner_id and owner_id != current:
        errors.add("owner_id", _("Bara en administratör kan flytta uppgiften till en annan organisation."))
    return None


def _municipality(code: str, errors: _Errors, name: str = "municipality_code") -> Municipality | None:
    if not code:
        return None
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        errors.add(name, _("Okänd kommun."))
    return municipality


def _required(value: str, name: str, message: str, errors: _Errors) -> str:
    text = _text(value)
    if not text:
        errors.add(name, message)
    return text


def _sni(code: str, errors: _Errors) -> str:
    code = _text(code).upper()
    if code and code not in dict(rules.sni_sections()):
        errors.add("sni_section", _("Välj en bransch i listan (SNI 2007)."))
    return code


def _ssyk(code: str, errors: _Errors, *, required: bool = False) -> str:
    code = _text(code)
    if code and code not in dict(rules.ssyk_areas()):
        errors.add("ssyk_area", _("Välj ett yrkesområde i listan (SSYK 2012)."))
    elif required and not code:
        errors.add("ssyk_area", _("Välj ett yrkesområde."))
    return code


def _provider(provider_id: uuid.UUID | None, errors: _Errors) -> Provider | None:
    provider = Provider.objects.filter(pk=provider_id).first() if provider_id else None
    if provider is None:
        errors.add("provider_id", _("Välj en anordnare."))
    return provider


def _contact_of(provider: Provider | None, contact_id: uuid.UUID | None, name: str, errors: _Errors) -> Any:
    if contact_id is None:
        return None
    contact = ProviderContact.objects.filter(pk=contact_id).first()
    if contact is None or provider is None or contact.provider_id != provider.pk:
        errors.add(name, _("Välj en kontaktperson hos anordnaren."))
        return None
    return contact


# A model field's error goes to the data class's field of the same meaning.
_DATA_FIELD = {
    "provider": "provider_id",
    "municipality": "municipality_code",
    "supervisor": "supervisor_id",
    "contact": "contact_id",
    "owner": "owner_id",
}


def _validated(record: models.Model) -> None:
    """The model's own checks (lengths, choices, constraints) as field errors, before saving."""
    try:
        record.full_clean(validate_unique=False, validate_constraints=True)
    except ValidationError as exc:
        errors = _Errors()
        for name, messages in exc.message_dict.items():
            for message in messages:
                errors.add(_DATA_FIELD.get(name, name), message)
        errors.raise_any()


def _save_new(ctx: AccessContext, record: M, action: str, **detail: Any) -> M:
    _validated(record)
    with transaction.atomic():
        record.save()
        _log(ctx, action, record, **detail)
    return record


def _save_change(
    ctx: AccessContext,
    record: M,
    values: dict[str, Any],
    *,
    action: str,
    expected_version: str | None,
    **detail: Any,
) -> M:
    """Lock the row, compare versions, set the values that changed, log which (nothing when none)."""
    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        require_version(expected=expected_version, current=version_of(locked))
        changed = sorted(name for name, value in values.items() if getattr(locked, name) != value)
        if changed:
            for name in changed:
                setattr(locked, name, values[name])
            if hasattr(locked, "version"):
                locked.version += 1  # type: ignore[attr-defined]
            _validated(locked)
            locked.save()
            _log(ctx, action, locked, fields=",".join(changed), **detail)
    return locked


def _create_owned(
    ctx: AccessContext, model: type[M], data: Any, values_of: _ValuesOf, action: str, *, shown: str = ""
) -> M:
    """A new owned entry (provider, offer, need, interest): owned by the actor's organisation, or
    by the one an administrator chose. `shown` names a value that goes into the log entry too."""
    errors = _Errors()
    owner = _owner_for_new(ctx, data.owner_id, errors)
    values = values_of(data, errors)
    errors.raise_any()
    detail = {shown: values[shown]} if shown else {}
    return _save_new(ctx, model(owner=owner, **values), action, **detail)


def _update_owned(
    ctx: AccessContext,
    record: M,
    data: Any,
    values_of: _ValuesOf,
    action: str,
    *,
    expected_version: str | None,
    shown: str = "",
) -> M:
    """Change an owned entry: only its maintainers, and only an administrator moves it to
    another organisation."""
    rules.require_maintain(ctx.user, record.owner_id)  # type: ignore[attr-defined]
    errors = _Errors()
    values = values_of(data, errors)
    owner = _owner_for_change(ctx, record.owner_id, data.owner_id, errors)  # type: ignore[attr-defined]
    errors.raise_any()
    if owner is not None:
        values["owner"] = owner
    detail = {shown: values[shown]} if shown else {}
    return _save_change(ctx, record, values, action=action, expected_version=expected_version, **detail)


def record_version(record: models.Model) -> str:
    """The edit version of a provider, contact, offer, need or interest (form field, ETag)."""
    return version_of(record)


# --- Providers ------------------------------------------------------------------------------


def _provider_values(data: ProviderData, errors: _Errors) -> dict[str, Any]:
    name = _required(data.name, "name", _("Ange anordnarens namn."), errors)
    if data.kind not in ProviderKind.values:
        errors.add("kind", _("Välj en typ av anordnare."))
    number = ""
    if _text(data.organisation_number):
        try:
            number = normalise_organisation_number(data.organisation_number)
        except InvalidOrganisationNumber as exc:
            errors.add("organisation_number", str(exc))
    return {
        "name": name,
        "kind": data.kind,
        "organisation_number": number,
        "sni_section": _sni(data.sni_section, errors),
        "municipality": _municipality(data.municipality_code, errors),
        "address": _text(data.address),
    }


def provider_create(*, ctx: AccessContext, data: ProviderData) -> Provider:
    return _create_owned(ctx, Provider, data, _provider_values, "provider.created", shown="name")


def provider_update(
    *, ctx: AccessContext, provider: Provider, data: ProviderData, expected_version: str | None = None
) -> Provider:
    return _update_owned(
        ctx, provider, data, _provider_values, "provider.changed", expected_version=expected_version, shown="name"
    )


def _contact_values(data: ContactData, errors: _Errors) -> dict[str, Any]:
    email = _text(data.email)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", _("Ange en giltig e-postadress."))
    return {
        "name": _required(data.name, "name", _("Ange kontaktpersonens namn."), errors),
        "role": _text(data.role),
        "phone": _text(data.phone),
        "email": email,
    }


def provider_contact_create(*, ctx: AccessContext, provider: Provider, data: ContactData) -> ProviderContact:
    rules.require_maintain(ctx.user, provider.owner_id)
    errors = _Errors()
    values = _contact_values(data, errors)
    errors.raise_any()
    return _save_new(
        ctx, ProviderContact(provider=provider, **values), "provider.contact_created", provider=provider.pk
    )


def provider_contact_update(
    *, ctx: AccessContext, contact: ProviderContact, data: ContactData, expected_version: str | None = None
) -> ProviderContact:
    rules.require_maintain(ctx.user, contact.provider.owner_id)
    errors = _Errors()
    values = _contact_values(data, errors)
    errors.raise_any()
    return _save_change(
        ctx,
        contact,
        values,
        action="provider.contact_changed",
        expected_version=expected_version,
        provider=contact.provider_id,
    )


# --- Offers ---------------------------------------------------------------------------------


def _offer_values(data: OfferData, errors: _Errors) -> dict[str, Any]:
    if data.kind not in OfferKind.values:
        errors.add("kind", _("Välj en typ av erbjudande."))
    study_kind = _text(data.study_kind)
    if study_kind and data.kind != OfferKind.STUDY:
        errors.add("study_kind", _("Typ av utbildning anges bara för studieplatser."))
    elif study_kind and study_kind not in StudyKind.values:
        errors.add("study_kind", _("Välj en typ av utbildning."))
    elif data.kind == OfferKind.STUDY and not study_kind:
        errors.add("study_kind", _("Välj vilken typ av utbildning studieplatsen är."))
    ssyk = _ssyk(data.ssyk_area, errors, required=data.kind in WORK_LIKE_KINDS)
    provider = _provider(data.provider_id, errors)
    supervisor = _contact_of(provider, data.supervisor_id, "supervisor_id", errors)
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors.add("ends_on", _("Slutdatumet kan inte vara före startdatumet."))
    if data.capacity is None or data.capacity < 0:
        errors.add("capacity", _("Ange antal platser (0 eller fler)."))
    if data.min_age is not None and data.max_age is not None and data.max_age < data.min_age:
        errors.add("max_age", _("Högsta ålder kan inte vara lägre än lägsta ålder."))
    for name in ("min_age", "max_age"):
        age = getattr(data, name)
        if age is not None and not 0 < age < 100:
            errors.add(name, _("Ange en ålder mellan 1 och 99."))
    if data.hours_per_week is not None and not Decimal(0) <= data.hours_per_week <= Decimal(80):
        errors.add("hours_per_week", _("Ange timmar per vecka mellan 0 och 80."))
    if (data.latitude is None) != (data.longitude is None):
        errors.add("longitude", _("Ange både latitud och longitud, eller ingen av dem."))
    if data.latitude is not None and not Decimal(-90) <= data.latitude <= Decimal(90):
        errors.add("latitude", _("Latituden ska vara mellan -90 och 90."))
    if data.longitude is not None and not Decimal(-180) <= data.longitude <= Decimal(180):
        errors.add("longitude", _("Longituden ska vara mellan -180 och 180."))
    if data.status not in OfferStatus.values:
        errors.add("status", _("Välj en status."))
    return {
        "kind": data.kind,
        "study_kind": study_kind,
        "title": _required(data.title, "title", _("Ange en rubrik."), errors),
        "description": _text(data.description),
        "provider": provider,
        "ssyk_area": ssyk,
        "municipality": _municipality(data.municipality_code, errors),
        "address": _text(data.address),
        "latitude": data.latitude,
        "longitude": data.longitude,
        "travel": _text(data.travel),
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "hours_per_week": data.hours_per_week,
        "capacity": data.capacity,
        "min_age": data.min_age,
        "max_age": data.max_age,
        "language": _text(data.language),
        "requires_driving_licence": bool(data.requires_driving_licence),
        "adaptations": _text(data.adaptations),
        "supervisor": supervisor,
        "status": data.status,
    }


def offer_problems(data: OfferData) -> dict[str, list[str]]:
    """What the services would refuse in `data` (field → Swedish messages); empty when it passes."""
    errors = _Errors()
    _offer_values(data, errors)
    return dict(errors)


def offer_create(*, ctx: AccessContext, data: OfferData) -> Offer:
    return _create_owned(ctx, Offer, data, _offer_values, "offer.created", shown="title")


def offer_update(*, ctx: AccessContext, offer: Offer, data: OfferData, expected_version: str | None = None) -> Offer:
    return _update_owned(
        ctx, offer, data, _offer_values, "offer.changed", expected_version=expected_version, shown="title"
    )


def offer_status_change(*, ctx: AccessContext, offer: Offer, status: str) -> Offer:
    """Open, fill, close or return an offer to draft. A state change, not an edit: not versioned
    (setting the same status twice is harmless, and the row is locked)."""
    rules.require_maintain(ctx.user, offer.owner_id)
    if status not in OfferStatus.values:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors={"status": [_("Välj en status.")]})
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status != status:
            before = locked.status
            locked.status = status
            locked.version += 1
            locked.save(update_fields=["status", "version", "updated_at"])
            _log(ctx, "offer.status_changed", locked, before=before, after=status)
    return locked


def offer_data_of(offer: Offer) -> OfferData:
    """An offer's stored values as OfferData (what an edit form or a PATCH starts from)."""
    return OfferData(
        **{
            f.name: getattr(offer, f.name)
            for f in fields(OfferData)
            if f.name not in {"provider_id", "municipality_code", "supervisor_id", "owner_id"}
        },
        provider_id=offer.provider_id,
        municipality_code=offer.municipality_id or "",
        supervisor_id=offer.supervisor_id,
        owner_id=offer.owner_id,
    )


# --- Employers' needs and interests (the business network) ----------------------------------


def _need_values(data: NeedData, errors: _Errors) -> dict[str, Any]:
    provider = _provider(data.provider_id, errors)
    if data.headcount is None or data.headcount < 1:
        errors.add("headcount", _("Ange hur många personer (minst 1)."))
    if data.horizon not in NeedHorizon.values:
        errors.add("horizon", _("Välj när behovet finns."))
    if data.stated_on is None:
        errors.add("stated_on", _("Ange när behovet uppgavs."))
    sni = _sni(data.sni_section, errors) or (provider.sni_section if provider else "")
    return {
        "provider": provider,
        "ssyk_area": _ssyk(data.ssyk_area, errors, required=True),
        "sni_section": sni,
        "headcount": data.headcount,
        "horizon": data.horizon,
        "stated_on": data.stated_on,
        "contact": _contact_of(provider, data.contact_id, "contact_id", errors),
        "note": _text(data.note),
    }


def need_create(*, ctx: AccessContext, data: NeedData) -> EmployerNeed:
    return _create_owned(ctx, EmployerNeed, data, _need_values, "employer_need.created")


def need_update(
    *, ctx: AccessContext, need: EmployerNeed, data: NeedData, expected_version: str | None = None
) -> EmployerNeed:
    return _update_owned(ctx, need, data, _need_values, "employer_need.changed", expected_version=expected_version)


def _interest_values(data: InterestData, errors: _Errors) -> dict[str, Any]:
    provider = _provider(data.provider_id, errors)
    if data.kind not in InterestKind.values:
        errors.add("kind", _("Välj vad arbetsgivaren är intresserad av."))
    if data.status not in FollowUpStatus.values:
        errors.add("status", _("Välj en status för uppföljningen."))
    if data.places is not None and data.places < 0:
        errors.add("places", _("Ange antal platser (0 eller fler)."))
    return {
        "provider": provider,
        "kind": data.kind,
        "status": data.status,
        "places": data.places,
        "contact": _contact_of(provider, data.contact_id, "contact_id", errors),
        "next_contact_on": data.next_contact_on,
        "note": _text(data.note),
    }


def interest_create(*, ctx: AccessContext, data: InterestData) -> EmployerInterest:
    return _create_owned(ctx, EmployerInterest, data, _interest_values, "employer_interest.created")


def interest_update(
    *, ctx: AccessContext, interest: EmployerInterest, data: InterestData, expected_version: str | None = None
) -> EmployerInterest:
    return _update_owned(
        ctx, interest, data, _interest_values, "employer_interest.changed", expected_version=expected_version
    )
