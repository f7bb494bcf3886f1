"""Administration of instruments: the list of instruments and versions, and uploading a new version."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.assessments.models import InstrumentVersion, VersionSource
from vagval.assessments.tests.helpers import instrument, record
from vagval.audit.models import AccessLogEntry

VF = Path(__file__).resolve().parents[1] / "instruments" / "vagen-framat" / "v1.json"
PAGES = [
    reverse("assessments:instrument_list"),
    reverse("assessments:instrument_version", args=["vagen-framat", 1]),
]


@pytest.fixture
def admin_client(dana):
    return verified_admin_client(dana)


def upload(client, data, name="vagen-framat-v2.json"):
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode("utf-8")
    return client.post(
        reverse("assessments:instrument_list"),
        {"file": SimpleUploadedFile(name, raw, content_type="application/json")},
    )


def vf(**changes):
    data = json.loads(VF.read_text(encoding="utf-8"))
    data.update(changes)
    return data


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_log_in(db, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "erik"])
def test_non_administrators_get_403(db, url, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403
    assert client.post(url).status_code in {403, 405}


@pytest.mark.parametrize("url", PAGES)
def test_an_administrator_must_pass_two_factor_first(dana, url):
    response = client_for(dana).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_the_list_shows_instruments_versions_and_answer_counts(admin_client, alice, alices_person):
    record(alices_person, alice)
    page = admin_client.get(reverse("assessments:instrument_list")).content.decode()
    assert "Vägen framåt" in page
    assert "Hälsokartläggning" in page
    assert reverse("assessments:instrument_version", args=["vagen-framat", 1]) in page


def test_a_version_page_shows_the_definition(admin_client):
    page = admin_client.get(reverse("assessments:instrument_version", args=["vagen-framat", 1])).content.decode()
    assert "Jag klarar det själv" in page
    assert "Coach tillsammans med den unga" in page
    assert admin_client.get(reverse("assessments:instrument_version", args=["vagen-framat", 9])).status_code == 404


def test_an_administrator_uploads_a_new_version(admin_client, dana):
    response = upload(admin_client, vf(version=2, title="Vägen framåt 2"))
    assert response.status_code == 302
    vagen = instrument("vagen-framat")
    assert vagen.current_version.number == 2
    assert vagen.title == "Vägen framåt 2"
    assert vagen.current_version.source == VersionSource.UPLOAD
    assert vagen.current_version.loaded_by == dana
    entry = AccessLogEntry.objects.get(action="instrument.version_uploaded")
    assert entry.basis == "administration"
    assert entry.detail == {"instrument": "vagen-framat", "version": 2}


def test_an_administrator_adds_a_new_instrument(admin_client):
    data = vf(slug="min-egen", version=1, title="Min egen skattning", distance_travelled=False)
    assert upload(admin_client, data).status_code == 302
    assert instrument("min-egen").current_version.number == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{ inte json", "Filen är inte giltig JSON"),
        (vf(version=1), "Ge den nya versionen nummer 2"),
        (vf(version=2, sensitive=True), "får inte ändra om instrumentet är känsligt"),
        (vf(version=2, respondents=["alla"]), "&quot;respondents&quot; måste vara en lista"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_a_bad_upload_gets_a_swedish_error_and_changes_nothing(admin_client, data, message):
    response = upload(admin_client, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert InstrumentVersion.objects.filter(instrument__slug="vagen-framat").count() == 1
