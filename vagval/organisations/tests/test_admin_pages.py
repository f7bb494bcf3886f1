import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry
from vagval.common.versions import version_of
from vagval.organisations.models import Method, Organisation, OrganisationKind, Project, Unit
from vagval.organisations.tests.factories import MethodFactory, OrganisationFactory, ProjectFactory, UnitFactory

PAGES = [
    ("index", None),
    ("organisation_list", None),
    ("organisation_create", None),
    ("organisation_detail", "organisation"),
    ("organisation_edit", "organisation"),
    ("unit_create", "organisation"),
    ("unit_edit", "unit"),
    ("project_list", None),
    ("project_create", None),
    ("project_detail", "project"),
    ("project_edit", "project"),
    ("method_list", None),
    ("method_create", None),
    ("method_edit", "method"),
]


@pytest.fixture
def records(ludvika_unit, project):
    return {
        "organisation": ludvika_unit.organisation,
        "unit": ludvika_unit,
        "project": project,
        "method": MethodFactory(name="Second Chance School"),
    }


def _url(name, kind, records):
    if kind is None:
        return reverse(f"organisations:{name}")
    return reverse(f"organisations:{name}", kwargs={f"{kind}_id": records[kind].pk})


@pytest.fixture
def admin_client(dana) -> Client:
    return verified_admin_client(dana)


@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_anonymous_is_sent_to_log_in(name, kind, records):
    url = _url(name, kind, records)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "kind"), PAGES)
@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "erik"])
def test_non_administrators_get_403(name, kind, persona, records, request):
    client = client_for(request.getfixturevalue(persona))
    url = _url(name, kind, records)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Intrång"}).status_code in {403, 405}
    assert not Organisation.objects.filter(name="Intrång").exists()


@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_an_administrator_without_two_factor_is_sent_to_verify(name, kind, records, dana):
    response = client_for(dana).get(_url(name, kind, records))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


@pytest.mark.parametrize(("name", "kind"), PAGES)
def test_a_verified_administrator_can_open_every_page(name, kind, records, admin_client):
    response = admin_client.get(_url(name, kind, records))
    assert response.status_code == 200
    assert response.context["nav"] == "admin"
    assert response.content.count(b"<h1") == 1


def test_the_index_links_to_every_part_of_the_administration(admin_client):
    content = admin_client.get(reverse("organisations:index")).content.decode()
    for url in (
        reverse("organisations:organisation_list"),
        reverse("organisations:project_list"),
        reverse("organisations:method_list"),
        reverse("accounts:user_list"),
    ):
        assert f'href="{url}"' in content
    assert "Användare" in content


def test_unknown_records_give_404(admin_client):
    assert admin_client.get(reverse("organisations:organisation_detail", args=[uuid.uuid4()])).status_code == 404
    assert admin_client.get(reverse("organisations:unit_edit", args=[uuid.uuid4()])).status_code == 404


def test_organisation_list_filters_by_kind_and_municipality(admin_client, ludvika_unit, smedjebacken_unit):
    OrganisationFactory(name="Arbetsförmedlingen Ludvika", kind=OrganisationKind.EMPLOYMENT_SERVICE)
    url = reverse("organisations:organisation_list")
    names = [o.name for o in admin_client.get(url).context["page"].object_list]
    assert names == ["Arbetsförmedlingen Ludvika", "Ludvika kommun", "Smedjebackens kommun"]
    response = admin_client.get(url, {"kind": OrganisationKind.MUNICIPALITY, "municipality_code": "2061"})
    assert [o.name for o in response.context["page"].object_list] == ["Smedjebackens kommun"]
    response = admin_client.get(url, {"kind": OrganisationKind.EMPLOYMENT_SERVICE})
    assert [o.name for o in response.context["page"].object_list] == ["Arbetsförmedlingen Ludvika"]


def test_admin_creates_an_organisation_through_the_form(admin_client):
    response = admin_client.post(
        reverse("organisations:organisation_create"),
        {
            "name": "Testby kommun",
            "kind": OrganisationKind.MUNICIPALITY,
            "municipality_code": "2085",
            "organisation_number": "5566778899",
        },
    )
    organisation = Organisation.objects.get(name="Testby kommun")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:organisation_detail", args=[organisation.pk])
    assert organisation.organisation_number == "556677-8899"
    assert AccessLogEntry.objects.filter(action="organisation.created").count() == 1


def test_organisation_form_shows_swedish_field_errors(admin_client, ludvika_unit):
    response = admin_client.post(
        reverse("organisations:organisation_create"),
        {"name": "Ludvika kommun", "kind": OrganisationKind.MUNICIPALITY, "organisation_number": "556677-8898"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == ["Det finns redan en organisation med det namnet."]
    assert form.errors["municipality_code"] == ["Välj vilken kommun det är."]
    assert "kontrollsiffran" in form.errors["organisation_number"][0]
    assert 'aria-describedby="id_organisation_number_helptext id_organisation_number_error"' in (
        response.content.decode()
    )


def test_organisation_form_requires_a_name_in_swedish(admin_client):
    response = admin_client.post(reverse("organisations:organisation_create"), {"kind": OrganisationKind.SCHOOL})
    assert response.context["form"].errors["name"] == ["Detta fält måste fyllas i."]


def test_admin_edits_an_organisation(admin_client, ludvika_unit):
    organisation = ludvika_unit.organisation
    url = reverse("organisations:organisation_edit", args=[organisation.pk])
    assert admin_client.get(url).context["form"].initial["municipality_code"] == "2085"
    response = admin_client.post(
        url,
        {
            "name": "Ludvika kommun",
            "kind": OrganisationKind.MUNICIPALITY,
            "municipality_code": "2085",
            "organisation_number": "212000-2163",
            "version": version_of(organisation),
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.organisation_number == "212000-2163"
    assert AccessLogEntry.objects.get(action="organisation.changed").detail["fields"] == ["organisation_number"]


def test_organisation_detail_lists_units_with_edit_links(admin_client, ludvika_unit):
    UnitFactory(organisation=ludvika_unit.organisation, name="Socialtjänsten, IFO")
    response = admin_client.get(reverse("organisations:organisation_detail", args=[ludvika_unit.organisation.pk]))
    content = response.content.decode()
    assert "Socialtjänsten, IFO" in content
    assert reverse("organisations:unit_edit", args=[ludvika_unit.pk]) in content
    assert reverse("organisations:unit_create", args=[ludvika_unit.organisation.pk]) in content
    assert "Ny enhet" in content


def test_admin_creates_a_unit_and_is_told_it_is_a_secrecy_domain(admin_client, ludvika_unit):
    url = reverse("organisations:unit_create", args=[ludvika_unit.organisation.pk])
    assert "sekretessdomän" in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"name": "Socialtjänsten", "email": "ifo@example.se", "active": "on"})
    assert response.status_code == 302
    unit = Unit.objects.get(name="Socialtjänsten")
    assert unit.organisation == ludvika_unit.organisation
    assert unit.active
    assert AccessLogEntry.objects.filter(action="unit.created").count() == 1


def test_unit_form_shows_swedish_field_errors(admin_client, ludvika_unit):
    url = reverse("organisations:unit_create", args=[ludvika_unit.organisation.pk])
    response = admin_client.post(url, {"name": "Arbetsmarknadsenheten", "email": "inte-en-adress"})
    errors = response.context["form"].errors
    assert errors["email"] == ["Ange en giltig e-postadress."]
    response = admin_client.post(url, {"name": "Arbetsmarknadsenheten"})
    assert response.context["form"].errors["name"] == ["Organisationen har redan en enhet med det namnet."]


def test_admin_deactivates_a_unit(admin_client, ludvika_unit):
    response = admin_client.post(
        reverse("organisations:unit_edit", args=[ludvika_unit.pk]),
        {"name": "Arbetsmarknadsenheten", "version": version_of(ludvika_unit)},
    )
    assert response["Location"] == reverse("organisations:organisation_detail", args=[ludvika_unit.organisation.pk])
    ludvika_unit.refresh_from_db()
    assert not ludvika_unit.active


def test_admin_creates_a_project_with_members_and_methods(admin_client, ludvika_unit, smedjebacken_unit):
    method = MethodFactory(name="Gnestamodellen")
    url = reverse("organisations:project_create")
    page = admin_client.get(url).content.decode()
    assert "<legend>Medverkande organisationer</legend>" in page
    assert "Ludvika kommun" in page
    response = admin_client.post(
        url,
        {
            "name": "Unga i Västerbergslagen",
            "description": "Samverkan mellan två kommuner.",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "target_participants": "150",
            "organisation_ids": [str(ludvika_unit.organisation.pk), str(smedjebacken_unit.organisation.pk)],
            "method_ids": [str(method.pk)],
        },
    )
    project = Project.objects.get(name="Unga i Västerbergslagen")
    assert response["Location"] == reverse("organisations:project_detail", args=[project.pk])
    assert project.organisations.count() == 2
    assert list(project.methods.all()) == [method]
    detail = admin_client.get(response["Location"]).content.decode()
    assert "Smedjebackens kommun" in detail
    assert "Gnestamodellen" in detail


def test_project_form_refuses_an_end_before_the_start_in_swedish(admin_client):
    response = admin_client.post(
        reverse("organisations:project_create"),
        {"name": "Baklänges", "starts_on": "2026-06-01", "ends_on": "2026-05-31", "target_participants": "-1"},
    )
    errors = response.context["form"].errors
    assert errors["ends_on"] == ["Slutdatum kan inte vara före startdatum."]
    assert errors["target_participants"] == ["Antalet kan inte vara negativt."]
    assert not Project.objects.filter(name="Baklänges").exists()


def test_project_form_names_a_duplicate(admin_client, project):
    response = admin_client.post(
        reverse("organisations:project_create"), {"name": project.name, "starts_on": "2026-01-01"}
    )
    assert response.context["form"].errors["name"] == ["Det finns redan ett projekt med det namnet."]


def test_admin_edits_a_project(admin_client, project, ludvika_unit):
    url = reverse("organisations:project_edit", args=[project.pk])
    assert admin_client.get(url).context["form"].initial["starts_on"] == dt.date(2024, 1, 1)
    response = admin_client.post(
        url,
        {
            "name": project.name,
            "starts_on": "2024-01-01",
            "organisation_ids": [str(ludvika_unit.organisation.pk)],
            "version": version_of(project),
        },
    )
    assert response.status_code == 302
    assert list(project.organisations.all()) == [ludvika_unit.organisation]


def test_project_list_shows_projects(admin_client):
    ProjectFactory(name="#redonu", starts_on=dt.date(2023, 9, 1))
    content = admin_client.get(reverse("organisations:project_list")).content.decode()
    assert "#redonu" in content
    assert "2023-09-01" in content


def test_admin_creates_and_edits_a_method(admin_client):
    response = admin_client.post(reverse("organisations:method_create"), {"name": "ACT", "description": ""})
    assert response["Location"] == reverse("organisations:method_list")
    method = Method.objects.get(name="ACT")
    response = admin_client.post(
        reverse("organisations:method_edit", args=[method.pk]),
        {"name": "ACT", "description": "Acceptans", "version": version_of(method)},
    )
    assert response.status_code == 302
    method.refresh_from_db()
    assert method.description == "Acceptans"
    assert "ACT" in admin_client.get(reverse("organisations:method_list")).content.decode()


def test_method_form_names_a_duplicate_in_swedish(admin_client):
    MethodFactory(name="Second Chance School")
    response = admin_client.post(reverse("organisations:method_create"), {"name": "second chance school"})
    assert response.context["form"].errors["name"] == ["Det finns redan en metod med det namnet."]


def test_pages_have_no_inline_scripts_or_styles(admin_client, records):
    for name, kind in PAGES:
        content = admin_client.get(_url(name, kind, records)).content.decode()
        assert "style=" not in content
        assert "onclick" not in content
        assert "<script>" not in content
