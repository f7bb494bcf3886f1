"""The target-group refresh after an import: done as the system actor "registerimport", and its
outcome (failed, persons skipped, waiting for a studies extract) kept on the import and shown on
its status page, so lists that stop updating are never silent (issue 10, hole 3)."""

import datetime as dt

from django.urls import reverse

from vagval.audit.models import AccessLogEntry
from vagval.people.models import Person
from vagval.registers.models import ImportStatus, RefreshStatus
from vagval.registers.tests.factories import number, population_file, population_row, run_import, study_file, study_row


def _population_then_studies(karin):
    run_import(karin, "befolkning", population_file([population_row(1), population_row(2), population_row(3)]))
    # Person 3's birth date became impossible (the API and the form accepted such dates).
    Person.objects.filter(id_number=number(3)).update(birth_date=dt.date(9999, 6, 1))
    return run_import(karin, "studier", study_file([study_row(1)]))


def test_a_population_import_before_any_studies_extract_says_the_lists_wait_for_one(karin, karin_client):
    imp = run_import(karin, "befolkning", population_file([population_row(1)]))
    assert imp.refresh_status == RefreshStatus.WAITING_FOR_STUDIES
    html = karin_client.get(reverse("registers:detail", args=[imp.pk])).content.decode()
    assert "beräknas när det första studieuttaget är importerat" in html


def test_a_person_with_an_impossible_birth_date_is_skipped_and_the_page_says_so(karin, karin_client):
    imp = _population_then_studies(karin)

    assert imp.status == ImportStatus.DONE
    assert (imp.refresh_status, imp.refresh_skipped) == (RefreshStatus.DONE, 1)
    # Person 2 (no studies) is on the KAA list, computed as the register import.
    opened = AccessLogEntry.objects.get(action="targetgroup.episode_opened")
    assert opened.person_id == Person.objects.get(id_number=number(2)).pk
    assert opened.username == "system:registerimport"
    html = karin_client.get(reverse("registers:detail", args=[imp.pk])).content.decode()
    assert "1 person kom inte med när KAA- och UVAS-listorna beräknades." in html
    assert number(3) not in html


def test_a_refresh_that_fails_is_shown_on_the_status_page_of_the_import(karin, karin_client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    run_import(karin, "befolkning", population_file([population_row(1)]))
    monkeypatch.setattr("vagval.targetgroup.services.target_group_refresh", broken)
    imp = run_import(karin, "studier", study_file([study_row(1)]))

    assert imp.status == ImportStatus.DONE  # the import itself is kept
    assert imp.refresh_status == RefreshStatus.FAILED
    html = karin_client.get(reverse("registers:detail", args=[imp.pk])).content.decode()
    assert "KAA- och UVAS-listorna uppdaterades inte." in html
    assert "kunde inte beräknas efter importen på grund av ett tekniskt fel" in html
    assert "database hiccup" not in html


def test_a_refresh_without_problems_shows_no_warning(karin, karin_client):
    run_import(karin, "befolkning", population_file([population_row(1)]))
    imp = run_import(karin, "studier", study_file([study_row(1)]))
    assert (imp.refresh_status, imp.refresh_skipped) == (RefreshStatus.DONE, 0)
    html = karin_client.get(reverse("registers:detail", args=[imp.pk])).content.decode()
    assert "uppdaterades inte" not in html
    assert "kom inte med" not in html
