"""Half-year statistics on hand-made cases: who is in the file and what each column says."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from conftest import ctx_for
from vagval.kaa import services
from vagval.kaa.models import Measure, Responsible
from vagval.kaa.statistics import COLUMNS, HalfYear, statistics_rows, statistics_scope_for_units, write_csv, write_xlsx
from vagval.kaa.tests.conftest import occupation
from vagval.outreach.models import OccupationCategory
from vagval.people.models import Protection
from vagval.people.tests.factories import PersonFactory
from vagval.targetgroup.tests.factories import kaa_episode

H1 = HalfYear.parse("2026H1")
H2 = HalfYear.parse("2026H2")


def measure(person, by, *, starts_on, ends_on=None, declined=False, kind="vagledning"):
    return Measure.objects.create(
        unit=by.unit,
        person=person,
        kind=kind,
        content="Samtal",
        responsible=Responsible.MUNICIPALITY,
        starts_on=starts_on,
        ends_on=ends_on,
        end_reason="Avslutad" if ends_on else "",
        declined=declined,
        created_by=by,
    )


def rows_by_name(half_year, unit):
    result = statistics_rows(
        scope=statistics_scope_for_units(unit_ids=[unit.pk], half_year=half_year), half_year=half_year
    )
    return {PersonFactory._meta.model.objects.get(pk=r.person_id).first_name: r for r in result.rows}, result


def person(name, **extra):
    return PersonFactory(first_name=name, **extra)


def test_half_years_parse_and_bad_ones_are_refused_in_swedish():
    assert (H1.starts_on, H1.ends_on) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert (H2.starts_on, H2.ends_on) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    for bad in ("2026H3", "2026", "H1", "26H1", "2026-H1", ""):
        with pytest.raises(Exception, match="till exempel 2026H1"):
            HalfYear.parse(bad)


def test_a_person_in_kaa_only_in_june_counts_in_h1_only(ludvika_kaa_unit):
    june = person("Juni")
    kaa_episode(june, ludvika_kaa_unit, opened_on=dt.date(2026, 6, 10), open_code="aldrig_paborjat")
    kaa_episode(person("Juli"), ludvika_kaa_unit, opened_on=dt.date(2026, 7, 1))
    kaa_episode(
        person("Fjol"),
        ludvika_kaa_unit,
        opened_on=dt.date(2025, 9, 1),
        closed_on=dt.date(2025, 12, 31),
        close_code="studier",
    )
    h1, _result = rows_by_name(H1, ludvika_kaa_unit)
    h2, _result = rows_by_name(H2, ludvika_kaa_unit)
    assert set(h1) == {"Juni"}
    assert set(h2) == {"Juni", "Juli"}
    assert h1["Juni"].registration.code == "aldrig_paborjat"
    assert h1["Juni"].deregistration is None


def test_turned_20_and_moved_are_deregistration_reasons_in_the_half_year_they_happened(ludvika_kaa_unit):
    kaa_episode(
        person("Tjugo"),
        ludvika_kaa_unit,
        opened_on=dt.date(2025, 9, 1),
        closed_on=dt.date(2026, 3, 14),
        close_code="fyllt20",
    )
    kaa_episode(
        person("Flytt"),
        ludvika_kaa_unit,
        opened_on=dt.date(2026, 2, 1),
        closed_on=dt.date(2026, 8, 3),
        close_code="flyttat",
    )
    h1, _r = rows_by_name(H1, ludvika_kaa_unit)
    h2, _r = rows_by_name(H2, ludvika_kaa_unit)
    assert h1["Tjugo"].deregistration.label == "Fyllt 20 år"
    assert "Tjugo" not in h2
    assert h1["Flytt"].deregistration is None  # still in KAA on 30 June
    assert h2["Flytt"].deregistration.code == "flyttat"


def test_declined_first_measure_and_the_measures_of_the_half_year(karin, ludvika_kaa_unit):
    declined = person("Nej")
    kaa_episode(declined, ludvika_kaa_unit)
    measure(declined, karin, starts_on=dt.date(2026, 1, 20), ends_on=dt.date(2026, 1, 21), declined=True)
    measure(declined, karin, starts_on=dt.date(2026, 2, 1), kind="praktik")
    accepted = person("Ja")
    kaa_episode(accepted, ludvika_kaa_unit)
    measure(accepted, karin, starts_on=dt.date(2026, 2, 1))
    kaa_episode(person("Ingen"), ludvika_kaa_unit)
    h1, _r = rows_by_name(H1, ludvika_kaa_unit)
    assert h1["Nej"].declined_first == "J"
    assert h1["Nej"].values()[3:5] == ["praktik,vagledning", 2]
    assert h1["Ja"].declined_first == "N"
    assert h1["Ingen"].declined_first == ""
    assert h1["Ingen"].values()[3:5] == ["", 0]


def test_occupation_after_the_first_measure(karin, ludvika_kaa_unit):
    komvux = person("Komvux")
    kaa_episode(komvux, ludvika_kaa_unit)
    measure(komvux, karin, starts_on=dt.date(2026, 1, 15), ends_on=dt.date(2026, 3, 1))
    occupation(komvux, ludvika_kaa_unit, karin, OccupationCategory.WORK, dt.date(2026, 2, 10))  # before the end
    occupation(komvux, ludvika_kaa_unit, karin, OccupationCategory.STUDIES_KOMVUX, dt.date(2026, 3, 15))
    occupation(komvux, ludvika_kaa_unit, karin, OccupationCategory.STUDIES_NATIONAL, dt.date(2026, 4, 1), planned=True)
    unknown = person("Okand")
    kaa_episode(unknown, ludvika_kaa_unit)
    measure(unknown, karin, starts_on=dt.date(2026, 1, 15), ends_on=dt.date(2026, 2, 1))
    running = person("Pagar")
    kaa_episode(running, ludvika_kaa_unit)
    measure(running, karin, starts_on=dt.date(2026, 1, 15))
    h1, _r = rows_by_name(H1, ludvika_kaa_unit)
    assert h1["Komvux"].occupation_after.code == "komvux"
    assert h1["Okand"].occupation_after.code == "okand"
    assert h1["Pagar"].occupation_after is None


def test_unknown_codes_are_reported_as_okand_and_counted(ludvika_kaa_unit):
    kaa_episode(
        person("Gammal"),
        ludvika_kaa_unit,
        open_code="gammal_kod",
        closed_on=dt.date(2026, 2, 1),
        close_code="nagot_annat",
    )
    h1, result = rows_by_name(H1, ludvika_kaa_unit)
    assert h1["Gammal"].registration.code == "okand"
    assert h1["Gammal"].deregistration.code == "okand"
    assert result.unknown == {"registration": 1, "deregistration": 1}


def test_another_units_register_is_not_in_the_file(ludvika_kaa_unit, smedjebacken_kaa_unit):
    kaa_episode(person("Ludvika"), ludvika_kaa_unit)
    kaa_episode(person("Smedjebacken"), smedjebacken_kaa_unit)
    h1, _r = rows_by_name(H1, ludvika_kaa_unit)
    assert set(h1) == {"Ludvika"}


def test_csv_round_trip_with_bom_and_semicolons(ludvika_kaa_unit):
    protected = person("Skyddad", protection=Protection.PROTECTED_REGISTRATION, address="Hemlig väg 1")
    kaa_episode(protected, ludvika_kaa_unit, open_code="avbrott")
    result = statistics_rows(
        scope=statistics_scope_for_units(unit_ids=[ludvika_kaa_unit.pk], half_year=H1), half_year=H1
    )
    content = write_csv(result.rows)
    assert content.startswith(b"\xef\xbb\xbf")
    read = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert read[0] == COLUMNS
    assert read[1][:3] == [protected.id_number, "avbrott", "Avbrott från nationellt program"]
    assert "Hemlig väg 1" not in content.decode("utf-8-sig")


def test_xlsx_round_trip_keeps_the_number_as_text(ludvika_kaa_unit):
    young = person("Excel")
    kaa_episode(young, ludvika_kaa_unit, open_code="avbrott")
    result = statistics_rows(
        scope=statistics_scope_for_units(unit_ids=[ludvika_kaa_unit.pk], half_year=H1), half_year=H1
    )
    sheet = load_workbook(io.BytesIO(write_xlsx(result.rows))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert rows[1][0] == young.id_number
    assert rows[1][1] == "avbrott"


def test_measures_documented_through_the_service_count(karin, kaa_person):
    from vagval.kaa.tests.test_measure_services import data

    services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data(kind="motiverande_samtal"))
    result = statistics_rows(scope=statistics_scope_for_units(unit_ids=[karin.unit_id], half_year=H1), half_year=H1)
    assert [k.code for k in result.rows[0].measure_kinds] == ["motiverande_samtal"]
