"""The pages for an import that waits for confirmation and for undoing the latest import."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.registers.models import ImportStatus, PopulationEntry, RegisterImport
from vagval.registers.tests.factories import population_file, population_row, run_import, study_file, study_row

pytestmark = pytest.mark.django_db

REGISTER = 20


@pytest.fixture
def waiting(karin) -> RegisterImport:
    run_import(karin, "befolkning", population_file([population_row(i) for i in range(REGISTER)]))
    run_import(karin, "studier", study_file([study_row(0)]))
    imp = run_import(karin, "befolkning", population_file([population_row(i) for i in range(2)]))
    assert imp.status == ImportStatus.AWAITING_CONFIRMATION
    return imp


@pytest.fixture
def reader_client(ludvika_kaa_unit):
    return client_for(UserFactory(username="rut", unit=ludvika_kaa_unit, role=Role.KAA, read_only=True))


def test_the_status_page_of_a_waiting_import_stops_polling_and_links_to_the_confirmation(karin_client, waiting):
    html = karin_client.get(reverse("registers:detail", args=[waiting.pk])).content.decode()

    assert "Väntar på bekräftelse" in html
    assert f"18 av {REGISTER} personer i registret skulle lämna det" in html
    assert "every 1s" not in html
    assert reverse("registers:confirm", args=[waiting.pk]) in html


def test_the_confirmation_page_shows_the_counts_and_a_few_names_and_logs_them(karin_client, karin, waiting):
    response = karin_client.get(reverse("registers:confirm", args=[waiting.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Ingenting har ändrats i registret ännu" in html
    assert "18 (90 %)" in html
    shown = AccessLogEntry.objects.filter(action="register.leaving_examples_viewed", user=karin)
    assert shown.count() == 5
    assert all(f"Förnamn{i} " not in html for i in range(2))  # those staying are not examples
    assert html.count("Lind</li>") == 5


def test_confirming_runs_the_import_in_the_background(karin_client, waiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = karin_client.post(reverse("registers:confirm", args=[waiting.pk]))

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ImportStatus.DONE, waiting.error
    assert PopulationEntry.objects.filter(present=True).count() == 2


def test_cancelling_discards_the_import(karin_client, waiting):
    response = karin_client.post(reverse("registers:cancel", args=[waiting.pk]))

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ImportStatus.CANCELLED
    assert PopulationEntry.objects.filter(present=True).count() == REGISTER
    html = karin_client.get(reverse("registers:detail", args=[waiting.pk])).content.decode()
    assert "Importen avbröts innan något skrevs" in html


def test_the_undo_button_and_its_confirmation_step_undo_the_latest_import(
    karin_client, waiting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        karin_client.post(reverse("registers:confirm", args=[waiting.pk]))
    detail = karin_client.get(reverse("registers:detail", args=[waiting.pk])).content.decode()
    undo_url = reverse("registers:undo", args=[waiting.pk])
    assert undo_url in detail

    step = karin_client.get(undo_url).content.decode()
    assert "ändras inte tillbaka" in step
    assert PopulationEntry.objects.filter(present=True).count() == 2  # the GET changes nothing
    response = karin_client.post(undo_url)

    assert response.status_code == 302
    assert PopulationEntry.objects.filter(present=True).count() == REGISTER
    detail = karin_client.get(reverse("registers:detail", args=[waiting.pk])).content.decode()
    assert "Importen ångrades" in detail
    assert undo_url not in detail
    again = karin_client.post(undo_url, follow=True).content.decode()
    assert "redan ångrad" in again


def test_an_older_import_has_no_undo_button_and_its_undo_is_refused(karin_client, karin):
    first = run_import(karin, "befolkning", population_file([population_row(1)]))
    run_import(karin, "befolkning", population_file([population_row(1), population_row(2)]))
    undo_url = reverse("registers:undo", args=[first.pk])

    assert undo_url not in karin_client.get(reverse("registers:detail", args=[first.pk])).content.decode()
    assert "senaste" in karin_client.post(undo_url, follow=True).content.decode()
    assert RegisterImport.objects.get(pk=first.pk).undone_at is None


@pytest.mark.parametrize("name", ["confirm", "cancel", "undo"])
def test_another_unit_gets_404(name, sven_client, alice_client, waiting):
    url = reverse(f"registers:{name}", args=[waiting.pk])
    assert sven_client.post(url).status_code == 404
    assert alice_client.post(url).status_code == 404
    assert RegisterImport.objects.get(pk=waiting.pk).status == ImportStatus.AWAITING_CONFIRMATION


@pytest.mark.parametrize("name", ["confirm", "cancel", "undo"])
def test_read_only_and_non_kaa_users_of_the_unit_get_403_on_writes(name, reader_client, ludvika_kaa_unit, waiting):
    coach = client_for(UserFactory(username="kajsa", unit=ludvika_kaa_unit, role=Role.COACH))
    url = reverse(f"registers:{name}", args=[waiting.pk])
    assert reader_client.post(url).status_code == 403
    assert coach.post(url).status_code == 403
    assert RegisterImport.objects.get(pk=waiting.pk).status == ImportStatus.AWAITING_CONFIRMATION


def test_a_read_only_kaa_user_sees_the_confirmation_page_without_buttons(reader_client, waiting):
    html = reader_client.get(reverse("registers:confirm", args=[waiting.pk])).content.decode()
    assert "Bara en KAA-ansvarig med skrivbehörighet" in html
    assert reverse("registers:cancel", args=[waiting.pk]) not in html


def test_anonymous_users_are_sent_to_login(client, waiting):
    for name in ("confirm", "cancel", "undo"):
        response = client.post(reverse(f"registers:{name}", args=[waiting.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
