"""Writes for the target group: computing the lists (opening and closing episodes), handover, settings."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record_many
from vagval.common.errors import InvalidInput
from vagval.organisations.models import Municipality, Project, Unit
from vagval.registers.models import PopulationEntry, StudyEntry
from vagval.targetgroup import rules
from vagval.targetgroup.models import Episode, TargetGroupSetting, TargetList


@dataclass(frozen=True)
class RefreshSummary:
    opened: int = 0
    closed: int = 0
    unchanged: int = 0


def target_group_setting_get(*, municipality: Municipality) -> TargetGroupSetting:
    """The municipality's setting, or the defaults (not saved) when it has none."""
    setting = TargetGroupSetting.objects.filter(municipality=municipality).first()
    return setting or TargetGroupSetting(municipality=municipality)


def project_covers(*, municipality: Municipality, day: dt.date) -> bool:
    """Some project with an organisation of the municipality runs on D (UVAS needs one)."""
    return (
        Project.objects.filter(organisations__municipality=municipality, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .exists()
    )


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


def target_group_refresh(*, unit: Unit, reference_date: dt.date, ctx: AccessContext | None = None) -> RefreshSummary:
    """Open and close the unit's KAA and UVAS episodes from its register on the reference date.

    Idempotent: the same register and date write nothing. Episodes are never deleted or
    reopened; a person who comes back gets a new episode. An episode that opened after the
    reference date (a run for an earlier day) is left as it is.
    """
    municipality = unit.organisation.municipality
    if municipality is None:
        raise InvalidInput(_("Enheten hör inte till någon kommun och har inget register."))
    with transaction.atomic():
        # Serialise refreshes of one unit (nightly run and an import finishing at once).
        Unit.objects.select_for_update().filter(pk=unit.pk).exists()
        setting = target_group_setting_get(municipality=municipality)
        covered = project_covers(municipality=municipality, day=reference_date)
        facts = _facts_for_unit(unit)
        open_episodes = {
            (e.person_id, e.target_list): e for e in Episode.objects.filter(unit=unit, closed_on__isnull=True)
        }
        to_open: list[Episode] = []
        to_close: list[Episode] = []
        unchanged = 0
        for person_id in facts.keys() | {person_id for person_id, _list in open_episodes}:
            decisions = _decide(
                facts.get(person_id, _MISSING), reference_date, im_ends_kaa=setting.im_ends_kaa, covered=covered
            )
            for target_list, decision in decisions.items():
                episode = open_episodes.get((person_id, target_list))
                if episode is not None and (decision.on_list or episode.opened_on > reference_date):
                    unchanged += 1
                elif episode is not None:
                    _close(episode, decision, reference_date)
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
        Episode.objects.bulk_update(to_close, ["closed_on", "close_code", "close_reason"], batch_size=1000)
        if ctx is not None:
            _log(ctx, "targetgroup.episode_opened", to_open)
            _log(ctx, "targetgroup.episode_closed", to_close)
    return RefreshSummary(opened=len(to_open), closed=len(to_close), unchanged=unchanged)


def _log(ctx: AccessContext, action: str, episodes: list[Episode]) -> None:
    access_log_record_many(
        ctx=ctx,
        action=action,
        grants=((e.person_id, AccessBasis.OWN_UNIT, None) for e in episodes),
    )
