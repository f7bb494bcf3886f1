"""Register imports in the browser: karin uploads an extract through the real form, follows the import to its
summary and downloads the rejected rows; the status page polls while an import runs; a partial extract waits
for her confirmation and is then undone; every page passes axe, fits a phone and raises no browser errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_page_ok, login
from vagval.registers.importing.samples import with_wrong_check_digit
from vagval.registers.models import ImportKind, ImportStatus, RefreshStatus, RegisterImport
from vagval.registers.tests.factories import number, population_file, population_row

pytestmark = pytest.mark.browser


def _extract() -> bytes:
    """Three good rows and two bad ones (a wrong check digit, a missing surname)."""
    rows = [
        population_row(1),
        population_row(2),
        population_row(3, personnummer=with_wrong_check_digit(number(3))),
        population_row(4),
        population_row(5, efternamn=""),
    ]
    return population_file(rows)


def test_karin_uploads_an_extract_sees_the_summary_and_downloads_the_rejected_rows(page: Page, karin, tmp_path: Path):
    login(page, "karin")
    page.goto(reverse("registers:list"))
    expect(page.get_by_text("Din enhet har inte importerat något uttag ännu.")).to_be_visible()
    assert_page_ok(page)

    page.get_by_role("link", name="Importera ett nytt uttag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera registeruttag")
    assert_page_ok(page)
    page.get_by_label("Befolkningsuttag").check()
    page.get_by_label("Fil").set_input_files(
        {"name": "befolkning-mars.csv", "mimeType": "text/csv", "buffer": _extract()}
    )
    page.get_by_role("button", name="Ladda upp och importera").click()

    # The test backend runs the task during the request: the status page shows the finished import.
    summary = page.get_by_role("table", name="Sammanfattning av importen")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("row", name="Lästa rader")).to_contain_text("5")
    expect(summary.get_by_role("row", name="Godkända rader")).to_contain_text("3")
    expect(summary.get_by_role("row", name="Avvisade rader")).to_contain_text("2")
    expect(summary.get_by_role("row", name="Nya personer")).to_contain_text("3")
    expect(page.locator("#import-status")).to_have_attribute("aria-live", "polite")
    assert_page_ok(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hämta 2 avvisade rader").click()
    download = download_info.value
    assert download.suggested_filename.startswith("avvisade-rader-befolkning-")
    assert download.suggested_filename.endswith(".csv")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    lines = [line for line in target.read_bytes().decode("utf-8-sig").splitlines() if line]
    assert "fel" in lines[0].lower().replace(",", ";").split(";")
    assert len(lines) == 3  # the header and the two bad rows
    assert any(with_wrong_check_digit(number(3))[2:8] in line for line in lines[1:])

    page.get_by_role("link", name="Alla registerimporter").click()
    expect(page.get_by_role("table", name="Enhetens importer, senaste först")).to_contain_text("Befolkningsuttag")
    assert_page_ok(page)


def test_the_status_page_follows_a_running_import_until_it_is_done(page: Page, karin):
    imp = RegisterImport.objects.create(
        kind=ImportKind.STUDIES,
        municipality=karin.unit.organisation.municipality,
        unit=karin.unit,
        imported_by=karin,
        reference_date=dt.date(2026, 3, 2),
        original_name="studier.csv",
        status=ImportStatus.RUNNING,
        rows_read=1000,
        rows_accepted=990,
        rows_rejected=10,
    )
    login(page, "karin")
    page.goto(reverse("registers:detail", args=[imp.pk]))
    live = page.locator("#import-status")
    expect(live).to_contain_text("1000 rader lästa, 990 godkända, 10 avvisade")
    assert_page_ok(page)

    RegisterImport.objects.filter(pk=imp.pk).update(rows_read=2000, rows_accepted=1980, rows_rejected=20)
    expect(live).to_contain_text("2000 rader lästa, 1980 godkända, 20 avvisade", timeout=5_000)
    RegisterImport.objects.filter(pk=imp.pk).update(status=ImportStatus.DONE, persons_new=1980)
    expect(page.get_by_role("table", name="Sammanfattning av importen")).to_be_visible(timeout=5_000)
    # Polling stopped: the finished partial carries no trigger.
    expect(page.locator("[hx-trigger]")).to_have_count(0)
    assert_page_ok(page)


def test_karin_confirms_a_partial_extract_and_then_undoes_it(page: Page, karin):
    from vagval.registers.tests.factories import run_import, study_file, study_row

    run_import(karin, "befolkning", population_file([population_row(i) for i in range(10)]))
    run_import(karin, "studier", study_file([study_row(0)]))
    login(page, "karin")
    page.goto(reverse("registers:upload"))
    page.get_by_label("Befolkningsuttag").check()
    page.get_by_label("Fil").set_input_files(
        {"name": "befolkning-del.csv", "mimeType": "text/csv", "buffer": population_file([population_row(1)])}
    )
    page.get_by_role("button", name="Ladda upp och importera").click()

    # Nothing written yet: the status page says so and links to the confirmation.
    expect(page.get_by_text("Importen väntar på bekräftelse. Ingenting har ändrats i registret.")).to_be_visible()
    expect(page.get_by_text("9 av 10 personer i registret skulle lämna det.")).to_be_visible()
    expect(page.locator("[hx-trigger]")).to_have_count(0)
    assert_page_ok(page)
    page.get_by_role("link", name="Granska och bekräfta eller avbryt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta importen")
    expect(page.get_by_role("table", name="Det här skulle importen göra")).to_contain_text("9 (90 %)")
    assert_page_ok(page)

    page.get_by_role("button", name="Bekräfta och importera").click()
    summary = page.get_by_role("table", name="Sammanfattning av importen")
    expect(summary.get_by_role("row", name="Har lämnat registret")).to_contain_text("9")
    assert_page_ok(page)

    page.get_by_role("link", name="Ångra importen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ångra importen")
    expect(page.get_by_text("ändras inte tillbaka", exact=False)).to_be_visible()
    assert_page_ok(page)
    page.get_by_role("button", name="Ångra importen").click()
    expect(page.get_by_text("Importen ångrades", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Ångra importen")).to_have_count(0)


@pytest.mark.parametrize(
    ("outcome", "text"),
    [
        ({"refresh_status": RefreshStatus.DONE, "refresh_skipped": 2}, "2 personer kom inte med"),
        (
            {"refresh_status": RefreshStatus.FAILED, "refresh_message": "Listorna kunde inte beräknas."},
            "KAA- och UVAS-listorna uppdaterades inte.",
        ),
        ({"refresh_status": RefreshStatus.WAITING_FOR_STUDIES}, "beräknas när det första studieuttaget"),
    ],
)
def test_the_status_page_says_what_became_of_the_lists_after_the_import(page: Page, karin, outcome, text):
    imp = RegisterImport.objects.create(
        kind=ImportKind.STUDIES,
        municipality=karin.unit.organisation.municipality,
        unit=karin.unit,
        imported_by=karin,
        reference_date=dt.date(2026, 3, 2),
        original_name="studier.csv",
        status=ImportStatus.DONE,
        rows_read=10,
        rows_accepted=10,
        **outcome,
    )
    login(page, "karin")
    page.goto(reverse("registers:detail", args=[imp.pk]))
    expect(page.locator("#import-status")).to_contain_text(text)
    assert_page_ok(page)
