"""Reads of consent records, each taking the viewer."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access.checks import (
    PersonAccess,
    active_consent_recipients,
    consent_active_sql,
    own_unit_id,
    recipient_is_active,
)
from vagval.access.scope import scope_for
from vagval.accounts.models import User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common import sql
from vagval.common.errors import NotFound, PermissionDenied
from vagval.consent.models import Consent, ConsentCategory, ConsentRecipient
from vagval.organisations.models import Unit
from vagval.people.models import Enrolment, EnrolmentStatus, Person

PURPOSE = "consent"  # the scope's purpose for consent pages and services

EXPIRY_WARNING_DAYS = 30


def _with_recipients(consents: QuerySet[Consent]) -> QuerySet[Consent]:
    return consents.select_related("person", "unit__organisation", "recorded_by", "withdrawn_by").prefetch_related(
        Prefetch("recipients", queryset=ConsentRecipient.objects.select_related("unit__organisation", "withdrawn_by"))
    )


def consents_for_person(*, viewer: User, person_id: uuid.UUID) -> list[Consent]:
    """Consents the viewer's unit documented, or that name the viewer's unit as a recipient.

    Call only after the person access check has passed (the person page does). Consents
    documented by other units and naming other recipients stay hidden: their existence would
    reveal that another secrecy domain works with the person.
    """
    unit_id = own_unit_id(viewer)
    consents = Consent.objects.filter(person_id=person_id).filter(Q(unit_id=unit_id) | Q(recipients__unit_id=unit_id))
    return list(_with_recipients(consents.distinct()))


def consent_get(*, viewer: User, consent_id: uuid.UUID) -> Consent:
    unit_id = own_unit_id(viewer)
    consent = (
        _with_recipients(Consent.objects.filter(pk=consent_id))
        .filter(Q(unit_id=unit_id) | Q(recipients__unit_id=unit_id))
        .distinct()
        .first()
    )
    if consent is None:
        raise NotFound(_("Samtycket finns inte eller så saknar du behörighet."))
    return consent


@dataclass(frozen=True)
class ExpiringConsent:
    consent: Consent
    days_left: int


def _expiring_ids(*, viewer: User, unit_id: uuid.UUID, last: dt.date, today: dt.date) -> list[uuid.UUID]:
    """The ids of consents_expiring's consents, in its order (hand-written, see
    vagval.common.sql: asked on every visit of the start page, usually with an empty answer,
    where the ORM query cost 2.5 ms of Python to build for nothing)."""

    c = sql.aliased(Consent, "c")

    e = sql.aliased(Enrolment, "e")

    active, active_params = consent_active_sql(today=today, alias="c")
    mine = (
        f"SELECT {e('person')} FROM {sql.table(Enrolment)} e"  # noqa: S608 (names from the models)
        f" WHERE {e('coach')} = %s AND {e('unit')} = %s AND {e('status')} <> %s"
    )
    statement = (
        f"SELECT {c('id')} FROM {sql.table(Consent)} c"  # noqa: S608 (names from the models)
        f" WHERE {c('unit')} = %s AND {active} AND {c('valid_to')} <= %s AND {c('person')} IN ({mine})"
        f" ORDER BY {c('valid_to')}, {c('id')}"
    )
    params = [
        sql.value(Consent, "unit", unit_id),
        *active_params,
        sql.value(Consent, "valid_to", last),
        sql.value(Enrolment, "coach", viewer.pk),
        sql.value(Enrolment, "unit", unit_id),
        sql.value(Enrolment, "status", EnrolmentStatus.ENDED),
    ]
    return [sql.as_uuid(pk) for (pk,) in sql.fetch(Consent, statement, params)]  # type: ignore[misc]


def consents_expiring(*, viewer: User, today: dt.date | None = None) -> list[ExpiringConsent]:
    """Active consents, for persons the viewer is responsible coach for, ending within 30 days,
    soonest first (ties by id), each with its person loaded."""
    if viewer.unit_id is None:
        return []
    today = today or timezone.localdate()
    last = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    # The ids by hand, then the rows by id: the ORM query with its subquery and join took
    # 2.5 ms to build, on every visit of the start page, usually for an empty answer.
    ids = _expiring_ids(viewer=viewer, unit_id=viewer.unit_id, last=last, today=today)
    if not ids:
        return []
    consents = sql.fetch_in_bulk(Consent, ids)
    persons = sql.fetch_in_bulk(Person, {consents[pk].person_id for pk in ids})
    items = []
    for pk in ids:
        consent = consents[pk]
        consent.person = persons[consent.person_id]  # as select_related("person") sets it
        items.append(ExpiringConsent(consent=consent, days_left=(consent.valid_to - today).days))
    return items


@dataclass(frozen=True)
class SharingLine:
    unit_name: str
    basis: str
    categories: list[str]
    valid_to: dt.date | None


def sharing_overview(*, viewer: User, person_id: uuid.UUID, today: dt.date | None = None) -> list[SharingLine]:
    """'Who can see what about me', for the consents the viewer's unit may show the person."""
    today = today or timezone.localdate()
    lines = [
        SharingLine(
            str(viewer.unit), _("egen enhet"), [str(ConsentCategory(c).label) for c in ConsentCategory.values], None
        )
    ]
    for consent in consents_for_person(viewer=viewer, person_id=person_id):
        labels = [str(ConsentCategory(c).label) for c in consent.categories if c in ConsentCategory.values]
        for recipient in consent.recipients.all():
            if recipient_is_active(recipient, today=today):
                lines.append(SharingLine(str(recipient.unit), "samtycke", labels, consent.valid_to))
    return lines


def active_consent_count(*, unit_id: uuid.UUID) -> int:
    return active_consent_recipients(unit_id=unit_id).count()


# --- Pages -------------------------------------------------------------------------------------
# The consent pages read the person through the access check and log every page that shows
# the person, with the basis (own unit or consent) that let the viewer see it.


class ConsentStatus:
    ACTIVE = "active"
    NOT_STARTED = "not_started"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


def consent_status(consent: Consent, *, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if consent.withdrawn_at is not None:
        return ConsentStatus.WITHDRAWN
    if today < consent.valid_from:
        return ConsentStatus.NOT_STARTED
    if today > consent.valid_to:
        return ConsentStatus.EXPIRED
    return ConsentStatus.ACTIVE


@dataclass(frozen=True)
class ConsentView:
    """A consent as one viewer may see it."""

    consent: Consent
    status: str
    # The documenting unit sees every recipient; a recipient sees only its own line, since the
    # other recipients are not its business.
    recipients: list[ConsentRecipient]
    documented_here: bool
    may_withdraw: bool
    may_view_document: bool

    @property
    def category_labels(self) -> list[str]:
        return [str(ConsentCategory(c).label) for c in self.consent.categories if c in ConsentCategory.values]


def _person_and_access(*, viewer: User, person_id: uuid.UUID) -> tuple[Person, PersonAccess]:
    shown = scope_for(AccessContext(user=viewer), PURPOSE).person(person_id, action=None, related=())
    return shown.person, shown.access


def _log(*, ctx: AccessContext, action: str, person: Person, access: PersonAccess, consent: Consent | None) -> None:
    access_log_record(
        ctx=ctx,
        action=action,
        person_id=person.pk,
        basis=access.basis,
        consent_id=access.consent_id,
        detail={"consent": str(consent.pk)} if consent else None,
    )


def _document_open_to(*, unit_id: uuid.UUID, consent: Consent, today: dt.date) -> bool:
    """The uploaded form: for the documenting unit, and for recipients while the consent holds."""
    if not consent.document:
        return False
    if consent.unit_id == unit_id:
        return True
    return any(r.unit_id == unit_id and recipient_is_active(r, today=today) for r in consent.recipients.all())


def _consent_view(*, viewer: User, consent: Consent, today: dt.date) -> ConsentView:
    unit_id = own_unit_id(viewer)
    documented_here = consent.unit_id == unit_id
    recipients = [r for r in consent.recipients.all() if documented_here or r.unit_id == unit_id]
    status = consent_status(consent, today=today)
    still_open = status in {ConsentStatus.ACTIVE, ConsentStatus.NOT_STARTED} and (
        documented_here or any(r.withdrawn_at is None for r in recipients)
    )
    return ConsentView(
        consent=consent,
        status=status,
        recipients=recipients,
        documented_here=documented_here,
        may_withdraw=viewer.can_write and still_open,
        may_view_document=_document_open_to(unit_id=unit_id, consent=consent, today=today),
    )


@dataclass(frozen=True)
class PersonConsents:
    person: Person
    access: PersonAccess
    consents: list[ConsentView]
    may_record: bool


def person_consents(
    *, viewer: User, ctx: AccessContext, person_id: uuid.UUID, today: dt.date | None = None
) -> PersonConsents:
    """The person's consents the viewer may see, after the access check; logs `consent.listed`."""
    today = today or timezone.localdate()
    person, access = _person_and_access(viewer=viewer, person_id=person_id)
    consents = consents_for_person(viewer=viewer, person_id=person.pk)
    _log(ctx=ctx, action="consent.listed", person=person, access=access, consent=None)
    return PersonConsents(
        person=person,
        access=access,
        consents=[_consent_view(viewer=viewer, consent=c, today=today) for c in consents],
        may_record=access.basis == AccessBasis.OWN_UNIT and access.can_write and not person.is_protected,
    )


def consent_record_person(*, viewer: User, ctx: AccessContext, person_id: uuid.UUID) -> Person:
    """The person a consent is about to be recorded for: writers at the person's own unit only."""
    person, access = _person_and_access(viewer=viewer, person_id=person_id)
    if access.basis != AccessBasis.OWN_UNIT:
        raise NotFound(_("Personen finns inte eller så saknar du behörighet."))
    if not access.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    _log(ctx=ctx, action="consent.form_viewed", person=person, access=access, consent=None)
    return person


def _consent_with_access(*, viewer: User, consent_id: uuid.UUID) -> tuple[Consent, PersonAccess]:
    """A consent the viewer's unit documented or receives, while the viewer may see the person.

    A partner whose consent has been withdrawn or has expired no longer sees the person, and
    therefore not the consent either: the check runs on every request.
    """
    consent = consent_get(viewer=viewer, consent_id=consent_id)
    shown = scope_for(AccessContext(user=viewer), PURPOSE).admit(
        consent.person, not_found=_("Samtycket finns inte eller så saknar du behörighet.")
    )
    return consent, shown.access


def consent_detail(
    *, viewer: User, ctx: AccessContext, consent_id: uuid.UUID, today: dt.date | None = None
) -> ConsentView:
    """One consent; logs `consent.viewed`."""
    today = today or timezone.localdate()
    consent, access = _consent_with_access(viewer=viewer, consent_id=consent_id)
    _log(ctx=ctx, action="consent.viewed", person=consent.person, access=access, consent=consent)
    return _consent_view(viewer=viewer, consent=consent, today=today)


WHOLE_CONSENT = "hela"


@dataclass(frozen=True)
class WithdrawalChoice:
    value: str  # WHOLE_CONSENT or a recipient unit id
    unit: Unit | None  # None: the whole consent


def withdrawal_choices(*, viewer: User, view: ConsentView) -> list[WithdrawalChoice]:
    """What the viewer may withdraw: all or one recipient (documenting unit), or only itself."""
    if not viewer.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    if not view.may_withdraw:
        return []
    choices = [WithdrawalChoice(WHOLE_CONSENT, None)] if view.documented_here else []
    # A recipient's view holds only its own line, so it can withdraw only for itself.
    choices += [WithdrawalChoice(str(r.unit_id), r.unit) for r in view.recipients if r.withdrawn_at is None]
    return choices


def consent_document(*, viewer: User, ctx: AccessContext, consent_id: uuid.UUID) -> Consent:
    """The consent whose uploaded form the viewer may open; logs `consent.document_viewed`."""
    consent, access = _consent_with_access(viewer=viewer, consent_id=consent_id)
    if not _document_open_to(unit_id=own_unit_id(viewer), consent=consent, today=timezone.localdate()):
        raise NotFound(_("Blanketten finns inte eller så saknar du behörighet."))
    _log(ctx=ctx, action="consent.document_viewed", person=consent.person, access=access, consent=consent)
    return consent


@dataclass(frozen=True)
class SharedWith:
    unit: Unit
    categories: list[str]  # ConsentCategory values
    purpose: str
    valid_to: dt.date
    documented_by_unit: Unit


@dataclass(frozen=True)
class SharingPage:
    person: Person
    own_unit: Unit
    coaches: list[str]
    shared_with: list[SharedWith]
    today: dt.date


def person_sharing_page(
    *, viewer: User, ctx: AccessContext, person_id: uuid.UUID, today: dt.date | None = None
) -> SharingPage:
    """'Who can see what about me', for the person's own unit to show or print; logs it.

    Only the person's own unit shows it: a partner sees only what a consent gives it, and
    could not tell the whole picture.
    """
    today = today or timezone.localdate()
    person, access = _person_and_access(viewer=viewer, person_id=person_id)
    if access.basis != AccessBasis.OWN_UNIT:
        raise NotFound(_("Personen finns inte eller så saknar du behörighet."))
    unit_id = own_unit_id(viewer)
    coaches = sorted(
        {
            str(e.coach)
            for e in Enrolment.objects.filter(person=person, unit_id=unit_id, coach__isnull=False)
            .exclude(status=EnrolmentStatus.ENDED)
            .select_related("coach")
        }
    )
    shared_with = []
    for consent in consents_for_person(viewer=viewer, person_id=person.pk):
        # Only what this unit shares: a consent documented elsewhere lifts that unit's secrecy,
        # and is for that unit to explain.
        if consent.unit_id != unit_id:
            continue
        categories = [c for c in ConsentCategory.values if c in consent.categories]
        for recipient in consent.recipients.all():
            if recipient_is_active(recipient, today=today):
                shared_with.append(
                    SharedWith(
                        unit=recipient.unit,
                        categories=categories,
                        purpose=consent.purpose,
                        valid_to=consent.valid_to,
                        documented_by_unit=consent.unit,
                    )
                )
    _log(ctx=ctx, action="consent.overview_viewed", person=person, access=access, consent=None)
    return SharingPage(
        person=person,
        own_unit=Unit.objects.select_related("organisation").get(pk=unit_id),
        coaches=coaches,
        shared_with=sorted(shared_with, key=lambda s: (str(s.unit), s.valid_to)),
        today=today,
    )


def recipient_choices(*, viewer: User) -> list[tuple[str, list[tuple[str, str]]]]:
    """Active units that may receive a consent, grouped by organisation; not the viewer's own unit."""
    unit_id = own_unit_id(viewer)
    groups: dict[str, list[tuple[str, str]]] = {}
    for unit in Unit.objects.filter(active=True).exclude(pk=unit_id).select_related("organisation"):
        groups.setdefault(unit.organisation.name, []).append((str(unit.pk), unit.name))
    return list(groups.items())


def start_page_items(*, viewer: User, ctx: AccessContext, today: dt.date | None = None) -> list[ExpiringConsent]:
    """Consents ending within 30 days for the coach's own persons; logs each person shown."""
    items = consents_expiring(viewer=viewer, today=today)
    person_ids = list(dict.fromkeys(item.consent.person_id for item in items))
    if person_ids:
        access_log_record_many(
            ctx=ctx,
            action="consent.expiring_listed",
            grants=[(pid, AccessBasis.OWN_UNIT, None) for pid in person_ids],
        )
    return items
