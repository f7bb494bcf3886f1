"""visible_own_register: the unit's register episodes whose person visible_persons gives the viewer;
hidden_own_register: the rest of the unit's register."""

import datetime as dt

from vagval.access.checks import hidden_own_register, visible_own_register, visible_own_register_kept, visible_persons
from vagval.accounts.models import Role
from vagval.outreach.tests.factories import on_list, young_person
from vagval.people.models import Protection
from vagval.targetgroup.models import Episode


def _as_narrowed(viewer):
    own = Episode.objects.filter(unit_id=viewer.unit_id)
    return set(own.filter(person_id__in=visible_persons(viewer=viewer).values("pk")).values_list("pk", flat=True))


def test_the_same_episodes_as_narrowing_by_visible_persons(karin, sven, ludvika_kaa_unit, smedjebacken_kaa_unit):
    opened = dt.date(2026, 3, 2)
    plain = on_list(ludvika_kaa_unit, opened_on=opened)
    protected = on_list(ludvika_kaa_unit, young_person(protection=Protection.PROTECTED_REGISTRATION), opened_on=opened)
    closed = on_list(ludvika_kaa_unit, opened_on=opened, closed_on=dt.date(2026, 4, 1))
    elsewhere = on_list(smedjebacken_kaa_unit, opened_on=opened)
    merged = on_list(ludvika_kaa_unit, opened_on=opened)
    merged.person.merged_into = plain.person
    merged.person.save()

    # Both forms: the one each database reads, and SQLite's (the kept table's merged persons) on either.
    for form in (visible_own_register, visible_own_register_kept):
        for viewer in (karin, sven):
            assert set(form(viewer=viewer).values_list("pk", flat=True)) == _as_narrowed(viewer)
        assert set(form(viewer=karin).values_list("pk", flat=True)) == {plain.pk, protected.pk, closed.pk}
        assert set(form(viewer=sven).values_list("pk", flat=True)) == {elsewhere.pk}
    assert set(hidden_own_register(viewer=karin).values_list("pk", flat=True)) == {merged.pk}
    for viewer in (karin, sven):
        everything = set(Episode.objects.filter(unit_id=viewer.unit_id).values_list("pk", flat=True))
        visible = set(visible_own_register(viewer=viewer).values_list("pk", flat=True))
        assert set(hidden_own_register(viewer=viewer).values_list("pk", flat=True)) == everything - visible


def test_nothing_for_viewers_without_person_access(karin, ludvika_kaa_unit):
    on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))
    karin.role = Role.EVALUATOR
    assert not visible_own_register(viewer=karin).exists()
    assert not visible_own_register_kept(viewer=karin).exists()
    assert hidden_own_register(viewer=karin).count() == 1
    karin.role = Role.KAA
    karin.is_active = False
    assert not visible_own_register(viewer=karin).exists()
    assert not visible_own_register_kept(viewer=karin).exists()
    assert hidden_own_register(viewer=karin).count() == 1
