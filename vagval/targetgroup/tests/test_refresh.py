import datetime as dt

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput
from vagval.people.models import IdentityType
from vagval.people.tests.factories import PersonFactory, make_samordningsnummer
from vagval.targetgroup.models import Episode, TargetGroupSetting
from vagval.targetgroup.services import target_group_refresh
from vagval.targetgroup.tests.conftest import D, in_register, nightly, study, young


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
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    before = list(Episode.objects.values())
    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=ctx_for(karin))
    assert (summary.opened, summary.closed, summary.unchanged) == (0, 0, 1)
    assert list(Episode.objects.values()) == before
    assert not AccessLogEntry.objects.filter(action__startswith="targetgroup.", user=karin).exists()


def test_starting_gy_closes_the_episode_with_reason(karin, ludvika_kaa_unit):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    study(ludvika_kaa_unit, karin, person, form="GY", status="pagaende", programme="EE", start=D)
    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=D + dt.timedelta(days=7), ctx=nightly())
    assert summary.closed == 1
    episode = Episode.objects.get(person=person)
    assert (episode.close_code, episode.close_reason) == ("studier", "började GY")


def test_moving_away_closes_as_flyttat_and_keeps_history(karin, ludvika_kaa_unit):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    in_register(ludvika_kaa_unit, karin, person, present=False)
    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=D + dt.timedelta(days=1), ctx=nightly())
    assert summary.closed == 1
    episode = Episode.objects.get(person=person)
    assert (episode.close_code, episode.close_reason, episode.closed_on) == ("flyttat", "flyttade", D + dt.timedelta(1))


def test_examen_closes_with_examen(karin, ludvika_kaa_unit):
    person = young(dt.date(2008, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    study(ludvika_kaa_unit, karin, person, form="GY", status="examen", programme="NA", end=D + dt.timedelta(1))
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D + dt.timedelta(days=2), ctx=nightly())
    assert Episode.objects.get(person=person).close_code == "examen"


def test_turning_20_closes_kaa_on_the_birthday_and_opens_uvas_when_a_project_covers(
    karin, ludvika_kaa_unit, uvas_project
):
    person = young(dt.date(2006, 9, 5))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=dt.date(2026, 9, 8), ctx=nightly())
    assert (summary.opened, summary.closed) == (1, 1)
    kaa = Episode.objects.get(person=person, target_list="kaa")
    assert (kaa.close_code, kaa.close_reason, kaa.closed_on) == ("fyllt20", "fyllde 20", dt.date(2026, 9, 5))
    uvas = Episode.objects.get(person=person, target_list="uvas")
    assert uvas.closed_on is None
    assert uvas.opened_on == dt.date(2026, 9, 8)


def test_no_uvas_episode_without_a_covering_project(karin, ludvika_kaa_unit):
    in_register(ludvika_kaa_unit, karin, young(dt.date(2002, 3, 1)))
    assert target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly()).opened == 0


def test_a_person_who_comes_back_gets_a_new_episode(karin, ludvika_kaa_unit):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    in_register(ludvika_kaa_unit, karin, person, present=False)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D + dt.timedelta(days=10), ctx=nightly())
    in_register(ludvika_kaa_unit, karin, person, present=True)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D + dt.timedelta(days=20), ctx=nightly())
    episodes = list(Episode.objects.filter(person=person).order_by("opened_on"))
    assert [(e.opened_on, e.closed_on) for e in episodes] == [
        (D, D + dt.timedelta(days=10)),
        (D + dt.timedelta(days=20), None),
    ]


def test_a_samordningsnummer_person_is_on_the_list_by_birth_date(karin, ludvika_kaa_unit):
    birth = dt.date(2009, 3, 1)
    person = PersonFactory(birth_date=birth, id_type=IdentityType.SAMORDNINGSNUMMER,
                           id_number=make_samordningsnummer(birth, 7))  # fmt: skip
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    assert Episode.objects.get(person=person).open_code == "aldrig_paborjat"


def test_the_im_setting_decides_whether_im_students_are_on_the_list(karin, ludvika_kaa_unit):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    study(ludvika_kaa_unit, karin, person, form="IM", status="pagaende", programme="IMA", start=D)
    assert target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly()).opened == 0
    TargetGroupSetting.objects.create(municipality=ludvika_kaa_unit.organisation.municipality, im_ends_kaa=False)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    assert Episode.objects.get(person=person).open_reason == "introduktionsprogram"


def test_it_only_touches_the_given_units_register(karin, sven, ludvika_kaa_unit, smedjebacken_kaa_unit):
    in_register(smedjebacken_kaa_unit, sven, young(dt.date(2009, 3, 1)))
    assert target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly()).opened == 0
    assert not Episode.objects.exists()


def test_a_failure_leaves_the_database_unchanged(karin, ludvika_kaa_unit, monkeypatch):
    in_register(ludvika_kaa_unit, karin, young(dt.date(2009, 3, 1)))
    in_register(ludvika_kaa_unit, karin, young(dt.date(2002, 3, 1)))

    def broken(*args, **kwargs):
        raise RuntimeError("log down")

    monkeypatch.setattr("vagval.targetgroup.services.access_log_record_many", broken)
    with pytest.raises(RuntimeError):
        target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=ctx_for(karin))
    assert not Episode.objects.exists()


def test_a_unit_without_municipality_gets_a_clear_error(karin, erik):
    with pytest.raises(InvalidInput, match="inte till någon kommun"):
        target_group_refresh(unit=erik.unit, reference_date=D, ctx=nightly())


def test_the_studies_extract_of_the_same_day_corrects_the_reason_of_an_episode_opened_that_day(karin, ludvika_kaa_unit):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())  # after the population extract
    study(
        ludvika_kaa_unit,
        karin,
        person,
        form="GY",
        status="avbrott",
        programme="EE",
        start=D - dt.timedelta(300),
        end=D - dt.timedelta(10),
    )
    summary = target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())  # after the studies extract
    episode = Episode.objects.get(person=person)
    assert (summary.opened, summary.closed) == (0, 0)
    assert episode.open_code == "avbrott"
    assert episode.open_reason.startswith("avbrott GY EE")


def test_an_older_episode_keeps_the_reason_it_was_opened_with(karin, ludvika_kaa_unit):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    study(
        ludvika_kaa_unit,
        karin,
        person,
        form="GY",
        status="avbrott",
        programme="EE",
        start=D - dt.timedelta(300),
        end=D - dt.timedelta(10),
    )
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D + dt.timedelta(days=30), ctx=nightly())
    assert Episode.objects.get(person=person).open_code == "aldrig_paborjat"
