"""The person page's target-group section: only the episodes at the viewer's own unit."""

import datetime as dt

from vagval.people.tests.factories import PersonFactory
from vagval.targetgroup.models import Episode
from vagval.targetgroup.selectors import PERSON_EPISODE_ORDER, target_group_person_episodes
from vagval.targetgroup.tests.factories import kaa_episode


def test_each_unit_sees_only_its_own_episodes_of_the_person(karin, alice, sven, ludvika_kaa_unit, ludvika_unit):
    person = PersonFactory()
    at_kaa_unit = kaa_episode(person, ludvika_kaa_unit)
    at_alices_unit = kaa_episode(person, ludvika_unit, opened_on=dt.date(2026, 2, 1))
    assert target_group_person_episodes(viewer=karin, person=person) == [at_kaa_unit]
    assert target_group_person_episodes(viewer=alice, person=person) == [at_alices_unit]
    assert target_group_person_episodes(viewer=sven, person=person) == []


def test_roles_outside_the_target_group_see_no_episodes(erik, dana, ludvika_kaa_unit):
    person = PersonFactory()
    kaa_episode(person, ludvika_kaa_unit)
    assert target_group_person_episodes(viewer=erik, person=person) == []
    assert target_group_person_episodes(viewer=dana, person=person) == []


def test_the_newest_episode_comes_first(karin, ludvika_kaa_unit):
    person = PersonFactory()
    older = kaa_episode(person, ludvika_kaa_unit, closed_on=dt.date(2026, 3, 1), close_code="studier")
    newer = kaa_episode(person, ludvika_kaa_unit, opened_on=dt.date(2026, 5, 1))
    assert target_group_person_episodes(viewer=karin, person=person) == [newer, older]


def test_it_reads_what_the_queryset_gives(karin, ludvika_kaa_unit, ludvika_unit):
    person = PersonFactory()
    for opened in (dt.date(2026, 1, 5), dt.date(2026, 5, 1), dt.date(2026, 1, 5)):
        kaa_episode(person, ludvika_kaa_unit, opened_on=opened, closed_on=dt.date(2026, 6, 1), close_code="studier")
    kaa_episode(person, ludvika_unit)
    expected = Episode.objects.filter(person=person, unit_id=karin.unit_id).order_by(*PERSON_EPISODE_ORDER)
    shown = target_group_person_episodes(viewer=karin, person=person)
    assert [(e.pk, e.opened_on, e.target_list, e.open_reason) for e in shown] == [
        (e.pk, e.opened_on, e.target_list, e.open_reason) for e in expected
    ]
