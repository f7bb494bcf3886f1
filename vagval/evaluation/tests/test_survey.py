"""The partners' collaboration survey: anonymous answers through personal links, shown from five."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.evaluation import services
from vagval.evaluation.models import SurveyAnswer, SurveyInvitation
from vagval.evaluation.selectors import survey_results
from vagval.evaluation.tests.helpers import make_evaluator


@pytest.fixture
def survey(project, pia, ludvika_unit, af_unit, erik):
    make_evaluator(erik, project)
    project.organisations.set([ludvika_unit.organisation, af_unit.organisation])
    return services.survey_round_create(
        ctx=ctx_for(pia),
        project_id=project.pk,
        title="Samverkan våren",
        closes_on=timezone.localdate() + dt.timedelta(days=14),
    )


def _links(pia, survey, organisation, n):
    return services.survey_links_create(ctx=ctx_for(pia), round_id=survey.pk, organisation_id=organisation.pk, count=n)


def _answer(token, client=None, **extra):
    data = {"q_mal": "4", "q_ansvar": "2", "strengths": "", "weaknesses": "", **extra}
    return (client or Client()).post(reverse("evaluation:survey_form", args=[token]), data)


def test_a_partner_answers_through_the_link_without_an_account_and_only_once(survey, pia, af_unit):
    (token,) = _links(pia, survey, af_unit.organisation, 1)
    assert Client().get(reverse("evaluation:survey_form", args=[token])).status_code == 200
    assert _answer(token).status_code == 200
    assert SurveyAnswer.objects.count() == 1
    assert _answer(token).status_code == 410
    assert SurveyAnswer.objects.count() == 1


def test_an_answer_is_not_linked_to_its_link_or_its_moment(survey, pia, af_unit):
    (token,) = _links(pia, survey, af_unit.organisation, 1)
    before = AccessLogEntry.objects.count()
    _answer(token, strengths="Bra möten")
    answer = SurveyAnswer.objects.get()
    field_names = {f.name for f in SurveyAnswer._meta.get_fields()}
    assert field_names == {"id", "round", "organisation", "ratings", "strengths", "weaknesses"}
    assert {f.name for f in SurveyInvitation._meta.get_fields()} == {
        "id",
        "round",
        "organisation",
        "token_hash",
        "used",
    }
    assert AccessLogEntry.objects.count() == before  # nothing in the log ties the respondent to the answer
    assert answer.organisation == af_unit.organisation


def test_results_and_free_text_are_shown_only_when_five_answered(survey, pia, erik, af_unit):
    tokens = _links(pia, survey, af_unit.organisation, 5)
    for token in tokens[:4]:
        _answer(token, strengths="Snabba kontakter")
    results = survey_results(viewer=erik, round_id=survey.pk)
    assert not results.reported
    assert results.strengths == []
    assert results.organisations == []
    page = client_for(erik).get(reverse("evaluation:survey", args=[survey.pk])).content.decode()
    assert "Snabba kontakter" not in page
    _answer(tokens[4], strengths="Tydliga roller")
    results = survey_results(viewer=erik, round_id=survey.pk)
    assert results.reported
    assert results.strengths == ["Snabba kontakter"] * 4 + ["Tydliga roller"]
    assert results.total.questions[0].mean == "4,0"


def test_an_organisation_with_fewer_than_five_answers_is_not_shown_on_its_own(survey, pia, erik, af_unit, ludvika_unit):
    for token in _links(pia, survey, af_unit.organisation, 5):
        _answer(token)
    for token in _links(pia, survey, ludvika_unit.organisation, 2):
        _answer(token)
    results = survey_results(viewer=erik, round_id=survey.pk)
    shown = {group.label: group.shown for group in results.organisations}
    assert shown == {af_unit.organisation.name: True, ludvika_unit.organisation.name: False}
    ludvika = next(g for g in results.organisations if g.label == ludvika_unit.organisation.name)
    assert ludvika.answers == "<5"
    assert all(q.mean == "–" for q in ludvika.questions)


def test_only_the_project_leader_creates_rounds_and_links(survey, project, alice, erik, af_unit, pia):
    assert client_for(alice).get(reverse("evaluation:leader")).status_code == 403
    assert (
        client_for(erik)
        .post(
            reverse("evaluation:survey_links", args=[survey.pk]),
            {"organisation": str(af_unit.organisation.pk), "count": "2"},
        )
        .status_code
        == 404
    )
    response = client_for(pia).post(
        reverse("evaluation:survey_links", args=[survey.pk]),
        {"organisation": str(af_unit.organisation.pk), "count": "2"},
    )
    assert response.status_code == 200
    assert response.content.decode().count("/utvardering/enkat/") == 2


def test_the_results_page_is_for_the_projects_leader_and_evaluators_only(survey, alice, charlie, pia, erik):
    for user, status in ((pia, 200), (erik, 200), (alice, 404), (charlie, 404)):
        assert client_for(user).get(reverse("evaluation:survey", args=[survey.pk])).status_code == status


def test_a_closed_round_refuses_answers(survey, pia, af_unit):
    (token,) = _links(pia, survey, af_unit.organisation, 1)
    survey.closed_at = timezone.now()
    survey.save()
    assert Client().get(reverse("evaluation:survey_form", args=[token])).status_code == 410


def test_an_unknown_link_answers_404(db):
    assert Client().get(reverse("evaluation:survey_form", args=["finns-inte"])).status_code == 404


def test_a_rating_outside_the_scale_is_a_form_error(survey, pia, af_unit):
    (token,) = _links(pia, survey, af_unit.organisation, 1)
    assert _answer(token, q_mal="9").status_code == 400
    assert SurveyAnswer.objects.count() == 0


def test_creating_a_round_needs_a_title_and_a_future_date(project, pia):
    response = client_for(pia).post(
        reverse("evaluation:survey_create"), {"project": str(project.pk), "title": "", "closes_on": "2000-01-01"}
    )
    assert response.status_code == 400
