import datetime as dt

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.targetgroup.models import Episode
from vagval.targetgroup.services import target_group_refresh
from vagval.targetgroup.tests.conftest import D, in_register, study, young


def test_it_opens_a_kaa_episode_with_reason(karin, ludvika_kaa_unit):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=ctx_for(karin))
    assert summary.opened == 1
    episode = Episode.objects.get(person=person)
    assert (episode.target_list, episode.open_code, episode.opened_on) == ("kaa", "aldrig_paborjat", D)
    assert AccessLogEntry.objects.filter(action="targetgroup.episode_opened", person_id=person.pk).count() == 1


def test_a_second_run_with_the_same_data_writes_nothing(karin, ludvika_kaa_unit):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D)
    before = list(Episode.objects.values())
    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=ctx_for(karin))
    assert (summary.opened, summary.closed, summary.unchanged) == (0, 0, 1)
    assert list(Episode.objects.values()) == before
    assert not AccessLogEntry.objects.filter(action__startswith="targetgroup.").exists()


def test_starting_gy_closes_the_episode_with_reason(karin, ludvika_kaa_unit):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D)
    study(ludvika_kaa_unit, karin, person, form="GY", status="pagaende", programme="EE", start=D)
    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=D + dt.timedelta(days=7))
    assert summary.closed == 1
    episode = Episode.objects.get(person=person)
    assert (episode.close_code, episode.close_reason) == ("studier", "började GY")
