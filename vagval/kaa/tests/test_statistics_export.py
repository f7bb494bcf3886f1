"""The statistics file from the command line and the web: scope, log entries, exit codes."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command, execute_from_command_line
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import client_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.people.tests.factories import PersonFactory
from vagval.targetgroup.tests.factories import kaa_episode

# These tests run commands through their command line, which closes connections at the end.
pytestmark = pytest.mark.usefixtures("keep_connections_open")


@pytest.fixture
def registers(ludvika_kaa_unit, smedjebacken_kaa_unit):
    ludvika = [PersonFactory(first_name=f"Ludvika{i}") for i in range(3)]
    for p in ludvika:
        kaa_episode(p, ludvika_kaa_unit)
    smedjebacken = PersonFactory(first_name="Smedjebacken")
    kaa_episode(smedjebacken, smedjebacken_kaa_unit)
    return ludvika, smedjebacken


def _csv_numbers(content: bytes) -> set[str]:
    return {row[0] for row in list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))[1:]}


def test_the_command_writes_the_municipalitys_file_and_logs_each_person(registers, tmp_path, monkeypatch):
    ludvika, _smedjebacken = registers
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    call_command("kaa_statistik", "--kommun", "2085", "--halvar", "2026H1", "--format", "csv", stdout=out)
    path = tmp_path / "kaa-statistik-2085-2026H1.csv"
    assert _csv_numbers(path.read_bytes()) == {p.id_number for p in ludvika}
    assert "3 personer" in out.getvalue()
    entries = AccessLogEntry.objects.filter(action="kaa.statistics_exported")
    assert {e.person_id for e in entries} == {p.pk for p in ludvika}
    assert {(e.basis, e.username, e.role) for e in entries} == {(AccessBasis.OWN_UNIT, "system:kommandorad", "system")}


def test_the_command_as_karin_covers_her_unit_and_writes_xlsx(registers, karin, tmp_path):
    ludvika, _s = registers
    path = tmp_path / "ut.xlsx"
    call_command(
        "kaa_statistik",
        "--kommun",
        "2085",
        "--halvar",
        "2026H1",
        "--format",
        "xlsx",
        "--utfil",
        str(path),
        "--anvandare",
        "karin",
        stdout=io.StringIO(),
    )
    sheet = load_workbook(path).active
    assert {row[0] for row in list(sheet.iter_rows(values_only=True))[1:]} == {p.id_number for p in ludvika}
    assert set(AccessLogEntry.objects.values_list("username", flat=True)) == {"karin"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kommun", "2085", "--halvar", "2026H3"], "till exempel 2026H1"),
        (["--kommun", "9999", "--halvar", "2026H1"], "Okänd kommunkod"),
        (["--kommun", "2085", "--halvar", "2026H1", "--anvandare", "sven"], "hör inte till kommunen 2085"),
        (["--kommun", "2085", "--halvar", "2026H1", "--anvandare", "alice"], "inte KAA-ansvarig"),
    ],
)
def test_bad_arguments_exit_non_zero_with_a_swedish_message(registers, sven, alice, tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "kaa_statistik", *args, "--utfil", str(tmp_path / "x.csv")])
    assert exited.value.code != 0
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
    assert not AccessLogEntry.objects.exists()


def test_the_command_returns_normally_on_success(registers, tmp_path):
    # execute_from_command_line exits (non-zero) only on an error; returning means exit status 0.
    execute_from_command_line(
        ["manage.py", "kaa_statistik", "--kommun", "2085", "--halvar", "2026H1", "--utfil", str(tmp_path / "a.csv")]
    )
    assert (tmp_path / "a.csv").exists()


def test_karin_downloads_her_units_file_and_each_person_is_logged_once(registers, karin_client):
    ludvika, _s = registers
    assert karin_client.get(reverse("kaa:statistics")).status_code == 200
    response = karin_client.post(reverse("kaa:statistics"), {"half_year": _current_half_year(), "file_format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="kaa-statistik-2085-{_current_half_year()}.csv"'
    assert _csv_numbers(response.content) == {p.id_number for p in ludvika}
    entries = AccessLogEntry.objects.filter(action="kaa.statistics_exported")
    assert sorted(e.person_id for e in entries) == sorted(p.pk for p in ludvika)
    assert {e.username for e in entries} == {"karin"}


def test_sven_gets_only_smedjebackens_file(registers, sven_client):
    _l, smedjebacken = registers
    response = sven_client.post(reverse("kaa:statistics"), {"half_year": _current_half_year(), "file_format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]] == [smedjebacken.id_number]


def test_a_bad_half_year_or_format_is_a_form_error(registers, karin_client):
    for data in (
        {"half_year": "2026H3", "file_format": "csv"},
        {"half_year": _current_half_year(), "file_format": "pdf"},
    ):
        response = karin_client.post(reverse("kaa:statistics"), data)
        assert response.status_code == 400
    assert not AccessLogEntry.objects.exists()


def test_only_the_kaa_ansvarig_may_download(registers, alice_client, bob_client, charlie_client, dana, erik):
    url = reverse("kaa:statistics")
    for client in (alice_client, bob_client, charlie_client, client_for(erik), verified_admin_client(dana)):
        assert client.get(url).status_code == 403
        assert client.post(url, {"half_year": _current_half_year(), "file_format": "csv"}).status_code == 403
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not AccessLogEntry.objects.exists()


def _current_half_year() -> str:
    from django.utils import timezone

    today = timezone.localdate()
    return f"{today.year}H{1 if today.month <= 6 else 2}"


def test_episodes_of_the_current_half_year_are_in_the_download(karin_client, ludvika_kaa_unit):
    from django.utils import timezone

    young = PersonFactory()
    kaa_episode(young, ludvika_kaa_unit, opened_on=timezone.localdate() - dt.timedelta(days=1))
    response = karin_client.post(reverse("kaa:statistics"), {"half_year": _current_half_year(), "file_format": "csv"})
    assert _csv_numbers(response.content) == {young.id_number}


def test_an_unknown_municipality_is_reported_before_a_bad_half_year(registers, tmp_path, capsys):
    with pytest.raises(SystemExit):
        execute_from_command_line(
            ["manage.py", "kaa_statistik", "--kommun", "9999", "--halvar", "2026H3", "--utfil", str(tmp_path / "x.csv")]
        )
    assert "Okänd kommunkod: '9999'. Ange kommunens fyrsiffriga kod" in capsys.readouterr().err
    assert not AccessLogEntry.objects.exists()
