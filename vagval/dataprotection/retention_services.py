"""Retention (gallring): saving rules, dry runs, approval, the worker's run, legal holds.

Every change writes its access-log entry in the same transaction. The run deletes in batches of
BATCH persons, each batch in one transaction with its access-log entries and its deletion-log
entry: a failure halfway rolls that batch back whole and stops the run (earlier batches stay
done and logged).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access.scope import Scope
from vagval.accounts.models import Role, User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.dataprotection import records
from vagval.dataprotection.models import (
    DeletionLogEntry,
    LegalHold,
    RecordType,
    RetentionReview,
    RetentionRule,
    ReviewStatus,
)
from vagval.dataprotection.retention_selectors import (
    ANONYMISED_NAME,
    Candidate,
    DryRun,
    dry_run,
    sample,
)
from vagval.organisations.models import Organisation
from vagval.people.models import IdentityType, Person, PersonChange

BATCH = 200


def _require_admin(ctx: AccessContext) -> None:
    if ctx.user.role != Role.ADMIN or not ctx.user.is_active:
        raise PermissionDenied(_("Bara administratörer kan ändra gallringen."))


@dataclass(frozen=True)
class RuleData:
    organisation: Organisation
    record_type: str
    years_after_last_entry: int
    months_after_entry: int | None
    by_end_of_following_year: bool
    keep_while_other_records: bool
    research_exception: bool
    decision_reference: str
    active: bool


def rule_save(*, ctx: AccessContext, data: RuleData, rule: RetentionRule | None = None) -> RetentionRule:
    """Create or change a rule. A change makes every dry run of it not yet carried out stale."""
    _require_admin(ctx)
    if (
        rule is None
        and RetentionRule.objects.filter(organisation=data.organisation, record_type=data.record_type).exists()
    ):
        raise InvalidInput(
            _("Regeln finns redan."),
            field_errors={"record_type": [_("Organisationen har redan en regel för den typen av uppgifter.")]},
        )
    with transaction.atomic():
        rule = rule or RetentionRule()
        for name, value in vars(data).items():
            setattr(rule, name, value)
        rule.changed_by = ctx.user
        rule.save()
        rule.reviews.filter(status__in=[ReviewStatus.AWAITING, ReviewStatus.APPROVED]).update(status=ReviewStatus.STALE)
        access_log_record(
            ctx=ctx,
            action="retention.rule_saved",
            basis=AccessBasis.ADMINISTRATION,
            detail={"rule": str(rule.pk), "decision": rule.decision_reference},
        )
    return rule


def review_create(*, ctx: AccessContext, rule: RetentionRule, as_of: dt.date | None = None) -> RetentionReview:
    """A dry run of `rule` as of today: counted, a sample of the reasons kept, nothing removed."""
    _require_admin(ctx)
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    result = dry_run(rule=rule, as_of=as_of)
    rows = [
        vars(row) | {k: str(v) for k, v in vars(row).items() if isinstance(v, dt.date)} for row in sample(result=result)
    ]
    with transaction.atomic():
        review = RetentionReview.objects.create(
            rule=rule,
            rule_version=rule.updated_at,
            as_of=as_of,
            count=result.count,
            kept=dict(result.kept),
            sample=rows,
            made_by=ctx.user,
            seconds=time.perf_counter() - started,
        )
        access_log_record(
            ctx=ctx,
            action="retention.dry_run",
            basis=AccessBasis.ADMINISTRATION,
            detail={"rule": str(rule.pk), "review": str(review.pk), "count": str(result.count)},
        )
    return review


def review_approve(*, ctx: AccessContext, review: RetentionReview) -> RetentionReview:
    """Let the worker carry out this dry run (the "asks first" step)."""
    _require_admin(ctx)
    with transaction.atomic():
        review = RetentionReview.objects.select_for_update().select_related("rule").get(pk=review.pk)
        if review.rule.record_type == RecordType.ACCESS_LOG:
            raise InvalidInput(_("Åtkomstloggen gallras månad för månad utan godkännande."))
        if review.status != ReviewStatus.AWAITING or review.rule_version != review.rule.updated_at:
            raise InvalidInput(_("Provkörningen är inte längre aktuell. Gör en ny provkörning."))
        review.status = ReviewStatus.APPROVED
        review.approved_by = ctx.user
        review.approved_at = timezone.now()
        review.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        access_log_record(
            ctx=ctx,
            action="retention.approved",
            basis=AccessBasis.ADMINISTRATION,
            detail={"rule": str(review.rule_id), "review": str(review.pk), "count": str(review.count)},
        )
    return review


@dataclass(frozen=True)
class RunSummary:
    deleted: int = 0
    anonymised: int = 0
    stale: bool = False


def review_carry_out(*, ctx: AccessContext, review: RetentionReview) -> RunSummary:
    """Remove what the approved dry run listed (recomputed as of its day, so a hold placed since
    or a new entry keeps the record). Stale instead when the rule changed or more became due."""
    rule = RetentionRule.objects.get(pk=review.rule_id)
    result = dry_run(rule=rule, as_of=review.as_of)
    if rule.updated_at != review.rule_version or result.count > review.count or not rule.active:
        RetentionReview.objects.filter(pk=review.pk).update(status=ReviewStatus.STALE)
        return RunSummary(stale=True)
    deleted = anonymised = 0
    for start in range(0, len(result.due), BATCH):
        d, a = _remove_batch(ctx=ctx, result=result, review=review, batch=result.due[start : start + BATCH])
        deleted, anonymised = deleted + d, anonymised + a
    RetentionReview.objects.filter(pk=review.pk).update(status=ReviewStatus.DONE, updated_at=timezone.now())
    return RunSummary(deleted=deleted, anonymised=anonymised)


def _remove_batch(
    *, ctx: AccessContext, result: DryRun, review: RetentionReview, batch: list[Candidate]
) -> tuple[int, int]:
    """One transaction: the rows, the person records, the access-log and deletion-log entries."""
    rule = result.rule
    anonymise = [c.person_id for c in batch if c.anonymise]
    delete_person = [c.person_id for c in batch if not c.anonymise and not c.keep_person]
    removed: Counter[str] = Counter()
    with transaction.atomic():
        for label in records.deletion_order():
            kind = records.kind(label)
            if kind.record_type != rule.record_type or label in records.NEVER_REMOVED:
                continue
            ids = [c.person_id for c in batch if not (kind.statistics and c.statistics)]
            if ids:
                count, _by_model = kind.model._default_manager.filter(person_id__in=ids).delete()
                if count:
                    removed[label] += count
        if anonymise:
            removed["people.Person (avidentifierad)"] += _anonymise(anonymise)
        if delete_person:
            Person.objects.filter(merged_into_id__in=delete_person).delete()
            removed["people.Person"] += Person.objects.filter(pk__in=delete_person).delete()[1].get("people.Person", 0)
        detail = {"rule": str(rule.pk), "decision": rule.decision_reference}
        for action, ids in (("retention.person_anonymised", anonymise), ("retention.person_deleted", delete_person)):
            access_log_record_many(
                ctx=ctx, action=action, grants=[(pid, AccessBasis.ADMINISTRATION, None) for pid in ids], detail=detail
            )
        kept_only = [c.person_id for c in batch if c.keep_person and not c.anonymise]
        access_log_record_many(
            ctx=ctx,
            action="retention.person_deleted",
            grants=[(pid, AccessBasis.ADMINISTRATION, None) for pid in kept_only],
            detail=detail | {"record_type": rule.record_type},
        )
        DeletionLogEntry.objects.create(
            rule=rule,
            review=review,
            record_type=rule.record_type,
            organisation_name=str(rule.organisation),
            decision_reference=rule.decision_reference,
            deleted=len(batch) - len(anonymise),
            anonymised=len(anonymise),
            rows=dict(removed),
        )
    return len(batch) - len(anonymise), len(anonymise)


def _anonymise(person_ids: list[uuid.UUID]) -> int:
    """Keep the record for the statistics (ESF+ and follow-up rows), without who it was: no
    name, number, contact details or day of birth (the year stays, for age groups)."""
    PersonChange.objects.filter(person_id__in=person_ids).delete()
    count = 0
    for person in Person.objects.filter(pk__in=person_ids):
        person.first_name, person.last_name = ANONYMISED_NAME, ""
        person.id_type, person.id_number = IdentityType.NONE, None
        person.address = person.postal_code = person.city = person.phone = person.email = ""
        if person.birth_date:
            person.birth_date = dt.date(person.birth_date.year, 1, 1)
        person.save()
        count += 1
    return count


def retention_run_due(*, ctx: AccessContext, today: dt.date) -> str:
    """The worker's job: carry out every approved dry run, then the access log's retention."""
    from vagval.dataprotection.access_log_retention import access_log_cutoff, access_log_expire

    deleted = anonymised = stale = 0
    approved = RetentionReview.objects.filter(status=ReviewStatus.APPROVED).exclude(
        rule__record_type=RecordType.ACCESS_LOG
    )
    for review in approved.order_by("approved_at"):
        summary = review_carry_out(ctx=ctx, review=review)
        deleted, anonymised, stale = deleted + summary.deleted, anonymised + summary.anonymised, stale + summary.stale
    parts = [f"{deleted} gallrade, {anonymised} avidentifierade, {stale} inaktuella provkörningar"]
    before = access_log_cutoff(as_of=today)
    if before is not None:
        parts.append(access_log_expire(before, ctx=ctx))
    return "; ".join(parts)


# --- Legal holds ----------------------------------------------------------------------------------


def hold_place(*, scope: Scope, id_number: str, reason: str) -> list[LegalHold]:
    """A legal hold on every unit's record of the person (the data-protection officer only),
    each record logged with the basis "registerutdrag" and the reason."""
    if not reason.strip():
        raise InvalidInput(_("Ange skälet."), field_errors={"reason": [_("Ange skälet till gallringsstoppet.")]})
    with transaction.atomic():
        shown = scope.records_by_number(id_number, action="retention.hold_placed", detail={"reason": reason})
        if not shown:
            raise InvalidInput(
                _("Ingen person hittades."), field_errors={"id_number": [_("Vägval har inga uppgifter om numret.")]}
            )
        return [LegalHold.objects.create(person=s.person, reason=reason, placed_by=scope.actor) for s in shown]


def hold_lift(*, scope: Scope, hold_id: uuid.UUID) -> LegalHold:
    """Lift a hold (logged for the person record it was on)."""
    if scope.actor.role != Role.DATA_PROTECTION or not scope.actor.is_active:
        raise PermissionDenied(_("Bara dataskyddsombudet kan häva ett gallringsstopp."))
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id, lifted_at__isnull=True).first()
        if hold is None:
            raise NotFound(_("Gallringsstoppet finns inte eller är redan hävt."))
        hold.lifted_at, hold.lifted_by = timezone.now(), scope.actor
        hold.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
        access_log_record(
            ctx=scope.ctx,
            action="retention.hold_lifted",
            person_id=hold.person_id,
            basis=AccessBasis.REGISTER_EXTRACT,
            detail={"hold": str(hold.pk)},
        )
    return hold


def deletion_log_admin_check(user: User) -> bool:
    return user.is_active and user.role in (Role.ADMIN, Role.DATA_PROTECTION)
