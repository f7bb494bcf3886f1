"""Uploading an extract through the web form: the import runs as a task after commit, bad input is a field error."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vagval.registers.importing.samples import with_wrong_check_digit
from vagval.registers.models import ImportKind, ImportStatus, PopulationEntry, RegisterImport
from vagval.registers.tests.factories import number, population_file, population_row


def _csv(content: bytes, name: str = "befolkning.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _good_and_bad() -> bytes:
    bad = population_row(3, personnummer=with_wrong_check_digit(number(3)))
    return population_file([population_row(1), population_row(2), bad])


def test_the_upload_page_offers_both_kinds_and_defaults_to_today(karin_client):
    html = karin_client.get(reverse("registers:upload")).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Befolkningsuttag" in html
    assert "Studieuttag" in html
    assert f'value="{dt.date.today():%Y-%m-%d}"' in html
    assert html.count("<h1") == 1


def test_karin_uploads_and_is_sent_to_the_status_page_of_a_finished_import(
    karin, karin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = karin_client.post(
            reverse("registers:upload"),
            {"kind": ImportKind.POPULATION, "file": _csv(_good_and_bad()), "reference_date": "2026-03-02"},
        )
    imp = RegisterImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("registers:detail", args=[imp.pk])
    assert len(callbacks) == 1  # the task was enqueued on commit, not during the request's writes
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE
    assert (imp.rows_read, imp.rows_accepted, imp.rows_rejected) == (3, 2, 1)
    assert imp.unit == karin.unit
    assert imp.municipality.code == "2085"
    assert imp.reference_date == dt.date(2026, 3, 2)
    assert imp.original_name == "befolkning.csv"
    assert PopulationEntry.objects.count() == 2
    html = karin_client.get(response.url).content.decode()
    assert '<th scope="row">Godkända rader</th><td>2</td>' in html
    assert reverse("registers:rejected", args=[imp.pk]) in html


def test_rejected_rows_from_an_upload_download_with_a_reason(karin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        karin_client.post(
            reverse("registers:upload"),
            {"kind": ImportKind.POPULATION, "file": _csv(_good_and_bad()), "reference_date": "2026-03-02"},
        )
    imp = RegisterImport.objects.get()
    response = karin_client.get(reverse("registers:rejected", args=[imp.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = [line for line in text.splitlines() if line]
    assert "fel" in lines[0].lower()
    assert len(lines) == 2
    assert "kontrollsiffra" in lines[1]


def test_a_broken_file_gives_the_one_error_on_the_status_page(karin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = karin_client.post(
            reverse("registers:upload"),
            {"kind": ImportKind.STUDIES, "file": _csv(b"\x00\x01\x02binary junk\xff\xfe" * 20, "x.csv")},
        )
    imp = RegisterImport.objects.get()
    assert imp.status == ImportStatus.FAILED
    html = karin_client.get(response.url).content.decode()
    assert imp.error
    assert imp.error in html
    assert "hx-trigger" not in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"file": None}, "kind", "Detta fält måste fyllas i."),
        ({"kind": "okand"}, "kind", "Välj ett giltigt alternativ."),
        ({"file": "missing"}, "file", "Detta fält måste fyllas i."),
        ({"file": ("lista.pdf", b"%PDF-1.4")}, "file", "Filen måste vara en CSV-fil"),
        ({"file": ("tom.csv", b"")}, "file", "tom"),
        ({"reference_date": "2026-02-30"}, "reference_date", "Fyll i ett giltigt datum."),
    ],
)
def test_bad_input_is_a_swedish_field_error_and_nothing_is_stored(karin_client, data, field, message):
    form = {
        "kind": ImportKind.POPULATION,
        "file": _csv(population_file([population_row(1)])),
        "reference_date": "2026-03-02",
    }
    for key, value in data.items():
        if value is None:
            form.pop("kind")
        elif value == "missing":
            form.pop("file")
        elif isinstance(value, tuple):
            form[key] = _csv(value[1], value[0])
        else:
            form[key] = value
    response = karin_client.post(reverse("registers:upload"), form)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert not RegisterImport.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_stored(karin_client, monkeypatch):
    monkeypatch.setattr("vagval.registers.forms.MAX_UPLOAD_BYTES", 10)
    response = karin_client.post(
        reverse("registers:upload"),
        {"kind": ImportKind.POPULATION, "file": _csv(population_file([population_row(1)])), "reference_date": ""},
    )
    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_sven_imports_into_smedjebacken_only(sven, sven_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sven_client.post(
            reverse("registers:upload"),
            {"kind": ImportKind.POPULATION, "file": _csv(population_file([population_row(1)]))},
        )
    imp = RegisterImport.objects.get()
    assert imp.municipality.code == "2061"
    assert imp.unit == sven.unit


def test_a_file_with_only_bad_rows_fails_but_offers_the_rejected_rows(karin_client, django_capture_on_commit_callbacks):
    bad = [population_row(i, personnummer=with_wrong_check_digit(number(i))) for i in (1, 2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = karin_client.post(
            reverse("registers:upload"),
            {"kind": ImportKind.POPULATION, "file": _csv(population_file(bad)), "reference_date": "2026-03-02"},
        )
    imp = RegisterImport.objects.get()
    assert imp.status == ImportStatus.FAILED
    assert not PopulationEntry.objects.exists()
    html = karin_client.get(response.url).content.decode()
    assert "2 rader lästa, 0 godkända, 2 avvisade" in html
    assert reverse("registers:rejected", args=[imp.pk]) in html
    assert karin_client.get(reverse("registers:rejected", args=[imp.pk])).status_code == 200
