"""The project leader's target pages: Swedish form errors, the version check, and who may use them."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.models import ProjectRole, Role
from vagval.accounts.tests.factories import UserFactory
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.organisations.tests.factories import ProjectFactory
from vagval.targets.models import Figure, Target
from vagval.targets.selectors import target_version
from vagval.targets.tests.helpers import target


def _client(user):
    return verified_admin_client(user) if user.role == Role.ADMIN else client_for(user)


VALID = {"figure": "deltagare", "value": "300", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}


@pytest.fixture
def goal(project):
    made = target(project, Figure.WORK_OR_STUDIES_90, "30", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    made.refresh_from_db()  # the version is of the stored values (30.0, not 30)
    return made


def test_the_leader_sees_targets_against_actuals(pia_client, project, goal):
    response = pia_client.get(reverse("targets:project", args=[project.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Andel i arbete eller studier 90 dagar efter avslut" in page
    assert "över tid" in page  # the monthly trend's data table


def test_a_target_is_added(pia_client, project):
    response = pia_client.post(reverse("targets:create", args=[project.pk]), VALID)
    assert response.status_code == 302
    assert Target.objects.get(project=project).value == 300


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**VALID, "figure": ""}, "Välj ett mått."),
        ({**VALID, "figure": "arbete_studier_90", "value": "130"}, "En andel kan vara högst 100 procent."),
        ({**VALID, "ends_on": "2025-12-31"}, "Periodens sista dag kan inte vara före den första."),
        ({**VALID, "starts_on": "i morgon"}, "Fyll i ett giltigt datum."),
    ],
)
def test_errors_are_shown_in_swedish_on_the_field(pia_client, project, data, message):
    response = pia_client.post(reverse("targets:create", args=[project.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_the_same_figure_from_the_same_day_is_refused(pia_client, project):
    pia_client.post(reverse("targets:create", args=[project.pk]), VALID)
    response = pia_client.post(reverse("targets:create", args=[project.pk]), VALID)
    assert response.status_code == 400
    assert "redan ett mål" in response.content.decode()


def test_a_stale_edit_is_shown_beside_what_is_saved(pia_client, goal):
    seen = target_version(target=goal)
    Target.objects.filter(pk=goal.pk).update(value=35)
    data = {**VALID, "figure": "arbete_studier_90", "value": "40", "version": seen}
    response = pia_client.post(reverse("targets:edit", args=[goal.pk]), data)
    assert response.status_code == 409
    assert Target.objects.get(pk=goal.pk).value == 35


def test_an_edit_with_the_current_version_is_saved(pia_client, goal):
    data = {**VALID, "figure": "arbete_studier_90", "value": "40", "version": target_version(target=goal)}
    assert pia_client.post(reverse("targets:edit", args=[goal.pk]), data).status_code == 302
    assert Target.objects.get(pk=goal.pk).value == 40


def test_a_target_is_removed(pia_client, goal):
    url = reverse("targets:remove", args=[goal.pk])
    assert pia_client.post(url, {"version": target_version(target=goal)}).status_code == 302
    assert not Target.objects.exists()


def test_another_projects_leader_gets_404(project, goal, ludvika_unit):
    other = UserFactory(username="olle", unit=ludvika_unit, role=Role.PROJECT_LEADER)
    ProjectRole.objects.create(user=other, project=ProjectFactory(name="Annat"), role=Role.PROJECT_LEADER)
    client = client_for(other)
    assert client.get(reverse("targets:project", args=[project.pk])).status_code == 404
    assert client.get(reverse("targets:edit", args=[goal.pk])).status_code == 404
    assert client.post(reverse("targets:remove", args=[goal.pk])).status_code == 404


@pytest.mark.parametrize("who", ["alice", "charlie", "erik", "dana"])
def test_other_roles_get_403(request, project, who):
    client = _client(request.getfixturevalue(who))
    assert client.get(reverse("targets:project", args=[project.pk])).status_code == 403


def test_a_read_only_leader_cannot_write(pia, project, goal):
    pia.read_only = True
    pia.save()
    client = client_for(pia)
    assert client.get(reverse("targets:project", args=[project.pk])).status_code == 200
    assert client.post(reverse("targets:create", args=[project.pk]), VALID).status_code == 403
    assert client.post(reverse("targets:remove", args=[goal.pk])).status_code == 403
