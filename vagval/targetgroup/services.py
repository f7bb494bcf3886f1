"""Writes for the target group: computing the lists (opening and closing episodes), handover, settings."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access.checks import own_unit_id
from vagval.accounts.models import Role, User
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.common.identity import birth_date_possible
from vagval.common.versions import require_version, version_of
from vagval.organisations.models import Municipality, Project, Unit
from vagval.people import services as people_services
from vagval.people.models import Enrolment, EnrolmentStatus, Person
from vagval.registers.models import PopulationEntry, RegisterImport, StudyEntry
from vagval.targetgroup import rules, selectors
from vagval.targetgroup.models import Episode, TargetGroupSetting, TargetList

logger = logging.getLogger(__name__)

# The earliest birth date the rules accept (issue 10: birth dates lie between 1900-01-01 and today).


@dataclass(frozen=True)
class RefreshSummary:
    opened: int = 0
    closed: int = 0
    unchanged: int = 0
    # Persons the rules could not decide (an impossible birth date, or a rule that raised):
    # left as they were, counted and reported. Their ids are for the logs, never their numbers.
    skipped_person_ids: tuple[uuid.UUID, ...] = ()

    @property
    def skipped(self) -> int:
        return len(self.skipped_person_ids)


def target_group_setting_get(*, municipality: Municipality) -> TargetGroupSetting:
    """The municipality's setting, or the defaults (not saved) when it has none."""
    setting = TargetGroupSetting.objects.filter(municipality=municipality).first()
    return setting or TargetGroupSetting(municipality=municipality)


def _facts_for_unit(unit: Unit) -> dict[uuid.UUID, rules.Facts]:
    studies: dict[uuid.UUID, list[rules.Study]] = defaultdict(list)
    rows = StudyEntry.objects.filter(unit=unit, present=True).values_list(
        "person_id", "school_form", "status", "programme", "start_date", "end_date"
    )
    for person_id, form, status, programme, start, end in rows.iterator(chunk_size=5000):
        studies[person_id].append(rules.Study(form, status, programme, start, end))
    population = PopulationEntry.objects.filter(unit=unit).values_list("person_id", "present", "person__birth_date")
    return {
        person_id: rules.Facts(birth_date, present, tuple(studies.get(person_id, ())))
        for person_id, present, birth_date in population.iterator(chunk_size=5000)
    }


def _decide(facts: rules.Facts, day: dt.date, *, im_ends_kaa: bool, covered: bool) -> dict[str, rules.Decision]:
    return {
        TargetList.KAA: rules.kaa_decision(facts, day, im_ends_kaa=im_ends_kaa),
        TargetList.UVAS: rules.uvas_decision(facts, day, project_covers=covered),
    }


def _close(episode: Episode, decision: rules.Decision, day: dt.date) -> None:
    # A dated reason (a birthday) closes on that day, but never before the episode opened.
    closed_on = min(decision.left_on or day, day)
    episode.closed_on = max(closed_on, episode.opened_on)
    episode.close_code = decision.code
    episode.close_reason = decision.reason


_MISSING = rules.Facts(birth_date=None, present=False)


class UndecidableFacts(ValueError):
    """The register's facts about one person that the rules cannot be applied to."""


def _decide_one(
    facts: rules.Facts, day: dt.date, *, today: dt.date, im_ends_kaa: bool, covered: bool
) -> dict[str, rules.Decision]:
    birth = facts.birth_date
    if birth is not None and not birth_date_possible(birth, today=today):
        raise UndecidableFacts("birth date outside 1900-01-01 .. today")
    return _decide(facts, day, im_ends_kaa=im_ends_kaa, covered=covered)


def target_group_refresh(
    *,
    unit: Unit,
    reference_date: dt.date,
    ctx: AccessContext,
    register_import: RegisterImport | None = None,
) -> RefreshSummary:
    """Open and close the unit's KAA and UVAS episodes from its register on the reference date.

    Idempotent: the same register and date write nothing. Episodes are never deleted or
    reopened (except when the import that closed them is undone, see
    episodes_reopen_closed_by_import); a person who comes back gets a new episode. An episode
    that opened after the reference date (a run for an earlier day) is left as it is. The
    refresh after a register import names it: the episodes it closes record that import.

    One bad row never stops the run: a person whose facts the rules cannot decide (a birth date
    before 1900 or after today, or anything that raises while deciding) is skipped, their
    episodes left as they are, and counted in the summary. Every episode opened or closed is
    logged for `ctx` (usually a system actor: the register import or the nightly run), one entry
    per person, basis own unit, with the register's unit in the detail.
    """
    municipality = unit.organisation.municipality
    if municipality is None:
        raise InvalidInput(_("Enheten hör inte till någon kommun och har inget register."))
    with transaction.atomic():
        # Serialise refreshes of one unit (nightly run and an import finishing at once).
        Unit.objects.select_for_update().filter(pk=unit.pk).exists()
        setting = target_group_setting_get(municipality=municipality)
        covered = selectors.project_covers(municipality=municipality, day=reference_date)
        facts = _facts_for_unit(unit)
        open_episodes = {
            (e.person_id, e.target_list): e for e in Episode.objects.filter(unit=unit, closed_on__isnull=True)
        }
        to_open: list[Episode] = []
        to_close: list[Episode] = []
        to_correct: list[Episode] = []
        skipped: list[uuid.UUID] = []
        unchanged = 0
        today = timezone.localdate()
        for person_id in sorted(facts.keys() | {person_id for person_id, _list in open_episodes}):
            try:
                decisions = _decide_one(
                    facts.get(person_id, _MISSING),
                    reference_date,
                    today=today,
                    im_ends_kaa=setting.im_ends_kaa,
                    covered=covered,
                )
            except Exception:  # one person's data must never stop the municipality's lists
                skipped.append(person_id)
                continue
            for target_list, decision in decisions.items():
                episode = open_episodes.get((person_id, target_list))
                if episode is not None and decision.on_list and _corrects_reason(episode, decision, reference_date):
                    episode.open_code, episode.open_reason = decision.code, decision.reason
                    to_correct.append(episode)
                elif episode is not None and (decision.on_list or episode.opened_on > reference_date):
                    unchanged += 1
                elif episode is not None:
                    _close(episode, decision, reference_date)
                    episode.closed_by_import = register_import
                    to_close.append(episode)
                elif decision.on_list:
                    to_open.append(
                        Episode(
                            unit=unit,
                            municipality=municipality,
                            person_id=person_id,
                            target_list=target_list,
                            opened_on=reference_date,
                            open_code=decision.code,
                            open_reason=decision.reason,
                        )
                    )
        Episode.objects.bulk_create(to_open, batch_size=1000)
        Episode.objects.bulk_update(
            to_close, ["closed_on", "close_code", "close_reason", "closed_by_import"], batch_size=1000
        )
        Episode.objects.bulk_update(to_correct, ["open_code", "open_reason"], batch_size=1000)
        detail = {"unit": str(unit.pk), "reference_date": reference_date.isoformat()}
        _log(ctx, "targetgroup.episode_opened", to_open, detail)
        _log(ctx, "targetgroup.episode_closed", to_close, detail)
    if skipped:
        # Person ids only (never an identity number): enough to find the rows to correct.
        logger.warning(
            "target group refresh of unit %s on %s skipped %d person(s) it could not decide: %s",
            unit.pk,
            reference_date,
            len(skipped),
            ", ".join(str(person_id) for person_id in skipped),
        )
    return RefreshSummary(
        opened=len(to_open),
        closed=len(to_close),
        unchanged=unchanged + len(to_correct),
        skipped_person_ids=tuple(skipped),
    )


def episodes_reopen_closed_by_import(*, register_import: RegisterImport) -> list[Episode]:
    """Reopen the episodes that the refresh after `register_import` closed (its undo); returns them.

    An episode stays closed when the person has an open episode on that list at the unit again.
    Call inside the caller's transaction: the undo (registers.services.register_import_undo)
    logs one entry per person it affects, these included.
    """
    closed = list(Episode.objects.select_for_update().filter(closed_by_import=register_import, closed_on__isnull=False))
    still_open = set(
        Episode.objects.filter(
            unit_id=register_import.unit_id,
            person_id__in=[e.person_id for e in closed],
            closed_on__isnull=True,
        ).values_list("person_id", "target_list")
    )
    reopened = [e for e in closed if (e.person_id, e.target_list) not in still_open]
    for episode in reopened:
        episode.closed_on, episode.close_code, episode.close_reason = None, "", ""
        episode.closed_by_import = None
    Episode.objects.bulk_update(
        reopened, ["closed_on", "close_code", "close_reason", "closed_by_import"], batch_size=1000
    )
    return reopened


def _corrects_reason(episode: Episode, decision: rules.Decision, reference_date: dt.date) -> bool:
    """An episode opened on this very reference date takes the reason the fuller data gives.

    A population extract and the studies extract of the same day arrive one after the other:
    the refresh after the first may open an episode as "aldrig påbörjat" that the studies
    extract shows to be a drop-out. An older episode keeps the reason it was opened with.
    """
    return episode.opened_on == reference_date and (episode.open_code, episode.open_reason) != (
        decision.code,
        decision.reason,
    )


def _log(ctx: AccessContext, action: str, episodes: list[Episode], detail: dict[str, str]) -> None:
    access_log_record_many(
        ctx=ctx,
        action=action,
        grants=((e.person_id, AccessBasis.OWN_UNIT, None) for e in episodes),
        detail=detail,
    )


def require_may_change_setting(*, viewer: User, municipality: Municipality) -> None:
    """Refuse (403) anyone but the municipality's KAA-ansvarig with write access or an administrator,
    before a form is read: a read-only user's post is refused as such, not as a form error."""
    if not may_change_setting(viewer=viewer, municipality=municipality):
        raise PermissionDenied(_("Bara kommunens KAA-ansvariga eller en administratör kan ändra inställningarna."))


def may_change_setting(*, viewer: User, municipality: Municipality) -> bool:
    if not viewer.can_write:
        return False
    if viewer.role == Role.ADMIN:
        return True
    unit = viewer.unit
    return viewer.role == Role.KAA and unit is not None and unit.organisation.municipality_id == municipality.pk


def target_group_setting_version(*, setting: TargetGroupSetting) -> str:
    """The setting's edit version (common.versions): its values, the same for the unsaved defaults
    and the row that saving them creates."""
    return version_of(setting, fields=("im_ends_kaa", "first_contact_workdays"))


def target_group_setting_update(
    *,
    ctx: AccessContext,
    municipality: Municipality,
    im_ends_kaa: bool,
    first_contact_workdays: int,
    expected_version: str | None = None,
) -> TargetGroupSetting:
    """Change the municipality's rules setting (its KAA-ansvarig or an administrator).

    The lists follow at the next computation (nightly run or import), not retroactively. With
    `expected_version`, a change on a stale form raises Conflict.
    """
    require_may_change_setting(viewer=ctx.user, municipality=municipality)
    if not 1 <= first_contact_workdays <= 60:
        message = _("Ange ett antal arbetsdagar mellan 1 och 60.")
        raise InvalidInput(message, field_errors={"first_contact_workdays": [message]})
    with transaction.atomic():
        setting, _created = TargetGroupSetting.objects.select_for_update().get_or_create(municipality=municipality)
        require_version(expected=expected_version, current=target_group_setting_version(setting=setting))
        changed = sorted(
            name
            for name, value in (("im_ends_kaa", im_ends_kaa), ("first_contact_workdays", first_contact_workdays))
            if getattr(setting, name) != value
        )
        if not changed:
            return setting
        setting.im_ends_kaa = im_ends_kaa
        setting.first_contact_workdays = first_contact_workdays
        setting.save()
        access_log_record(
            ctx=ctx,
            action="targetgroup.settings_changed",
            basis=AccessBasis.ADMINISTRATION,
            detail={"municipality": municipality.code, "fields": changed},
        )
    return setting


def _end_other_enrolments(*, ctx: AccessContext, person: Person, keep: Project, today: dt.date) -> None:
    """End the person's open enrolments at the viewer's unit (the KAA project); history is kept."""
    others = Enrolment.objects.filter(person=person, unit_id=own_unit_id(ctx.user)).exclude(
        Q(status=EnrolmentStatus.ENDED) | Q(project=keep)
    )
    for enrolment in others:
        people_services.enrolment_end(ctx=ctx, enrolment=enrolment, ends_on=max(today, enrolment.starts_on))


def _enrol_in_adult_project(
    *, ctx: AccessContext, person: Person, project: Project, coach_id: int | None, today: dt.date
) -> Enrolment:
    existing = Enrolment.objects.filter(person=person, project=project, unit_id=own_unit_id(ctx.user)).first()
    if existing is not None and existing.status != EnrolmentStatus.ENDED:
        data = people_services.EnrolmentData(
            project_id=project.pk,
            starts_on=existing.starts_on,
            status=existing.status,
            ends_on=existing.ends_on,
            coach_id=coach_id,
            method_id=existing.method_id,
        )
        return people_services.enrolment_update(ctx=ctx, enrolment=existing, data=data)
    # New, or re-entry of an ended enrolment (people.services reopens the same record).
    data = people_services.EnrolmentData(project_id=project.pk, starts_on=today, coach_id=coach_id)
    return people_services.enrolment_create(ctx=ctx, person=person, data=data)


def episode_handover(
    *, ctx: AccessContext, episode: Episode, project: Project, coach: User | None, today: dt.date | None = None
) -> Enrolment:
    """Continue a person who turned 20 in an adult (UVAS) project at the viewer's unit.

    The same person and history carry on (no new registration): the adult enrolment is
    created or reopened, the KAA-project enrolment ends, plans follow the person. `coach`
    None keeps the person's current coach at the unit.
    """
    today = today or timezone.localdate()
    view = selectors.handover_get(viewer=ctx.user, episode_id=episode.pk, today=today)
    if project.pk not in {p.pk for p in view.projects}:
        message = _("Välj ett projekt för unga vuxna som täcker kommunen.")
        raise InvalidInput(message, field_errors={"project": [message]})
    coach_id = view.current_coach_id if coach is None else coach.pk
    if coach_id is not None and coach_id not in {c.pk for c in view.coaches}:
        message = _("Välj en coach på din enhet.")
        raise InvalidInput(message, field_errors={"coach": [message]})
    person = view.episode.person
    with transaction.atomic():
        locked = Episode.objects.select_for_update().get(pk=episode.pk)
        if locked.handed_over_at is not None:
            raise InvalidInput(_("Personen är redan överlämnad."))
        enrolment = _enrol_in_adult_project(ctx=ctx, person=person, project=project, coach_id=coach_id, today=today)
        _end_other_enrolments(ctx=ctx, person=person, keep=project, today=today)
        locked.handed_over_at = timezone.now()
        locked.handed_over_by = ctx.user
        locked.save(update_fields=["handed_over_at", "handed_over_by", "updated_at"])
        access_log_record(
            ctx=ctx,
            action="targetgroup.handed_over",
            person_id=person.pk,
            detail={"episode": str(locked.pk), "enrolment": str(enrolment.pk)},
        )
    episode.handed_over_at, episode.handed_over_by = locked.handed_over_at, locked.handed_over_by
    return enrolment
