"""The measure pages and the KAA section of the person page, for every persona."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from conftest import client_for, ctx_for
from vagval.accounts.tests.factories import UserFactory
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry
from vagval.common.tests.edit_versions import shown_version
from vagval.kaa import services
from vagval.kaa.models import Measure, Responsible
from vagval.kaa.tests.test_measure_services import data
from vagval.people.models import Protection
from vagval.people.tests.factories import PersonFactory
from vagval.targetgroup.tests.factories import kaa_episode

FORM = {
    "kind": "praktik",
    "content": "Praktik på verkstad två dagar i veckan",
    "responsible": Responsible.OTHER_ACTOR,
    "responsible_name": "Folkhögskolan",
    "starts_on": "2026-02-02",
    "ends_on": "",
    "end_reason": "",
    "follow_up_on": "2026-03-02",
}


def test_anonymous_users_are_sent_to_login(kaa_person, karin):
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    for url in (reverse("kaa:measure_create", args=[kaa_person.pk]), reverse("kaa:measure_edit", args=[measure.pk])):
        response = Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_karin_creates_a_measure_through_the_form(karin_client, kaa_person):
    url = reverse("kaa:measure_create", args=[kaa_person.pk])
    page = karin_client.get(url)
    assert page.status_code == 200
    assert "känsliga uppgifter" in page.content.decode()
    response = karin_client.post(url, FORM)
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.kind, measure.responsible_name) == ("praktik", "Folkhögskolan")


def test_an_end_date_without_reason_is_a_swedish_field_error(karin_client, kaa_person):
    url = reverse("kaa:measure_create", args=[kaa_person.pk])
    response = karin_client.post(url, {**FORM, "ends_on": "2026-02-20"})
    assert response.status_code == 400
    assert "Skriv varför insatsen avslutades när du anger ett slutdatum." in response.content.decode()
    assert not Measure.objects.exists()


def test_garbage_input_is_a_form_error_not_a_crash(karin_client, kaa_person):
    url = reverse("kaa:measure_create", args=[kaa_person.pk])
    response = karin_client.post(url, {"kind": "x" * 500, "starts_on": "igår", "responsible": "?"})
    assert response.status_code == 400
    assert not Measure.objects.exists()


def test_karin_edits_a_measure(karin, karin_client, kaa_person):
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    url = reverse("kaa:measure_edit", args=[measure.pk])
    assert karin_client.get(url).status_code == 200
    version = services.measure_version(measure=measure)
    response = karin_client.post(url, {**FORM, "ends_on": "2026-03-01", "end_reason": "Fick jobb", "version": version})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.end_reason == "Fick jobb"


def test_a_stale_measure_save_shows_both_versions_and_keeps_the_first_change(karin, karin_client, kaa_person):
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    url = reverse("kaa:measure_edit", args=[measure.pk])
    colleague = client_for(UserFactory(username="kollega", unit=karin.unit, role=karin.role))
    first_version = shown_version(karin_client.get(url))
    second_version = shown_version(colleague.get(url))
    first = karin_client.post(url, {**FORM, "responsible_name": "Folkhögskolan i Ludvika", "version": first_version})
    assert first.status_code == 302

    second = colleague.post(url, {**FORM, "responsible_name": "Komvux", "version": second_version})

    assert second.status_code == 409
    page = second.content.decode()
    assert "Ändringen sparades inte" in page
    assert "Komvux" in page
    assert "Folkhögskolan i Ludvika" in page
    measure.refresh_from_db()
    assert measure.responsible_name == "Folkhögskolan i Ludvika"


def test_read_only_users_get_403_and_others_404(karin, kaa_person, kerstin_client, sven_client, charlie_client):
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    urls = [reverse("kaa:measure_create", args=[kaa_person.pk]), reverse("kaa:measure_edit", args=[measure.pk])]
    for url in urls:
        assert kerstin_client.get(url).status_code == 403
        assert kerstin_client.post(url, FORM).status_code == 403
        assert sven_client.get(url).status_code == 404
        assert charlie_client.post(url, FORM).status_code == 404
    assert Measure.objects.count() == 1


def test_bob_read_only_cannot_write_for_his_units_person(bob_client, alices_person):
    url = reverse("kaa:measure_create", args=[alices_person.pk])
    assert bob_client.post(url, FORM).status_code == 403
    assert not Measure.objects.exists()


def test_admin_and_evaluator_get_404(kaa_person, dana, erik):
    url = reverse("kaa:measure_create", args=[kaa_person.pk])
    for client in (verified_admin_client(dana), client_for(erik)):
        assert client.get(url).status_code == 404
        assert client.post(url, FORM).status_code == 404
    assert not Measure.objects.exists()


def test_person_page_lists_measures_and_marks_overdue_follow_ups(karin, karin_client, kaa_person):
    services.measure_create(
        ctx=ctx_for(karin),
        person=kaa_person,
        data=data(follow_up_on=dt.date(2026, 1, 20), starts_on=dt.date(2026, 1, 13)),
    )
    html = karin_client.get(reverse("people:detail", args=[kaa_person.pk])).content.decode()
    assert "Insatser (KAA)" in html
    assert "Studie- och yrkesvägledning om Komvux" in html
    assert "Försenad uppföljning" in html
    assert reverse("kaa:measure_create", args=[kaa_person.pk]) in html


def test_person_page_without_overdue_follow_up_has_no_marker(karin, karin_client, kaa_person):
    services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data(follow_up_on=dt.date(2099, 1, 1)))
    html = karin_client.get(reverse("people:detail", args=[kaa_person.pk])).content.decode()
    assert "Studie- och yrkesvägledning om Komvux" in html
    assert "Försenad uppföljning" not in html


def test_read_only_colleague_sees_measures_without_edit_links(karin, kerstin_client, kaa_person):
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    html = kerstin_client.get(reverse("people:detail", args=[kaa_person.pk])).content.decode()
    assert "Studie- och yrkesvägledning om Komvux" in html
    assert reverse("kaa:measure_edit", args=[measure.pk]) not in html
    assert reverse("kaa:measure_create", args=[kaa_person.pk]) not in html


def test_showing_a_measure_form_logs_a_view_of_the_person(karin, karin_client, kaa_person):
    karin_client.get(reverse("kaa:measure_create", args=[kaa_person.pk]))
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    karin_client.get(reverse("kaa:measure_edit", args=[measure.pk]))
    entries = AccessLogEntry.objects.filter(action="person.viewed", user=karin).order_by("at")
    assert [(e.person_id, e.detail) for e in entries] == [
        (kaa_person.pk, {"page": "kaa.measure_create"}),
        (kaa_person.pk, {"page": "kaa.measure_edit"}),
    ]


def test_the_other_actor_is_named_on_the_person_page(karin, karin_client, kaa_person):
    named = data(responsible=Responsible.OTHER_ACTOR, responsible_name="Folkhögskolan i Grängesberg")
    services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=named)
    html = karin_client.get(reverse("people:detail", args=[kaa_person.pk])).content.decode()
    assert "Folkhögskolan i Grängesberg" in html


def test_the_other_actor_of_a_protected_person_is_hidden_but_kept(karin, karin_client, ludvika_kaa_unit):
    protected = PersonFactory(protection=Protection.PROTECTED_REGISTRATION)
    kaa_episode(protected, ludvika_kaa_unit)
    named = data(responsible=Responsible.OTHER_ACTOR, responsible_name="Folkhögskolan i Grängesberg")
    measure = services.measure_create(ctx=ctx_for(karin), person=protected, data=named)
    html = karin_client.get(reverse("people:detail", args=[protected.pk])).content.decode()
    assert "Studie- och yrkesvägledning om Komvux" in html
    assert "Folkhögskolan i Grängesberg" not in html
    measure.refresh_from_db()
    assert measure.responsible_name == "Folkhögskolan i Grängesberg"
