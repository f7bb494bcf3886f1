"""Reads of the catalogue's offer side: providers, offers, employers' needs and interests.

**Who may do what** (the one rule, used by the pages, the API and the services):

- *See*: every signed-in, active member of staff of the installation (`may_view_catalogue`):
  providers, offers, needs and interests are not personal data. Evaluators and administrators
  see them too; system actors do not sign in.
- *Maintain* (create, edit, change status): `may_maintain(user, owner_id)`. An administrator
  maintains everything. Otherwise the user must be able to write (not read-only, active), work
  with young people or partners (coach, KAA-ansvarig, partner handläggare: not evaluators or
  project leaders, who read) and belong to an organisation that takes part in a project that has
  not ended (`organisations.Project.organisations`); they maintain what that organisation
  owns (`owner`), and what they create is owned by it. A partner (Arbetsförmedlingen) publishes its
  own offers the same way.
- A record that the viewer may see but not maintain answers 403 on its edit pages (it is no
  secret that it exists); an unknown id answers 404.
"""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.accounts.models import Role
from vagval.catalogue.capacity import with_places
from vagval.catalogue.models import (
    FOLLOW_UP_OPEN,
    EmployerInterest,
    EmployerNeed,
    Offer,
    OfferStatus,
    Provider,
    ProviderContact,
)
from vagval.common.errors import NotFound, PermissionDenied
from vagval.organisations.models import Municipality, Organisation, Project

if TYPE_CHECKING:
    from vagval.accounts.models import User

_REFERENCE = Path(__file__).resolve().parent.parent / "reference"

# Roles that maintain catalogue entries of their organisation (besides administrators).
MAINTAINING_ROLES = frozenset({Role.COACH, Role.KAA, Role.PARTNER})


# --- Reference data -------------------------------------------------------------------------


@cache
def _read(name: str) -> tuple[tuple[str, str], ...]:
    with (_REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        return tuple((code.strip(), label.strip()) for code, label in rows)


def sni_sections() -> tuple[tuple[str, str], ...]:
    """SNI 2007 sections (letter, name) from reference/sni2007-avdelningar.csv."""
    return _read("sni2007-avdelningar.csv")


def ssyk_areas() -> tuple[tuple[str, str], ...]:
    """SSYK 2012 occupation areas (digit, name) from reference/ssyk2012-yrkesomraden.csv."""
    return _read("ssyk2012-yrkesomraden.csv")


def sni_label(code: str) -> str:
    return dict(sni_sections()).get(code, code)


def ssyk_label(code: str) -> str:
    return dict(ssyk_areas()).get(code, code)


def municipality_choices() -> list[tuple[str, str]]:
    return [(m.code, m.name) for m in Municipality.objects.order_by("name")]


# --- Who may do what ------------------------------------------------------------------------


def may_view_catalogue(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role != Role.SYSTEM)


def maintaining_organisation_ids(user: User) -> set[uuid.UUID] | None:
    """The organisations whose catalogue entries `user` maintains; None means all (administrator)."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if user.is_administrator:
        return None
    if user.read_only or user.role not in MAINTAINING_ROLES or user.unit is None:
        return set()
    organisation_id = user.unit.organisation_id
    today = timezone.localdate()
    takes_part = (
        Project.objects.filter(organisations=organisation_id)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exists()
    )
    return {organisation_id} if takes_part else set()


def may_maintain(user: User, owner_id: uuid.UUID) -> bool:
    ids = maintaining_organisation_ids(user)
    return ids is None or owner_id in ids


def may_create(user: User) -> bool:
    ids = maintaining_organisation_ids(user)
    return ids is None or bool(ids)


def require_view(user: Any) -> None:
    if not may_view_catalogue(user):
        raise PermissionDenied(_("Du har inte behörighet att se katalogen."))


def require_maintain(user: User, owner_id: uuid.UUID) -> None:
    require_view(user)
    if not may_maintain(user, owner_id):
        raise PermissionDenied(
            _("Bara personal på den organisation som förvaltar uppgiften, eller en administratör, kan ändra den.")
        )


def require_create(user: User) -> None:
    require_view(user)
    if not may_create(user):
        raise PermissionDenied(
            _(
                "Du kan inte lägga till i katalogen: det kan personal med skrivbehörighet på en "
                "organisation som deltar i ett projekt, och administratörer."
            )
        )


def owner_choices(user: User) -> list[tuple[str, str]]:
    """The organisations `user` may make the owner of a new entry (administrators: every one in a project)."""
    ids = maintaining_organisation_ids(user)
    organisations = Organisation.objects.filter(projects__isnull=False).distinct().order_by("name")
    if ids is not None:
        organisations = Organisation.objects.filter(pk__in=ids).order_by("name")
    return [(str(o.pk), o.name) for o in organisations]


# --- Providers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderFilters:
    kind: str = ""
    municipality_code: str = ""
    query: str = ""


def provider_list(*, viewer: Any, filters: ProviderFilters = ProviderFilters()) -> QuerySet[Provider]:
    require_view(viewer)
    providers = Provider.objects.select_related("municipality", "owner").annotate(offer_count=Count("offers"))
    if filters.kind:
        providers = providers.filter(kind=filters.kind)
    if filters.municipality_code:
        providers = providers.filter(municipality_id=filters.municipality_code)
    if filters.query:
        providers = providers.filter(name__icontains=filters.query)
    return providers.order_by("name")


def provider_get(*, viewer: Any, provider_id: uuid.UUID) -> Provider:
    require_view(viewer)
    provider = Provider.objects.select_related("municipality", "owner").filter(pk=provider_id).first()
    if provider is None:
        raise NotFound(_("Anordnaren finns inte."))
    return provider


def provider_contacts(*, viewer: Any, provider: Provider) -> QuerySet[ProviderContact]:
    require_view(viewer)
    return provider.contacts.order_by("name")


def provider_contact_get(*, viewer: Any, provider: Provider, contact_id: uuid.UUID) -> ProviderContact:
    require_view(viewer)
    contact = provider.contacts.filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(_("Kontaktpersonen finns inte."))
    return contact


def provider_choices(*, viewer: Any) -> list[tuple[str, str]]:
    require_view(viewer)
    return [(str(pk), name) for pk, name in Provider.objects.order_by("name").values_list("pk", "name")]


def contact_choices(*, viewer: Any, provider_id: uuid.UUID | None = None) -> list[tuple[str, str]]:
    """Contacts to choose as supervisor: of one provider, or all (named with their provider)."""
    require_view(viewer)
    contacts = ProviderContact.objects.select_related("provider").order_by("provider__name", "name")
    if provider_id is not None:
        contacts = contacts.filter(provider_id=provider_id)
    return [(str(c.pk), f"{c.name} ({c.provider.name})") for c in contacts]


# --- Offers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferFilters:
    kind: str = ""
    municipality_code: str = ""
    ssyk_area: str = ""
    status: str = ""
    # An offer runs in the period when it starts on or before `period_to` and ends on or after
    # `period_from` (an open start or end counts as running).
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    free_places_only: bool = False
    provider_id: uuid.UUID | None = None
    query: str = ""


def _filtered(offers: QuerySet[Offer], filters: OfferFilters) -> QuerySet[Offer]:
    if filters.kind:
        offers = offers.filter(kind=filters.kind)
    if filters.municipality_code:
        offers = offers.filter(municipality_id=filters.municipality_code)
    if filters.ssyk_area:
        offers = offers.filter(ssyk_area=filters.ssyk_area)
    if filters.status:
        offers = offers.filter(status=filters.status)
    if filters.period_from is not None:
        offers = offers.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=filters.period_from))
    if filters.period_to is not None:
        offers = offers.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=filters.period_to))
    if filters.provider_id is not None:
        offers = offers.filter(provider_id=filters.provider_id)
    if filters.query:
        offers = offers.filter(Q(title__icontains=filters.query) | Q(provider__name__icontains=filters.query))
    offers = with_places(offers)
    if filters.free_places_only:
        offers = offers.filter(free_places__gt=0)  # type: ignore[misc]  # the annotation of with_places
    return offers


def offer_list(*, viewer: Any, filters: OfferFilters = OfferFilters()) -> QuerySet[Offer]:
    """Offers with `taken_places` and `free_places` (catalogue.capacity), sorted by title."""
    require_view(viewer)
    offers = Offer.objects.select_related("provider", "municipality", "owner")
    return _filtered(offers, filters).order_by("title", "pk")


def offer_get(*, viewer: Any, offer_id: uuid.UUID) -> Offer:
    require_view(viewer)
    offer = (
        with_places(Offer.objects.select_related("provider", "municipality", "owner", "supervisor"))
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise NotFound(_("Erbjudandet finns inte."))
    return offer


def open_offers_for_young_people(*, municipality_codes: Iterable[str] = ()) -> QuerySet[Offer]:
    """The open offers a young person may browse (no staff viewer: only open offers, no contacts)."""
    offers = Offer.objects.filter(status=OfferStatus.OPEN).select_related("provider", "municipality")
    codes = list(municipality_codes)
    if codes:
        offers = offers.filter(Q(municipality_id__in=codes) | Q(municipality__isnull=True))
    return with_places(offers).order_by("kind", "title", "pk")


# --- Labour demand and the business network -------------------------------------------------


def need_list(*, viewer: Any, provider_id: uuid.UUID | None = None) -> QuerySet[EmployerNeed]:
    require_view(viewer)
    needs = EmployerNeed.objects.select_related("provider", "contact", "owner")
    if provider_id is not None:
        needs = needs.filter(provider_id=provider_id)
    return needs.order_by("-stated_on", "provider__name")


def need_get(*, viewer: Any, need_id: uuid.UUID) -> EmployerNeed:
    require_view(viewer)
    need = EmployerNeed.objects.select_related("provider", "contact", "owner").filter(pk=need_id).first()
    if need is None:
        raise NotFound(_("Behovet finns inte."))
    return need


@dataclass(frozen=True)
class InterestFilters:
    kind: str = ""
    status: str = ""
    # Only those still to follow up (new, contacted, interested), next contact first.
    to_follow_up: bool = False


def interest_list(*, viewer: Any, filters: InterestFilters = InterestFilters()) -> QuerySet[EmployerInterest]:
    require_view(viewer)
    interests = EmployerInterest.objects.select_related("provider", "contact", "owner")
    if filters.kind:
        interests = interests.filter(kind=filters.kind)
    if filters.status:
        interests = interests.filter(status=filters.status)
    if filters.to_follow_up:
        interests = interests.filter(status__in=FOLLOW_UP_OPEN)
    return interests.order_by("next_contact_on", "provider__name", "pk")


def interest_get(*, viewer: Any, interest_id: uuid.UUID) -> EmployerInterest:
    require_view(viewer)
    interest = EmployerInterest.objects.select_related("provider", "contact", "owner").filter(pk=interest_id).first()
    if interest is None:
        raise NotFound(_("Intresset finns inte."))
    return interest


def employer_demand_by_ssyk(
    *, municipality_codes: Iterable[str] = (), stated_since: dt.date | None = None
) -> dict[str, int]:
    """Employers' stated demand: the headcount per SSYK area ({"7": 12, "5": 4}).

    For the "demand and interest" view (matching). The sum of `EmployerNeed.headcount` per
    `ssyk_area`, over needs of employers in the given municipalities (all when none given),
    stated on or after `stated_since` (all when None). Areas without a stated need are left out.
    Not personal data: no viewer needed, and no suppression of small numbers here (the view
    that puts it next to counts of young people applies "<5" to those).
    """
    needs = EmployerNeed.objects.all()
    codes = list(municipality_codes)
    if codes:
        needs = needs.filter(provider__municipality_id__in=codes)
    if stated_since is not None:
        needs = needs.filter(stated_on__gte=stated_since)
    rows = needs.values("ssyk_area").annotate(total=Sum("headcount")).order_by("ssyk_area")
    return {row["ssyk_area"]: int(row["total"]) for row in rows}
