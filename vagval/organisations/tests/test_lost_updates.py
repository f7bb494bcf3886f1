"""No lost updates in the administration: organisation, unit, project and method forms."""

import pytest
from django.urls import reverse

from vagval.accounts.tests.helpers import verified_admin_client
from vagval.common.tests.edit_versions import shown_version
from vagval.organisations.models import OrganisationKind
from vagval.organisations.tests.factories import MethodFactory, ProjectFactory


@pytest.fixture
def two_admins(dana):
    """Two sessions of administrators editing at the same time."""
    return verified_admin_client(dana), verified_admin_client(dana)


def _two_saves(two_admins, url, first_data, second_data):
    first_client, second_client = two_admins
    first_version = shown_version(first_client.get(url))
    second_version = shown_version(second_client.get(url))
    assert first_client.post(url, {**first_data, "version": first_version}).status_code == 302
    second = second_client.post(url, {**second_data, "version": second_version})
    assert second.status_code == 409
    page = second.content.decode()
    assert "Ändringen sparades inte" in page
    return page


def test_a_stale_organisation_save_is_refused(two_admins, ludvika_unit):
    organisation = ludvika_unit.organisation
    url = reverse("organisations:organisation_edit", args=[organisation.pk])
    base = {"kind": OrganisationKind.MUNICIPALITY, "municipality_code": "2085", "organisation_number": ""}
    page = _two_saves(two_admins, url, {**base, "name": "Ludvika kommun (ny)"}, {**base, "name": "Ludvika stad"})
    assert "Ludvika stad" in page
    assert "Ludvika kommun (ny)" in page
    organisation.refresh_from_db()
    assert organisation.name == "Ludvika kommun (ny)"


def test_a_stale_unit_save_is_refused(two_admins, ludvika_unit):
    url = reverse("organisations:unit_edit", args=[ludvika_unit.pk])
    page = _two_saves(
        two_admins,
        url,
        {"name": "Arbetsmarknadsenheten", "phone": "0240-860 00", "active": "on"},
        {"name": "Arbetsmarknadsenheten", "phone": "0240-861 11", "active": "on"},
    )
    assert "0240-861 11" in page
    assert "0240-860 00" in page
    ludvika_unit.refresh_from_db()
    assert ludvika_unit.phone == "0240-860 00"


def test_a_stale_project_save_is_refused_also_when_only_the_members_changed(
    two_admins, ludvika_unit, smedjebacken_unit
):
    project = ProjectFactory(name="Redo nu")
    url = reverse("organisations:project_edit", args=[project.pk])
    base = {"name": "Redo nu", "starts_on": "2024-01-01"}
    page = _two_saves(
        two_admins,
        url,
        {**base, "organisation_ids": [str(ludvika_unit.organisation.pk)]},
        {**base, "organisation_ids": [str(smedjebacken_unit.organisation.pk)]},
    )
    assert "Smedjebackens kommun" in page
    assert list(project.organisations.all()) == [ludvika_unit.organisation]


def test_a_stale_method_save_is_refused(two_admins):
    method = MethodFactory(name="ACT")
    url = reverse("organisations:method_edit", args=[method.pk])
    page = _two_saves(
        two_admins, url, {"name": "ACT", "description": "Acceptans"}, {"name": "ACT", "description": "Åtagande"}
    )
    assert "Åtagande" in page
    method.refresh_from_db()
    assert method.description == "Acceptans"
