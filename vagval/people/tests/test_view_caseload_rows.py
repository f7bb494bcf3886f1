"""The cells of a caseload row: prepared by the selector, escaped by the template."""

import datetime as dt

from django.urls import reverse

from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import EnrolmentStatus
from vagval.people.selectors import age_on
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

URL = reverse("people:caseload")


def test_a_row_shows_name_link_birth_date_age_and_every_enrolment_with_its_coach(alice, alice_client, project):
    person = PersonFactory(first_name="Moa", last_name="Radsson", birth_date=dt.date(2005, 3, 14))
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=alice, starts_on=dt.date(2026, 2, 1))
    EnrolmentFactory(
        person=person,
        project=ProjectFactory(name="KAA <Ludvika>"),
        unit=alice.unit,
        coach=None,
        status=EnrolmentStatus.PAUSED,
        starts_on=dt.date(2026, 1, 1),
    )
    page = alice_client.get(URL).content.decode()
    url = reverse("people:detail", args=[person.pk])
    assert f'<th scope="row"><a href="{url}">Radsson, Moa</a></th>' in page
    assert '<td><time datetime="2005-03-14">2005-03-14</time></td>' in page
    assert f"<td>{age_on(birth_date=person.birth_date, today=dt.date.today())}</td>" in page
    assert "<td>VBU insatser för ungdomar: Pågående<br>KAA &lt;Ludvika&gt;: Vilande</td>" in page
    assert f"<td>{alice}<br>–</td>" in page


def test_an_unknown_birth_date_shows_a_dash(alice, alice_client, project):
    person = PersonFactory(first_name="Ida", last_name="Okändsson", birth_date=None, id_type="none", id_number=None)
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=alice)
    page = alice_client.get(URL).content.decode()
    assert "<td>–</td>\n      <td>–</td>" in page
