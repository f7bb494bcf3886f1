"""Reads for the data-protection pages: rules, dry runs, the deletion log, holds, extracts made.
None of them shows a person's name or number: holds name the record by a pseudonymous reference."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vagval.dataprotection.models import (
    DeletionLogEntry,
    LegalHold,
    RecordType,
    RegisterExtract,
    RetentionReview,
    RetentionRule,
    ReviewStatus,
)
from vagval.dataprotection.retention_selectors import Kept, pseudonymous_ref


def rule_list() -> QuerySet[RetentionRule]:
    return RetentionRule.objects.select_related("organisation").order_by("organisation__name", "record_type")


KEPT_LABELS = {
    Kept.HOLD: _("Gallringsstopp"),
    Kept.RESEARCH: _("Forskningsundantaget (född den 5, 15 eller 25)"),
    Kept.OTHER_RECORDS: _("Andra uppgifter om personen finns kvar"),
}


def review_view(review: RetentionReview) -> dict[str, Any]:
    return {
        "kept": [(KEPT_LABELS.get(code, code), count) for code, count in sorted(review.kept.items())],
        # The access log's rule needs no approval: whole months go by the partitioning's own job
        # (access_log_retention); its dry run only counts.
        "approvable": review.status == ReviewStatus.AWAITING
        and review.rule_version == review.rule.updated_at
        and review.rule.record_type != RecordType.ACCESS_LOG,
        "shown": len(review.sample),
    }


def deletion_log() -> QuerySet[DeletionLogEntry]:
    return DeletionLogEntry.objects.order_by("-at")[:500]  # type: ignore[return-value]


def hold_list() -> list[dict[str, Any]]:
    rows = LegalHold.objects.filter(lifted_at__isnull=True).select_related("person__unit", "placed_by")
    return [
        {
            "pk": hold.pk,
            "ref": pseudonymous_ref(hold.person_id),
            "unit": str(hold.person.unit) if hold.person.unit else "–",
            "reason": hold.reason,
            "placed_by": str(hold.placed_by),
            "placed_at": hold.created_at,
        }
        for hold in rows
    ]


def extract_list() -> QuerySet[RegisterExtract]:
    return RegisterExtract.objects.select_related("made_by").order_by("-created_at")[:20]  # type: ignore[return-value]
