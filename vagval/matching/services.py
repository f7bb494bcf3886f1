"""Writes for matching: the profile, suggestions and the coach's overrides, the project's weights.

Each write is one transaction with its access-log entry. Only the person's own unit, with write
access, changes a profile or a suggestion. An override (an offer proposed from outside the
ranked list, or a suggestion rejected) needs a reason and is logged as matching.overridden.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from vagval.access.scope import Need
from vagval.accounts.models import ProjectRole, Role, User
from vagval.audit.services import AccessContext, access_log_record
from vagval.catalogue.models import Offer, OfferKind
from vagval.catalogue.offer_selectors import require_maintain
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.versions import require_version, version_of
from vagval.matching import selectors
from vagval.matching.models import (
    MatchingProfile,
    MatchingSuggestion,
    MatchingWeights,
    OfferPreference,
    SuggestionStatus,
)
from vagval.matching.ssyk import ssyk_areas
from vagval.matching.weights import WEIGHT_FIELDS, enrolment_project_id
from vagval.organisations.models import Project

NO_PROFILE_VERSION = "ny"  # the version of a profile not yet saved


@dataclass(frozen=True)
class ProfileData:
    ssyk_areas: list[str]
    offer_kinds: list[str]
    wishes: str = ""
    max_travel_minutes: int | None = None
    hours_per_week: int | None = None
    has_driving_licence: bool = False
    languages: str = ""
    ranking: list[str] | None = None  # offer ids, best first; None keeps the stored ranking


def profile_version(profile: MatchingProfile | None) -> str:
    return version_of(profile, fields=selectors.PROFILE_FIELDS) if profile is not None else NO_PROFILE_VERSION


def _validate(data: ProfileData) -> None:
    errors: dict[str, list[str]] = {}
    if set(data.ssyk_areas) - set(ssyk_areas()):
        errors["ssyk_areas"] = [_("Välj yrkesområden ur listan.")]
    if set(data.offer_kinds) - set(OfferKind.values):
        errors["offer_kinds"] = [_("Välj typer av erbjudanden ur listan.")]
    if data.max_travel_minutes is not None and not 0 <= data.max_travel_minutes <= 600:
        errors["max_travel_minutes"] = [_("Ange en restid mellan 0 och 600 minuter.")]
    if data.hours_per_week is not None and not 0 <= data.hours_per_week <= 80:
        errors["hours_per_week"] = [_("Ange mellan 0 och 80 timmar per vecka.")]
    if data.ranking is not None:
        try:
            ids = [uuid.UUID(str(value)) for value in data.ranking]
        except ValueError:
            ids = None
        if ids is None or len(set(ids)) != len(ids):
            errors["ranking"] = [_("Rangordningen ska nämna varje erbjudande en gång.")]
    if errors:
        raise InvalidInput(_("Profilen innehåller fel."), field_errors=errors)


def profile_save(
    *, ctx: AccessContext, person_id: uuid.UUID, data: ProfileData, expected_version: str | None
) -> MatchingProfile:
    """Create or change the person's matching profile at the editor's unit."""
    shown = selectors.matching_person(ctx=ctx, person_id=person_id, need=Need.CHANGE)
    _validate(data)
    unit_id = ctx.user.unit_id
    assert unit_id is not None
    with transaction.atomic():
        profile = MatchingProfile.objects.select_for_update().filter(person_id=person_id, unit_id=unit_id).first()
        require_version(expected=expected_version, current=profile_version(profile))
        created = profile is None
        if profile is None:
            profile = MatchingProfile(person_id=person_id, unit_id=unit_id)
        profile.ssyk_areas = sorted(set(data.ssyk_areas))
        profile.offer_kinds = sorted(set(data.offer_kinds))
        profile.wishes = data.wishes.strip()
        profile.max_travel_minutes = data.max_travel_minutes
        profile.hours_per_week = data.hours_per_week
        profile.has_driving_licence = data.has_driving_licence
        profile.languages = data.languages.strip()
        if data.ranking is not None:
            profile.ranking = [str(uuid.UUID(str(value))) for value in data.ranking]
        profile.changed_by = ctx.user
        profile.save()
        access_log_record(
            ctx=ctx,
            action="matching.profile_changed",
            person_id=shown.person.pk,
            basis=shown.access.basis,
            detail={"created": "ja" if created else "nej"},
        )
    return profile


def _decide(
    *, ctx: AccessContext, person_id: uuid.UUID, offer_id: uuid.UUID, reason: str, reject: bool
) -> MatchingSuggestion:
    shown = selectors.matching_person(ctx=ctx, person_id=person_id, need=Need.CHANGE)
    unit_id = ctx.user.unit_id
    assert unit_id is not None
    reason = reason.strip()
    with transaction.atomic():
        _row, explanation, crowded = selectors.pair_explanation(person=shown.person, unit_id=unit_id, offer_id=offer_id)
        existing = MatchingSuggestion.objects.select_for_update().filter(
            person_id=person_id, unit_id=unit_id, offer_id=offer_id, status=SuggestionStatus.OPEN
        )
        rejected_before = MatchingSuggestion.objects.filter(
            person_id=person_id, unit_id=unit_id, offer_id=offer_id, status=SuggestionStatus.REJECTED
        ).exists()
        if reject:
            override = True  # rejecting what the list proposes is always the coach's own decision
        else:
            if existing.exists():
                raise InvalidInput(_("Erbjudandet är redan föreslaget."))
            override = explanation.blocked or bool(crowded) or rejected_before
        if override and not reason:
            raise InvalidInput(
                _("Skriv varför du går emot förslaget."), field_errors={"reason": [_("Skriv en motivering.")]}
            )
        if reject:
            existing.update(status=SuggestionStatus.REJECTED, override=True, reason=reason[:500])
        suggestion = MatchingSuggestion.objects.create(
            person_id=person_id,
            unit_id=unit_id,
            project_id=enrolment_project_id(person_id=person_id, unit_id=unit_id),
            offer_id=offer_id,
            status=SuggestionStatus.REJECTED if reject else SuggestionStatus.OPEN,
            override=override,
            reason=reason[:500],
            score=None if explanation.blocked else explanation.score,
            created_by=ctx.user,
        )
        detail = {"offer": str(offer_id), "score": str(suggestion.score or 0)}
        if override:
            detail["kind"] = "avvisad" if reject else "utanför listan"
        access_log_record(
            ctx=ctx,
            action="matching.overridden" if override else "matching.suggested",
            person_id=person_id,
            basis=shown.access.basis,
            detail=detail,
        )
    return suggestion


def suggestion_propose(*, ctx: AccessContext, person_id: uuid.UUID, offer_id: uuid.UUID, reason: str = "") -> None:
    """Suggest an offer to the young person. Outside the ranked list (blocked, crowded or
    rejected before) it is an override and needs a reason."""
    _decide(ctx=ctx, person_id=person_id, offer_id=offer_id, reason=reason, reject=False)


def suggestion_reject(*, ctx: AccessContext, person_id: uuid.UUID, offer_id: uuid.UUID, reason: str) -> None:
    """Reject an offer for the young person (an override, with a reason): it leaves their list."""
    _decide(ctx=ctx, person_id=person_id, offer_id=offer_id, reason=reason, reject=True)


# --- Weights -----------------------------------------------------------------------------------


def may_edit_weights(*, user: User, project: Project) -> bool:
    if user.role == Role.ADMIN:
        return True
    return ProjectRole.objects.filter(user=user, project=project, role=Role.PROJECT_LEADER).exists()


def weights_version(weights: MatchingWeights | None) -> str:
    return version_of(weights, fields=WEIGHT_FIELDS) if weights is not None else NO_PROFILE_VERSION


def weights_update(
    *, ctx: AccessContext, project: Project, values: dict[str, int], expected_version: str | None
) -> MatchingWeights:
    if not may_edit_weights(user=ctx.user, project=project):
        raise PermissionDenied(_("Bara projektledaren eller en administratör får ändra vikterna."))
    if any(not 0 <= values.get(name, 0) <= 100 for name in WEIGHT_FIELDS):
        raise InvalidInput(_("Varje vikt ska vara mellan 0 och 100."))
    if sum(values.get(name, 0) for name in WEIGHT_FIELDS) == 0:
        raise InvalidInput(_("Minst en vikt måste vara större än 0."))
    with transaction.atomic():
        weights = MatchingWeights.objects.select_for_update().filter(project=project).first()
        require_version(expected=expected_version, current=weights_version(weights))
        if weights is None:
            weights = MatchingWeights(project=project)
        for name in WEIGHT_FIELDS:
            setattr(weights, name, values[name])
        weights.save()
        access_log_record(
            ctx=ctx,
            action="matching.weights_changed",
            detail={"project": str(project.pk), **{name: str(values[name]) for name in WEIGHT_FIELDS}},
        )
    return weights


def profile_rank(*, ctx: AccessContext, person_id: uuid.UUID, offer_id: uuid.UUID, add: bool) -> MatchingProfile:
    """Add an offer last to the young person's own ranking, or take it out (their choice, told
    to the coach). Creates the profile when there is none."""
    shown = selectors.matching_person(ctx=ctx, person_id=person_id, need=Need.CHANGE)
    unit_id = ctx.user.unit_id
    assert unit_id is not None
    if add and not Offer.objects.filter(pk=offer_id).exists():
        raise InvalidInput(_("Erbjudandet finns inte."))
    with transaction.atomic():
        profile = MatchingProfile.objects.select_for_update().filter(person_id=person_id, unit_id=unit_id).first()
        if profile is None:
            profile = MatchingProfile(person_id=person_id, unit_id=unit_id)
        ranking = [value for value in profile.ranking if value != str(offer_id)]
        if add:
            ranking.append(str(offer_id))
        profile.ranking = ranking
        profile.changed_by = ctx.user
        profile.save()
        access_log_record(
            ctx=ctx,
            action="matching.profile_changed",
            person_id=shown.person.pk,
            basis=shown.access.basis,
            detail={"ranking": "lade till" if add else "tog bort", "offer": str(offer_id)},
        )
    return profile


# --- The provider's preferences for an offer ------------------------------------------------


def offer_preference_version(preference: OfferPreference | None) -> str:
    return version_of(preference, fields=("prefers_local",)) if preference is not None else NO_PROFILE_VERSION


def offer_preference_save(
    *, ctx: AccessContext, offer: Offer, prefers_local: bool, expected_version: str | None
) -> OfferPreference:
    """Record what the provider prefers for the offer (read by the rule rules/provider.py).

    Part of the offer's description, so whoever maintains the offer records it (the catalogue's
    one rule) and it is logged as a change of the offer; not personal data."""
    require_maintain(ctx.user, offer.owner_id)
    with transaction.atomic():
        preference = OfferPreference.objects.select_for_update().filter(offer=offer).first()
        require_version(expected=expected_version, current=offer_preference_version(preference))
        if preference is None:
            preference = OfferPreference(offer=offer)
        preference.prefers_local = prefers_local
        preference.save()
        access_log_record(
            ctx=ctx,
            action="offer.changed",
            detail={"offer": str(offer.pk), "prefers_local": "ja" if prefers_local else "nej"},
        )
    return preference
