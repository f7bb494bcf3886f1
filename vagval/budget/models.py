"""A project's budget per cost type and its actual costs per month (issue 13, seeds 001 and 003).

No person data: amounts per project, cost type and month. A month's cost is one row per cost
type (the month's total); an import from the accounting system sums the file's rows into it and
keeps what it replaced, so that it can be undone (docs/ARCHITECTURE.md, "Budget and cost").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vagval.common.models import BaseModel
from vagval.organisations.models import Project


class CostType(models.TextChoices):
    STAFF = "personal", _("Personal")
    PREMISES = "lokaler", _("Lokaler")
    SERVICES = "kopta_tjanster", _("Köpta tjänster")
    TRAVEL = "resor", _("Resor")
    OTHER = "ovrigt", _("Övrigt")


class BudgetLine(BaseModel):
    """The project's budget for one cost type, for the whole project period."""

    project = models.ForeignKey(
        Project, verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    cost_type = models.CharField(_("kostnadstyp"), max_length=20, choices=CostType.choices)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("kommentar"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["cost_type"]
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")
        constraints = [
            models.UniqueConstraint(fields=["project", "cost_type"], name="budget_line_one_per_cost_type"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
        ]


class CostSource(models.TextChoices):
    FORM = "formular", _("Registrerad i formulär")
    IMPORT = "import", _("Importerad från ekonomisystemet")


class CostImport(BaseModel):
    """One imported file: what it stored and what it replaced (for undo)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cost_imports")
    file_name = models.CharField(_("filnamn"), max_length=200)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    # [{"cost_type", "month", "amount"}] stored by the import, and the values it replaced
    # ("amount" null: there was none), both as text so the JSON is exact.
    stored = models.JSONField(default=list)
    replaced = models.JSONField(default=list)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Cost(BaseModel):
    """The actual cost of one cost type in one month (month = its first day)."""

    project = models.ForeignKey(Project, verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="costs")
    cost_type = models.CharField(_("kostnadstyp"), max_length=20, choices=CostType.choices)
    month = models.DateField(_("månad"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=12, decimal_places=2)
    source = models.CharField(max_length=20, choices=CostSource.choices, default=CostSource.FORM)
    cost_import = models.ForeignKey(CostImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["month", "cost_type"]
        verbose_name = _("kostnad")
        verbose_name_plural = _("kostnader")
        constraints = [
            models.UniqueConstraint(fields=["project", "cost_type", "month"], name="cost_one_per_type_and_month"),
        ]
