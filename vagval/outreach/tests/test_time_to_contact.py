"""Time from identification to the first contact that reached the young person, and to the first measure."""

import datetime as dt

from django.urls import reverse

from vagval.outreach import selectors
from vagval.outreach.models import Outcome
from vagval.outreach.tests.factories import contact, measure, on_list, young_person
from vagval.targetgroup.models import TargetList

TODAY = dt.date(2026, 6, 30)


def _times(unit, person):
    return selectors.episode_times(unit_id=unit.pk, person=person, target=5, today=TODAY)


def test_per_person_working_days_to_the_first_reached_contact_and_days_to_the_first_measure(karin, ludvika_kaa_unit):
    episode = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 4, 2))  # skärtorsdagen
    contact(episode, karin, on=dt.date(2026, 4, 7), outcome=Outcome.NOT_REACHED)
    contact(episode, karin, on=dt.date(2026, 4, 9))  # 7, 8, 9 April: 3 working days (3 and 6 April are off)
    contact(episode, karin, on=dt.date(2026, 4, 20))
    measure(episode, karin, starts_on=dt.date(2026, 4, 22))
    measure(episode, karin, starts_on=dt.date(2026, 5, 4))
    measure(episode, karin, starts_on=dt.date(2026, 3, 1))  # before identification: not this episode's measure

    [times] = _times(ludvika_kaa_unit, episode.person)
    assert times.first_reached_on == dt.date(2026, 4, 9)
    assert times.workdays_to_contact == 3
    assert times.first_measure_on == dt.date(2026, 4, 22)
    assert times.days_to_measure == 20
    assert times.over_target is False


def test_per_person_without_contact_or_measure(karin, ludvika_kaa_unit):
    episode = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 6, 1))
    contact(episode, karin, on=dt.date(2026, 6, 2), outcome=Outcome.DECLINED)
    [times] = _times(ludvika_kaa_unit, episode.person)
    assert (times.first_reached_on, times.workdays_to_contact, times.days_to_measure) == (None, None, None)
    assert times.over_target is True


def test_per_unit_medians_and_counts_over_episodes_opened_in_the_period(karin, ludvika_kaa_unit):
    unit = ludvika_kaa_unit
    # KAA: reached after 1, 3 and 8 working days; one never reached.
    for opened, reached in [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 3)),  # 1
        (dt.date(2026, 3, 2), dt.date(2026, 3, 5)),  # 3
        (dt.date(2026, 3, 2), dt.date(2026, 3, 12)),  # 8: over target
    ]:
        contact(on_list(unit, opened_on=opened), karin, on=reached)
    on_list(unit, opened_on=dt.date(2026, 3, 2))
    # UVAS: reached after 2 and 4 working days, measures after 10 and 31 days.
    uvas_a = on_list(unit, opened_on=dt.date(2026, 3, 2), target_list=TargetList.UVAS)
    uvas_b = on_list(unit, opened_on=dt.date(2026, 3, 2), target_list=TargetList.UVAS)
    contact(uvas_a, karin, on=dt.date(2026, 3, 4))
    contact(uvas_b, karin, on=dt.date(2026, 3, 6))
    measure(uvas_a, karin, starts_on=dt.date(2026, 3, 12))
    measure(uvas_b, karin, starts_on=dt.date(2026, 4, 2))
    # Outside the period: not counted.
    contact(on_list(unit, opened_on=dt.date(2025, 12, 1)), karin, on=dt.date(2026, 3, 3))

    followup = selectors.contact_followup(
        viewer=karin, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 6, 30), today=TODAY
    )
    kaa, uvas, total = followup.rows
    assert (kaa.episodes, kaa.reached, kaa.reached_within_target, kaa.median_workdays_to_contact) == (4, 3, 2, 3)
    assert (kaa.with_measure, kaa.median_days_to_measure) == (0, None)
    assert (uvas.episodes, uvas.reached, uvas.median_workdays_to_contact, uvas.median_days_to_measure) == (
        2,
        2,
        3,
        20.5,
    )
    assert (total.episodes, total.reached, total.reached_within_target) == (6, 5, 4)
    assert total.median_workdays_to_contact == 3  # 1, 2, 3, 4, 8


def test_the_follow_up_page_shows_the_figures_and_defaults_to_the_half_year(karin_client, karin, ludvika_kaa_unit):
    episode = on_list(ludvika_kaa_unit, young_person(), opened_on=dt.date.today())
    contact(episode, karin, on=dt.date.today())
    response = karin_client.get(reverse("outreach:followup"))
    assert response.status_code == 200
    assert response.context["followup"].rows[-1].episodes == 1
    bad = karin_client.get(reverse("outreach:followup"), {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert bad.status_code == 200
    assert "Slutdatumet ligger före startdatumet." in bad.content.decode()


def test_time_to_contact_is_shown_in_the_person_section(karin, karin_client, ludvika_kaa_unit):
    episode = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))
    contact(episode, karin, on=dt.date(2026, 3, 5))
    page = karin_client.get(reverse("people:detail", args=[episode.person_id])).content.decode()
    assert "Arbetsdagar till kontakt" in page
    assert "<td>2026-03-05</td>" in page
    assert "<td>3</td>" in page
