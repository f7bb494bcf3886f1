"""The caseload table's rows (written by the caseload_rows tag): every value escaped, every cell there."""

import datetime as dt

from django.urls import reverse

from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import EnrolmentStatus, Protection
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory

URL = reverse("people:caseload")


def test_names_and_project_names_are_escaped(alice, alice_client):
    person = PersonFactory(first_name="<script>alert(1)</script>", last_name="O'Hara & Co")
    project = ProjectFactory(name="<b>Projekt</b>")
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=alice)
    page = alice_client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "O&#x27;Hara &amp; Co" in page
    assert "&lt;b&gt;Projekt&lt;/b&gt;: Pågående" in page


def test_a_row_has_its_link_birth_date_age_projects_coaches_and_protection(alice, alice_client, project):
    person = PersonFactory(
        first_name="Ella",
        last_name="Radsson",
        birth_date=dt.date(2005, 4, 2),
        protection=Protection.CONFIDENTIALITY_MARK,
    )
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=alice)
    other = ProjectFactory(name="Andra projektet")
    EnrolmentFactory(person=person, project=other, unit=alice.unit, coach=alice, status=EnrolmentStatus.PAUSED)
    page = alice_client.get(URL).content.decode()
    row = page[page.index(f'<a href="{reverse("people:detail", args=[person.pk])}">Radsson, Ella</a>') :]
    row = row[: row.index("</tr>")]
    assert '<time datetime="2005-04-02">2005-04-02</time>' in row
    assert f"{project.name}: Pågående<br>Andra projektet: Vilande" in row or (
        f"Andra projektet: Vilande<br>{project.name}: Pågående" in row
    )
    assert '<strong class="tag-protected">Skyddade personuppgifter</strong>' in row


def test_an_unknown_birth_date_and_age_show_a_dash(alice, alice_client, project):
    person = PersonFactory(last_name="Utandatum", birth_date=None, id_type="none", id_number=None)
    EnrolmentFactory(person=person, project=project, unit=alice.unit, coach=alice)
    page = alice_client.get(URL).content.decode()
    row = page[page.index("Utandatum") :]
    row = row[: row.index("</tr>")]
    assert row.count("<td>–</td>") == 2
