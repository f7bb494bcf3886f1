"""'Mina deltagare': my unit's persons only, mine by default, filters and pages."""

import datetime as dt

from django.urls import reverse

from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import EnrolmentStatus, Gender, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

URL = reverse("people:caseload")


def _years_ago(years: int) -> dt.date:
    today = dt.date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def _ludvika_person(alice, project, coach=None, **person_fields):
    person = PersonFactory(**person_fields)
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=coach or alice)
    return person


def test_it_shows_my_persons_and_not_other_municipalities(alice_client, alices_person, charlies_person):
    page = alice_client.get(URL).content.decode()
    assert "Provsson, Moa" in page
    assert "Testberg" not in page
    assert reverse("people:detail", args=[alices_person.pk]) in page


def test_by_default_only_persons_i_coach_and_all_at_the_unit_on_request(alice, alice_client, alices_person, project):
    colleague = UserFactory(username="kollega", unit=alice.unit)
    _ludvika_person(alice, project, coach=colleague, last_name="Kollegasson")
    assert "Kollegasson" not in alice_client.get(URL).content.decode()
    page = alice_client.get(URL + "?visa=alla").content.decode()
    assert "Kollegasson" in page
    assert "Provsson" in page


def test_project_and_status_filters(alice, alice_client, alices_person, project):
    other_project = ProjectFactory(name="KAA Ludvika")
    kaa = _ludvika_person(alice, other_project, last_name="Kaasson")
    kaa.enrolments.update(status=EnrolmentStatus.PAUSED)
    page = alice_client.get(URL, {"project": str(other_project.pk)}).content.decode()
    assert "Kaasson" in page
    assert "Provsson" not in page
    page = alice_client.get(URL, {"status": EnrolmentStatus.ACTIVE}).content.decode()
    assert "Provsson" in page
    assert "Kaasson" not in page


def test_the_project_filter_offers_and_accepts_only_the_units_projects(alice, alice_client, alices_person, charlie):
    elsewhere = ProjectFactory(name="Smedjebackens eget")
    EnrolmentFactory(project=elsewhere, unit=charlie.unit, coach=charlie)
    page = alice_client.get(URL).content.decode()
    assert str(alices_person.enrolments.get().project.pk) in page
    assert "Smedjebackens eget" not in page
    page = alice_client.get(URL, {"project": str(elsewhere.pk)}).content.decode()
    assert "Välj ett giltigt alternativ" in page  # the filter is refused, not applied
    assert "Provsson" in page


def test_gender_age_and_name_filters(alice, alice_client, project):
    _ludvika_person(alice, project, last_name="Ungsson", gender=Gender.MAN, birth_date=_years_ago(17))
    _ludvika_person(alice, project, last_name="Aldresson", gender=Gender.NON_BINARY, birth_date=_years_ago(27))
    assert "Aldresson" not in alice_client.get(URL, {"gender": Gender.MAN}).content.decode()
    page = alice_client.get(URL, {"age_min": 20, "age_max": 29}).content.decode()
    assert "Aldresson" in page
    assert "Ungsson" not in page
    page = alice_client.get(URL, {"name": "ungs"}).content.decode()
    assert "Ungsson" in page
    assert "Aldresson" not in page


def test_a_number_in_the_name_filter_is_refused_and_removed_from_the_address(alice_client, alices_person):
    response = alice_client.get(URL, {"name": alices_person.id_number, "visa": "alla"})
    assert response.status_code == 302
    assert alices_person.id_number not in response.url
    assert "name=" not in response.url
    assert "visa=alla" in response.url


def test_the_name_filter_field_refuses_digits_in_the_browser(alice_client):
    page = alice_client.get(URL).content.decode()
    assert 'pattern="[^0-9]*"' in page
    assert 'method="get"' in page


def test_fifty_per_page_with_total_and_next_link(alice, alice_client, project):
    for _ in range(51):
        _ludvika_person(alice, project)
    page = alice_client.get(URL).content.decode()
    assert "Visar 1–50 av 51" in page
    assert page.count('<th scope="row">') == 50
    assert 'href="?page=2" rel="next">Nästa</a>' in page
    assert "Sida 1 av 2" in page
    assert "Föregående" not in page
    second = alice_client.get(URL, {"page": 2}).content.decode()
    assert "Visar 51–51 av 51" in second
    assert 'href="?page=1" rel="prev">Föregående</a>' in second
    assert "Sida 2 av 2" in second
    assert "Nästa" not in second


def test_it_logs_one_entry_per_person_shown(alice_client, alices_person):
    alice_client.get(URL)
    entries = AccessLogEntry.objects.filter(action="person.listed")
    assert [e.person_id for e in entries] == [alices_person.pk]


def test_protected_persons_are_tagged(alice, alice_client, project):
    _ludvika_person(alice, project, protection=Protection.PROTECTED_REGISTRATION)
    assert "Skyddade personuppgifter" in alice_client.get(URL).content.decode()


def test_empty_caseload_says_so(alice_client, project):
    page = alice_client.get(URL).content.decode()
    assert "Du är inte ansvarig coach för någon deltagare just nu." in page
