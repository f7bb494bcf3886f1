"""The refresh never stops on one bad row: it skips the person it cannot decide and carries on (issue 10, hole 3)."""

import datetime as dt
import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from vagval.accounts.models import Role
from vagval.accounts.system import SystemActor, system_context
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.people.models import Person
from vagval.targetgroup import rules, services
from vagval.targetgroup.models import Episode
from vagval.targetgroup.services import target_group_refresh
from vagval.targetgroup.tests.conftest import D, in_register, nightly, young


def _impossible(birth: dt.date) -> Person:
    person = young(dt.date(2009, 3, 1))
    Person.objects.filter(pk=person.pk).update(birth_date=birth)  # as the API and the form accepted it
    return person


def test_a_birth_date_in_year_9999_is_skipped_and_the_others_are_computed(karin, ludvika_kaa_unit):
    good = young(dt.date(2009, 3, 1))
    bad = _impossible(dt.date(9999, 6, 1))
    in_register(ludvika_kaa_unit, karin, good)
    in_register(ludvika_kaa_unit, karin, bad)

    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=system_context(SystemActor.NIGHTLY))

    assert summary.opened == 1
    assert summary.skipped == 1
    assert summary.skipped_person_ids == (bad.pk,)
    assert list(Episode.objects.values_list("person_id", flat=True)) == [good.pk]


def test_a_rule_that_raises_for_one_person_skips_only_that_person(karin, ludvika_kaa_unit, monkeypatch):
    first, second = young(dt.date(2009, 3, 1)), young(dt.date(2009, 4, 1))
    in_register(ludvika_kaa_unit, karin, first)
    in_register(ludvika_kaa_unit, karin, second)
    real = rules.kaa_decision

    def broken_for_second(facts, day, **kwargs):
        if facts.birth_date == second.birth_date:
            raise ZeroDivisionError("a bug in a rule")
        return real(facts, day, **kwargs)

    monkeypatch.setattr(rules, "kaa_decision", broken_for_second)
    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    assert (summary.opened, summary.skipped_person_ids) == (1, (second.pk,))


@pytest.mark.parametrize("birth", [dt.date(1899, 12, 31), dt.date(9999, 6, 1)])
def test_a_skipped_person_keeps_the_open_episode_as_it_was(karin, ludvika_kaa_unit, birth):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    Person.objects.filter(pk=person.pk).update(birth_date=birth)

    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=D + dt.timedelta(days=1), ctx=nightly())

    assert (summary.closed, summary.skipped) == (0, 1)
    assert Episode.objects.get(person=person).closed_on is None


def test_a_birth_date_after_today_is_skipped(karin, ludvika_kaa_unit):
    in_register(ludvika_kaa_unit, karin, _impossible(timezone.localdate() + dt.timedelta(days=1)))
    assert target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly()).skipped == 1


def test_the_skipped_persons_are_logged_by_id_without_their_identity_number(karin, ludvika_kaa_unit, caplog):
    bad = _impossible(dt.date(9999, 6, 1))
    in_register(ludvika_kaa_unit, karin, bad)
    with caplog.at_level(logging.WARNING, logger="vagval.targetgroup.services"):
        target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    assert str(bad.pk) in caplog.text
    assert bad.id_number not in caplog.text


def test_every_episode_opened_or_closed_is_logged_for_the_system_actor(karin, ludvika_kaa_unit):
    staying, moving = young(dt.date(2009, 3, 1)), young(dt.date(2009, 4, 1))
    in_register(ludvika_kaa_unit, karin, staying)
    in_register(ludvika_kaa_unit, karin, moving)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=system_context(SystemActor.REGISTER_IMPORT))
    in_register(ludvika_kaa_unit, karin, moving, present=False)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D + dt.timedelta(days=1), ctx=nightly())

    opened = AccessLogEntry.objects.filter(action="targetgroup.episode_opened")
    assert sorted(opened.values_list("person_id", flat=True)) == sorted([staying.pk, moving.pk])
    assert set(opened.values_list("username", "role", "basis")) == {
        ("system:registerimport", Role.SYSTEM, AccessBasis.OWN_UNIT)
    }
    closed = AccessLogEntry.objects.get(action="targetgroup.episode_closed")
    assert (closed.person_id, closed.username) == (moving.pk, "system:nattlig-korning")
    assert closed.detail["unit"] == str(ludvika_kaa_unit.pk)


def test_the_nightly_command_reports_skipped_persons_and_acts_as_the_nightly_run(karin, ludvika_kaa_unit):
    in_register(ludvika_kaa_unit, karin, young(dt.date(2009, 3, 1)))
    in_register(ludvika_kaa_unit, karin, _impossible(dt.date(9999, 6, 1)))
    out = io.StringIO()
    call_command("target_group_refresh", "--kommun", "2085", "--datum", "2026-09-01", stdout=out)
    assert "1 nya perioder" in out.getvalue()
    assert "1 person hoppades över" in out.getvalue()
    entry = AccessLogEntry.objects.get(action="targetgroup.episode_opened")
    assert entry.username == "system:nattlig-korning"


def test_a_unit_that_fails_does_not_stop_the_other_units(
    karin, sven, ludvika_kaa_unit, smedjebacken_kaa_unit, monkeypatch
):
    in_register(ludvika_kaa_unit, karin, young(dt.date(2009, 3, 1)))
    in_register(smedjebacken_kaa_unit, sven, young(dt.date(2009, 4, 1)))
    real = services.target_group_refresh

    def broken_for_ludvika(*, unit, **kwargs):
        if unit == ludvika_kaa_unit:
            raise RuntimeError("database hiccup")
        return real(unit=unit, **kwargs)

    monkeypatch.setattr(
        "vagval.targetgroup.management.commands.target_group_refresh.target_group_refresh", broken_for_ludvika
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 av 2 enheter"):
        call_command("target_group_refresh", "--datum", "2026-09-01", stdout=io.StringIO(), stderr=err)
    assert "tekniskt fel" in err.getvalue()
    assert list(Episode.objects.values_list("unit_id", flat=True)) == [smedjebacken_kaa_unit.pk]
