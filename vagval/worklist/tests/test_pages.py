"""The to-do list's pages: who gets them, what they show, what they log."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import client_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry
from vagval.worklist.models import ItemMark, JobRun, JobRunStatus, WorklistSetting

from .conftest import TODAY


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    for url in ("/att-gora/", "/att-gora/aviseringar/", "/att-gora/installningar/", "/att-gora/jobb/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/konto/" in response["Location"]


def test_the_list_shows_the_items_with_links_and_logs_each_person_once(alice, world, on_today):
    response = client_for(alice).get("/att-gora/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Moa Provsson" in html
    assert f"/plan/{world.step.plan_id}/" in html
    assert f"/att-gora/markera/steg/{world.step.pk}/" in html
    assert AccessLogEntry.objects.filter(action="worklist.viewed", person_id=world.person.pk).count() == 1


def test_the_list_filters_by_kind_and_person(alice, world, on_today):
    html = client_for(alice).get("/att-gora/", {"typ": "steg", "person": str(world.person.pk)}).content.decode()

    assert "Besöka Komvux" in html
    assert "Uppföljning:" not in html


def test_unknown_filters_are_ignored(alice, world, on_today):
    assert client_for(alice).get("/att-gora/", {"typ": "okand", "person": "x"}).status_code == 200


def test_another_unit_sees_none_of_it(charlie, world, on_today):
    html = client_for(charlie).get("/att-gora/").content.decode()

    assert "Moa Provsson" not in html
    assert "Ville Testberg" in html


def test_the_start_page_shows_the_soonest_items(alice, world, on_today):
    html = client_for(alice).get("/personer/").content.decode()

    assert 'id="att-gora-rubrik"' in html
    assert "Uppföljning: efter 90 dagar" in html


def test_the_menu_shows_the_count(alice, world, on_today):
    html = client_for(alice).get("/att-gora/").content.decode()

    assert "Att göra (7)</a>" in html


def test_the_mark_page_marks_an_item_done(alice, world, on_today):
    url = f"/att-gora/markera/steg/{world.step.pk}/"
    assert client_for(alice).get(url).status_code == 200

    response = client_for(alice).post(url, {"state": "klar", "version": "ny"})

    assert response.status_code == 302
    assert ItemMark.objects.get().object_id == world.step.pk
    assert "Att göra (6)</a>" in client_for(alice).get("/att-gora/").content.decode()


def test_moving_without_a_reason_shows_a_field_error_and_saves_nothing(alice, world, on_today):
    url = f"/att-gora/markera/steg/{world.step.pk}/"

    response = client_for(alice).post(
        url, {"state": "flyttad", "moved_to": (TODAY + dt.timedelta(days=9)).isoformat(), "version": "ny"}
    )

    assert response.status_code == 200
    assert "Skriv varför uppgiften flyttas." in response.content.decode()
    assert not ItemMark.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_read_only_users_cannot_mark(bob, pia, world, on_today, method):
    url = f"/att-gora/markera/steg/{world.step.pk}/"
    for user in (bob, pia):
        assert getattr(client_for(user), method)(url, {"state": "klar"}).status_code == 403
    assert not ItemMark.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_unit_gets_404_on_the_mark_page(charlie, world, on_today, method):
    url = f"/att-gora/markera/steg/{world.step.pk}/"
    assert getattr(client_for(charlie), method)(url, {"state": "klar"}).status_code == 404
    assert client_for(charlie).get("/att-gora/markera/okand/{world.step.pk}/").status_code == 404


def test_a_partner_sees_and_marks_her_own_items(frida, world, on_today):
    html = client_for(frida).get("/att-gora/").content.decode()
    assert "Träffa arbetsförmedlare" in html
    assert "Besöka Komvux" not in html

    response = client_for(frida).post(
        f"/att-gora/markera/steg/{world.partner_step.pk}/", {"state": "klar", "version": "ny"}
    )

    assert response.status_code == 302
    assert (
        client_for(frida)
        .post(f"/att-gora/markera/steg/{world.step.pk}/", {"state": "klar", "version": "ny"})
        .status_code
        == 404
    )


def test_the_administrator_has_no_list(dana):
    response = verified_admin_client(dana).get("/att-gora/")

    assert response.status_code == 200
    assert "ingen att göra-lista" in response.content.decode()


def test_the_daily_email_is_off_until_the_user_turns_it_on(alice):
    assert client_for(alice).get("/att-gora/installningar/").status_code == 200
    assert not WorklistSetting.objects.filter(user=alice, daily_email=True).exists()

    response = client_for(alice).post("/att-gora/installningar/", {"daily_email": "on"})

    assert response.status_code == 302
    assert WorklistSetting.objects.get(user=alice).daily_email is True
    client_for(alice).post("/att-gora/installningar/", {})
    assert WorklistSetting.objects.get(user=alice).daily_email is False


def test_only_the_administrator_sees_the_jobs_page_with_failures(dana, alice, bob):
    JobRun.objects.create(job="att_gora_epost", period="2026-03-05", status=JobRunStatus.FAILED, error="ValueError")

    admin = verified_admin_client(dana)
    response = admin.get("/att-gora/jobb/")

    assert response.status_code == 200
    assert "Misslyckades" in response.content.decode()
    assert "/att-gora/jobb/" in admin.get("/administration/").content.decode()
    assert client_for(alice).get("/att-gora/jobb/").status_code == 403
    assert client_for(bob).get("/att-gora/jobb/").status_code == 403


def test_a_long_list_is_paged(alice, world, on_today):
    from vagval.plans.tests.factories import add_step

    for n in range(55):
        add_step(world.step.plan, by=alice, content=f"Steg {n}", follow_up_on=TODAY + dt.timedelta(days=2))

    first = client_for(alice).get("/att-gora/").content.decode()
    second = client_for(alice).get("/att-gora/", {"page": "2"}).content.decode()

    assert "Sida 1 av 2" in first
    assert "62 saker att göra." in first
    assert second.count('<th scope="row">') == 12
