"""Municipalities, organisations, units (each a secrecy domain), projects and methods."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel


class Municipality(models.Model):
    """One of Sweden's 290 municipalities, keyed by its SCB code."""

    code = models.CharField(_("kommunkod"), max_length=4, primary_key=True)
    name = models.CharField(_("kommun"), max_length=100)
    county_code = models.CharField(_("länskod"), max_length=2)
    county = models.CharField(_("län"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        constraints = [models.CheckConstraint(condition=Q(code__regex=r"^\d{4}$"), name="municipality_code_4_digits")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "kommun", _("Kommun")
    EMPLOYMENT_SERVICE = "af", _("Arbetsförmedlingen")
    SOCIAL_INSURANCE = "fk", _("Försäkringskassan")
    REGION = "region", _("Region")
    POLICE = "polis", _("Polisen")
    COORDINATION_ASSOCIATION = "samordningsforbund", _("Samordningsförbund")
    SCHOOL = "skola", _("Skola")
    EMPLOYER = "arbetsgivare", _("Arbetsgivare")
    ASSOCIATION = "forening", _("Förening")
    OTHER = "annan", _("Annan")


class Organisation(BaseModel):
    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=30, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Kommunen organisationen är eller verkar i."),
    )
    organisation_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self) -> str:
        return self.name


class Unit(BaseModel):
    """A unit inside an organisation. Every unit is its own secrecy domain."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("namn"), max_length=200)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_unique_in_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} – {self.name}"


class Method(BaseModel):
    """A working method a project uses, e.g. Gnestamodellen, Second Chance School, ACT."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("metod")
        verbose_name_plural = _("metoder")

    def __str__(self) -> str:
        return self.name


class Project(BaseModel):
    """A project or programme, e.g. '#redonu' or 'KAA Ludvika'."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    starts_on = models.DateField(_("startdatum"))
    ends_on = models.DateField(_("slutdatum"), null=True, blank=True)
    target_participants = models.PositiveIntegerField(_("mål antal deltagare"), null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("medverkande organisationer"), related_name="projects", blank=True
    )
    methods = models.ManyToManyField(Method, verbose_name=_("metoder"), related_name="projects", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("projekt")
        verbose_name_plural = _("projekt")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name
