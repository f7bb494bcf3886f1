"""Every plan page for every persona: anonymous, charlie, bob, partners with and without consent."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.consent import services as consent_services
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.tests.factories import EnrolmentFactory
from vagval.plans.models import EndReason, PlanStep, ResponsibleKind
from vagval.plans.services import step_version


@pytest.fixture
def urls(alices_plan, youth_step, af_step, alices_person):
    """Every plan URL, keyed by a short name: (url, is_write)."""
    p = alices_plan.pk
    return {
        "person_plans": (reverse("plans:person_plans", args=[alices_person.pk]), False),
        "detail": (reverse("plans:detail", args=[p]), False),
        "versions": (reverse("plans:versions", args=[p]), False),
        "version_detail": (reverse("plans:version_detail", args=[p, 1]), False),
        "pdf": (reverse("plans:pdf", args=[p]), False),
        "plan_create": (reverse("plans:plan_create", args=[alices_person.pk]), True),
        "plan_edit": (reverse("plans:plan_edit", args=[p]), True),
        "plan_continue": (reverse("plans:plan_continue", args=[p]), True),
        "step_add": (reverse("plans:step_add", args=[p]), True),
        "step_edit": (reverse("plans:step_edit", args=[p, youth_step.pk]), True),
        "step_end": (reverse("plans:step_end", args=[p, youth_step.pk]), True),
        "af_step_edit": (reverse("plans:step_edit", args=[p, af_step.pk]), True),
        "af_step_end": (reverse("plans:step_end", args=[p, af_step.pk]), True),
    }


def _version(step):
    step.refresh_from_db()
    return step_version(step=step)


READ_PAGES = ["person_plans", "detail", "versions", "version_detail", "pdf"]
WRITE_PAGES = ["plan_edit", "plan_continue", "step_add", "step_edit", "step_end", "af_step_edit", "af_step_end"]


def _get_and_post(client: Client, url: str, is_write: bool) -> list[int]:
    codes = [] if url.endswith("/ny/") and "/person/" in url else [client.get(url).status_code]
    if is_write:
        codes.append(client.post(url, {}).status_code)
    return codes


def test_anonymous_is_sent_to_login_on_every_plan_page(urls):
    client = Client()
    for url, is_write in urls.values():
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url
        if is_write:
            assert client.post(url, {}).status_code == 302, url


def test_charlie_gets_404_on_every_page_of_ludvikas_plan(charlie_client, urls):
    for name, (url, is_write) in urls.items():
        assert set(_get_and_post(charlie_client, url, is_write)) == {404}, name


def test_charlie_gets_404_even_when_his_unit_also_has_the_person(charlie, charlie_client, urls, alices_person):
    # Smedjebacken has its own enrolment: it sees the person, but Ludvika's plan is Ludvika's secret.
    EnrolmentFactory(person=alices_person, project=ProjectFactory(name="Annat projekt"), unit=charlie.unit)
    for name in ["detail", "versions", "version_detail", "pdf", "plan_edit", "step_add", "af_step_edit"]:
        url, is_write = urls[name]
        assert set(_get_and_post(charlie_client, url, is_write)) == {404}, name
    response = charlie_client.get(urls["person_plans"][0])
    assert response.status_code == 200
    assert "Arbetsmarknadsutbildning" not in response.content.decode()
    assert str(urls["detail"][0]) not in response.content.decode()


def test_bob_reads_every_page_but_gets_403_on_every_change(bob_client, urls):
    for name in READ_PAGES:
        assert bob_client.get(urls[name][0]).status_code == 200, name
    for name in [*WRITE_PAGES, "plan_create"]:
        url, is_write = urls[name]
        assert set(_get_and_post(bob_client, url, is_write)) == {403}, name


def test_bob_sees_no_change_buttons(bob_client, urls):
    body = bob_client.get(urls["detail"][0]).content.decode()
    assert urls["plan_edit"][0] not in body
    assert urls["step_add"][0] not in body
    assert urls["step_end"][0] not in body


def test_a_partner_without_any_consent_gets_404_everywhere(frida_client, urls):
    for name, (url, is_write) in urls.items():
        assert set(_get_and_post(frida_client, url, is_write)) == {404}, name


def test_a_partner_whose_consent_does_not_cover_plan_gets_404_everywhere(frida_client, urls, identity_only_consent):
    for name, (url, is_write) in urls.items():
        assert set(_get_and_post(frida_client, url, is_write)) == {404}, name


def test_a_partner_with_plan_consent_reads_every_page(frida_client, urls, plan_consent):
    for name in READ_PAGES:
        assert frida_client.get(urls[name][0]).status_code == 200, name
    body = frida_client.get(urls["detail"][0]).content.decode()
    assert "Jag vill ha ett jobb" in body
    assert "samtycke" in body


def test_a_partner_with_plan_consent_gets_403_on_the_header_goals_and_others_steps(frida_client, urls, plan_consent):
    for name in ["plan_edit", "plan_continue", "step_edit", "step_end", "plan_create"]:
        url, is_write = urls[name]
        assert set(_get_and_post(frida_client, url, is_write)) == {403}, name


def test_a_partner_with_plan_consent_adds_a_step_for_their_own_unit(frida_client, urls, plan_consent, af_unit):
    assert frida_client.get(urls["step_add"][0]).status_code == 200
    response = frida_client.post(
        urls["step_add"][0], {"content": "Praktik via rusta och matcha", "starts_on": "2026-03-01"}
    )
    assert response.status_code == 302
    step = PlanStep.objects.get(content="Praktik via rusta och matcha")
    assert (step.responsible_kind, step.responsible_unit_id) == (ResponsibleKind.UNIT, af_unit.pk)


def test_a_partner_cannot_hand_a_new_step_to_another_unit(frida_client, urls, plan_consent, alice):
    frida_client.post(
        urls["step_add"][0],
        {
            "content": "Alice ska göra något",
            "starts_on": "2026-03-01",
            "responsible_kind": "enhet",
            "responsible_unit": str(alice.unit_id),
        },
    )
    assert PlanStep.objects.get(content="Alice ska göra något").responsible_unit_id != alice.unit_id


def test_a_partner_with_plan_consent_changes_and_ends_their_own_units_step(frida_client, urls, plan_consent, af_step):
    assert frida_client.get(urls["af_step_edit"][0]).status_code == 200
    response = frida_client.post(
        urls["af_step_edit"][0],
        {"content": "Arbetsmarknadsutbildning, svets", "starts_on": "2026-02-02", "version": _version(af_step)},
    )
    assert response.status_code == 302
    assert frida_client.get(urls["af_step_end"][0]).status_code == 200
    response = frida_client.post(
        urls["af_step_end"][0],
        {"ends_on": "2026-06-01", "end_reason": EndReason.COMPLETED, "end_note": "", "version": _version(af_step)},
    )
    assert response.status_code == 302
    af_step.refresh_from_db()
    assert (af_step.content, af_step.end_reason) == ("Arbetsmarknadsutbildning, svets", EndReason.COMPLETED)


def test_withdrawal_closes_the_partners_plan_page_on_the_next_request(alice, frida_client, urls, plan_consent):
    assert frida_client.get(urls["detail"][0]).status_code == 200
    consent_services.consent_withdraw(ctx=ctx_for(alice), consent=plan_consent)
    assert frida_client.get(urls["detail"][0]).status_code == 404


def test_an_expired_consent_gives_no_plan_access(alice, alices_person, af_unit, frida_client, urls):
    from vagval.consent.models import ConsentCategory
    from vagval.consent.tests.factories import share

    today = timezone.localdate()
    share(
        alices_person,
        documented_by=alice,
        to_unit=af_unit,
        categories=[ConsentCategory.PLAN],
        valid_from=today - dt.timedelta(days=30),
        valid_to=today - dt.timedelta(days=1),
    )
    assert frida_client.get(urls["detail"][0]).status_code == 404


def test_alice_sees_the_plan_with_goals_steps_responsible_and_reasons(alice, alice_client, urls, youth_step):
    from vagval.plans import services

    services.plan_step_end(
        ctx=ctx_for(alice), step=youth_step, ends_on=dt.date(2026, 3, 1), end_reason=EndReason.STOPPED_BY_YOUNG_PERSON
    )
    body = alice_client.get(urls["detail"][0]).content.decode()
    for text in [
        "<h1>",
        "Jag vill ha ett jobb",
        "Arbetsmarknadsutbildning",
        "Arbetsförmedlingen – Ludvika",
        "Avbruten av den unga",
        "Huvudansvar",
        'scope="col"',
    ]:
        assert text in body, text


def test_alice_creates_a_plan_from_the_person_page(alice, alice_client, alices_person):
    project = ProjectFactory(name="KAA Ludvika")
    EnrolmentFactory(person=alices_person, project=project, unit=alice.unit, coach=alice)
    page = alice_client.get(reverse("plans:person_plans", args=[alices_person.pk]))
    assert "KAA Ludvika" in page.content.decode()
    response = alice_client.post(reverse("plans:plan_create", args=[alices_person.pk]), {"project": str(project.pk)})
    assert response.status_code == 302
    plan = alices_person.plans.get(project=project)
    assert response["Location"] == reverse("plans:plan_edit", args=[plan.pk])
    assert plan.version == 1


def test_creating_a_plan_in_a_project_without_enrolment_is_refused(alice_client, alices_person):
    other = ProjectFactory(name="Ej inskriven")
    response = alice_client.post(reverse("plans:plan_create", args=[alices_person.pk]), {"project": str(other.pk)})
    assert response.status_code == 400


def test_alice_edits_goals_and_participants_in_one_version(alice, alice_client, alices_plan, urls, af_unit):
    alices_plan.refresh_from_db()
    page = alice_client.get(urls["plan_edit"][0])
    assert page.status_code == 200
    response = alice_client.post(
        urls["plan_edit"][0],
        {
            "version": str(alices_plan.version),
            "overall_responsibility": str(alice.unit_id),
            "is_sip": "on",
            "meeting_on": "2026-02-01",
            "next_meeting_on": "2026-03-01",
            "mal-TOTAL_FORMS": "2",
            "mal-INITIAL_FORMS": "0",
            "mal-0-text": "Jag vill jobba med djur",
            "mal-0-achieved_on": "",
            "mal-1-text": "",
            "mal-1-achieved_on": "",
            "deltagare-TOTAL_FORMS": "2",
            "deltagare-INITIAL_FORMS": "0",
            "deltagare-0-name": "Moa",
            "deltagare-0-role": "den unga",
            "deltagare-0-unit": "",
            "deltagare-1-name": "Frida",
            "deltagare-1-role": "arbetsförmedlare",
            "deltagare-1-unit": str(af_unit.pk),
        },
    )
    assert response.status_code == 302
    alices_plan.refresh_from_db()
    assert [g.text for g in alices_plan.goals.all()] == ["Jag vill jobba med djur"]
    assert [p.name for p in alices_plan.participants.all()] == ["Moa", "Frida"]
    assert alices_plan.is_sip
    body = alice_client.get(urls["detail"][0]).content.decode()
    assert "Frida, arbetsförmedlare (Arbetsförmedlingen – Ludvika)" in body


def test_a_sip_without_overall_responsibility_shows_a_swedish_field_error(alice_client, alices_plan, urls):
    alices_plan.refresh_from_db()
    response = alice_client.post(
        urls["plan_edit"][0],
        {
            "version": str(alices_plan.version),
            "overall_responsibility": "",
            "is_sip": "on",
            "mal-TOTAL_FORMS": "0",
            "mal-INITIAL_FORMS": "0",
            "deltagare-TOTAL_FORMS": "0",
            "deltagare-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "En SIP ska ange vem som har huvudansvaret." in response.content.decode()
    assert 'id="id_overall_responsibility_error"' in response.content.decode()


def test_a_stale_edit_is_refused_instead_of_overwriting(alice, alice_client, alices_plan, urls):
    alices_plan.refresh_from_db()
    stale = alices_plan.version
    from vagval.plans.tests.factories import add_step

    add_step(alices_plan, by=alice, content="Någon annans ändring")
    response = alice_client.post(
        urls["plan_edit"][0],
        {
            "version": str(stale),
            "mal-TOTAL_FORMS": "0",
            "mal-INITIAL_FORMS": "0",
            "deltagare-TOTAL_FORMS": "0",
            "deltagare-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 409
    assert "Någon annan har sparat en ändring medan du skrev" in response.content.decode()
    assert alices_plan.goals.count() == 2


def test_ending_a_step_without_a_reason_shows_a_swedish_field_error(alice_client, urls):
    response = alice_client.post(urls["step_end"][0], {"ends_on": "2026-03-01", "end_reason": ""})
    assert response.status_code == 400
    assert 'id="id_end_reason_error"' in response.content.decode()


def test_a_step_for_a_unit_without_a_unit_shows_a_swedish_field_error(alice_client, urls):
    response = alice_client.post(
        urls["step_add"][0], {"content": "Något", "responsible_kind": "enhet", "starts_on": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "Välj vilken enhet som ansvarar." in response.content.decode()


def test_pages_have_no_inline_styles_or_scripts(alice_client, urls):
    for name in ["person_plans", "detail", "versions", "version_detail", "plan_edit", "step_add", "step_end"]:
        body = alice_client.get(urls[name][0]).content.decode()
        assert "style=" not in body, name
        assert "onclick" not in body, name
        assert "<script>" not in body, name
        assert body.count("<h1") == 1, name


def test_every_read_page_writes_one_log_entry(alice_client, urls):
    for name, action in [
        ("person_plans", "plan.listed"),
        ("detail", "plan.viewed"),
        ("versions", "plan.versions_viewed"),
        ("version_detail", "plan.version_viewed"),
        ("pdf", "plan.printed"),
    ]:
        before = AccessLogEntry.objects.count()
        alice_client.get(urls[name][0])
        entries = list(AccessLogEntry.objects.order_by("-id")[: AccessLogEntry.objects.count() - before])
        assert [e.action for e in entries] == [action], name
