"""Who gets which register import page: every persona against every endpoint."""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.registers.models import ImportStatus, RegisterImport
from vagval.registers.tests.factories import import_record

REJECTED_CSV = "personnummer;fornamn;efternamn;kommunkod;fel\n19990101-0000;Test;Felsson;2085;ogiltigt personnummer\n"


def make_import(user, **fields) -> RegisterImport:
    values = {"status": ImportStatus.DONE, "rows_read": 3, "rows_accepted": 2, "rows_rejected": 1}
    imp = import_record(user, **(values | fields))
    imp.rejected_file.save("avvisade.csv", ContentFile(REJECTED_CSV.encode()))
    return imp


@pytest.fixture
def ludvika_import(karin) -> RegisterImport:
    return make_import(karin, original_name="befolkning-mars.csv")


@pytest.fixture
def reader_client(ludvika_kaa_unit) -> Client:
    """A read-only KAA-ansvarig at karin's unit (bob's counterpart in the KAA unit)."""
    return client_for(UserFactory(username="rut", unit=ludvika_kaa_unit, role=Role.KAA, read_only=True))


@pytest.fixture
def kaa_unit_coach_client(ludvika_kaa_unit) -> Client:
    """A coach at karin's unit without the KAA role."""
    return client_for(UserFactory(username="kajsa", unit=ludvika_kaa_unit, role=Role.COACH))


def _import_urls(imp):
    return [
        reverse("registers:detail", args=[imp.pk]),
        reverse("registers:progress", args=[imp.pk]),
        reverse("registers:rejected", args=[imp.pk]),
    ]


def _assert_csp_clean(html: str) -> None:
    assert "style=" not in html
    assert "onclick" not in html.lower()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_anonymous_users_are_sent_to_login(ludvika_import):
    urls = [reverse("registers:list"), reverse("registers:upload"), *_import_urls(ludvika_import)]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login"))
    assert Client().post(reverse("registers:upload")).status_code == 302


def test_karin_sees_every_page_of_her_units_import(karin_client, ludvika_import):
    for url in [reverse("registers:list"), reverse("registers:upload"), *_import_urls(ludvika_import)]:
        response = karin_client.get(url)
        assert response.status_code == 200, url
        if response.get("Content-Type", "").startswith("text/html"):
            _assert_csp_clean(response.content.decode())


def test_the_list_shows_the_units_imports_with_counts_and_a_link(karin_client, ludvika_import):
    html = karin_client.get(reverse("registers:list")).content.decode()
    assert reverse("registers:detail", args=[ludvika_import.pk]) in html
    assert "Befolkningsuttag" in html
    assert "Klar" in html
    assert "2026-03-01" in html
    assert reverse("registers:upload") in html


def test_read_only_kaa_user_sees_list_and_status_but_cannot_upload_or_download(reader_client, ludvika_import):
    html = reader_client.get(reverse("registers:list")).content.decode()
    assert reverse("registers:detail", args=[ludvika_import.pk]) in html
    assert reverse("registers:upload") not in html
    detail = reader_client.get(reverse("registers:detail", args=[ludvika_import.pk]))
    assert detail.status_code == 200
    assert reverse("registers:rejected", args=[ludvika_import.pk]) not in detail.content.decode()
    assert reader_client.get(reverse("registers:progress", args=[ludvika_import.pk])).status_code == 200
    assert reader_client.get(reverse("registers:upload")).status_code == 403
    assert reader_client.post(reverse("registers:upload"), {"kind": "befolkning"}).status_code == 403
    assert reader_client.get(reverse("registers:rejected", args=[ludvika_import.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["alice", "charlie", "dana", "erik"])
def test_users_without_the_kaa_role_get_403_on_list_and_upload_and_404_on_an_import(request, persona, ludvika_import):
    user = request.getfixturevalue(persona)
    client = verified_admin_client(user) if persona == "dana" else client_for(user)
    assert client.get(reverse("registers:list")).status_code == 403
    assert client.get(reverse("registers:upload")).status_code == 403
    assert client.post(reverse("registers:upload"), {"kind": "befolkning"}).status_code == 403
    for url in _import_urls(ludvika_import):
        assert client.get(url).status_code == 404, url


def test_a_coach_at_the_kaa_unit_without_the_kaa_role_gets_403(kaa_unit_coach_client, ludvika_import):
    assert kaa_unit_coach_client.get(reverse("registers:list")).status_code == 403
    for url in _import_urls(ludvika_import):
        assert kaa_unit_coach_client.get(url).status_code == 403, url


def test_sven_neither_sees_nor_downloads_ludvikas_import(sven, sven_client, ludvika_import):
    own = make_import(sven, original_name="smedjebacken.csv")
    html = sven_client.get(reverse("registers:list")).content.decode()
    assert reverse("registers:detail", args=[own.pk]) in html
    assert str(ludvika_import.pk) not in html
    for url in _import_urls(ludvika_import):
        response = sven_client.get(url)
        assert response.status_code == 404, url
        assert "befolkning-mars" not in response.content.decode()


def test_an_unknown_import_id_is_404(karin_client, ludvika_import):
    assert karin_client.get(reverse("registers:detail", args=["00000000-0000-0000-0000-000000000000"])).status_code == (
        404
    )


def test_pages_refuse_other_methods(karin_client, ludvika_import):
    assert karin_client.post(reverse("registers:list")).status_code == 405
    assert karin_client.post(reverse("registers:detail", args=[ludvika_import.pk])).status_code == 405
    assert karin_client.delete(reverse("registers:rejected", args=[ludvika_import.pk])).status_code == 405
