"""The project leader's cohort view: shares of participants who moved closer, by project,
municipality, method and gender, counts only, with cells under 5 shown as "<5"."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for, ctx_for
from vagval.accounts.models import ProjectRole, Role
from vagval.accounts.tests.factories import UserFactory
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.assessments.selectors import CohortRow, cohort_progress
from vagval.assessments.tests.helpers import record, vf_answers
from vagval.audit.models import AccessLogEntry
from vagval.organisations.tests.factories import MethodFactory, ProjectFactory
from vagval.people.models import Gender
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory


@pytest.fixture
def leader(ludvika_unit, project):
    user = UserFactory(username="lena", first_name="Lena", unit=ludvika_unit, role=Role.PROJECT_LEADER)
    ProjectRole.objects.create(user=user, project=project, role=Role.PROJECT_LEADER)
    return user


def participant(coach, project, *, steps, method=None, gender=Gender.WOMAN, name="Deltagare"):
    """A person enrolled at the coach's unit with a Vägen framåt response per entry in `steps`."""
    person = PersonFactory(first_name=name, gender=gender)
    EnrolmentFactory(person=person, project=project, unit=coach.unit, coach=coach, method=method)
    for month, value in enumerate(steps, start=1):
        record(person, coach, answers=vf_answers(value), on=dt.date(2026, month, 1))
    return person


@pytest.fixture
def cohort(alice, charlie, project):
    gnesta = MethodFactory(name="Gnestamodellen")
    # Ludvika: 6 moved closer, 1 did not, 1 has only one response.
    for _ in range(6):
        participant(alice, project, steps=[2, 3], method=gnesta)
    participant(alice, project, steps=[3, 2], method=gnesta, gender=Gender.MAN)
    participant(alice, project, steps=[2], method=gnesta, gender=Gender.MAN)
    # Smedjebacken: 2 moved closer.
    for _ in range(2):
        participant(charlie, project, steps=[1, 4], gender=Gender.MAN)
    # Another project the leader does not lead.
    participant(alice, ProjectFactory(name="Annat projekt"), steps=[1, 5], name="Utanför")


def table(view, key):
    return {row.label: row for row in next(t for t in view.tables if t.key == key).rows}


def test_the_cohort_counts_by_project_municipality_method_and_gender(leader, cohort):
    view = cohort_progress(viewer=leader, ctx=ctx_for(leader))
    assert [p.name for p in view.projects] == ["VBU insatser för ungdomar"]
    assert (view.total.participants, view.total.assessed, view.total.closer) == (10, 9, 8)
    assert view.total.share_display == "89 %"
    by_project = table(view, "projekt")
    assert list(by_project) == ["VBU insatser för ungdomar"]
    municipality = table(view, "kommun")
    assert (municipality["Ludvika"].assessed, municipality["Ludvika"].closer) == (7, 6)
    assert municipality["Ludvika"].share_display == "86 %"
    assert municipality["Smedjebacken"].closer_display == "<5"
    assert municipality["Smedjebacken"].share_display == "–"
    method = table(view, "metod")
    assert method["Gnestamodellen"].participants == 8
    assert method["Ingen metod angiven"].participants_display == "<5"
    gender = table(view, "kon")
    assert (gender["Kvinna"].assessed, gender["Kvinna"].closer) == (6, 6)
    assert gender["Man"].closer_display == "<5"


def test_the_other_rule_is_applied_when_configured(leader, cohort, settings):
    settings.PROGRESS_RULE = "two_up_none_down"
    view = cohort_progress(viewer=leader, ctx=ctx_for(leader))
    # Every area rose together in these cases, so both rules agree; the rule text follows the setting.
    assert view.total.closer == 8
    assert "minst två områden" in view.rule_text


@pytest.mark.parametrize(
    ("participants", "assessed", "closer", "shown", "share"),
    [
        (4, 4, 4, ("<5", "<5", "<5"), "–"),
        (10, 9, 4, ("10", "9", "<5"), "–"),
        (10, 4, 4, ("10", "<5", "<5"), "–"),
        (10, 8, 5, ("10", "8", "5"), "62 %"),
        (0, 0, 0, ("<5", "<5", "<5"), "–"),
    ],
)
def test_cells_under_five_are_shown_as_less_than_five_and_hide_the_share(participants, assessed, closer, shown, share):
    row = CohortRow(label="x", participants=participants, assessed=assessed, closer=closer)
    assert (row.participants_display, row.assessed_display, row.closer_display) == shown
    assert row.share_display == share


def test_the_page_shows_counts_and_never_names(leader, cohort):
    response = client_for(leader).get(reverse("assessments:cohort"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "&lt;5" in page
    assert "Deltagare" in page
    assert "Utanför" not in page
    assert "Provsson" not in page
    assert "Närmare arbetsmarknaden betyder här" in page
    assert AccessLogEntry.objects.filter(action="assessment.cohort_viewed", user=leader).exists()
    assert not AccessLogEntry.objects.filter(user=leader, person_id__isnull=False).exists()


def test_a_project_leader_without_projects_sees_an_explanation(ludvika_unit):
    user = UserFactory(username="pia", unit=ludvika_unit, role=Role.PROJECT_LEADER)
    response = client_for(user).get(reverse("assessments:cohort"))
    assert response.status_code == 200
    assert "inte projektledare i något projekt" in response.content.decode()


def test_a_coach_who_leads_a_project_may_see_it(alice, project, cohort):
    ProjectRole.objects.create(user=alice, project=project, role=Role.PROJECT_LEADER)
    assert client_for(alice).get(reverse("assessments:cohort")).status_code == 200


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "erik"])
def test_others_get_403(db, persona, request):
    assert client_for(request.getfixturevalue(persona)).get(reverse("assessments:cohort")).status_code == 403


def test_an_administrator_gets_403(dana):
    assert verified_admin_client(dana).get(reverse("assessments:cohort")).status_code == 403


def test_anonymous_is_sent_to_log_in(db):
    response = Client().get(reverse("assessments:cohort"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
