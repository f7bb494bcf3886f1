"""The append-only access log.

No code path updates or deletes an entry: the model and its queryset refuse it, and on
PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE in the database itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Åtkomstloggen kan inte ändras")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Åtkomstloggen kan inte raderas")


class AccessBasis(models.TextChoices):
    OWN_UNIT = "own_unit", _("Egen enhet")
    CONSENT = "consent", _("Samtycke")
    ADMINISTRATION = "administration", _("Administration")
    SELF = "self", _("Egen personlig länk")
    # The data-protection officer's register extract (GDPR art. 15): across every unit, one
    # entry per person record shown (dataprotection.extract).
    REGISTER_EXTRACT = "registerutdrag", _("Registerutdrag")


class AccessLogEntry(models.Model):
    """One access. On PostgreSQL the table is partitioned by month on `at` (migration 0005): the
    primary key there is (id, at), and `id` alone stays unique because one identity gives it."""

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        # The log is searched by the user name snapshot (indexed below), never by user id:
        # an index here would only cost another write on every entry.
        db_index=False,
        null=True,
        related_name="+",
    )
    # Snapshots, so the entry stays true if the user later moves unit or changes role.
    username = models.CharField(_("användarnamn"), max_length=150)
    unit_name = models.CharField(_("enhet"), max_length=420, blank=True)
    unit_id = models.UUIDField(null=True, blank=True)
    role = models.CharField(_("roll"), max_length=20, blank=True)
    # No foreign key: entries must outlive merged or deleted (gallrade) persons.
    person_id = models.UUIDField(_("person"), null=True, blank=True)
    action = models.CharField(_("händelse"), max_length=60)
    client_address = models.CharField(_("klientadress"), max_length=45, blank=True)
    basis = models.CharField(_("grund för åtkomst"), max_length=20, choices=AccessBasis.choices)
    consent_id = models.UUIDField(_("samtycke"), null=True, blank=True)
    detail = models.JSONField(_("detaljer"), default=dict, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("åtkomstlogg")
        # Only the indexes the log review's searches need (every read writes here): one person's
        # entries and one user's (by the name as logged, case-insensitively as the search
        # compares), newest first, and a period. Each leads with what is searched for and ends
        # with the time, so a page of a person's entries is read in order from one index.
        indexes = [
            models.Index(fields=["person_id", "at"], name="audit_log_person_at_idx"),
            # username included: PostgreSQL answers a count (the review's page count) from an
            # expression index alone only when the column under the expression is in it too.
            models.Index(Upper("username"), "at", name="audit_log_username_at_idx", include=["username"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Åtkomstloggen kan inte ändras")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Åtkomstloggen kan inte raderas")


class AccessLogRemoval(models.Model):
    """A record of access-log entries removed by the retention rule (ACCESS_LOG_RETENTION_MONTHS):
    on PostgreSQL one month partition dropped, on SQLite one month's rows deleted. Kept for good,
    like the log itself: it is the proof of what was removed, when and by which rule."""

    removed_at = models.DateTimeField(_("borttagen"), auto_now_add=True)
    partition = models.CharField(_("partition"), max_length=100, blank=True)
    range_start = models.DateTimeField(_("från"))
    range_end = models.DateTimeField(_("till"))
    rows = models.BigIntegerField(_("antal poster"))
    rule = models.CharField(_("regel"), max_length=200)
    removed_by = models.CharField(_("utförd av"), max_length=150)

    class Meta:
        ordering = ["-removed_at", "-id"]
        verbose_name = _("borttagning ur åtkomstloggen")
        verbose_name_plural = _("borttagningar ur åtkomstloggen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(range_start__lt=models.F("range_end")), name="removal_range_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.range_start:%Y-%m} {self.rows}"
