"""KAA pages in a real browser as karin (KAA-ansvarig at Ludvika): the register, a register extract,
the measure form (also with errors), the person page's KAA section and the statistics download.
Each answers 200, has one h1, passes axe (WCAG 2.1 AA), fits 360 px and reports no browser errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from conftest import ctx_for
from tests.browser.conftest import assert_accessible, assert_fits_phone, login, visit_and_check
from vagval.kaa import services
from vagval.kaa.models import Responsible
from vagval.outreach.models import Occupation, OccupationCategory, OccupationSource
from vagval.people.models import Protection
from vagval.people.tests.factories import PersonFactory, make_personnummer
from vagval.targetgroup.models import Episode, TargetList

pytestmark = pytest.mark.browser


def _episode(person: Any, unit: Any) -> None:
    Episode.objects.create(
        unit=unit,
        municipality=unit.organisation.municipality,
        person=person,
        target_list=TargetList.KAA,
        opened_on=dt.date(2026, 1, 12),
        open_code="avbrott",
        open_reason="avbrott GY EE 2026-01-12",
    )


@pytest.fixture
def world(karin, ludvika_kaa_unit) -> dict[str, Any]:
    person = PersonFactory(first_name="Elsa", last_name="Registersson", email="elsa@example.invalid")
    _episode(person, ludvika_kaa_unit)
    protected = PersonFactory(
        first_name="Ronja",
        last_name="Skyddsson",
        protection=Protection.PROTECTED_REGISTRATION,
        id_number=make_personnummer(dt.date(2008, 6, 1), 412),
    )
    _episode(protected, ludvika_kaa_unit)
    Occupation.objects.create(
        unit=ludvika_kaa_unit,
        person=person,
        category=OccupationCategory.WORK,
        from_date=dt.date(2026, 2, 1),
        source=OccupationSource.YOUNG_PERSON,
        recorded_by=karin,
    )
    measure = services.measure_create(
        ctx=ctx_for(karin),
        person=person,
        data=services.MeasureData(
            kind="vagledning",
            content="Studie- och yrkesvägledning",
            responsible=Responsible.MUNICIPALITY,
            responsible_name="",
            starts_on=dt.date(2026, 2, 2),
            ends_on=None,
            end_reason="",
            follow_up_on=dt.date(2026, 3, 2),
            declined=False,
        ),
    )
    return {"person": person, "protected": protected, "measure": measure}


def test_karins_kaa_pages_are_accessible_and_fit_a_phone(page: Page, world: dict[str, Any]):
    login(page, "karin")
    person, protected, measure = world["person"], world["protected"], world["measure"]
    for url in (
        reverse("kaa:register"),
        reverse("kaa:register") + "?left_from=2026-01-01&left_to=2026-06-30",
        reverse("kaa:extract", args=[person.pk]),
        reverse("kaa:extract", args=[protected.pk]),
        reverse("kaa:measure_create", args=[person.pk]),
        reverse("kaa:measure_edit", args=[measure.pk]),
        reverse("kaa:statistics"),
        reverse("people:detail", args=[person.pk]),
    ):
        visit_and_check(page, url)


def test_the_measure_form_shows_the_missing_end_reason_accessibly(page: Page, world: dict[str, Any]):
    login(page, "karin")
    page.goto(reverse("kaa:measure_create", args=[world["person"].pk]))
    page.get_by_label("Typ av insats").select_option("praktik")
    page.get_by_label("Innehåll").fill("Praktik i verkstad")
    page.get_by_label("Kommunen").check()
    page.get_by_label("Startdatum").fill("2026-03-02")
    page.get_by_label("Slutdatum").fill("2026-03-20")
    page.get_by_role("button", name="Spara insatsen").click()
    assert page.get_by_text("Skriv varför insatsen avslutades när du anger ett slutdatum.").is_visible()
    assert_accessible(page)
    assert_fits_phone(page)
    page.get_by_label("Orsak till avslut").fill("Fick sommarjobb")
    page.get_by_role("button", name="Spara insatsen").click()
    page.wait_for_url(f"**{reverse('people:detail', args=[world['person'].pk])}")
    assert page.get_by_text("Praktik i verkstad").is_visible()


def test_karin_downloads_the_statistics_file(page: Page, world: dict[str, Any]):
    login(page, "karin")
    page.goto(reverse("kaa:statistics"))
    page.get_by_label("XLSX").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Hämta filen").click()
    assert info.value.suggested_filename.startswith("kaa-statistik-2085-")
    assert info.value.suggested_filename.endswith(".xlsx")
