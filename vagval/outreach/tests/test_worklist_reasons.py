"""The worklist's reason choices, found one index probe per code, are the ORM's SELECT DISTINCT:
the same codes in the same order, only open episodes, only the unit's."""

import datetime as dt

from vagval.outreach import selectors
from vagval.outreach.tests.factories import on_list, young_person

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
