"""Matching: the young person's matching profile, the project's weights, suggestions and their
overrides, matching runs and intakes.

Person-level models (profile, suggestion, intake persons and pairs) have `ScopedManager`: they
are read only inside a scope and through the access check. A profile and a suggestion belong to
the unit that recorded them (each unit is its own secrecy domain).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.catalogue.models import Offer
from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Project, Unit
from vagval.people.models import Person


class MatchingProfile(BaseModel):
    """What the young person wants and can: interests, wishes, practical limits, own ranking."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="matching_profiles")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="matching_profiles")
    # SSYK 2012 area codes (reference/ssyk2012-yrkesomraden.csv) and OfferKind values.
    ssyk_areas = models.JSONField(_("intresserad av yrkesområden"), default=list, blank=True)
    offer_kinds = models.JSONField(_("intresserad av typer av erbjudanden"), default=list, blank=True)
    wishes = models.TextField(_("önskemål"), max_length=2000, blank=True)
    max_travel_minutes = models.PositiveSmallIntegerField(_("längsta restid (minuter)"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("högst timmar per vecka"), null=True, blank=True)
    has_driving_licence = models.BooleanField(_("har körkort"), default=False)
    languages = models.CharField(_("språk personen talar"), max_length=200, blank=True)
    # The young person's own ranking: offer ids as strings, best first.
    ranking = models.JSONField(_("egen rangordning av erbjudanden"), default=list, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("matchningsprofil")
        verbose_name_plural = _("matchningsprofiler")
        constraints = [
            models.UniqueConstraint(fields=["person", "unit"], name="matching_profile_one_per_unit"),
            models.CheckConstraint(
                condition=Q(max_travel_minutes__isnull=True) | Q(max_travel_minutes__lte=600),
                name="matching_profile_travel_bounded",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=80),
                name="matching_profile_hours_bounded",
            ),
        ]


class MatchingWeights(BaseModel):
    """A project's weights per scoring rule (see matching/rules). Missing: the defaults."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="matching_weights")
    interest = models.PositiveSmallIntegerField(_("intresse"), default=35)
    travel = models.PositiveSmallIntegerField(_("restid"), default=20)
    requirements = models.PositiveSmallIntegerField(_("krav"), default=10)
    ranking = models.PositiveSmallIntegerField(_("den ungas rangordning"), default=15)
    provider = models.PositiveSmallIntegerField(_("anordnarens önskemål"), default=10)
    continuity = models.PositiveSmallIntegerField(_("kontinuitet"), default=10)

    class Meta:
        verbose_name = _("matchningsvikter")
        verbose_name_plural = _("matchningsvikter")
        constraints = [
            models.CheckConstraint(
                condition=Q(interest__lte=100)
                & Q(travel__lte=100)
                & Q(requirements__lte=100)
                & Q(ranking__lte=100)
                & Q(provider__lte=100)
                & Q(continuity__lte=100),
                name="matching_weights_at_most_100",
            )
        ]


class OfferPreference(BaseModel):
    """The provider's preferences for an offer (not personal data). One simple rule today:
    the provider prefers young people who live in the offer's municipality."""

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="matching_preference")
    prefers_local = models.BooleanField(_("föredrar unga från kommunen"), default=False)

    class Meta:
        verbose_name = _("anordnarens önskemål")
        verbose_name_plural = _("anordnarens önskemål")


class SuggestionStatus(models.TextChoices):
    OPEN = "oppen", _("Föreslagen, inte besvarad")
    REJECTED = "avvisad", _("Avvisad av coachen")
    DONE = "klar", _("Hanterad")


class MatchingSuggestion(BaseModel):
    """An offer suggested to a young person by a coach, or rejected by the coach.

    An open suggestion counts against the offer's crowding limit until it is handled or older
    than MATCHING_SUGGESTION_DAYS. `override` marks the coach's decision against the ranked list:
    an offer proposed from outside it, or a suggestion rejected; `reason` says why.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="matching_suggestions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="matching_suggestions")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="matching_suggestions")
    status = models.CharField(_("status"), max_length=10, choices=SuggestionStatus.choices)
    override = models.BooleanField(_("coachen gick emot förslaget"), default=False)
    reason = models.CharField(_("motivering"), max_length=500, blank=True)
    score = models.PositiveSmallIntegerField(_("poäng"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("matchningsförslag")
        verbose_name_plural = _("matchningsförslag")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(override=False) | ~Q(reason=""), name="suggestion_override_has_reason"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=1000), name="suggestion_score_range"),
        ]
        indexes = [models.Index(fields=["offer", "status"]), models.Index(fields=["person", "unit"])]


class RunKind(models.TextChoices):
    PERSON = "person", _("Förslag för en person")
    INTAKE = "intag", _("Intag")


class MatchingRun(BaseModel):
    """One matching run, without personal data: the persons it considered and the basis are in
    the access log (action matching.considered), this row says who ran what and how big."""

    kind = models.CharField(max_length=10, choices=RunKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    persons = models.PositiveIntegerField(default=0)
    offers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]


class IntakeStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    SOLVED = "lost", _("Löst")
    CONFIRMED = "bekraftad", _("Bekräftad")


class MatchingIntake(BaseModel):
    """A whole intake (a summer-job round, a 2CS term): persons and offers matched together."""

    name = models.CharField(_("namn"), max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="matching_intakes")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    place_most_first = models.BooleanField(_("placera så många som möjligt först"), default=False)
    max_gender_gap = models.DecimalField(
        _("största skillnad i andel placerade mellan kvinnor och män"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT)
    objective_value = models.IntegerField(null=True, blank=True)
    optimal = models.BooleanField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("intag")
        verbose_name_plural = _("intag")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="intake_name_not_empty"),
            models.CheckConstraint(
                condition=Q(max_gender_gap__isnull=True) | (Q(max_gender_gap__gte=0) & Q(max_gender_gap__lte=1)),
                name="intake_gender_gap_share",
            ),
        ]


class IntakeOffer(BaseModel):
    intake = models.ForeignKey(MatchingIntake, on_delete=models.CASCADE, related_name="offers")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["intake", "offer"], name="intake_offer_once")]


class IntakePerson(BaseModel):
    intake = models.ForeignKey(MatchingIntake, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        constraints = [models.UniqueConstraint(fields=["intake", "person"], name="intake_person_once")]


class IntakePair(BaseModel):
    """A person assigned to an offer in an intake: by the solver, or changed by the coach (reason)."""

    intake = models.ForeignKey(MatchingIntake, on_delete=models.CASCADE, related_name="pairs")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # None: the coach took the person out of the assignment (with a reason).
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    score = models.PositiveSmallIntegerField(default=0)
    changed_reason = models.CharField(_("anledning till ändringen"), max_length=500, blank=True)
    placement_id = models.UUIDField(null=True, blank=True)  # the placement made at confirmation

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["intake", "person"], name="intake_pair_one_per_person"),
            models.CheckConstraint(condition=Q(score__lte=1000), name="intake_pair_score_range"),
        ]
