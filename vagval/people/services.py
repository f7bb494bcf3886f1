"""Writes to persons and enrolments. Each runs in one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, fields
from typing import cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import ROLES_THAT_WRITE, PersonAccess, own_unit_id
from vagval.access.scope import Need, scope_for
from vagval.accounts.models import User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.common.identity import (
    EARLIEST_BIRTH_DATE,
    InvalidIdentityNumber,
    birth_date_possible,
    parse_identity_number,
)
from vagval.common.versions import require_version, version_of
from vagval.organisations.models import Method, Municipality, Project
from vagval.people.models import (
    PROTECTION_ORDER,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    IdentityType,
    Person,
    PersonChange,
    Protection,
)
from vagval.people.selectors import PURPOSE, enrolment_projects, own_person_with_number
from vagval.people.signals import enrolment_reopened


@dataclass(frozen=True)
class PersonData:
    """Validated-by-shape input for a person; the service checks the domain rules."""

    first_name: str
    last_name: str
    id_type: str = IdentityType.NONE
    id_number: str = ""
    birth_date: dt.date | None = None
    gender: str = ""
    protection: str = Protection.NONE
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    home_municipality_code: str = ""


@dataclass(frozen=True)
class EnrolmentData:
    project_id: uuid.UUID
    starts_on: dt.date
    status: str = EnrolmentStatus.ACTIVE
    ends_on: dt.date | None = None
    coach_id: int | None = None
    method_id: uuid.UUID | None = None


# Field names shown in the timeline (values are not stored: they may be protected).
PERSON_FIELD_LABELS = {
    "first_name": "förnamn",
    "last_name": "efternamn",
    "id_type": "typ av nummer",
    "id_number": "nummer",
    "birth_date": "födelsedatum",
    "gender": "kön",
    "protection": "skyddade personuppgifter",
    "address": "adress",
    "postal_code": "postnummer",
    "city": "postort",
    "phone": "telefon",
    "email": "e-post",
    "home_municipality_id": "hemkommun",
}


def may_register_persons(*, viewer: User) -> bool:
    """Whether the viewer may register persons and enrol them at their own unit."""
    return bool(viewer.can_write and viewer.unit_id is not None and viewer.role in ROLES_THAT_WRITE)


def _require_writer(viewer: User) -> None:
    if not may_register_persons(viewer=viewer):
        raise PermissionDenied(_("Du har endast läsbehörighet."))


def _writable_access(*, ctx: AccessContext, person: Person) -> PersonAccess:
    """The actor's access to a person they change: NotFound / PermissionDenied from the scope."""
    return scope_for(ctx, PURPOSE).admit(person, need=Need.CHANGE).access


def _clean_person_fields(data: PersonData) -> dict[str, object]:
    """Apply the identity-number rules and return model field values, or raise InvalidInput."""
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {f.name: getattr(data, f.name) for f in fields(data)}
    values.pop("home_municipality_code")
    for name in ("first_name", "last_name"):
        values[name] = str(values[name]).strip()
        if not values[name]:
            errors.setdefault(name, []).append(_("Fältet måste fyllas i."))
    values["legal_sex"] = ""
    if data.id_type == IdentityType.NONE:
        values["id_number"] = None
        if data.birth_date is None:
            errors.setdefault("birth_date", []).append(_("Ange födelsedatum när personen saknar nummer."))
    else:
        try:
            number = parse_identity_number(data.id_number)
        except InvalidIdentityNumber as exc:
            errors.setdefault("id_number", []).append(exc.message[:1].upper() + exc.message[1:])
        else:
            if number.kind != data.id_type:
                errors.setdefault("id_number", []).append(
                    _("Numret är ett samordningsnummer.")
                    if number.kind == "samordningsnummer"
                    else _("Numret är ett personnummer.")
                )
            values.update(id_number=number.digits, birth_date=number.birth_date, legal_sex=number.legal_sex)
    _check_birth_date(data, values, errors)
    if data.protection not in Protection.values:
        errors.setdefault("protection", []).append(_("Okänd skyddsnivå."))
    if data.home_municipality_code:
        municipality = Municipality.objects.filter(code=data.home_municipality_code).first()
        if municipality is None:
            errors.setdefault("home_municipality_code", []).append(_("Okänd kommunkod."))
        values["home_municipality"] = municipality
    else:
        values["home_municipality"] = None
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)
    return values


def _check_birth_date(data: PersonData, values: dict[str, object], errors: dict[str, list[str]]) -> None:
    """A birth date lies between 1900-01-01 and today and agrees with the identity number.

    The number's own date wins when both are given; a different date typed beside it is an
    error rather than silently replaced, since one of the two is wrong.
    """
    birth_date = values.get("birth_date")
    if not isinstance(birth_date, dt.date):
        return
    if data.birth_date is not None and data.birth_date != birth_date:
        errors.setdefault("birth_date", []).append(_("Födelsedatumet stämmer inte med numret."))
    elif not birth_date_possible(birth_date, today=timezone.localdate()):
        field = "birth_date" if data.id_type == IdentityType.NONE else "id_number"
        errors.setdefault(field, []).append(
            _("Födelsedatumet måste ligga mellan %(first)s och i dag.") % {"first": EARLIEST_BIRTH_DATE.isoformat()}
        )


def person_create(*, ctx: AccessContext, data: PersonData, enrolment: EnrolmentData) -> tuple[Person, bool]:
    """Register a person at the actor's unit and enrol them there. Returns (person, created).

    When the unit already holds a record with this number, that record is enrolled instead
    (names and details unchanged) and `created` is False. A record that only another unit holds
    changes nothing: the unit gets a new record of its own with what it entered, and the answer
    is the same as for a number nobody knew (docs/ARCHITECTURE.md, "identity and unit data").
    """
    viewer = ctx.user
    _require_writer(viewer)
    values = _clean_person_fields(data)
    with transaction.atomic():
        number = values.get("id_number")
        person = own_person_with_number(viewer=viewer, number=str(number)) if number else None
        created = person is None
        if person is None:
            person = Person(**values, unit_id=own_unit_id(viewer))
            try:
                with transaction.atomic():
                    person.save()
            except IntegrityError as exc:  # the same number registered at the unit a moment ago
                raise InvalidInput(
                    _("Personen registrerades nyss av någon annan på din enhet. Sök fram personen i stället.")
                ) from exc
            PersonChange.objects.create(person=person, changed_by=viewer, kind="created")
            access_log_record(ctx=ctx, action="person.created", person_id=person.pk)
        _enrol(ctx=ctx, person=person, data=enrolment)
    return person, created


# What a person's edit version covers: the fields the editor sees and changes.
_VERSIONED_PERSON_FIELDS = (
    "first_name",
    "last_name",
    "id_type",
    "id_number",
    "birth_date",
    "legal_sex",
    "gender",
    "protection",
)
_HIDDEN_CONTACT_FIELDS = ("address", "postal_code", "city", "phone", "email", "home_municipality")


def person_version(*, person: Person, access: PersonAccess) -> str:
    """The person's edit version (common.versions) as this viewer sees the record.

    Contact details the viewer may not see are left out, so a change to them neither makes the
    viewer's form stale nor shows in the version.
    """
    shown = _VERSIONED_PERSON_FIELDS + (_HIDDEN_CONTACT_FIELDS if access.sees_contact_details else ())
    return version_of(person, fields=shown)


def enrolment_version(*, enrolment: Enrolment) -> str:
    """The enrolment's edit version (common.versions)."""
    return version_of(enrolment)


def person_update(
    *, ctx: AccessContext, person: Person, data: PersonData, expected_version: str | None = None
) -> Person:
    """Change the person's own details. With `expected_version`, a stale change raises Conflict."""
    viewer = ctx.user
    access = _writable_access(ctx=ctx, person=person)
    values = _clean_person_fields(data)
    if not access.sees_contact_details:
        # Fields the viewer cannot see are kept as they are.
        # The home municipality reveals where a protected person lives, too.
        for name in _HIDDEN_CONTACT_FIELDS:
            values.pop(name, None)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        require_version(expected=expected_version, current=person_version(person=person, access=access))
        _refuse_lower_protection(person, str(values["protection"]))
        changed = [name for name, value in values.items() if getattr(person, name) != value]
        if not changed:
            return person
        other = values.get("id_number")
        holder = own_person_with_number(viewer=viewer, number=str(other)) if other else None
        if holder is not None and holder.pk != person.pk:
            raise InvalidInput(
                _("Numret finns redan på en annan person."),
                field_errors={
                    "id_number": [_("Numret finns redan på en annan person. Slå ihop personerna i stället.")]
                },
            )
        for name in changed:
            setattr(person, name, values[name])
        person.save()
        labels = sorted(
            {PERSON_FIELD_LABELS.get(n, PERSON_FIELD_LABELS.get(f"{n}_id", n)) for n in changed if n != "legal_sex"}
        )
        PersonChange.objects.create(person=person, changed_by=viewer, kind="changed", fields=labels)
        access_log_record(
            ctx=ctx,
            action="person.changed",
            person_id=person.pk,
            basis=access.basis,
            consent_id=access.consent_id,
            detail={"fields": labels},
        )
    return person


def _refuse_lower_protection(person: Person, protection: str) -> None:
    """Protection only goes up by hand: a lower level comes from the population register or an
    administrator (person_protection_lower), never from a unit's edit."""
    if PROTECTION_ORDER.index(Protection(protection)) < person.protection_rank:
        raise InvalidInput(
            _("Skyddade personuppgifter kan inte sänkas här."),
            field_errors={
                "protection": [
                    _(
                        "Skyddet kan bara sänkas av folkbokföringen (registerimport) eller av en administratör "
                        "med angivet skäl."
                    )
                ]
            },
        )


def person_protection_lower(*, ctx: AccessContext, person: Person, protection: str, reason: str) -> Person:
    """An administrator lowers a person's protection, with a required reason, logged."""
    if not ctx.user.is_active or not ctx.user.is_administrator:
        raise PermissionDenied(_("Bara en administratör kan sänka skyddet."))
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Ange skälet till att skyddet sänks.")]
    if protection not in Protection.values or PROTECTION_ORDER.index(Protection(protection)) >= person.protection_rank:
        errors["protection"] = [_("Välj en lägre skyddsnivå än den nuvarande.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.protection != person.protection:
            raise InvalidInput(_("Skyddet har ändrats av någon annan under tiden. Ladda om sidan."))
        previous = locked.protection
        locked.protection = protection
        locked.save(update_fields=["protection", "updated_at"])
        PersonChange.objects.create(
            person=locked, changed_by=ctx.user, kind="protection_lowered", fields=[PERSON_FIELD_LABELS["protection"]]
        )
        access_log_record(
            ctx=ctx,
            action="person.protection_lowered",
            person_id=locked.pk,
            basis=AccessBasis.ADMINISTRATION,
            detail={"from": previous, "to": protection, "reason": reason},
        )
    return locked


def person_merge(
    *, ctx: AccessContext, source: Person, target: Person, register_import_id: uuid.UUID | None = None
) -> Person:
    """Merge `source` (e.g. a samordningsnummer record) into `target`, keeping all history.

    With `register_import_id` the merge is the population register's own statement (a
    `tidigare_nummer` column) in an import the caller has already authorised: it needs no access
    to either person, because it only joins two records of one identity and shows nothing.
    """
    viewer = ctx.user
    if register_import_id is None:
        bases = (
            _writable_access(ctx=ctx, person=source).basis,
            _writable_access(ctx=ctx, person=target).basis,
        )
        detail = {"source": str(source.pk), "target": str(target.pk)}
    else:
        bases = (AccessBasis.OWN_UNIT, AccessBasis.OWN_UNIT)
        detail = {"source": str(source.pk), "target": str(target.pk), "register_import": str(register_import_id)}
    if source.pk == target.pk:
        raise InvalidInput(_("En person kan inte slås ihop med sig själv."))
    with transaction.atomic():
        for enrolment in Enrolment.objects.select_for_update().filter(person=source):
            existing = Enrolment.objects.filter(person=target, project=enrolment.project, unit=enrolment.unit).first()
            if existing is None:
                enrolment.person = target
                enrolment.save(update_fields=["person", "updated_at"])
                kept = enrolment
            else:
                EnrolmentChange.objects.filter(enrolment=enrolment).update(enrolment=existing)
                kept = existing
                enrolment.delete()
            EnrolmentChange.objects.create(
                enrolment=kept,
                changed_by=viewer,
                kind="moved_by_merge",
                changes={"startdatum": [str(enrolment.starts_on), str(kept.starts_on)]},
            )
        PersonChange.objects.filter(person=source).update(person=target)
        _move_other_records(source=source, target=target)
        PersonChange.objects.create(person=target, changed_by=viewer, kind="merged_from")
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])
        for person_id, basis in zip((source.pk, target.pk), bases, strict=True):
            access_log_record(ctx=ctx, action="person.merged", person_id=person_id, basis=basis, detail=detail)
    return target


def _move_other_records(*, source: Person, target: Person) -> None:
    """Move every other app's records (consents, plans, referrals, notes, ...) to the kept person.

    Found through the model relations, so a new app with a `person` foreign key is merged too.
    A unique clash (both records have a plan in the same project at the same unit) stops the
    merge with an explanation instead of losing either record.
    """
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if relation.field.name != "person" or model in (Enrolment, PersonChange):
            continue
        try:
            with transaction.atomic():
                model._default_manager.filter(person=source).update(person=target)
        except IntegrityError as exc:
            raise InvalidInput(
                _(
                    "Båda personerna har redan %(what)s som inte kan slås ihop automatiskt. Avsluta eller ta "
                    "bort den ena först."
                )
                % {"what": model._meta.verbose_name}
            ) from exc


def _status_label(value: str) -> str:
    return str(EnrolmentStatus(value).label) if value in EnrolmentStatus.values else value


# Ending is the exit (followup.services.enrolment_exit, which calls enrolment_end): it also ends
# placements and plan steps, withdraws referrals and schedules the follow-ups.
ENDS_BY_EXIT = gettext_lazy(
    "Ett deltagande avslutas med Avsluta på personsidan, så att placeringar, steg och remisser "
    "stängs och uppföljningarna planeras."
)


def _validate_enrolment(
    data: EnrolmentData, viewer: User, *, new: bool = True, may_be_ended: bool = False
) -> dict[str, object]:
    """`may_be_ended`: the status "avslutad" is accepted (the exit, or an enrolment that has
    already ended and stays so); anywhere else it is refused with ENDS_BY_EXIT."""
    errors: dict[str, list[str]] = {}
    project = Project.objects.filter(pk=data.project_id).first()
    if project is None:
        errors["project_id"] = [_("Välj ett projekt.")]
    elif new and not enrolment_projects(viewer=viewer).filter(pk=project.pk).exists():
        # The form's choices, written once in the selector: a project that has ended or belongs
        # to other organisations cannot be chosen through the API either.
        errors["project_id"] = [_("Välj ett av projekten som din enhet kan skriva in deltagare i.")]
    if data.status not in EnrolmentStatus.values:
        errors["status"] = [_("Ogiltig status.")]
    elif data.status == EnrolmentStatus.ENDED and not may_be_ended:
        errors["status"] = [str(ENDS_BY_EXIT)]
    if data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = [_("Slutdatum kan inte vara före startdatum.")]
    if data.status == EnrolmentStatus.ENDED and not data.ends_on:
        errors["ends_on"] = [_("Ange slutdatum för ett avslutat deltagande.")]
    coach = None
    if data.coach_id is not None:
        coach = User.objects.filter(pk=data.coach_id, unit_id=own_unit_id(viewer), is_active=True).first()
        if coach is None:
            errors["coach_id"] = [_("Välj en coach på din enhet.")]
    method = None
    if data.method_id:
        method = Method.objects.filter(pk=data.method_id).first()
        if method is None:
            errors["method_id"] = [_("Okänd metod.")]
    if errors:
        raise InvalidInput(_("Uppgifterna innehåller fel."), field_errors=errors)
    return {
        "project": project,
        "status": data.status,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "coach": coach,
        "method": method,
    }


def _enrol(*, ctx: AccessContext, person: Person, data: EnrolmentData) -> Enrolment:
    viewer = ctx.user
    values = _validate_enrolment(data, viewer)
    existing = (
        Enrolment.objects.select_for_update()
        .filter(person=person, project=cast(Project, values["project"]), unit_id=own_unit_id(viewer))
        .first()
    )
    if existing is not None:
        if existing.status != EnrolmentStatus.ENDED:
            raise InvalidInput(
                _("Personen är redan inskriven i projektet."),
                field_errors={"project_id": [_("Personen är redan inskriven i projektet.")]},
            )
        # Re-entry: the same participant, history kept (ESF+: keep the first start date).
        if values["ends_on"] is not None and values["ends_on"] < existing.starts_on:  # type: ignore[operator]
            raise InvalidInput(
                _("Slutdatum kan inte vara före det första startdatumet."),
                field_errors={
                    "ends_on": [
                        _("Slutdatum kan inte vara före det första startdatumet %(starts_on)s.")
                        % {"starts_on": existing.starts_on}
                    ]
                },
            )
        return _apply_enrolment_change(
            ctx=ctx, enrolment=existing, values={**values, "starts_on": existing.starts_on}, kind="reopened"
        )
    enrolment = Enrolment.objects.create(person=person, unit_id=own_unit_id(viewer), **values)
    EnrolmentChange.objects.create(
        enrolment=enrolment,
        changed_by=viewer,
        kind="created",
        changes={"status": ["", _status_label(enrolment.status)]},
    )
    access_log_record(ctx=ctx, action="enrolment.created", person_id=person.pk, detail={"enrolment": str(enrolment.pk)})
    return enrolment


def enrolment_create(*, ctx: AccessContext, person: Person, data: EnrolmentData) -> Enrolment:
    """Enrol a person the viewer already sees in another project at the viewer's unit."""
    _writable_access(ctx=ctx, person=person)
    with transaction.atomic():
        return _enrol(ctx=ctx, person=person, data=data)


def enrolment_update(
    *, ctx: AccessContext, enrolment: Enrolment, data: EnrolmentData, expected_version: str | None = None
) -> Enrolment:
    """Change an enrolment at the viewer's unit. With `expected_version`, a stale change raises Conflict."""
    viewer = ctx.user
    _writable_access(ctx=ctx, person=enrolment.person)
    if enrolment.unit_id != viewer.unit_id:
        raise NotFound(_("Deltagandet finns inte eller så saknar du behörighet."))
    values = _validate_enrolment(data, viewer, new=False, may_be_ended=enrolment.status == EnrolmentStatus.ENDED)
    if values["project"] != enrolment.project:
        raise InvalidInput(
            _("Projektet kan inte bytas."),
            field_errors={"project_id": [_("Projektet kan inte bytas på ett deltagande.")]},
        )
    return _change_locked(ctx=ctx, enrolment=enrolment, values=values, expected_version=expected_version)


def _change_locked(
    *, ctx: AccessContext, enrolment: Enrolment, values: dict[str, object], expected_version: str | None
) -> Enrolment:
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        require_version(expected=expected_version, current=enrolment_version(enrolment=locked))
        return _apply_enrolment_change(ctx=ctx, enrolment=locked, values=values, kind="changed")


def enrolment_end(
    *, ctx: AccessContext, enrolment: Enrolment, ends_on: dt.date, expected_version: str | None = None
) -> Enrolment:
    """End an enrolment (status avslutad, the end date, an EnrolmentChange and the log entry).

    Only for the exit (followup.services.enrolment_exit), which ends everything that belongs to
    the enrolment in the same transaction, and for the KAA hand-over (targetgroup). Forms and the
    API cannot set the status "avslutad" (ENDS_BY_EXIT)."""
    _writable_access(ctx=ctx, person=enrolment.person)
    if enrolment.unit_id != ctx.user.unit_id:
        raise NotFound(_("Deltagandet finns inte eller så saknar du behörighet."))
    data = EnrolmentData(
        project_id=enrolment.project_id,
        starts_on=enrolment.starts_on,
        status=EnrolmentStatus.ENDED,
        ends_on=ends_on,
        coach_id=enrolment.coach_id,
        method_id=enrolment.method_id,
    )
    values = _validate_enrolment(data, ctx.user, new=False, may_be_ended=True)
    return _change_locked(ctx=ctx, enrolment=enrolment, values=values, expected_version=expected_version)


_ENROLMENT_LABELS = {
    "status": "status",
    "starts_on": "startdatum",
    "ends_on": "slutdatum",
    "coach": "coach",
    "method": "metod",
}


def _display(name: str, value: object) -> str:
    if value is None:
        return ""
    if name == "status":
        return _status_label(str(value))
    return str(value)


def _apply_enrolment_change(
    *, ctx: AccessContext, enrolment: Enrolment, values: dict[str, object], kind: str
) -> Enrolment:
    changes = {}
    was_ended = enrolment.status == EnrolmentStatus.ENDED
    for name, label in _ENROLMENT_LABELS.items():
        old, new = getattr(enrolment, name), values[name]
        if old != new:
            changes[label] = [_display(name, old), _display(name, new)]
            setattr(enrolment, name, new)
    if not changes and kind == "changed":
        return enrolment
    enrolment.save()
    EnrolmentChange.objects.create(enrolment=enrolment, changed_by=ctx.user, kind=kind, changes=changes)
    # Each code written out, so the test of vagval.audit.actions finds it in the source.
    action = {"created": "enrolment.created", "changed": "enrolment.changed", "reopened": "enrolment.reopened"}[kind]
    access_log_record(
        ctx=ctx,
        action=action,
        person_id=enrolment.person_id,
        detail={"enrolment": str(enrolment.pk), "fields": sorted(changes)},
    )
    if was_ended and enrolment.status != EnrolmentStatus.ENDED:
        # Re-entry (a new enrolment in the same project, or the status changed back): apps above
        # people close what the exit left open (followup), in this same transaction.
        enrolment_reopened.send(sender=Enrolment, ctx=ctx, enrolment=enrolment)
    return enrolment
