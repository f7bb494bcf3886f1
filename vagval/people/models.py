"""The young person, their identity number, protected identity, and enrolments in projects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Method, Municipality, Project, Unit


class IdentityType(models.TextChoices):
    PERSONNUMMER = "personnummer", _("Personnummer")
    SAMORDNINGSNUMMER = "samordningsnummer", _("Samordningsnummer")
    NONE = "none", _("Saknar nummer")


class Gender(models.TextChoices):
    """Gender as the person states it. Never derived from the identity number."""

    WOMAN = "kvinna", _("Kvinna")
    MAN = "man", _("Man")
    NON_BINARY = "icke_binar", _("Icke-binär")
    OTHER = "annat", _("Annat")
    NOT_STATED = "vill_inte_svara", _("Vill inte svara")
    UNKNOWN = "", _("Ej angivet")


class Protection(models.TextChoices):
    NONE = "none", _("Ingen")
    CONFIDENTIALITY_MARK = "sekretessmarkering", _("Sekretessmarkering")
    PROTECTED_REGISTRATION = "skyddad_folkbokforing", _("Skyddad folkbokföring")


# From least to most protected: a unit may only move a record up this list (people.services).
PROTECTION_ORDER = (Protection.NONE, Protection.CONFIDENTIALITY_MARK, Protection.PROTECTED_REGISTRATION)


# The index of unmerged persons in the lists' name order, named for SQLite's INDEXED BY
# (people.selectors._in_name_order_index).
NAME_ORDER_INDEX = "person_name_order_unmerged"


class Person(BaseModel):
    """One unit's record of a young person.

    The identity (the number) is shared: the system knows that two units' records with the same
    number are the same young person (for merging, counting a participant once and consent). What
    a record holds (names, contact details, protection, home municipality) is the holding unit's
    own: another unit that registers the same number gets a record of its own, and nothing of
    this one (see people.services.person_create and docs/ARCHITECTURE.md).
    """

    # The secrecy domain that registered and holds this record. Null only on records that
    # predate it (people migration 0005 fills it from the record's first enrolment or entry).
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("registrerad av enhet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    id_type = models.CharField(_("typ av nummer"), max_length=20, choices=IdentityType.choices)
    # 12 digits YYYYMMDDNNNC; never put in URLs, logs or error pages.
    # Indexed for the number search; unique per holding unit (constraint below), not overall.
    id_number = models.CharField(
        _("person- eller samordningsnummer"), max_length=12, null=True, blank=True, db_index=True
    )
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    # Casefolded copies used for prefix search with an index.
    first_name_key = models.CharField(max_length=100, editable=False, db_index=True)
    last_name_key = models.CharField(max_length=100, editable=False, db_index=True)
    birth_date = models.DateField(_("födelsedatum"), null=True, blank=True)
    legal_sex = models.CharField(_("juridiskt kön"), max_length=1, blank=True, editable=False)
    gender = models.CharField(_("kön (som personen själv anger)"), max_length=20, choices=Gender.choices, blank=True)
    protection = models.CharField(
        _("skyddade personuppgifter"), max_length=30, choices=Protection.choices, default=Protection.NONE
    )
    address = models.CharField(_("adress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=6, blank=True)
    city = models.CharField(_("postort"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    home_municipality = models.ForeignKey(
        Municipality, verbose_name=_("hemkommun"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from", editable=False
    )

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["last_name_key", "first_name_key"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(id_type="none", id_number__isnull=True) | (~Q(id_type="none") & Q(id_number__regex=r"^\d{12}$"))
                ),
                name="person_id_number_matches_type",
            ),
            models.CheckConstraint(condition=Q(legal_sex__in=["", "M", "F"]), name="person_legal_sex_values"),
            models.UniqueConstraint(fields=["unit", "id_number"], name="person_one_record_per_number_and_unit"),
        ]
        indexes = [
            # The name search of a big unit walks the register in name order and tests each
            # candidate (people.selectors._search_walk): from this index alone, without a
            # person row for every name it passes over.
            models.Index(
                fields=["last_name_key", "first_name_key", "id"],
                condition=Q(merged_into__isnull=True),
                name=NAME_ORDER_INDEX,
            ),
            # The protected persons (a small share of the register): what a count of the persons
            # seen by consent leaves out (access.checks.visible_persons_count), without reading
            # the person row of every consent.
            models.Index(fields=["id"], condition=~Q(protection=Protection.NONE), name="person_protected"),
            # The merged records (few): what SQLite's count of the persons seen by consent leaves
            # out (access.checks.visible_persons_count_unmerged_first) without a person row each.
            models.Index(fields=["id"], condition=Q(merged_into__isnull=False), name="person_merged"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_protected(self) -> bool:
        return self.protection != Protection.NONE

    @property
    def protection_rank(self) -> int:
        return PROTECTION_ORDER.index(Protection(self.protection))

    def save(self, *args: object, **kwargs: object) -> None:
        self.first_name_key = self.first_name.casefold()
        self.last_name_key = self.last_name.casefold()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PersonChange(models.Model):
    """What was changed on a person, by whom and when (field names only, not values)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=30)  # created, changed, merged_into, merged_from
    fields = models.JSONField(default=list)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.changed_at:%Y-%m-%d}"


class EnrolmentStatus(models.TextChoices):
    PLANNED = "planerad", _("Planerad")
    ACTIVE = "pagaende", _("Pågående")
    PAUSED = "vilande", _("Vilande")
    ENDED = "avslutad", _("Avslutad")


class Enrolment(BaseModel):
    """A person's participation in a project at a unit. Re-entry reopens the same record."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="enrolments")
    project = models.ForeignKey(Project, verbose_name=_("projekt"), on_delete=models.PROTECT, related_name="enrolments")
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="enrolments")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig coach"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    method = models.ForeignKey(
        Method, verbose_name=_("metod"), on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    starts_on = models.DateField(_("startdatum"))
    ends_on = models.DateField(_("slutdatum"), null=True, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("deltagande")
        verbose_name_plural = _("deltaganden")
        constraints = [
            # One enrolment per person, project and unit: re-entry reopens it. Another unit's
            # enrolment in the same project is its own record, so that its existence does
            # not leak across secrecy domains; reports count a participant once per project.
            models.UniqueConstraint(fields=["person", "project", "unit"], name="enrolment_one_per_person_project_unit"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="enrolment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="avslutad") | Q(ends_on__isnull=False), name="enrolment_ended_has_end_date"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["coach", "status"]),
            # "Mina deltagare", the coach's start page: the unit's enrolments of one coach, and
            # their persons without reading the table.
            models.Index(fields=["unit", "coach", "person"]),
            # The caseload's project filter: whether the unit has an enrolment in each project,
            # one probe per project instead of reading every enrolment of the unit.
            models.Index(fields=["unit", "project"], name="enrolment_unit_project"),
        ]

    def __str__(self) -> str:
        return f"{self.person} i {self.project}"


class EnrolmentChange(models.Model):
    """Status history of an enrolment: who changed what, when (old and new display values)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=30)  # created, changed, reopened, moved_by_merge
    changes = models.JSONField(default=dict)  # {"status": ["Pågående", "Avslutad"], ...}
    note = models.CharField(max_length=500, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.changed_at:%Y-%m-%d}"
