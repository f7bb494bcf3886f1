"""Exporting the caseload list as CSV: the same persons as the list, never numbers, contacts or protected persons."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry
from vagval.consent.models import ConsentCategory
from vagval.consent.tests.factories import share
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import OrganisationFactory, ProjectFactory, UnitFactory
from vagval.people.models import EnrolmentStatus, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

URL = reverse("people:export")
HEADER = ["Förnamn", "Efternamn", "Födelsedatum", "Kön", "Projekt", "Status", "Coach"]


@pytest.fixture
def frida(db):
    """A partner handläggare at Arbetsförmedlingen."""
    unit = UnitFactory(
        organisation=OrganisationFactory(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE),
        name="Ludvika",
    )
    return UserFactory(username="frida", first_name="Frida", unit=unit, role=Role.PARTNER)


def rows_of(response) -> list[list[str]]:
    """The CSV rows after the header (asserting the file's format on the way)."""
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADER
    return rows[1:]


def last_names(response) -> list[str]:
    return [row[1] for row in rows_of(response)]


def _ludvika_person(alice, project, coach=None, **fields):
    person = PersonFactory(**fields)
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=coach or alice)
    return person


def test_anonymous_is_sent_to_the_login_page(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_file_is_a_semicolon_csv_with_a_bom_and_a_neutral_file_name(alice_client, alices_person, project):
    response = alice_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="deltagare-{dt.date.today():%Y-%m-%d}.csv"'
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert rows_of(response) == [
        ["Moa", "Provsson", "2005-03-14", "Kvinna", project.name, "Pågående", "Alice Testsson"]
    ]


def test_it_never_contains_the_identity_number_or_contact_details(alice_client, alices_person):
    alices_person.email = "moa@example.org"
    alices_person.save()
    text = alice_client.get(URL).content.decode("utf-8-sig")
    number = alices_person.id_number
    for secret in (number, f"{number[:8]}-{number[8:]}", number[8:], "Provgatan", "77130", "070-000", "moa@example"):
        assert secret not in text


def test_a_protected_person_is_never_exported_even_for_the_responsible_coach(alice, alice_client, project):
    _ludvika_person(alice, project, last_name="Synligsson")
    _ludvika_person(alice, project, last_name="Markeradsson", protection=Protection.CONFIDENTIALITY_MARK)
    _ludvika_person(alice, project, last_name="Skyddsson", protection=Protection.PROTECTED_REGISTRATION)
    # The caseload shows them (to their own unit); the export leaves them out.
    page = alice_client.get(reverse("people:caseload")).content.decode()
    assert "Markeradsson" in page
    assert "Skyddsson" in page
    assert last_names(alice_client.get(URL)) == ["Synligsson"]


def test_it_uses_the_caseload_filters(alice, alice_client, alices_person, project):
    colleague = UserFactory(username="kollega", first_name="Kim", unit=alice.unit)
    _ludvika_person(alice, project, coach=colleague, last_name="Kollegasson")
    kaa = ProjectFactory(name="KAA Ludvika")
    paused = _ludvika_person(alice, kaa, last_name="Vilandesson")
    paused.enrolments.update(status=EnrolmentStatus.PAUSED)
    assert last_names(alice_client.get(URL)) == ["Provsson", "Vilandesson"]
    assert last_names(alice_client.get(URL, {"visa": "alla"})) == ["Kollegasson", "Provsson", "Vilandesson"]
    assert last_names(alice_client.get(URL, {"visa": "alla", "project": str(kaa.pk)})) == ["Vilandesson"]
    assert last_names(alice_client.get(URL, {"visa": "alla", "status": EnrolmentStatus.ACTIVE})) == [
        "Kollegasson",
        "Provsson",
    ]
    assert last_names(alice_client.get(URL, {"visa": "alla", "name": "koll"})) == ["Kollegasson"]


def test_every_page_of_the_list_is_exported_not_only_the_first(alice, alice_client, project):
    for n in range(55):
        _ludvika_person(alice, project, last_name=f"Sidsson{n:02d}")
    assert len(rows_of(alice_client.get(URL, {"page": "2"}))) == 55


def test_one_row_per_enrolment_at_the_unit_and_only_the_matching_ones(alice, alice_client, alices_person, project):
    kaa = ProjectFactory(name="KAA Ludvika")
    EnrolmentFactory(person=alices_person, project=kaa, unit=alice.unit, coach=alice, status=EnrolmentStatus.PAUSED)
    rows = rows_of(alice_client.get(URL))
    assert sorted((row[4], row[5]) for row in rows) == [("KAA Ludvika", "Vilande"), (project.name, "Pågående")]
    rows = rows_of(alice_client.get(URL, {"project": str(kaa.pk)}))
    assert [(row[1], row[4]) for row in rows] == [("Provsson", "KAA Ludvika")]


def test_enrolments_at_other_units_are_not_in_the_file(alice_client, alices_person, charlie):
    other = ProjectFactory(name="Smedjebackens eget projekt")
    EnrolmentFactory(person=alices_person, project=other, unit=charlie.unit, coach=charlie)
    text = alice_client.get(URL).content.decode("utf-8-sig")
    assert "Smedjebackens eget projekt" not in text
    assert str(charlie) not in text


def test_each_exported_person_is_logged_once(alice, alice_client, alices_person, project):
    kaa = ProjectFactory(name="KAA Ludvika")
    EnrolmentFactory(person=alices_person, project=kaa, unit=alice.unit, coach=alice)
    other = _ludvika_person(alice, project, last_name="Annansson")
    alice_client.get(URL)
    entries = AccessLogEntry.objects.filter(action="person.exported")
    assert sorted(str(e.person_id) for e in entries) == sorted([str(alices_person.pk), str(other.pk)])
    assert {(e.username, e.basis, e.consent_id) for e in entries} == {("alice", "own_unit", None)}


def test_nothing_is_logged_for_persons_left_out(alice, alice_client, project):
    _ludvika_person(alice, project, last_name="Markeradsson", protection=Protection.CONFIDENTIALITY_MARK)
    alice_client.get(URL)
    assert not AccessLogEntry.objects.filter(action="person.exported").exists()


def test_other_municipalities_persons_are_not_exported(charlie_client, alices_person, charlies_person):
    assert last_names(charlie_client.get(URL, {"visa": "alla"})) == ["Testberg"]


def test_bob_who_may_only_read_may_export(bob_client, alices_person):
    response = bob_client.get(URL, {"visa": "alla"})
    assert response.status_code == 200
    assert last_names(response) == ["Provsson"]


def test_a_partner_exports_persons_shared_under_consent_with_names_only(alice, frida, alices_person):
    consent = share(alices_person, documented_by=alice, to_unit=frida.unit, categories=[ConsentCategory.PLAN])
    response = client_for(frida).get(URL, {"visa": "alla"})
    # The partner sees the name under any consent (as in the list); the enrolment is not theirs.
    assert rows_of(response) == [["Moa", "Provsson", "2005-03-14", "Kvinna", "", "", ""]]
    entry = AccessLogEntry.objects.get(action="person.exported")
    assert (entry.username, entry.basis, entry.consent_id) == ("frida", "consent", consent.pk)


def test_a_partner_exports_nobody_without_a_valid_consent(alice, frida, alices_person):
    share(alices_person, documented_by=alice, to_unit=frida.unit, valid_to=dt.date.today() - dt.timedelta(days=1))
    assert rows_of(client_for(frida).get(URL, {"visa": "alla"})) == []


def test_a_protected_person_is_never_exported_to_a_partner(alice, frida, alices_person):
    alices_person.protection = Protection.PROTECTED_REGISTRATION
    alices_person.save()
    share(alices_person, documented_by=alice, to_unit=frida.unit)
    assert rows_of(client_for(frida).get(URL, {"visa": "alla"})) == []


def test_an_evaluator_may_not_export(erik, alices_person):
    assert client_for(erik).get(URL, {"visa": "alla"}).status_code == 403
    assert not AccessLogEntry.objects.filter(action="person.exported").exists()


def test_an_administrator_without_a_unit_may_not_export(dana, alices_person):
    assert verified_admin_client(dana).get(URL, {"visa": "alla"}).status_code == 403


def test_digits_in_the_name_filter_are_taken_out_of_the_address(alice_client, alices_person):
    response = alice_client.get(URL, {"visa": "alla", "name": alices_person.id_number})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:caseload") + "?visa=alla"
    assert not AccessLogEntry.objects.filter(action="person.exported").exists()


def test_only_get_is_allowed(alice_client):
    assert alice_client.post(URL).status_code == 405


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(alice, alice_client, project):
    _ludvika_person(alice, project, first_name="=HYPERLINK(1)", last_name="@Summa")
    [row] = rows_of(alice_client.get(URL))
    assert row[:2] == ["'=HYPERLINK(1)", "'@Summa"]


def test_the_caseload_page_links_the_export_with_the_current_filter(alice_client, alices_person, project):
    page = alice_client.get(reverse("people:caseload"), {"visa": "alla", "page": "1"}).content.decode()
    assert f'href="{URL}?visa=alla" download>Exportera listan (CSV)</a>' in page
    assert "Personer med skyddade personuppgifter tas inte med." in page


def test_the_export_link_is_not_shown_for_an_empty_list(alice_client):
    assert "Exportera listan" not in alice_client.get(reverse("people:caseload")).content.decode()
