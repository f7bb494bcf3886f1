"""Writes of the evaluation app: preparing, running, deciding on and downloading dataset exports.

Preparing is the evaluator's act (the request logs nothing person-level yet; the worker builds the
file and logs one "evaluation.dataset_prepared" per person in it, as the evaluator). Releasing needs
the project leader's approval ("evaluation.dataset_approved" per person, as the project leader), and
every download by the evaluator logs "evaluation.dataset_downloaded" per person. The basis of these
entries is "administration": the evaluator reads no person's record, only the project's pseudonymised
data, on the project leader's decision.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.accounts.models import User
from vagval.assessments.links import MAX_TOKEN_LENGTH, LinkRefused, new_token, token_hash
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.evaluation import dataset
from vagval.evaluation.models import (
    DatasetExport,
    ExportFormat,
    ExportStatus,
    SurveyAnswer,
    SurveyInvitation,
    SurveyRound,
)
from vagval.evaluation.selectors import (
    EXPORT_NOT_FOUND,
    PROJECT_NOT_FOUND,
    ROUND_NOT_FOUND,
    evaluator_project,
    export_get,
    is_project_leader_of,
    led_projects,
)
from vagval.evaluation.survey import QUESTION_KEYS
from vagval.organisations.models import Project

PROGRESS_EVERY = 5000
# The file's kind (its suffix, and its type in common.http.download_response).
SUFFIXES = {ExportFormat.CSV: "zip", ExportFormat.XLSX: "xlsx"}


def export_prepare(*, ctx: AccessContext, project_id: uuid.UUID, file_format: str) -> DatasetExport:
    """The evaluator asks for a dataset of a project they evaluate; the worker builds it."""
    from vagval.evaluation.tasks import dataset_export_enqueue  # the task module imports this one

    viewer = ctx.user
    project = evaluator_project(viewer=viewer, project_id=project_id)
    if not viewer.can_write:
        raise PermissionDenied(_("Du har bara läsbehörighet."))
    if file_format not in ExportFormat.values:
        raise InvalidInput(_("Välj ett format."), field_errors={"file_format": [_("Välj CSV eller Excel.")]})
    with transaction.atomic():
        export = DatasetExport.objects.create(
            project=project, file_format=file_format, prepared_by=viewer, client_address=ctx.client_address[:45]
        )
        access_log_record(
            ctx=ctx,
            action="evaluation.dataset_requested",
            basis=AccessBasis.ADMINISTRATION,
            detail={"export": str(export.pk), "project": str(project.pk), "format": file_format},
        )
        dataset_export_enqueue(export_id=export.pk)
    return export


def export_run(*, export_id: uuid.UUID) -> DatasetExport:
    """Build the file (the worker's part), with progress saved every PROGRESS_EVERY rows.

    The log entries (one per person in the file, as the evaluator who asked) are written in the
    same transaction as the finished file's status, so the file never exists unlogged."""
    export = DatasetExport.objects.select_related("project", "prepared_by").get(pk=export_id)
    if export.status != ExportStatus.QUEUED:
        return export  # run twice (a retried task): the first run decided
    DatasetExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING)
    built = dataset.dataset_build(project=export.project)
    DatasetExport.objects.filter(pk=export.pk).update(rows_total=built.rows_total)

    def progress(done: int) -> None:
        DatasetExport.objects.filter(pk=export.pk).update(rows_done=min(done, built.rows_total))

    writer = dataset.write_csv_zip if export.file_format == ExportFormat.CSV else dataset.write_xlsx
    content = writer(built, progress, PROGRESS_EVERY)
    ctx = AccessContext(user=export.prepared_by, client_address=export.client_address)
    with transaction.atomic():
        export = DatasetExport.objects.select_for_update().get(pk=export.pk)
        export.file.save(f"{export.pk}.{SUFFIXES[ExportFormat(export.file_format)]}", ContentFile(content), save=False)
        export.person_ids = [str(p) for p in built.person_ids]
        export.rows_total = export.rows_done = built.rows_total
        export.status = ExportStatus.AWAITING_APPROVAL
        export.finished_at = timezone.now()
        export.save()
        _log_persons(ctx=ctx, export=export, action="evaluation.dataset_prepared")
    return export


def export_mark_failed(*, export_id: uuid.UUID) -> None:
    """A crashed build: the page stops waiting and says so. Nothing was logged or released."""
    DatasetExport.objects.filter(pk=export_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
        status=ExportStatus.FAILED, error=_("Uttaget kunde inte tas fram. Försök igen."), finished_at=timezone.now()
    )


def _log_persons(*, ctx: AccessContext, export: DatasetExport, action: str) -> int:
    return access_log_record_many(
        ctx=ctx,
        action=action,
        grants=[(uuid.UUID(p), AccessBasis.ADMINISTRATION, None) for p in export.person_ids],
        detail={"export": str(export.pk), "project": str(export.project_id)},
    )


def export_decide(*, ctx: AccessContext, export_id: uuid.UUID, approve: bool) -> DatasetExport:
    """The project leader approves (releases) or rejects a finished export of their project."""
    viewer = ctx.user
    with transaction.atomic():
        export = export_get(viewer=viewer, export_id=export_id)
        if not is_project_leader_of(viewer=viewer, project=export.project):
            raise PermissionDenied(_("Bara projektledaren kan godkänna ett datauttag."))
        if not viewer.can_write:
            raise PermissionDenied(_("Du har bara läsbehörighet."))
        export = DatasetExport.objects.select_for_update().select_related("project").get(pk=export.pk)
        if export.status != ExportStatus.AWAITING_APPROVAL:
            raise InvalidInput(_("Uttaget väntar inte på ett beslut."))
        export.status = ExportStatus.APPROVED if approve else ExportStatus.REJECTED
        export.decided_by = viewer
        export.decided_at = timezone.now()
        export.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        if approve:
            _log_persons(ctx=ctx, export=export, action="evaluation.dataset_approved")
        else:
            access_log_record(
                ctx=ctx,
                action="evaluation.dataset_rejected",
                basis=AccessBasis.ADMINISTRATION,
                detail={"export": str(export.pk), "project": str(export.project_id)},
            )
            export.file.delete(save=False)  # a refused file is not kept
            export.save(update_fields=["file"])
    return export


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    kind: str  # "zip" or "xlsx"


def export_download(*, ctx: AccessContext, export_id: uuid.UUID) -> ExportFile:
    """The evaluator who prepared an approved export takes it out; one entry per person in it."""
    viewer = ctx.user
    export = export_get(viewer=viewer, export_id=export_id)
    if export.prepared_by_id != viewer.pk:
        raise NotFound(EXPORT_NOT_FOUND)
    if export.status != ExportStatus.APPROVED or not export.file:
        raise PermissionDenied(_("Uttaget kan hämtas först när projektledaren har godkänt det."))
    with transaction.atomic():
        _log_persons(ctx=ctx, export=export, action="evaluation.dataset_downloaded")
        with export.file.open("rb") as handle:
            content = handle.read()
    file_format = ExportFormat(export.file_format)
    # The file name names the export's date and id: never a person, never the project's name as typed.
    return ExportFile(
        content=content,
        filename=f"utvarderingsdata-{export.created_at:%Y-%m-%d}-{str(export.pk)[:8]}.{SUFFIXES[file_format]}",
        kind=SUFFIXES[file_format],
    )


# --- The partners' collaboration survey ----------------------------------------------------------

MAX_LINKS = 200


def _led_project(*, viewer: User, project_id: uuid.UUID) -> Project:
    project = led_projects(viewer=viewer).filter(pk=project_id).first()
    if project is None:
        raise NotFound(PROJECT_NOT_FOUND)
    if not viewer.can_write:
        raise PermissionDenied(_("Du har bara läsbehörighet."))
    return project


def survey_round_create(*, ctx: AccessContext, project_id: uuid.UUID, title: str, closes_on: dt.date) -> SurveyRound:
    """The project leader starts a round of the collaboration survey in their project."""
    project = _led_project(viewer=ctx.user, project_id=project_id)
    title = title.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Skriv en rubrik.")]
    if closes_on < timezone.localdate():
        errors["closes_on"] = [_("Sista svarsdag kan inte ha passerat.")]
    if errors:
        raise InvalidInput(_("Rätta uppgifterna."), field_errors=errors)
    with transaction.atomic():
        survey = SurveyRound.objects.create(project=project, title=title, closes_on=closes_on, created_by=ctx.user)
        access_log_record(
            ctx=ctx,
            action="evaluation.survey_round_created",
            basis=AccessBasis.ADMINISTRATION,
            detail={"round": str(survey.pk), "project": str(project.pk)},
        )
    return survey


def survey_round_for_leader(*, viewer: User, round_id: uuid.UUID) -> SurveyRound:
    survey = SurveyRound.objects.select_related("project").filter(pk=round_id).first()
    if survey is None or not is_project_leader_of(viewer=viewer, project=survey.project):
        raise NotFound(ROUND_NOT_FOUND)
    return survey


def survey_links_create(
    *, ctx: AccessContext, round_id: uuid.UUID, organisation_id: uuid.UUID, count: int
) -> list[str]:
    """New personal links for people at one of the project's organisations. The tokens are returned
    once, to be sent by the project leader; only their hashes are kept."""
    survey = survey_round_for_leader(viewer=ctx.user, round_id=round_id)
    if not ctx.user.can_write:
        raise PermissionDenied(_("Du har bara läsbehörighet."))
    organisation = survey.project.organisations.filter(pk=organisation_id).first()
    errors: dict[str, list[str]] = {}
    if organisation is None:
        errors["organisation"] = [_("Välj en av projektets organisationer.")]
    if not 1 <= count <= MAX_LINKS:
        errors["count"] = [_("Antalet länkar ska vara mellan 1 och %(max)s.") % {"max": MAX_LINKS}]
    if survey.closed_at is not None or survey.closes_on < timezone.localdate():
        errors["__all__"] = [_("Enkäten är stängd.")]
    if errors:
        raise InvalidInput(_("Rätta uppgifterna."), field_errors=errors)
    tokens = [new_token() for _i in range(count)]
    with transaction.atomic():
        SurveyInvitation.objects.bulk_create(
            SurveyInvitation(round=survey, organisation=organisation, token_hash=token_hash(t)) for t in tokens
        )
        access_log_record(
            ctx=ctx,
            action="evaluation.survey_links_created",
            basis=AccessBasis.ADMINISTRATION,
            detail={"round": str(survey.pk), "organisation": str(organisation_id), "count": count},
        )
    return tokens


def survey_invitation_for_token(*, token: str) -> SurveyInvitation:
    """The invitation behind a link, or LinkRefused (unknown, used, or the round is closed)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkRefused("unknown")
    invitation = (
        SurveyInvitation.objects.select_related("round__project", "organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise LinkRefused("unknown")
    if invitation.used:
        raise LinkRefused("used")
    if invitation.round.closed_at is not None or invitation.round.closes_on < timezone.localdate():
        raise LinkRefused("expired")
    return invitation


def survey_submit(*, token: str, ratings: dict[str, int], strengths: str, weaknesses: str) -> None:
    """Save one anonymous answer and spend the link, in one transaction.

    Nothing is logged about the answer and nothing ties it to the link or the moment: the access
    log would otherwise be the key from a respondent to their answer (docs/ARCHITECTURE.md)."""
    unknown = set(ratings) - QUESTION_KEYS
    if unknown or any(not 1 <= value <= 5 for value in ratings.values()):
        raise InvalidInput(_("Svaren kunde inte tolkas."))
    with transaction.atomic():
        invitation = survey_invitation_for_token(token=token)
        spent = SurveyInvitation.objects.filter(pk=invitation.pk, used=False).update(used=True)
        if not spent:  # answered in another tab meanwhile
            raise LinkRefused("used")
        SurveyAnswer.objects.create(
            round=invitation.round,
            organisation=invitation.organisation,
            ratings=ratings,
            strengths=strengths.strip()[:2000],
            weaknesses=weaknesses.strip()[:2000],
        )
