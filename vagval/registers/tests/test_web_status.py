"""The status page of an import: live progress while it runs, then the summary or the one error."""

import pytest
from django.urls import reverse

from vagval.registers.models import ImportStatus, RegisterImport
from vagval.registers.tests.factories import import_record


@pytest.fixture
def running(karin) -> RegisterImport:
    return import_record(karin, status=ImportStatus.RUNNING, rows_read=1200, rows_accepted=1150, rows_rejected=50)


def test_the_progress_partial_of_a_running_import_shows_counts_and_keeps_polling(karin_client, running):
    response = karin_client.get(reverse("registers:progress", args=[running.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # the partial only
    assert "1200 rader lästa, 1150 godkända, 50 avvisade" in html
    assert "<progress" in html
    assert f'hx-get="{reverse("registers:progress", args=[running.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html


def test_the_partial_follows_the_counters_as_the_import_advances(karin_client, running):
    url = reverse("registers:progress", args=[running.pk])
    RegisterImport.objects.filter(pk=running.pk).update(rows_read=2400, rows_accepted=2300, rows_rejected=100)
    assert "2400 rader lästa, 2300 godkända, 100 avvisade" in karin_client.get(url).content.decode()


def test_the_status_page_of_a_running_import_has_a_live_region_and_works_without_javascript(karin_client, running):
    html = karin_client.get(reverse("registers:detail", args=[running.pk])).content.decode()
    assert 'aria-live="polite"' in html
    assert html.count("<h1") == 1
    assert "1200 rader lästa" in html
    # Without JavaScript the reader reloads the page with a link.
    assert f'href="{reverse("registers:detail", args=[running.pk])}"' in html


def test_a_queued_import_says_it_waits_for_the_worker(karin_client, karin):
    queued = import_record(karin, status=ImportStatus.QUEUED)
    html = karin_client.get(reverse("registers:progress", args=[queued.pk])).content.decode()
    assert "väntar på att bakgrundsjobbet ska starta" in html
    assert 'hx-trigger="every 1s"' in html


def test_a_finished_import_stops_polling_and_shows_the_summary(karin_client, karin):
    done = import_record(
        karin,
        status=ImportStatus.DONE,
        rows_read=10,
        rows_accepted=8,
        rows_rejected=2,
        persons_new=5,
        persons_changed=3,
        persons_left=4,
    )
    html = karin_client.get(reverse("registers:progress", args=[done.pk])).content.decode()
    assert "hx-trigger" not in html
    assert "<progress" not in html
    for label, value in [
        ("Lästa rader", 10),
        ("Godkända rader", 8),
        ("Avvisade rader", 2),
        ("Nya personer", 5),
        ("Ändrade personer", 3),
        ("Har lämnat registret", 4),
    ]:
        assert f'<th scope="row">{label}</th><td>{value}</td>' in html


def test_a_failed_import_shows_its_one_error_and_stops_polling(karin_client, karin):
    failed = import_record(karin, status=ImportStatus.FAILED, error="Filen saknar kolumnen personnummer.")
    html = karin_client.get(reverse("registers:detail", args=[failed.pk])).content.decode()
    assert "Filen saknar kolumnen personnummer." in html
    assert "Registret har inte ändrats" in html
    assert "hx-trigger" not in html
    assert "Sammanfattning av importen" not in html
