"""Who reaches the evaluation pages: evaluators of the project, its project leader, nobody else."""

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.evaluation.tests.helpers import enrol, make_evaluator
from vagval.organisations.tests.factories import ProjectFactory


@pytest.fixture
def world(project, ludvika_unit, erik, pia, alice):
    make_evaluator(erik, project)
    return enrol(project, ludvika_unit, serial=71, first_name="Synlig", last_name="Namnsson")


def test_the_evaluator_lands_on_the_evaluation_page_from_the_root_and_after_login(world, erik):
    client = client_for(erik)
    assert client.get("/")["Location"] == reverse("evaluation:start")
    assert client.get(reverse("people:caseload"))["Location"] == reverse("evaluation:start")


def test_a_coach_keeps_the_caseload_and_a_project_leader_starts_on_their_projects(world, alice, pia):
    assert client_for(alice).get("/")["Location"] == reverse("people:caseload")
    assert client_for(pia).get("/")["Location"] == reverse("leader_start")  # issue 13


def test_the_evaluator_sees_only_the_projects_they_evaluate_and_never_a_name(world, erik, project):
    other = ProjectFactory(name="Inte eriks projekt")
    response = client_for(erik).get(reverse("evaluation:start"))
    assert response.status_code == 200
    text = response.content.decode()
    assert project.name in text
    assert other.name not in text
    assert "Synlig" not in text
    assert "Namnsson" not in text
    assert client_for(erik).get(reverse("evaluation:project", args=[other.pk])).status_code == 404
    assert client_for(erik).get(reverse("evaluation:project", args=[project.pk])).status_code == 200


def test_the_evaluators_menu_has_no_person_links(world, erik):
    text = client_for(erik).get(reverse("evaluation:start")).content.decode()
    assert reverse("evaluation:start") in text
    for name in ("people:caseload", "people:search", "referrals:list"):
        assert f'href="{reverse(name)}"' not in text


def test_coaches_cannot_reach_the_evaluation_pages(world, alice, project):
    client = client_for(alice)
    assert client.get(reverse("evaluation:start")).status_code == 403
    assert client.get(reverse("evaluation:project", args=[project.pk])).status_code == 403
    assert client.get(reverse("evaluation:leader")).status_code == 403
    assert (
        client.post(reverse("evaluation:export_create", args=[project.pk]), {"file_format": "csv"}).status_code == 403
    )


def test_the_project_leader_sees_only_their_projects_exports(world, pia, erik, project):
    from vagval.evaluation.tests.helpers import prepared

    other = ProjectFactory(name="Annat projekt")
    make_evaluator(erik, other)
    ours, theirs = prepared(erik, project), prepared(erik, other)
    text = client_for(pia).get(reverse("evaluation:leader")).content.decode()
    assert reverse("evaluation:export", args=[ours.pk]) in text
    assert reverse("evaluation:export", args=[theirs.pk]) not in text
    assert client_for(pia).get(reverse("evaluation:export", args=[theirs.pk])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(world, project):
    from django.test import Client

    response = Client().get(reverse("evaluation:project", args=[project.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_read_only_evaluator_cannot_prepare_an_export(world, erik, project):
    erik.read_only = True
    erik.save()
    response = client_for(erik).post(reverse("evaluation:export_create", args=[project.pk]), {"file_format": "csv"})
    assert response.status_code == 403
