"""ESF+ participant data at entry, which projects are ESF-funded, and the SCB file's log.

The rules are in ../shared/spec/domain.md ("ESF+ participant data"). An `EsfEntry` belongs to
one enrolment (one unit's record of a person in a project); a re-entry reopens the same
enrolment, so the entry data recorded at the first start stays (the rule: keep the first start
and the entry data). Derived values (long-term unemployment, age at entry, rural area) are
stored when the entry is saved, so the indicators count them with plain aggregate queries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.common.scoping import ScopedManager
from vagval.organisations.models import Project, Unit
from vagval.people.models import Enrolment, Person


class EsfProject(BaseModel):
    """A project marked as ESF-funded: its enrolments record ESF+ data at entry.

    A model of its own rather than a field on organisations.Project, so that ESF+ stays in one
    app (and one migration history); the administrator sets it on the project's page.
    """

    project = models.OneToOneField(
        Project, verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="esf_funding"
    )
    case_number = models.CharField(_("ärendenummer hos ESF-rådet"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("ESF-finansierat projekt")
        verbose_name_plural = _("ESF-finansierade projekt")

    def __str__(self) -> str:
        return str(self.project)


class LabourStatus(models.TextChoices):
    """Labour-market status at entry: exactly one (EECO02, EECO04, EECO05)."""

    UNEMPLOYED = "arbetslos", _("Arbetslös")
    INACTIVE = "inaktiv", _("Inaktiv (varken arbetar eller söker arbete)")
    EMPLOYED = "sysselsatt", _("Sysselsatt (även egen företagare)")


class Answer(models.TextChoices):
    """A voluntary item: yes, no, or the participant does not want to answer."""

    YES = "ja", _("Ja")
    NO = "nej", _("Nej")
    DECLINED = "vill_inte_svara", _("Vill inte svara")
    NOT_ASKED = "", _("Inte besvarat")


# Long-term unemployment (EECO03): unemployed for more than 6 months under 25, more than 12
# months from 25 (the ESF+ definition; ../shared/spec/domain.md names the indicator).
LONG_TERM_AGE = 25
LONG_TERM_MONTHS_YOUNG = 6
LONG_TERM_MONTHS_OLDER = 12


class EsfEntry(BaseModel):
    """ESF+ data at entry for one enrolment in an ESF-funded project."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("deltagande"), on_delete=models.CASCADE, related_name="esf_entry"
    )
    # Copies of the enrolment's person and unit: the scope and the indicators filter on them.
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+")
    labour_status = models.CharField(
        _("situation på arbetsmarknaden vid start"), max_length=20, choices=LabourStatus.choices, blank=True
    )
    unemployed_since = models.DateField(_("arbetslös sedan"), null=True, blank=True)
    isced = models.PositiveSmallIntegerField(_("högsta avslutade utbildning (ISCED)"), null=True, blank=True)
    disability = models.CharField(
        _("funktionsnedsättning"), max_length=20, choices=Answer.choices, blank=True, default=Answer.NOT_ASKED
    )
    third_country = models.CharField(
        _("medborgare i land utanför EU"), max_length=20, choices=Answer.choices, blank=True, default=Answer.NOT_ASKED
    )
    foreign_background = models.CharField(
        _("utländsk bakgrund"), max_length=20, choices=Answer.choices, blank=True, default=Answer.NOT_ASKED
    )
    minority = models.CharField(
        _("tillhör en minoritet"), max_length=20, choices=Answer.choices, blank=True, default=Answer.NOT_ASKED
    )
    homeless = models.CharField(
        _("hemlös eller utestängd från bostadsmarknaden"),
        max_length=20,
        choices=Answer.choices,
        blank=True,
        default=Answer.NOT_ASKED,
    )
    # EECR06 asks, six months after leaving, whether a participant employed at entry has a
    # better situation (e.g. from temporary to permanent work, part time to full time).
    improved_after_6_months = models.CharField(
        _("förbättrad situation på arbetsmarknaden efter 6 månader"),
        max_length=20,
        choices=Answer.choices,
        blank=True,
        default=Answer.NOT_ASKED,
    )
    # Derived when saved (esf.services): see the module docstring.
    long_term_unemployed = models.BooleanField(_("långtidsarbetslös"), default=False, editable=False)
    age_at_entry = models.PositiveSmallIntegerField(_("ålder vid start"), null=True, blank=True, editable=False)
    rural = models.BooleanField(_("bor på landsbygden"), default=False, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()  # person data: only inside a scope

    class Meta:
        verbose_name = _("ESF-uppgifter vid start")
        verbose_name_plural = _("ESF-uppgifter vid start")
        constraints = [
            models.CheckConstraint(condition=Q(isced__isnull=True) | Q(isced__lte=8), name="esf_entry_isced_0_8"),
            models.CheckConstraint(
                condition=Q(labour_status="arbetslos") | Q(unemployed_since__isnull=True, long_term_unemployed=False),
                name="esf_entry_unemployed_since_only_when_unemployed",
            ),
        ]
        indexes = [models.Index(fields=["unit"])]

    def __str__(self) -> str:
        return f"ESF {self.enrolment_id}"

    @property
    def is_complete(self) -> bool:
        """Gender, status, age and education known (the rule: otherwise counted only in the total)."""
        from vagval.esf.rules import gender_group

        return bool(
            self.labour_status
            and self.isced is not None
            and self.age_at_entry is not None
            and gender_group(self.person.gender)
        )


class ScbFileExport(BaseModel):
    """One SCB participant file produced: for which project and month, by whom, how many rows.

    The persons in it are in the access log (one `esf.scb_file_exported` per person), never here.
    """

    project = models.ForeignKey(Project, verbose_name=_("projekt"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("månad"))  # the first day of the month (esf.services)
    correction = models.BooleanField(_("rättelse"), default=False)
    rows = models.PositiveIntegerField(_("rader"))
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("SCB-deltagarfil")
        verbose_name_plural = _("SCB-deltagarfiler")

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"
