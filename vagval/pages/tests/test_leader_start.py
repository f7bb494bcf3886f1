"""The project leader's start page: their projects' figures against targets and what needs
attention, instead of an empty caseload. And every role's menu holds only pages it may use."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.evaluation.tests.helpers import make_evaluator
from vagval.pages.templatetags.site_nav import links_for
from vagval.targets.models import Figure
from vagval.targets.tests.helpers import enrol, target


def _client(user):
    return verified_admin_client(user) if user.role == Role.ADMIN else client_for(user)


def test_the_leader_lands_on_their_projects(pia_client):
    assert pia_client.get("/").url == reverse("leader_start")
    assert pia_client.get(reverse("people:caseload")).url == reverse("leader_start")
    # The unit's participants stay one filter away (read only).
    assert pia_client.get(reverse("people:caseload"), {"visa": "alla"}).status_code == 200


def test_the_start_page_shows_figures_against_targets_and_what_needs_attention(pia_client, project, ludvika_unit):
    today = dt.date.today()
    target(project, Figure.PARTICIPANTS, "300", today - dt.timedelta(days=100), today + dt.timedelta(days=100))
    enrol(project, ludvika_unit, serial=1, starts_on=today - dt.timedelta(days=5))
    response = pia_client.get(reverse("leader_start"))
    page = response.content.decode()
    assert response.status_code == 200
    assert project.name in page
    assert "Antal deltagare ligger efter" in page
    assert "Projektet har ingen budget registrerad." in page


def test_a_leader_without_projects_is_told_so(ludvika_unit):
    lone = UserFactory(username="lone", unit=ludvika_unit, role=Role.PROJECT_LEADER)
    response = client_for(lone).get(reverse("leader_start"))
    assert response.status_code == 200
    assert "Du är inte projektledare i något projekt ännu." in response.content.decode()


@pytest.mark.parametrize("who", ["coach", "erik", "dana", "frida"])
def test_other_roles_do_not_get_the_leaders_start_page(request, ludvika_unit, who):
    # A coach made here, not alice or charlie: the permission sweep's world (module-scoped, which
    # xdist can keep alive while this module runs) makes them leaders of its project.
    if who == "coach":
        user = UserFactory(username="coach-without-project", unit=ludvika_unit, role=Role.COACH)
    else:
        user = request.getfixturevalue(who)
    assert _client(user).get(reverse("leader_start")).status_code == 403


@pytest.mark.parametrize("who", ["alice", "bob", "karin", "frida", "pia", "erik", "dana"])
def test_every_link_in_a_roles_menu_opens(request, project, who):
    user = request.getfixturevalue(who)
    if who == "erik":
        make_evaluator(user, project)
    client = _client(user)
    for link in links_for(user):
        response = client.get(reverse(link.url_name))
        assert response.status_code == 200, (who, link.url_name, response.status_code)
