"""The catalogue of what partners offer, and placements of persons in offers.

Providers and offers are not personal data: every member of staff sees them. A placement is a
person in an offer and is person-level data (ScopedManager): it is read only through the scope
and written only by catalogue.services, which keep an offer's capacity (see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Municipality, Organisation, Unit
from vagval.people.models import Enrolment, Person


class ProviderKind(models.TextChoices):
    EMPLOYER = "arbetsgivare", _("Arbetsgivare")
    ASSOCIATION = "forening", _("Förening")
    EDUCATION = "utbildning", _("Utbildningsanordnare")
    AGENCY = "myndighet", _("Myndighet")
    MUNICIPAL = "kommunal", _("Kommunens egen verksamhet")


class Provider(BaseModel):
    """Who offers something: an employer, an association, a school, an agency, a municipal unit."""

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=ProviderKind.choices)
    organisation_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    # SNI 2007 section letter (reference/sni2007-avdelningar.csv), for employers.
    sni_section = models.CharField(_("bransch (SNI 2007)"), max_length=1, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("adress"), max_length=200, blank=True)
    # The installation's organisation that maintains this provider's entry.
    owner = models.ForeignKey(
        Organisation, verbose_name=_("förvaltas av"), on_delete=models.PROTECT, related_name="catalogue_providers"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("anordnare")
        verbose_name_plural = _("anordnare")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="provider_name_not_empty")]

    def __str__(self) -> str:
        return self.name


class ProviderContact(BaseModel):
    """A supervisor, mentor or contact person at a provider. They have no account."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=100, blank=True)  # handledare, mentor, kontaktperson
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="provider_contact_name_not_empty")]

    def __str__(self) -> str:
        return self.name


class OfferKind(models.TextChoices):
    INTERNSHIP = "praktik", _("Praktik")
    SOCIAL_TRAINING = "social_traningsplats", _("Social träningsplats")
    STUDY = "studieplats", _("Studieplats")
    MENTORSHIP = "mentorskap", _("Mentorskap")
    ASSOCIATION_ACTIVITY = "foreningsaktivitet", _("Föreningsaktivitet")
    GROUP_ACTIVITY = "gruppaktivitet", _("Gruppaktivitet")
    TREATMENT = "behandling_stod", _("Behandling/stöd")
    JOB = "anstallning", _("Anställning/sommarjobb")


# Offers that are work-like carry an SSYK 2012 area (reference/ssyk2012-yrkesomraden.csv).
WORK_LIKE_KINDS = frozenset({OfferKind.INTERNSHIP, OfferKind.SOCIAL_TRAINING, OfferKind.JOB})


class StudyKind(models.TextChoices):
    INTRODUCTION = "introduktionsprogram", _("Introduktionsprogram")
    KOMVUX = "komvux", _("Komvux")
    FOLK_HIGH_SCHOOL = "folkhogskola", _("Folkhögskola")
    SECOND_CHANCE = "second_chance_school", _("Second Chance School")
    OTHER = "annan", _("Annan utbildning")


class OfferStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    OPEN = "oppen", _("Öppen")
    FULL = "full", _("Full")
    CLOSED = "stangd", _("Stängd")


class Offer(BaseModel):
    kind = models.CharField(_("typ av erbjudande"), max_length=30, choices=OfferKind.choices)
    study_kind = models.CharField(_("typ av utbildning"), max_length=30, choices=StudyKind.choices, blank=True)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=4000, blank=True)
    provider = models.ForeignKey(Provider, verbose_name=_("anordnare"), on_delete=models.PROTECT, related_name="offers")
    # The installation's organisation that maintains the offer (its staff may edit it).
    owner = models.ForeignKey(
        Organisation, verbose_name=_("förvaltas av"), on_delete=models.PROTECT, related_name="catalogue_offers"
    )
    ssyk_area = models.CharField(_("yrkesområde (SSYK 2012)"), max_length=2, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("adress"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitud"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitud"), max_digits=9, decimal_places=6, null=True, blank=True)
    travel = models.CharField(_("hur man tar sig dit"), max_length=500, blank=True)
    starts_on = models.DateField(_("startdatum"), null=True, blank=True)  # both empty: ongoing
    ends_on = models.DateField(_("slutdatum"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("timmar per vecka"), max_digits=4, decimal_places=1, null=True, blank=True)
    capacity = models.PositiveIntegerField(_("antal platser"), default=1)
    min_age = models.PositiveSmallIntegerField(_("lägsta ålder"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("högsta ålder"), null=True, blank=True)
    language = models.CharField(_("språkkrav"), max_length=200, blank=True)
    requires_driving_licence = models.BooleanField(_("kräver körkort"), default=False)
    adaptations = models.TextField(_("anpassningar och tillgänglighet"), max_length=2000, blank=True)
    supervisor = models.ForeignKey(
        ProviderContact,
        verbose_name=_("handledare eller gruppledare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
    )
    status = models.CharField(_("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.DRAFT)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("erbjudande")
        verbose_name_plural = _("erbjudanden")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="offer_title_not_empty"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="offer_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=models.F("min_age")),
                name="offer_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(study_kind="") | Q(kind=OfferKind.STUDY), name="offer_study_kind_only_for_studies"
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.title


class PlacementStatus(models.TextChoices):
    SUGGESTED = "foreslagen", _("Föreslagen")
    OFFERED = "erbjuden", _("Erbjuden")
    ACCEPTED = "accepterad", _("Accepterad")
    DECLINED = "avbojd", _("Avböjd")
    STARTED = "paborjad", _("Påbörjad")
    ENDED = "avslutad", _("Avslutad")
    WAITING = "vantelista", _("På väntelista")


# The statuses that take one of the offer's places.
OCCUPYING_STATUSES = frozenset({PlacementStatus.OFFERED, PlacementStatus.ACCEPTED, PlacementStatus.STARTED})
# The statuses of a placement still under way (ended by an exit from the project).
OPEN_STATUSES = frozenset(
    {
        PlacementStatus.SUGGESTED,
        PlacementStatus.OFFERED,
        PlacementStatus.ACCEPTED,
        PlacementStatus.STARTED,
        PlacementStatus.WAITING,
    }
)


class PlacementEndReason(models.TextChoices):
    COMPLETED = "genomford", _("Genomförd")
    INTERRUPTED = "avbruten", _("Avbruten")
    GOT_JOB = "fick_anstallning", _("Fick anställning")
    STARTED_STUDIES = "borjade_studera", _("Började studera")
    PARTICIPATION_ENDED = "deltagandet_avslutat", _("Deltagandet avslutat")
    OTHER = "annat", _("Annat")


class Placement(BaseModel):
    """A person in an offer, recorded by the unit that placed them."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="placements")
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("inskrivning"), on_delete=models.PROTECT, related_name="placements"
    )
    offer = models.ForeignKey(Offer, verbose_name=_("erbjudande"), on_delete=models.PROTECT, related_name="placements")
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="placements")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig coach"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.SUGGESTED
    )
    declined_reason = models.CharField(_("anledning till att platsen avböjdes"), max_length=500, blank=True)
    starts_on = models.DateField(_("startdatum"), null=True, blank=True)
    ends_on = models.DateField(_("slutdatum"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("timmar per vecka"), max_digits=4, decimal_places=1, null=True, blank=True)
    end_reason = models.CharField(
        _("anledning till avslut"), max_length=30, choices=PlacementEndReason.choices, blank=True
    )
    # The plan step the placement created (journey step 5); ended with the placement.
    plan_step = models.OneToOneField(
        "plans.PlanStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="placement"
    )
    version = models.PositiveIntegerField(default=0)
    # Free text for a reason "annat" (ended) and a note to the last change of status.
    reason_note = models.CharField(_("kommentar"), max_length=500, blank=True)
    # The waiting list's order: when the placement was put on it (oldest first).
    waiting_since = models.DateTimeField(_("på väntelistan sedan"), null=True, blank=True)
    # The supervisor who assesses the young person (Arbetsplatsbedömning); by default the offer's.
    supervisor = models.ForeignKey(
        ProviderContact,
        verbose_name=_("handledare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
    )
    # The supervisor assessment's schedule: every N weeks from the start; the next one is due
    # on assessment_next_due_on (the to-do list looks for it), empty when nothing is scheduled.
    assessment_interval_weeks = models.PositiveSmallIntegerField(_("bedömning var n:e vecka"), default=4)
    assessment_next_due_on = models.DateField(_("nästa arbetsplatsbedömning"), null=True, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("placering")
        verbose_name_plural = _("placeringar")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(status=PlacementStatus.ENDED), name="placement_end_reason_only_ended"
            ),
        ]
        indexes = [
            models.Index(fields=["offer", "status"]),
            models.Index(fields=["person", "status"]),
            models.Index(fields=["unit", "assessment_next_due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.offer} ({self.get_status_display()})"


class PlacementEvent(models.Model):
    """One change of a placement's status: its history, never changed."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("från"), max_length=20, choices=PlacementStatus.choices, blank=True)
    to_status = models.CharField(_("till"), max_length=20, choices=PlacementStatus.choices)
    reason = models.CharField(_("anledning"), max_length=500, blank=True)
    occurred_on = models.DateField(_("datum"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("händelse i placeringen")
        verbose_name_plural = _("händelser i placeringen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class PlacementAssessment(BaseModel):
    """A supervisor assessment (Arbetsplatsbedömning) of a placement: the personal link sent to
    the placement's supervisor for one due date. The answer is the link's response."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="assessments")
    due_on = models.DateField(_("ska vara gjord"))
    link = models.OneToOneField(
        "assessments.AssessmentLink", on_delete=models.PROTECT, related_name="placement_assessment"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("arbetsplatsbedömning")
        verbose_name_plural = _("arbetsplatsbedömningar")
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return f"Arbetsplatsbedömning {self.due_on}"


class GroupSession(BaseModel):
    """One meeting of a group activity (an offer of kind gruppaktivitet). Not personal data."""

    offer = models.ForeignKey(Offer, verbose_name=_("erbjudande"), on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("datum"))
    hours = models.DecimalField(_("timmar"), max_digits=4, decimal_places=1)
    topic = models.CharField(_("innehåll"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("träff")
        verbose_name_plural = _("träffar")
        ordering = ["held_on", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="group_session_hours_in_day"),
        ]

    def __str__(self) -> str:
        return f"{self.offer} {self.held_on}"


class Attendance(BaseModel):
    """Whether a placed participant came to a session (närvaro), and for how many hours."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendances")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="attendances")
    attended = models.BooleanField(_("närvarande"), default=False)
    hours = models.DecimalField(_("timmar"), max_digits=4, decimal_places=1, default=0)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(fields=["session", "placement"], name="attendance_once_per_session"),
            models.CheckConstraint(
                condition=(Q(attended=True) & Q(hours__gt=0)) | (Q(attended=False) & Q(hours=0)),
                name="attendance_hours_iff_attended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.attended}"
