import datetime as dt

import pytest
from django.urls import reverse

from conftest import ctx_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.models import Enrolment, EnrolmentStatus
from vagval.people.tests.factories import EnrolmentFactory
from vagval.targetgroup.models import Episode
from vagval.targetgroup.services import episode_handover, target_group_refresh
from vagval.targetgroup.tests.conftest import in_register, nightly, young

TODAY = dt.date(2026, 9, 10)


@pytest.fixture
def turned_20(karin, ludvika_kaa_unit, uvas_project):
    """A person in KAA with karin as coach in the KAA project, who turned 20 on 5 September."""
    person = young(dt.date(2006, 9, 5), first_name="Tove", last_name="Tjugo")
    kaa_project = ProjectFactory(name="KAA Ludvika")
    EnrolmentFactory(
        person=person, project=kaa_project, unit=ludvika_kaa_unit, coach=karin, starts_on=dt.date(2025, 1, 1)
    )
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=dt.date(2026, 9, 1), ctx=nightly())
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=TODAY, ctx=nightly())
    return Episode.objects.get(person=person, target_list="kaa")


def test_handover_continues_the_same_person_in_the_adult_project(karin, turned_20, uvas_project):
    enrolment = episode_handover(ctx=ctx_for(karin), episode=turned_20, project=uvas_project, coach=None, today=TODAY)
    person = turned_20.person
    assert (enrolment.person, enrolment.project, enrolment.coach, enrolment.status) == (
        person,
        uvas_project,
        karin,
        EnrolmentStatus.ACTIVE,
    )
    kaa = Enrolment.objects.get(person=person, project__name="KAA Ludvika")
    assert (kaa.status, kaa.ends_on) == (EnrolmentStatus.ENDED, TODAY)
    assert kaa.changes.filter(kind="changed").exists()  # status history kept
    turned_20.refresh_from_db()
    assert turned_20.handed_over_at is not None
    assert turned_20.handed_over_by == karin
    assert AccessLogEntry.objects.filter(action="targetgroup.handed_over", person_id=person.pk).count() == 1


def test_handover_with_a_new_coach(karin, ludvika_kaa_unit, turned_20, uvas_project):
    kim = UserFactory(username="kim", unit=ludvika_kaa_unit, role=Role.COACH)
    enrolment = episode_handover(ctx=ctx_for(karin), episode=turned_20, project=uvas_project, coach=kim, today=TODAY)
    assert enrolment.coach == kim


def test_handover_reopens_an_ended_adult_enrolment(karin, ludvika_kaa_unit, turned_20, uvas_project):
    old = EnrolmentFactory(
        person=turned_20.person,
        project=uvas_project,
        unit=ludvika_kaa_unit,
        status=EnrolmentStatus.ENDED,
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 6, 1),
    )
    enrolment = episode_handover(ctx=ctx_for(karin), episode=turned_20, project=uvas_project, coach=None, today=TODAY)
    assert enrolment.pk == old.pk
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_a_project_that_does_not_cover_the_municipality_is_refused(karin, turned_20):
    elsewhere = ProjectFactory(name="Annat projekt")
    with pytest.raises(InvalidInput) as error:
        episode_handover(ctx=ctx_for(karin), episode=turned_20, project=elsewhere, coach=None, today=TODAY)
    assert "project" in error.value.field_errors
    assert not Enrolment.objects.filter(person=turned_20.person, project=elsewhere).exists()


def test_a_coach_of_another_unit_is_refused_and_nothing_changes(karin, charlie, turned_20, uvas_project):
    with pytest.raises(InvalidInput):
        episode_handover(ctx=ctx_for(karin), episode=turned_20, project=uvas_project, coach=charlie, today=TODAY)
    turned_20.refresh_from_db()
    assert turned_20.handed_over_at is None
    assert Enrolment.objects.get(person=turned_20.person).status == EnrolmentStatus.ACTIVE


def test_a_second_handover_is_refused(karin, turned_20, uvas_project):
    episode_handover(ctx=ctx_for(karin), episode=turned_20, project=uvas_project, coach=None, today=TODAY)
    with pytest.raises(PermissionDenied):
        episode_handover(ctx=ctx_for(karin), episode=turned_20, project=uvas_project, coach=None, today=TODAY)


def test_an_episode_still_open_cannot_be_handed_over(karin, ludvika_kaa_unit, uvas_project):
    person = young(dt.date(2009, 3, 1))
    in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=TODAY, ctx=nightly())
    episode = Episode.objects.get(person=person)
    with pytest.raises(PermissionDenied):
        episode_handover(ctx=ctx_for(karin), episode=episode, project=uvas_project, coach=None, today=TODAY)


@pytest.mark.parametrize("persona", ["sven", "charlie"])
def test_another_municipality_gets_not_found(persona, request, turned_20, uvas_project):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotFound):
        episode_handover(ctx=ctx_for(user), episode=turned_20, project=uvas_project, coach=None, today=TODAY)


def test_read_only_cannot_hand_over(ludvika_kaa_unit, turned_20, uvas_project):
    reader = UserFactory(username="rut", unit=ludvika_kaa_unit, role=Role.KAA, read_only=True)
    with pytest.raises(PermissionDenied):
        episode_handover(ctx=ctx_for(reader), episode=turned_20, project=uvas_project, coach=None, today=TODAY)


def test_the_list_offers_handover_and_the_form_does_it(karin_client, turned_20, uvas_project):
    html = karin_client.get(reverse("targetgroup:list"), {"datum": TODAY.isoformat()}).content.decode()
    url = reverse("targetgroup:handover", kwargs={"episode_id": turned_20.pk})
    assert url in html
    assert karin_client.get(url).status_code == 200
    response = karin_client.post(url, {"project": str(uvas_project.pk), "coach": ""})
    assert response.status_code == 302
    turned_20.refresh_from_db()
    assert turned_20.handed_over_at is not None


def test_the_form_rejects_an_unknown_project_with_400(karin_client, turned_20):
    url = reverse("targetgroup:handover", kwargs={"episode_id": turned_20.pk})
    response = karin_client.post(url, {"project": "not-a-uuid"})
    assert response.status_code == 400
    turned_20.refresh_from_db()
    assert turned_20.handed_over_at is None


def test_charlie_gets_404_on_the_handover_page(charlie_client, turned_20):
    url = reverse("targetgroup:handover", kwargs={"episode_id": turned_20.pk})
    assert charlie_client.get(url).status_code == 404


def test_showing_the_handover_form_logs_a_view_of_the_person(karin, karin_client, turned_20):
    karin_client.get(reverse("targetgroup:handover", kwargs={"episode_id": turned_20.pk}))
    entry = AccessLogEntry.objects.get(action="person.viewed", user=karin)
    assert (entry.person_id, entry.detail) == (turned_20.person_id, {"page": "targetgroup.handover"})
