"""Downloading an import's rejected rows: the file as stored, a safe file name, one access-log entry."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from conftest import client_for
from vagval.audit.models import AccessLogEntry
from vagval.registers.models import ImportKind, ImportStatus
from vagval.registers.tests.factories import import_record

ROWS = "personnummer;skolform;status;fel\n20080230-1234;GY;pagaende;ogiltigt personnummer: datumet finns inte\n"


def _import(karin, *, kind=ImportKind.STUDIES, rejected: tuple[str, bytes] | None = ("avvisade.csv", ROWS.encode())):
    imp = import_record(
        karin,
        kind=kind,
        original_name="studier 200802301234.csv",
        status=ImportStatus.DONE,
        rows_read=1,
        rows_rejected=1,
    )
    if rejected:
        imp.rejected_file.save(rejected[0], ContentFile(rejected[1]))
    return imp


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_karin_downloads_the_rejected_rows_as_an_attachment(karin_client, karin):
    imp = _import(karin)
    response = karin_client.get(reverse("registers:rejected", args=[imp.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="avvisade-rader-studier-{imp.created_at:%Y-%m-%d-%H%M}.csv"' in disposition
    assert _body(response) == ROWS.encode()


def test_the_file_name_never_carries_the_uploaded_name_or_a_number(karin_client, karin):
    imp = _import(karin)
    response = karin_client.get(reverse("registers:rejected", args=[imp.pk]))
    assert "200802301234" not in response["Content-Disposition"]
    assert not re.search(r"\d{6,}", response["Content-Disposition"].replace(f"{imp.created_at:%Y-%m-%d-%H%M}", ""))


def test_an_xlsx_import_gives_an_xlsx_file(karin_client, karin):
    imp = _import(karin, kind=ImportKind.POPULATION, rejected=("avvisade.xlsx", b"PK\x03\x04 not really"))
    response = karin_client.get(reverse("registers:rejected", args=[imp.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="avvisade-rader-befolkning-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_the_download_is_logged_once_without_a_person(karin_client, karin):
    imp = _import(karin)
    karin_client.get(reverse("registers:rejected", args=[imp.pk]))
    entry = AccessLogEntry.objects.get(action="register.rejected_downloaded")
    assert entry.user_id == karin.pk
    assert entry.person_id is None
    assert entry.detail == {"import_id": str(imp.pk), "rows": 1, "kind": "studier"}


def test_an_import_without_rejected_rows_has_no_download(karin_client, karin):
    imp = _import(karin, rejected=None)
    assert karin_client.get(reverse("registers:rejected", args=[imp.pk])).status_code == 404
    assert (
        reverse("registers:rejected", args=[imp.pk])
        not in karin_client.get(reverse("registers:detail", args=[imp.pk])).content.decode()
    )
    assert not AccessLogEntry.objects.filter(action="register.rejected_downloaded").exists()


@pytest.mark.parametrize("persona", ["sven", "charlie", "alice"])
def test_other_units_cannot_download_and_nothing_is_logged(request, persona, karin):
    imp = _import(karin)
    response = client_for(request.getfixturevalue(persona)).get(reverse("registers:rejected", args=[imp.pk]))
    assert response.status_code == 404
    assert b"20080230" not in response.content
    assert not AccessLogEntry.objects.filter(action="register.rejected_downloaded").exists()


def test_the_status_page_links_to_the_download(karin_client, karin):
    imp = _import(karin)
    html = karin_client.get(reverse("registers:detail", args=[imp.pk])).content.decode()
    assert reverse("registers:rejected", args=[imp.pk]) in html
    assert "Hämta 1 avvisad rad" in html


def test_only_the_uploader_gets_the_rejected_rows_back(karin, ludvika_kaa_unit):
    """The rows come back as uploaded (a protected person's address included): not to the rest of the unit."""
    from vagval.accounts.models import Role
    from vagval.accounts.tests.factories import UserFactory

    colleague = UserFactory(username="kajsa", unit=ludvika_kaa_unit, role=Role.KAA)
    imp = _import(karin)
    client = client_for(colleague)

    assert client.get(reverse("registers:rejected", args=[imp.pk])).status_code == 403
    page = client.get(reverse("registers:detail", args=[imp.pk])).content.decode()
    assert reverse("registers:rejected", args=[imp.pk]) not in page
    assert "Bara den som laddade upp filen" in page
    assert not AccessLogEntry.objects.filter(action="register.rejected_downloaded").exists()
