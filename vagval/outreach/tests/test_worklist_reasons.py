"""The worklist's reason choices and identification dates, found one index probe per value, are the
ORM's SELECT DISTINCT: the same values in the same order, only open episodes, only the unit's."""

import datetime as dt

from vagval.outreach import selectors
from vagval.outreach.tests.factories import on_list, young_person
from vagval.targetgroup.models import Episode

OPENED = dt.date(2026, 3, 2)
# Codes that sort by case, by Swedish letters, a prefix of another, and the empty code.
CODES = ["avbrott", "Avbrott", "avbrott_gy", "ej_påbörjat", "ej_paborjat", "öppen", "", "uvas", "Ä"]


def test_the_codes_are_the_orms_distinct_codes_in_its_order(ludvika_kaa_unit, smedjebacken_kaa_unit):
    for n, code in enumerate(CODES):
        person = young_person()
        on_list(ludvika_kaa_unit, person, opened_on=OPENED, open_code=code)
        if n % 2:  # the same code twice, on the other list
            on_list(ludvika_kaa_unit, person, opened_on=OPENED, open_code=code, target_list="uvas")
    on_list(ludvika_kaa_unit, opened_on=OPENED, open_code="bara_stangd", closed_on=OPENED)
    on_list(smedjebacken_kaa_unit, opened_on=OPENED, open_code="annan_enhet")

    reasons = selectors.worklist_reasons(unit_id=ludvika_kaa_unit.pk)
    assert reasons == selectors.worklist_reasons_orm(unit_id=ludvika_kaa_unit.pk)
    assert sorted(reasons) == sorted(CODES)
    assert selectors.worklist_reasons(unit_id=smedjebacken_kaa_unit.pk) == ["annan_enhet"]


def test_a_unit_with_no_open_episode_has_no_codes(ludvika_kaa_unit):
    on_list(ludvika_kaa_unit, opened_on=OPENED, open_code="avbrott", closed_on=OPENED)
    assert selectors.worklist_reasons(unit_id=ludvika_kaa_unit.pk) == []
    assert selectors.worklist_reasons_orm(unit_id=ludvika_kaa_unit.pk) == []


def test_the_identification_dates_are_the_orms_distinct_dates_in_order(ludvika_kaa_unit, smedjebacken_kaa_unit):
    """The dates the over-target count's CASE tree is built from (every open episode's at the unit)."""
    for days in (40, 3, 3, 700, 0, 365):
        on_list(ludvika_kaa_unit, opened_on=OPENED - dt.timedelta(days=days))
    on_list(ludvika_kaa_unit, opened_on=dt.date(2020, 1, 1), closed_on=OPENED)
    on_list(smedjebacken_kaa_unit, opened_on=dt.date(2021, 1, 1))

    dates = selectors._open_values(unit_id=ludvika_kaa_unit.pk, name="opened_on")
    orm = list(
        Episode.objects.filter(unit=ludvika_kaa_unit, closed_on__isnull=True)
        .order_by("opened_on")
        .values_list("opened_on", flat=True)
        .distinct()
    )
    assert dates == orm
    assert len(dates) == 5
    assert all(type(day) is dt.date for day in dates)
