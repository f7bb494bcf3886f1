"""The half-year statistics read persons through the access check, like every other export, and
the command line acts as the named system actor "kommandorad" (issue 10, hole 9)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from vagval.access import checks
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.kaa.statistics import HalfYear, statistics_scope_for_units, statistics_scope_for_viewer
from vagval.people.models import Person, Protection
from vagval.people.tests.factories import PersonFactory
from vagval.targetgroup.tests.factories import kaa_episode

pytestmark = pytest.mark.usefixtures("keep_connections_open")
H1 = HalfYear.parse("2026H1")


def _this_half_year() -> HalfYear:
    today = timezone.localdate()
    return HalfYear(today.year, 1 if today.month <= 6 else 2)


@pytest.fixture
def ludvika(ludvika_kaa_unit):
    persons = [PersonFactory(first_name=f"Ludvika{i}") for i in range(3)]
    persons.append(PersonFactory(first_name="Skyddad", protection=Protection.PROTECTED_REGISTRATION))
    for person in persons:
        kaa_episode(person, ludvika_kaa_unit, opened_on=dt.date(2026, 1, 10))
    return persons


def test_the_web_download_contains_only_the_persons_the_access_check_gives(ludvika, karin, karin_client, monkeypatch):
    hidden = ludvika[0]
    real = checks.list_access

    def without_hidden(*, viewer, persons):
        return {pk: access for pk, access in real(viewer=viewer, persons=persons).items() if pk != hidden.pk}

    monkeypatch.setattr("vagval.kaa.statistics.list_access", without_hidden)
    half_year = str(_this_half_year())  # the episodes are open: in every half-year since January 2026
    response = karin_client.post(reverse("kaa:statistics"), {"half_year": half_year, "file_format": "csv"})

    assert response.status_code == 200
    assert hidden.id_number not in response.content.decode("utf-8-sig")
    logged = set(AccessLogEntry.objects.filter(action="kaa.statistics_exported").values_list("person_id", flat=True))
    assert logged == {p.pk for p in ludvika[1:]}


def test_the_viewer_scope_and_the_system_actor_scope_agree_on_the_units_register(ludvika, karin, ludvika_kaa_unit):
    # A merged person is in neither; a protected one is in both (a statutory report).
    merged = ludvika[1]
    Person.objects.filter(pk=merged.pk).update(merged_into=ludvika[2])
    for_karin = statistics_scope_for_viewer(viewer=karin, half_year=H1)
    for_command = statistics_scope_for_units(unit_ids=[ludvika_kaa_unit.pk], half_year=H1)
    expected = {p.pk: (AccessBasis.OWN_UNIT, None) for p in ludvika if p != merged}
    assert dict(for_karin.grants) == dict(for_command.grants) == expected


def test_the_command_logs_each_person_as_the_command_line_actor_with_the_os_user(
    ludvika, ludvika_kaa_unit, tmp_path, monkeypatch
):
    monkeypatch.setattr("getpass.getuser", lambda: "drift-anna")
    path = tmp_path / "ut.csv"
    call_command("kaa_statistik", "--kommun", "2085", "--halvar", "2026H1", "--utfil", str(path), stdout=io.StringIO())

    entries = AccessLogEntry.objects.filter(action="kaa.statistics_exported")
    assert sorted(e.person_id for e in entries) == sorted(p.pk for p in ludvika)
    assert {(e.username, e.client_address, e.basis) for e in entries} == {
        ("system:kommandorad", "drift-anna", AccessBasis.OWN_UNIT)
    }
    assert entries[0].detail["units"] == [str(ludvika_kaa_unit.pk)]
    assert not AccessLogEntry.objects.filter(username__startswith="kommandorad:").exists()


def test_the_command_for_a_kaa_ansvarig_goes_through_their_access_check(ludvika, karin, tmp_path, monkeypatch):
    calls = []
    real = checks.list_access

    def counted(*, viewer, persons):
        calls.append(viewer.username)
        return real(viewer=viewer, persons=persons)

    monkeypatch.setattr("vagval.kaa.statistics.list_access", counted)
    path = tmp_path / "ut.csv"
    call_command(
        "kaa_statistik",
        "--kommun",
        "2085",
        "--halvar",
        "2026H1",
        "--utfil",
        str(path),
        "--anvandare",
        "karin",
        stdout=io.StringIO(),
    )
    assert calls == ["karin"]
    assert set(AccessLogEntry.objects.values_list("username", flat=True)) == {"karin"}
