"""An import whose worker died (killed, restarted, out of memory) stays 'running' in the database:
its task never reports back. The import writes in one transaction, so nothing was changed; after
ABANDONED_AFTER the pages show it as failed, stop polling and ask the user to try again."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from vagval.registers.models import ImportStatus, RegisterImport
from vagval.registers.services import ABANDONED_AFTER, register_imports_fail_abandoned
from vagval.registers.tests.factories import import_record


def _import(karin, *, status, started_ago: dt.timedelta | None) -> RegisterImport:
    started_at = timezone.now() - started_ago if started_ago is not None else None
    return import_record(karin, status=status, started_at=started_at)


@pytest.fixture
def abandoned(karin) -> RegisterImport:
    return _import(karin, status=ImportStatus.RUNNING, started_ago=ABANDONED_AFTER + dt.timedelta(minutes=1))


def test_a_running_import_past_the_limit_is_failed_with_a_message(abandoned):
    register_imports_fail_abandoned([abandoned])
    stored = RegisterImport.objects.get(pk=abandoned.pk)
    assert stored.status == ImportStatus.FAILED
    assert "Ingenting ändrades" in stored.error
    assert stored.finished_at is not None
    assert abandoned.status == ImportStatus.FAILED  # the caller's object follows, for the page it renders


@pytest.mark.parametrize(
    ("status", "started_ago"),
    [
        (ImportStatus.RUNNING, ABANDONED_AFTER - dt.timedelta(minutes=1)),  # still working
        (ImportStatus.QUEUED, None),  # waits for a worker, however long
        (ImportStatus.DONE, ABANDONED_AFTER * 3),
    ],
)
def test_other_imports_are_left_as_they_are(karin, status, started_ago):
    imp = _import(karin, status=status, started_ago=started_ago)
    register_imports_fail_abandoned([imp])
    assert RegisterImport.objects.get(pk=imp.pk).status == status


def test_a_worker_that_finished_meanwhile_is_not_overwritten(abandoned):
    RegisterImport.objects.filter(pk=abandoned.pk).update(status=ImportStatus.DONE)
    register_imports_fail_abandoned([abandoned])  # the caller's object still says running
    assert RegisterImport.objects.get(pk=abandoned.pk).status == ImportStatus.DONE


@pytest.mark.parametrize("page", ["registers:detail", "registers:progress"])
def test_the_status_page_of_an_abandoned_import_says_so_and_stops_polling(karin_client, abandoned, page):
    html = karin_client.get(reverse(page, args=[abandoned.pk])).content.decode()
    assert "Ingenting ändrades" in html
    assert 'hx-trigger="every 1s"' not in html


def test_the_list_shows_an_abandoned_import_as_failed(karin_client, abandoned):
    html = karin_client.get(reverse("registers:list")).content.decode()
    assert str(ImportStatus.FAILED.label) in html
    assert RegisterImport.objects.get(pk=abandoned.pk).status == ImportStatus.FAILED
