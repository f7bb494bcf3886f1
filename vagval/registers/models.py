"""Register imports and the snapshot state they leave: who is in the population and studies extracts.

A unit that holds a municipality's KAA register (its KAA-ansvarig's unit) imports extracts into
that municipality's register only. Each import is a snapshot: PopulationEntry and StudyEntry
hold the latest known state per person, with a hash of the row so a re-import of the same
snapshot writes nothing but the RegisterImport record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Municipality, Unit
from vagval.people.models import Person


class ImportKind(models.TextChoices):
    POPULATION = "befolkning", _("Befolkningsuttag")
    STUDIES = "studier", _("Studieuttag")


class ImportStatus(models.TextChoices):
    QUEUED = "vantar", _("Väntar")
    RUNNING = "pagar", _("Pågår")
    DONE = "klar", _("Klar")
    FAILED = "misslyckad", _("Misslyckades")
    # Nothing written: too many persons would leave the register (or the file is much smaller
    # than the previous snapshot). A KAA-ansvarig of the unit confirms (QUEUED again) or cancels.
    AWAITING_CONFIRMATION = "bekraftelse", _("Väntar på bekräftelse")
    CANCELLED = "avbruten", _("Avbruten")


class RefreshStatus(models.TextChoices):
    """What became of the target-group refresh after an import ("" before it ran, and for imports that failed)."""

    WAITING_FOR_STUDIES = "vantar_studier", _("Väntar på ett studieuttag")
    DONE = "klar", _("Klar")
    FAILED = "misslyckad", _("Misslyckades")


class RegisterImport(BaseModel):
    """One uploaded extract and what importing it did (the import record)."""

    kind = models.CharField(_("typ"), max_length=20, choices=ImportKind.choices)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="register_imports"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="register_imports")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("importerad av"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("fil"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("filnamn"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    reference_date = models.DateField(_("referensdatum"))
    rows_read = models.PositiveIntegerField(_("lästa rader"), default=0)
    rows_accepted = models.PositiveIntegerField(_("godkända rader"), default=0)
    rows_rejected = models.PositiveIntegerField(_("avvisade rader"), default=0)
    persons_new = models.PositiveIntegerField(_("nya"), default=0)
    persons_changed = models.PositiveIntegerField(_("ändrade"), default=0)
    persons_left = models.PositiveIntegerField(_("lämnat registret"), default=0)
    error = models.TextField(_("fel"), blank=True)  # one clear message for a broken file (Swedish)
    rejected_file = models.FileField(_("avvisade rader"), upload_to="imports/rejected/%Y/%m/", blank=True)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    # The safety check before writing (see services.register_import_run): the persons present in
    # the register when the import ran, the accepted rows of the previous snapshot, and a few of
    # the persons who would leave (ids; their names are shown on the confirmation page).
    persons_present_before = models.PositiveIntegerField(_("personer i registret före"), default=0)
    previous_rows = models.PositiveIntegerField(_("rader i förra uttaget"), null=True, blank=True)
    leaving_examples = models.JSONField(_("exempel på personer som lämnar"), default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bekräftad av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)
    # Undo (services.register_import_undo): who, when, and what it gave back.
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ångrad av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("ångrad"), null=True, blank=True)
    undo_entries_restored = models.PositiveIntegerField(_("återställda registerposter"), default=0)
    undo_episodes_reopened = models.PositiveIntegerField(_("återöppnade perioder"), default=0)
    # The KAA/UVAS lists are recomputed after a successful import, in their own transaction:
    # its outcome is shown on the status page, so a failed or partial refresh is not silent.
    refresh_status = models.CharField(
        _("listornas beräkning"), max_length=20, choices=RefreshStatus.choices, blank=True
    )
    refresh_message = models.TextField(_("meddelande om listornas beräkning"), blank=True)  # Swedish, no identities
    refresh_skipped = models.PositiveIntegerField(_("personer som hoppades över i listorna"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registerimport")
        verbose_name_plural = _("registerimporter")
        indexes = [models.Index(fields=["unit", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class PopulationEntry(BaseModel):
    """A person's place in a municipality's population snapshot, as the latest import left it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="population_entries")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="population_entries")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="population_entries")
    # Digest of the row's values: an unchanged row in a re-import writes nothing.
    row_hash = models.CharField(max_length=64)
    present = models.BooleanField(default=True)  # False: missing from the latest snapshot (moved or died)
    first_import = models.ForeignKey(RegisterImport, on_delete=models.PROTECT, related_name="+")
    last_import = models.ForeignKey(RegisterImport, on_delete=models.PROTECT, related_name="+")
    left_on = models.DateField(null=True, blank=True)

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "person"], name="population_entry_one_per_unit_person"),
            models.CheckConstraint(
                condition=Q(present=True) | Q(left_on__isnull=False), name="population_left_has_date"
            ),
        ]
        indexes = [models.Index(fields=["unit", "present"])]

    def __str__(self) -> str:
        return f"{self.person_id} i {self.municipality_id}"


class StudyEntry(BaseModel):
    """One study enrolment from the studies extract, as the latest import left it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="study_entries")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="study_entries")
    school_form = models.CharField(_("skolform"), max_length=10)  # GY, GYAN, IM, KOMVUX, FHS, YH, HS, OVR
    programme = models.CharField(_("program"), max_length=40, blank=True)
    school_unit = models.CharField(_("skolenhet"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20)  # pagaende, avbrott, examen, studiebevis, avslutad
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    row_hash = models.CharField(max_length=64)
    present = models.BooleanField(default=True)  # False: missing from the latest studies snapshot
    last_import = models.ForeignKey(RegisterImport, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        constraints = [
            # The row's identity within a snapshot: the hash covers person, form, programme, unit, dates, status.
            models.UniqueConstraint(fields=["unit", "person", "row_hash"], name="study_entry_unique_row"),
        ]
        indexes = [models.Index(fields=["unit", "person"])]

    def __str__(self) -> str:
        return f"{self.school_form} {self.status}"
