"""Reads of consent records, each taking the viewer."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from vagval.access.checks import active_consent_recipients, own_unit_id
from vagval.accounts.models import User
from vagval.common.errors import NotFound
from vagval.consent.models import Consent, ConsentCategory, ConsentRecipient
from vagval.people.models import Enrolment, EnrolmentStatus

EXPIRY_WARNING_DAYS = 30


def _with_recipients(consents: QuerySet[Consent]) -> QuerySet[Consent]:
    return consents.select_related("unit__organisation", "recorded_by", "withdrawn_by").prefetch_related(
        Prefetch("recipients", queryset=ConsentRecipient.objects.select_related("unit__organisation"))
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
        raise NotFound("Samtycket finns inte eller så saknar du behörighet.")
    return consent


def consent_is_active(consent: Consent, *, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return consent.withdrawn_at is None and consent.valid_from <= today <= consent.valid_to


@dataclass(frozen=True)
class ExpiringConsent:
    consent: Consent
    days_left: int


def consents_expiring(*, viewer: User, today: dt.date | None = None) -> list[ExpiringConsent]:
    """Active consents, for persons the viewer is responsible coach for, ending within 30 days."""
    if viewer.unit_id is None:
        return []
    today = today or timezone.localdate()
    my_persons = (
        Enrolment.objects.filter(coach=viewer, unit_id=viewer.unit_id)
        .exclude(status=EnrolmentStatus.ENDED)
        .values("person_id")
    )
    consents = (
        Consent.objects.filter(
            unit_id=viewer.unit_id,
            person_id__in=my_persons,
            withdrawn_at__isnull=True,
            valid_from__lte=today,
            valid_to__gte=today,
            valid_to__lte=today + dt.timedelta(days=EXPIRY_WARNING_DAYS),
        )
        .select_related("person")
        .order_by("valid_to")
    )
    return [ExpiringConsent(consent=c, days_left=(c.valid_to - today).days) for c in consents]


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
            str(viewer.unit), "egen enhet", [str(ConsentCategory(c).label) for c in ConsentCategory.values], None
        )
    ]
    for consent in consents_for_person(viewer=viewer, person_id=person_id):
        if not consent_is_active(consent, today=today):
            continue
        labels = [str(ConsentCategory(c).label) for c in consent.categories if c in ConsentCategory.values]
        for recipient in consent.recipients.all():
            if recipient.withdrawn_at is None:
                lines.append(SharingLine(str(recipient.unit), "samtycke", labels, consent.valid_to))
    return lines


def active_consent_count(*, unit_id: uuid.UUID) -> int:
    return active_consent_recipients(unit_id=unit_id).count()
