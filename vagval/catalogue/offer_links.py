"""A young person's offer list: a personal, expiring, revocable link (no account).

The offers behind it are not personal data (only open offers, no contact persons), but the link
is tied to one person: a coach with write access who sees the person at their own unit makes it
(`offer_link.created`), may close it (`offer_link.revoked`), and every opening is logged with the
person and basis "egen personlig länk" (`offer_link.opened`, or `offer_link.refused` with the
reason), as the assessments' links are. Only the token's hash is stored; the token is shown once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.scope import Need, scope_for
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.catalogue import offer_selectors
from vagval.catalogue.models import Offer, OfferListLink
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied, VagvalError

PURPOSE = "catalogue_offer_links"
DEFAULT_DAYS = 90
MAX_DAYS = 365
MAX_TOKEN_LENGTH = 100

REFUSAL_TEXT = {
    "revoked": gettext_lazy("Länken har stängts av den som gav dig den. Fråga din coach om en ny."),
    "expired": gettext_lazy("Länken har slutat gälla. Fråga din coach om en ny."),
    "unknown": gettext_lazy("Länken finns inte. Kontrollera att du har fått med hela adressen."),
}


class OfferLinkRefused(VagvalError):
    def __init__(self, reason: str) -> None:
        super().__init__(REFUSAL_TEXT.get(reason, REFUSAL_TEXT["unknown"]))
        self.reason = reason


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CreatedOfferLink:
    link: OfferListLink
    token: str  # shown once; only its hash is stored


def _own_unit_writer(ctx: AccessContext, person_id: uuid.UUID, *, action: str | None) -> object:
    shown = scope_for(ctx, PURPOSE).person(person_id, need=Need.CHANGE, action=action)
    if shown.access.basis != AccessBasis.OWN_UNIT:
        raise PermissionDenied(_("Bara personens egen enhet kan ge hen en länk till erbjudanden."))
    return shown


def offer_link_create(*, ctx: AccessContext, person_id: uuid.UUID, valid_days: int = DEFAULT_DAYS) -> CreatedOfferLink:
    if not 1 <= valid_days <= MAX_DAYS:
        raise InvalidInput(
            _("Kontrollera uppgifterna."),
            field_errors={"valid_days": [_("Välj 1–%(max)s dagar.") % {"max": MAX_DAYS}]},
        )
    shown = _own_unit_writer(ctx, person_id, action=None)
    assert ctx.user.unit_id is not None  # the person is the unit's own: the user has a unit
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = OfferListLink.objects.create(
            person=shown.person,  # type: ignore[attr-defined]
            unit_id=ctx.user.unit_id,
            token_hash=_hash(token),
            created_by=ctx.user,
            expires_at=timezone.now() + dt.timedelta(days=valid_days),
        )
        access_log_record(
            ctx=ctx,
            action="offer_link.created",
            person_id=person_id,
            detail={"link": str(link.pk), "days": str(valid_days)},
        )
    return CreatedOfferLink(link=link, token=token)


def offer_link_revoke(*, ctx: AccessContext, link_id: uuid.UUID) -> OfferListLink:
    link = OfferListLink.objects.filter(pk=link_id, unit_id=ctx.user.unit_id).first() if ctx.user.unit_id else None
    if link is None:
        raise NotFound(_("Länken finns inte."))
    _own_unit_writer(ctx, link.person_id, action=None)
    with transaction.atomic():
        locked = OfferListLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = ctx.user
            locked.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
            access_log_record(
                ctx=ctx, action="offer_link.revoked", person_id=locked.person_id, detail={"link": str(locked.pk)}
            )
    return locked


@dataclass(frozen=True)
class PersonLinks:
    person: object
    may_write: bool
    links: list[OfferListLink]


def offer_links_for_person(*, ctx: AccessContext, person_id: uuid.UUID) -> PersonLinks:
    """The person's offer links made at the viewer's unit (logs `offer_link.viewed`)."""
    shown = scope_for(ctx, PURPOSE).person(person_id, action="offer_link.viewed")
    unit_id = ctx.user.unit_id
    links = (
        list(OfferListLink.objects.filter(person_id=person_id, unit_id=unit_id).order_by("-created_at"))
        if unit_id
        else []
    )
    may_write = shown.access.can_write and shown.access.basis == AccessBasis.OWN_UNIT
    return PersonLinks(person=shown.person, may_write=may_write, links=links)


def _log_use(link: OfferListLink, client_address: str, action: str, **detail: str) -> None:
    # No one is signed in: the use is logged as the link's creator, marked as via the link.
    access_log_record(
        ctx=AccessContext(user=link.created_by, client_address=client_address),
        action=action,
        person_id=link.person_id,
        basis=AccessBasis.SELF,
        detail={"via": "link", "link": str(link.pk), **detail},
    )


def offers_for_token(*, token: str, client_address: str) -> QuerySet[Offer]:
    """The open offers behind a personal link (logs `offer_link.opened`), or OfferLinkRefused.

    A token that matches no link logs nothing: there is no person to log it for."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise OfferLinkRefused("unknown")
    link = OfferListLink.objects.select_related("person", "created_by").filter(token_hash=_hash(token)).first()
    if link is None:
        raise OfferLinkRefused("unknown")
    reason = None
    if link.revoked_at is not None or link.person.merged_into_id is not None:
        reason = "revoked"
    elif link.expires_at <= timezone.now():
        reason = "expired"
    if reason is not None:
        _log_use(link, client_address, "offer_link.refused", reason=reason)
        raise OfferLinkRefused(reason)
    _log_use(link, client_address, "offer_link.opened")
    return offer_selectors.open_offers_for_young_people()
