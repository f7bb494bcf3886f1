"""Who evaluates or leads which project, what they may take out, and the evaluator's figures.

Evaluators see no person: their pages show projects, counts (under the small-cell rule), their
dataset exports and survey results. An evaluator's projects are those where they have the project
role "Utvärderare"; a project leader's those where they have "Projektledare" (a coach, a partner or
an administrator has neither, and gets 403 on these pages).
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.accounts.models import ProjectRole, Role, User
from vagval.assessments.selectors import cohort_projects
from vagval.common.errors import NotFound, PermissionDenied
from vagval.common.smallcell import is_small, small_cell
from vagval.evaluation.models import DatasetExport, ExportStatus, SurveyAnswer, SurveyInvitation, SurveyRound
from vagval.evaluation.survey import QUESTIONS, Question
from vagval.organisations.models import Project
from vagval.people.models import Enrolment

EXPORT_NOT_FOUND = gettext_lazy("Datauttaget finns inte eller så saknar du behörighet.")
ROUND_NOT_FOUND = gettext_lazy("Enkäten finns inte eller så saknar du behörighet.")
PROJECT_NOT_FOUND = gettext_lazy("Projektet finns inte eller så saknar du behörighet.")


def evaluated_projects(*, viewer: User) -> QuerySet[Project]:
    """Projects where the viewer has the project role of evaluator."""
    return Project.objects.filter(
        pk__in=ProjectRole.objects.filter(user=viewer, role=Role.EVALUATOR).values("project_id")
    ).order_by("name")


def led_projects(*, viewer: User) -> QuerySet[Project]:
    """Projects where the viewer is project leader (the same rule as the cohort view)."""
    return cohort_projects(viewer=viewer)


def is_evaluator(*, viewer: User) -> bool:
    """An evaluator by role at their unit or by an evaluator role in some project."""
    if not viewer.is_active:
        return False
    return viewer.role == Role.EVALUATOR or evaluated_projects(viewer=viewer).exists()


def require_evaluator(*, viewer: User) -> None:
    if not is_evaluator(viewer=viewer):
        raise PermissionDenied(_("Sidan är till för utvärderare."))


def evaluator_project(*, viewer: User, project_id: uuid.UUID) -> Project:
    """A project the viewer evaluates; any other is NotFound (the same as no project)."""
    require_evaluator(viewer=viewer)
    project = evaluated_projects(viewer=viewer).filter(pk=project_id).first()
    if project is None:
        raise NotFound(PROJECT_NOT_FOUND)
    return project


def may_see_project_results(*, viewer: User, project: Project) -> bool:
    """The project leader and the evaluators of the project (survey results, exports)."""
    if not viewer.is_active:
        return False
    return ProjectRole.objects.filter(
        user=viewer, project=project, role__in=[Role.EVALUATOR, Role.PROJECT_LEADER]
    ).exists()


def is_project_leader_of(*, viewer: User, project: Project) -> bool:
    return viewer.is_active and led_projects(viewer=viewer).filter(pk=project.pk).exists()


@dataclass(frozen=True)
class ProjectCard:
    project: Project
    participants: str  # under the small-cell rule
    exports: list[DatasetExport]
    rounds: list[SurveyRound]


def evaluator_start(*, viewer: User) -> list[ProjectCard]:
    """The evaluator's start page: each project they evaluate, its size, their exports and survey rounds."""
    require_evaluator(viewer=viewer)
    cards = []
    for project in evaluated_projects(viewer=viewer):
        participants = (
            Enrolment.objects.filter(project=project, person__merged_into__isnull=True)
            .values("person_id")
            .distinct()
            .count()
        )
        cards.append(
            ProjectCard(
                project=project,
                participants=small_cell(participants),
                exports=list(
                    DatasetExport.objects.filter(project=project, prepared_by=viewer).select_related("decided_by")[:10]
                ),
                rounds=list(SurveyRound.objects.filter(project=project)[:5]),
            )
        )
    return cards


def export_get(*, viewer: User, export_id: uuid.UUID) -> DatasetExport:
    """An export the viewer may see: its project's evaluators and project leaders; else NotFound."""
    export = DatasetExport.objects.select_related("project", "prepared_by", "decided_by").filter(pk=export_id).first()
    if export is None or not may_see_project_results(viewer=viewer, project=export.project):
        raise NotFound(EXPORT_NOT_FOUND)
    return export


def exports_awaiting_approval(*, viewer: User) -> list[DatasetExport]:
    """The project leader's page: exports of their projects, newest first, waiting ones on top."""
    projects = list(led_projects(viewer=viewer))
    if not projects and viewer.role != Role.PROJECT_LEADER:
        raise PermissionDenied(_("Sidan är till för projektledare."))
    exports = list(
        DatasetExport.objects.filter(project__in=projects).select_related("project", "prepared_by", "decided_by")[:50]
    )
    exports.sort(key=lambda e: e.status != ExportStatus.AWAITING_APPROVAL)
    return exports


# --- The partners' collaboration survey ----------------------------------------------------------


def leader_rounds(*, viewer: User) -> list[SurveyRound]:
    """The survey rounds of the projects the viewer leads."""
    return list(SurveyRound.objects.filter(project__in=led_projects(viewer=viewer)).select_related("project"))


def require_project_leader(*, viewer: User) -> None:
    if not viewer.is_active or (viewer.role != Role.PROJECT_LEADER and not led_projects(viewer=viewer).exists()):
        raise PermissionDenied(_("Sidan är till för projektledare."))


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    mean: str  # "–" when fewer than five answered it
    distribution: list[str]  # the count per scale step, under the small-cell rule


@dataclass(frozen=True)
class GroupResult:
    label: str
    answers: str  # under the small-cell rule
    shown: bool
    questions: list[QuestionResult]


@dataclass(frozen=True)
class OrganisationInvited:
    name: str
    invited: int
    answered: str


@dataclass(frozen=True)
class RoundResults:
    survey: SurveyRound
    answers: int
    reported: bool  # at least five answered: anything is shown
    total: GroupResult
    organisations: list[GroupResult]
    invited: list[OrganisationInvited]
    strengths: list[str]
    weaknesses: list[str]
    may_manage: bool


def _group(label: str, answers: list[SurveyAnswer]) -> GroupResult:
    shown = not is_small(len(answers))
    questions = []
    for question in QUESTIONS:
        values = [a.ratings[question.key] for a in answers if isinstance(a.ratings.get(question.key), int)]
        counts = Counter(values)
        enough = shown and not is_small(len(values))
        questions.append(
            QuestionResult(
                question=question,
                answered=len(values),
                mean=f"{sum(values) / len(values):.1f}".replace(".", ",") if enough else "–",
                distribution=[small_cell(counts[step]) if enough else "–" for step in range(1, 6)],
            )
        )
    return GroupResult(label=label, answers=small_cell(len(answers)), shown=shown, questions=questions)


def survey_results(*, viewer: User, round_id: uuid.UUID) -> RoundResults:
    """The results of a round for the project's leader and evaluators. Shown only when at least five
    answered (per organisation: that organisation's five); the free texts only for the whole round,
    in alphabetical order (never in the order given, never per organisation)."""
    survey = SurveyRound.objects.select_related("project").filter(pk=round_id).first()
    if survey is None or not may_see_project_results(viewer=viewer, project=survey.project):
        raise NotFound(ROUND_NOT_FOUND)
    summary = survey_summary(survey=survey)
    invited: dict[str, list[bool]] = defaultdict(list)
    for name, used in SurveyInvitation.objects.filter(round=survey).values_list("organisation__name", "used"):
        invited[name].append(used)
    return RoundResults(
        survey=survey,
        answers=summary.answers,
        reported=summary.reported,
        total=summary.total,
        organisations=summary.organisations,
        invited=[
            OrganisationInvited(name=name, invited=len(flags), answered=small_cell(sum(flags)))
            for name, flags in sorted(invited.items())
        ],
        strengths=summary.strengths,
        weaknesses=summary.weaknesses,
        may_manage=is_project_leader_of(viewer=viewer, project=survey.project),
    )


@dataclass(frozen=True)
class SurveySummary:
    answers: int
    reported: bool
    total: GroupResult
    organisations: list[GroupResult]
    strengths: list[str]
    weaknesses: list[str]


def survey_summary(*, survey: SurveyRound) -> SurveySummary:
    """A round's results under the anonymity rules (the caller has decided who may see them): the
    results page above and the steering-group report."""
    answers = list(SurveyAnswer.objects.filter(round=survey).select_related("organisation"))
    by_org: dict[str, list[SurveyAnswer]] = defaultdict(list)
    for answer in answers:
        by_org[answer.organisation.name].append(answer)
    reported = not is_small(len(answers))
    return SurveySummary(
        answers=len(answers),
        reported=reported,
        total=_group(_("Alla svar"), answers),
        organisations=[_group(name, group) for name, group in sorted(by_org.items())] if reported else [],
        strengths=sorted(a.strengths for a in answers if a.strengths) if reported else [],
        weaknesses=sorted(a.weaknesses for a in answers if a.weaknesses) if reported else [],
    )
