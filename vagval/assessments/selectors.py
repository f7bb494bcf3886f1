"""Reads of instruments, responses, links and progress, each taking the viewer (or the link token).

Who sees which responses:
- the viewer's own unit: every response recorded at that unit, when the person is enrolled there;
- another unit's responses: only while a valid consent documented by the recording unit names the
  viewer's unit and covers "kartlaggningar" (ordinary instruments) or "kansliga_kartlaggningar"
  (health and needs instruments), and never for a person with protected personal data.
A viewer whose access to the person covers neither category gets 404 on the person's pages.

Sensitive instruments are never shown in the KAA register: nothing here feeds it, and a future
KAA register must filter on Instrument.sensitive.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.checks import PersonAccess, disclosures_to_unit, own_unit_id
from vagval.access.scope import scope_for
from vagval.accounts.models import ProjectRole, Role, User
from vagval.assessments.definitions import Definition, Item, Section, answer_display, definition_of
from vagval.assessments.links import MAX_TOKEN_LENGTH, LinkRefused, token_hash
from vagval.assessments.models import (
    AssessmentLink,
    Instrument,
    InstrumentVersion,
    Respondent,
    Response,
    ResponseContext,
)
from vagval.assessments.progress import (
    RULES,
    InstrumentProgress,
    ScoredResponse,
    closer_to_labour_market,
    instrument_progress,
    progress_rule,
)
from vagval.assessments.services import link_log
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import NotFound, PermissionDenied
from vagval.common.smallcell import share_withheld, small_cell
from vagval.common.sql import hex_key, query_rows, reader
from vagval.consent.models import ConsentCategory
from vagval.organisations.models import Project
from vagval.people.models import Enrolment, Gender, Person

PERSON_NOT_FOUND = gettext_lazy("Personen finns inte eller så saknar du behörighet.")
RESPONSE_NOT_FOUND = gettext_lazy("Svaret finns inte eller så saknar du behörighet.")
LINK_NOT_FOUND = gettext_lazy("Länken finns inte eller så saknar du behörighet.")
PURPOSE = "casework"  # the scope's purpose for the mapping pages
DISTANCE_INSTRUMENT = "vagen-framat"
MAPPING_CATEGORIES = (ConsentCategory.MAPPINGS, ConsentCategory.SENSITIVE_MAPPINGS)


def _person_with_access(*, viewer: User, person_id: uuid.UUID) -> tuple[Person, PersonAccess]:
    shown = scope_for(AccessContext(user=viewer), PURPOSE).person(
        person_id, action=None, related=(), not_found=PERSON_NOT_FOUND
    )
    person, access = shown.person, shown.access
    if access.basis != AccessBasis.OWN_UNIT and not any(access.may_see(c) for c in MAPPING_CATEGORIES):
        # A partner whose consent covers no mappings may not know whether any exist.
        raise NotFound(PERSON_NOT_FOUND)
    return person, access


def _sharing_consents(*, viewer: User, person: Person) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
    """(Recording unit, category) → the newest valid consent documented there that opens it to the viewer."""
    if person.is_protected or viewer.unit_id is None:
        return {}
    sharing: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
    for disclosure in disclosures_to_unit(person_id=person.pk, unit_id=viewer.unit_id):
        for category in MAPPING_CATEGORIES:
            if category in disclosure.categories:
                sharing.setdefault((disclosure.from_unit_id, category), disclosure.consent_id)
    return sharing


def _visible_q(*, viewer: User, access: PersonAccess, sharing: dict[tuple[uuid.UUID, str], uuid.UUID]) -> Q:
    q = Q(pk__in=[])
    if access.basis == AccessBasis.OWN_UNIT:
        q |= Q(unit_id=viewer.unit_id)
    for unit_id, category in sharing:
        q |= Q(unit_id=unit_id, instrument__sensitive=category == ConsentCategory.SENSITIVE_MAPPINGS)
    return q


def _shared_under(
    response: Response, viewer: User, sharing: dict[tuple[uuid.UUID, str], uuid.UUID]
) -> uuid.UUID | None:
    if response.unit_id == viewer.unit_id:
        return None
    return sharing.get((response.unit_id, response.instrument.consent_category))


@dataclass(frozen=True)
class ResponseRow:
    response: Response
    shared_under: uuid.UUID | None


@dataclass(frozen=True)
class InstrumentChoice:
    instrument: Instrument
    definition: Definition

    @property
    def link_respondents(self) -> list[tuple[str, str]]:
        labels = dict(_respondent_choices())
        return [(r, labels[r]) for r in self.definition.link_respondents]


def _respondent_choices() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in Respondent.choices]


@dataclass(frozen=True)
class PersonAssessments:
    person: Person
    access: PersonAccess
    rows: list[ResponseRow]
    progress: list[InstrumentProgress]
    instruments: list[InstrumentChoice]
    links: list[AssessmentLink]
    rule: str
    rule_text: str

    @property
    def may_write(self) -> bool:
        return self.access.basis == AccessBasis.OWN_UNIT and self.access.can_write

    @property
    def own_unit(self) -> bool:
        return self.access.basis == AccessBasis.OWN_UNIT


def current_instruments() -> list[InstrumentChoice]:
    instruments = Instrument.objects.filter(current_version__isnull=False).select_related("current_version")
    return [
        InstrumentChoice(instrument=i, definition=definition_of(i.current_version))
        for i in instruments
        if i.current_version is not None
    ]


def _progress(rows: list[ResponseRow], rule: str) -> list[InstrumentProgress]:
    by_instrument: dict[uuid.UUID, list[Response]] = defaultdict(list)
    for row in rows:
        by_instrument[row.response.instrument_id].append(row.response)
    contexts = dict(ResponseContext.choices)
    result = []
    for responses in by_instrument.values():
        instrument = responses[0].instrument
        current = instrument.current_version or responses[-1].instrument_version
        progress = instrument_progress(
            definition=definition_of(current),
            responses=[
                ScoredResponse(
                    answered_on=r.answered_on, context_label=str(contexts.get(r.context, "")), scores=r.scores
                )
                for r in responses
            ],
            rule=rule,
        )
        if progress is not None:
            result.append(progress)
    return sorted(result, key=lambda p: (not p.distance_travelled, p.title))


def person_assessments(*, viewer: User, ctx: AccessContext, person_id: uuid.UUID) -> PersonAssessments:
    """The person's responses, progress and (for the own unit) links; logs assessment.viewed per basis."""
    person, access = _person_with_access(viewer=viewer, person_id=person_id)
    sharing = _sharing_consents(viewer=viewer, person=person)
    responses = list(
        Response.objects.filter(person=person)
        .filter(_visible_q(viewer=viewer, access=access, sharing=sharing))
        .select_related("instrument__current_version", "instrument_version", "filled_by", "unit__organisation")
        .order_by("answered_on", "submitted_at")
    )
    rows = [ResponseRow(response=r, shared_under=_shared_under(r, viewer, sharing)) for r in responses]
    own = access.basis == AccessBasis.OWN_UNIT
    links = (
        list(
            AssessmentLink.objects.filter(person=person, unit_id=own_unit_id(viewer))
            .select_related("instrument_version__instrument", "created_by")
            .order_by("-created_at")
        )
        if own
        else []
    )
    rule = progress_rule()
    page = PersonAssessments(
        person=person,
        access=access,
        rows=rows,
        progress=_progress(rows, rule),
        instruments=current_instruments() if own and access.can_write else [],
        links=links,
        rule=rule,
        rule_text=str(RULES[rule]),
    )
    _log_view(ctx=ctx, person=person, access=access, rows=rows, action="assessment.viewed")
    return page


def _log_view(
    *, ctx: AccessContext, person: Person, access: PersonAccess, rows: list[ResponseRow], action: str
) -> None:
    """One entry for the own unit and one per consent that disclosed a shown response."""
    consents = sorted({row.shared_under for row in rows if row.shared_under}, key=str)
    with transaction.atomic():
        if access.basis == AccessBasis.OWN_UNIT:
            own = sum(1 for row in rows if row.shared_under is None)
            access_log_record(ctx=ctx, action=action, person_id=person.pk, detail={"responses": own})
        elif not consents:
            category = next(c for c in MAPPING_CATEGORIES if access.may_see(c))
            access_log_record(
                ctx=ctx,
                action=action,
                person_id=person.pk,
                basis=AccessBasis.CONSENT,
                consent_id=access.consent_for(category),
                detail={"responses": 0},
            )
        for consent_id in consents:
            access_log_record(
                ctx=ctx,
                action=action,
                person_id=person.pk,
                basis=AccessBasis.CONSENT,
                consent_id=consent_id,
                detail={"responses": sum(1 for row in rows if row.shared_under == consent_id)},
            )


@dataclass(frozen=True)
class AnswerRow:
    item: Item
    text: str


@dataclass(frozen=True)
class SectionAnswers:
    section: Section
    answers: list[AnswerRow]
    score: float | None


@dataclass(frozen=True)
class ResponseView:
    response: Response
    person: Person
    access: PersonAccess
    definition: Definition
    sections: list[SectionAnswers]
    shared_under: uuid.UUID | None


def response_get(*, viewer: User, ctx: AccessContext, response_id: uuid.UUID) -> ResponseView:
    """One response the viewer may see, with every answer in words; logs assessment.response_viewed."""
    response = (
        Response.objects.select_related(
            "instrument", "instrument_version", "filled_by", "unit__organisation", "person", "link"
        )
        .filter(pk=response_id)
        .first()
    )
    if response is None:
        raise NotFound(RESPONSE_NOT_FOUND)
    try:
        person, access = _person_with_access(viewer=viewer, person_id=response.person_id)
    except NotFound:
        raise NotFound(RESPONSE_NOT_FOUND) from None
    sharing = _sharing_consents(viewer=viewer, person=person)
    own = access.basis == AccessBasis.OWN_UNIT and response.unit_id == viewer.unit_id
    shared_under = _shared_under(response, viewer, sharing)
    if not own and shared_under is None:
        raise NotFound(RESPONSE_NOT_FOUND)
    definition = definition_of(response.instrument_version)
    sections = [
        SectionAnswers(
            section=section,
            answers=[
                AnswerRow(item=item, text=answer_display(item, response.answers.get(section.key, {}).get(item.key)))
                for item in section.items
            ],
            score=response.scores.get(section.key),
        )
        for section in definition.sections
    ]
    access_log_record(
        ctx=ctx,
        action="assessment.response_viewed",
        person_id=person.pk,
        basis=AccessBasis.OWN_UNIT if own else AccessBasis.CONSENT,
        consent_id=None if own else shared_under,
        detail={"response": str(response.pk), "instrument": definition.slug},
    )
    return ResponseView(
        response=response,
        person=person,
        access=access,
        definition=definition,
        sections=sections,
        shared_under=None if own else shared_under,
    )


def person_for_writing(*, viewer: User, person_id: uuid.UUID) -> Person:
    """The person, for filling in a form or creating a link: NotFound unless visible,
    PermissionDenied unless the viewer writes at the person's own unit. Does not log; the service does."""
    person, access = _person_with_access(viewer=viewer, person_id=person_id)
    if access.basis != AccessBasis.OWN_UNIT or not access.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    return person


def instrument_for_filling(*, slug: str) -> tuple[Instrument, InstrumentVersion, Definition]:
    instrument = Instrument.objects.select_related("current_version").filter(slug=slug).first()
    if instrument is None or instrument.current_version is None:
        raise NotFound(_("Formuläret finns inte."))
    return instrument, instrument.current_version, definition_of(instrument.current_version)


def link_get(
    *, viewer: User, link_id: uuid.UUID, for_change: bool = False, ctx: AccessContext | None = None
) -> tuple[AssessmentLink, PersonAccess]:
    """A link made at the viewer's unit for a person they see there as their own unit's.

    PermissionDenied for read-only users when `for_change`. With `ctx`, logs assessment_link.viewed.
    """
    link = (
        AssessmentLink.objects.select_related("person", "instrument_version__instrument", "created_by", "unit")
        .filter(pk=link_id, unit_id=viewer.unit_id)
        .first()
        if viewer.unit_id
        else None
    )
    if link is None:
        raise NotFound(LINK_NOT_FOUND)
    access = scope_for(AccessContext(user=viewer), PURPOSE).admit(link.person, not_found=LINK_NOT_FOUND).access
    if access.basis != AccessBasis.OWN_UNIT:
        raise NotFound(LINK_NOT_FOUND)
    if for_change and not access.can_write:
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    if ctx is not None:
        access_log_record(
            ctx=ctx, action="assessment_link.viewed", person_id=link.person_id, detail={"link": str(link.pk)}
        )
    return link, access


# --- The public page behind a personal link ------------------------------------------------------


@dataclass(frozen=True)
class LinkView:
    link: AssessmentLink
    definition: Definition
    first_name: str


def link_for_token(*, token: str, client_address: str, log_opened: bool = True) -> LinkView:
    """The link behind a token, if it can still be used; logs assessment_link.opened.

    An expired, revoked or used link raises LinkRefused and is logged as assessment_link.refused
    with the reason. A token that matches no link (mistyped or tampered) raises LinkRefused("unknown")
    and logs nothing: there is no person to log it for.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkRefused("unknown")
    link = (
        AssessmentLink.objects.select_related("person", "instrument_version__instrument", "created_by__unit", "unit")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise LinkRefused("unknown")
    reason = link.refusal_reason()
    if reason is None and link.person.merged_into_id is not None:
        reason = "revoked"
    if reason is not None:
        link_log(link=link, client_address=client_address, action="assessment_link.refused", reason=reason)
        raise LinkRefused(reason)
    if log_opened:
        link_log(link=link, client_address=client_address, action="assessment_link.opened")
    return LinkView(link=link, definition=definition_of(link.instrument_version), first_name=link.person.first_name)


# --- Cohort view for project leaders -----------------------------------------------------------


def cohort_projects(*, viewer: User) -> QuerySet[Project]:
    """Projects where the viewer is project leader (a project role)."""
    return Project.objects.filter(
        pk__in=ProjectRole.objects.filter(user=viewer, role=Role.PROJECT_LEADER).values("project_id")
    ).order_by("name")


def may_see_cohort(*, viewer: User) -> bool:
    """Project leaders: by their role at their unit or a project-leader role in some project.

    Administrators are not let in on their role alone: they manage the system and need no results.
    """
    if not viewer.is_active:
        return False
    return viewer.role == Role.PROJECT_LEADER or cohort_projects(viewer=viewer).exists()


@dataclass(frozen=True)
class CohortRow:
    label: str
    participants: int
    assessed: int
    closer: int

    @property
    def participants_display(self) -> str:
        return small_cell(self.participants)

    @property
    def assessed_display(self) -> str:
        return small_cell(self.assessed)

    @property
    def closer_display(self) -> str:
        return small_cell(self.closer)

    @property
    def share(self) -> float | None:
        """Share of the assessed who moved closer; None (hidden) when either count is a small cell."""
        if share_withheld(self.closer, self.assessed):
            return None
        return self.closer / self.assessed

    @property
    def share_display(self) -> str:
        share = self.share
        return "–" if share is None else f"{round(share * 100)} %"


@dataclass(frozen=True)
class CohortTable:
    key: str
    title: str
    dimension: str
    rows: list[CohortRow]


@dataclass(frozen=True)
class CohortView:
    projects: list[Project]
    instrument_title: str
    tables: list[CohortTable]
    total: CohortRow
    rule: str
    rule_text: str


@dataclass
class _Group:
    participants: set[uuid.UUID] = field(default_factory=set)


def distance_outcomes(
    *, persons: Iterable[uuid.UUID] | QuerySet[Any], rule: str, on_date: dt.date | None = None
) -> tuple[dict[uuid.UUID, bool | None], str]:
    """Per person with at least two responses to the distance-travelled instrument (answered on
    or before `on_date`, when given): moved closer?

    `persons` is person ids, or a queryset of them (kept as a subquery: a big project's ids would
    pass SQLite's limit on query parameters). The cohort view and the targets use it; the
    steering-group report uses `distance_outcomes_by_key`, the same outcomes keyed by hex."""
    outcomes, title = distance_outcomes_by_key(persons=persons, rule=rule, on_date=on_date)
    return {uuid.UUID(key): closer for key, closer in outcomes.items()}, title


def distance_outcomes_by_key(
    *, persons: Iterable[uuid.UUID] | QuerySet[Any], rule: str, on_date: dt.date | None = None
) -> tuple[dict[str, bool | None], str]:
    """`distance_outcomes` keyed by the person id's 32 hex digits (`common.sql.hex_key`).

    The ratings are read without the ORM's per-row converters (a big project has hundreds of
    thousands: making a UUID of each id cost more than the query); only the scores are turned into
    Python, as the ORM would."""
    instrument = Instrument.objects.filter(slug=DISTANCE_INSTRUMENT).select_related("current_version").first()
    if instrument is None:
        return {}, _("Vägen framåt")
    directions: dict[str, dict[str, bool]] = {}
    for version in instrument.versions.all():
        definition = definition_of(version)
        directions[hex_key(version.pk)] = {
            s.key: s.scoring.higher_is_better for s in definition.scored_sections if s.scoring is not None
        }
    ratings = Response.objects.filter(instrument=instrument).filter(_rated_among(persons))
    if on_date is not None:
        ratings = ratings.filter(answered_on__lte=on_date)
    rows = query_rows(
        ratings.order_by("answered_on", "submitted_at").values_list("person_id", "instrument_version_id", "scores")
    )
    # Only each person's first and latest rating count: the rows come in date order.
    first: dict[str, Any] = {}
    latest: dict[str, tuple[Any, Any]] = {}
    for person_id, version_id, scores in rows:
        key = hex_key(person_id)
        if key in first:
            latest[key] = (version_id, scores)
        else:
            first[key] = scores
    read_scores = reader(Response, "scores")
    outcomes: dict[str, bool | None] = {}
    for key, (version_id, scores) in latest.items():
        outcomes[key] = closer_to_labour_market(
            first=read_scores(first[key]),
            latest=read_scores(scores),
            rule=rule,
            higher_is_better=directions.get(hex_key(version_id), {}),
        )
    return outcomes, instrument.title


def _rated_among(persons: Iterable[uuid.UUID] | QuerySet[Any]) -> Q | Exists:
    """Ratings of the given persons. A queryset of enrolments (a project's participants) is asked
    as EXISTS per rating: SQLite answers `IN (every enrolment)` by listing them all first, which
    cost a third more on a project of 300,000."""
    if isinstance(persons, QuerySet) and persons.model is Enrolment:
        return Exists(persons.filter(person_id=OuterRef("person_id")))
    return Q(person_id__in=persons if isinstance(persons, QuerySet) else list(persons))


def distance_rated_persons() -> QuerySet[Any]:
    """The ids of persons with a distance-travelled rating (a subquery): those `distance_outcomes`
    can say anything about, so that a report need not read the others."""
    return Response.objects.filter(instrument__slug=DISTANCE_INSTRUMENT).values("person_id")


def closer_outcomes(*, person_ids: Iterable[uuid.UUID], on_date: dt.date) -> dict[uuid.UUID, bool | None]:
    """The cohort view's rule for other figures (a project's targets): per person with at least two
    Vägen framåt ratings by `on_date`, whether they moved closer to the labour market. Counts are
    the caller's to show; who may see them is the caller's check."""
    return distance_outcomes(persons=person_ids, rule=progress_rule(), on_date=on_date)[0]


def cohort_progress(*, viewer: User, ctx: AccessContext) -> CohortView:
    """Share of participants who moved closer (first vs latest Vägen framåt), by project,
    municipality (of the unit they are enrolled at), method and gender. Counts only: no names,
    and counts under 5 are shown as "<5" with the share hidden. A participant enrolled in several
    projects, municipalities or methods counts once in each row they belong to, once in the total.
    """
    if not may_see_cohort(viewer=viewer):
        raise PermissionDenied(_("Kohortvyn är till för projektledare."))
    projects = list(cohort_projects(viewer=viewer))
    enrolments = list(
        Enrolment.objects.filter(project__in=projects, person__merged_into__isnull=True).select_related(
            "project", "method", "unit__organisation__municipality", "person"
        )
    )
    rule = progress_rule()
    outcomes, title = distance_outcomes(persons={e.person_id for e in enrolments}, rule=rule)
    genders = dict(Gender.choices)
    dimensions: list[tuple[str, str, str]] = [
        ("projekt", _("Per projekt"), _("Projekt")),
        ("kommun", _("Per kommun"), _("Kommun")),
        ("metod", _("Per metod"), _("Metod")),
        ("kon", _("Per kön"), _("Kön (som personen själv anger)")),
    ]
    groups: dict[str, dict[str, set[uuid.UUID]]] = {key: defaultdict(set) for key, _t, _d in dimensions}
    for e in enrolments:
        municipality = e.unit.organisation.municipality
        groups["projekt"][e.project.name].add(e.person_id)
        groups["kommun"][municipality.name if municipality else _("Okänd kommun")].add(e.person_id)
        groups["metod"][e.method.name if e.method else _("Ingen metod angiven")].add(e.person_id)
        groups["kon"][str(genders.get(e.person.gender, _("Ej angivet")))].add(e.person_id)

    def row(label: str, persons: set[uuid.UUID]) -> CohortRow:
        assessed = [p for p in persons if outcomes.get(p) is not None]
        return CohortRow(
            label=label,
            participants=len(persons),
            assessed=len(assessed),
            closer=sum(1 for p in assessed if outcomes[p]),
        )

    tables = [
        CohortTable(
            key=key,
            title=table_title,
            dimension=dimension,
            rows=[row(label, persons) for label, persons in sorted(groups[key].items())],
        )
        for key, table_title, dimension in dimensions
    ]
    access_log_record(
        ctx=ctx,
        action="assessment.cohort_viewed",
        basis=AccessBasis.ADMINISTRATION,
        detail={"projects": [str(p.pk) for p in projects]},
    )
    return CohortView(
        projects=projects,
        instrument_title=title,
        tables=tables,
        total=row("Totalt", {e.person_id for e in enrolments}),
        rule=rule,
        rule_text=str(RULES[rule]),
    )


# --- Administration ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    version: InstrumentVersion
    responses: int
    is_current: bool


@dataclass(frozen=True)
class InstrumentRow:
    instrument: Instrument
    versions: list[VersionRow]


def instrument_admin_list(*, viewer: User) -> list[InstrumentRow]:
    if not viewer.is_administrator:
        raise PermissionDenied(_("Bara administratörer."))
    instruments = list(Instrument.objects.all())
    versions = InstrumentVersion.objects.annotate(n=Count("responses")).select_related("loaded_by").order_by("-number")
    by_instrument: dict[uuid.UUID, list[VersionRow]] = defaultdict(list)
    for v in versions:
        by_instrument[v.instrument_id].append(
            VersionRow(version=v, responses=v.n, is_current=False)  # type: ignore[attr-defined]
        )
    result = []
    for instrument in instruments:
        rows = [
            VersionRow(
                version=r.version, responses=r.responses, is_current=r.version.pk == instrument.current_version_id
            )
            for r in by_instrument[instrument.pk]
        ]
        result.append(InstrumentRow(instrument=instrument, versions=rows))
    return result


def instrument_version_get(*, viewer: User, slug: str, number: int) -> tuple[InstrumentVersion, Definition]:
    if not viewer.is_administrator:
        raise PermissionDenied(_("Bara administratörer."))
    version = (
        InstrumentVersion.objects.select_related("instrument", "loaded_by")
        .filter(instrument__slug=slug, number=number)
        .first()
    )
    if version is None:
        raise NotFound(_("Versionen finns inte."))
    return version, definition_of(version)
