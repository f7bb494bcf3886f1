import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry
from vagval.people.models import Protection
from vagval.targetgroup.services import target_group_refresh
from vagval.targetgroup.tests.conftest import D, in_register, nightly, study, young

URL = reverse("targetgroup:list")


@pytest.fixture
def ludvika_list(karin, ludvika_kaa_unit):
    """Two persons on Ludvika's KAA list, one with an avbrott, one protected."""
    first = young(dt.date(2009, 3, 1), first_name="Ebba", last_name="Avbrottsson")
    study(ludvika_kaa_unit, karin, first, form="GY", status="avbrott", programme="EE", end=dt.date(2026, 3, 2))
    hidden = young(
        dt.date(2009, 5, 1), first_name="Sara", last_name="Skyddad", protection=Protection.PROTECTED_REGISTRATION,
        address="Hemliga vägen 9", postal_code="77199", phone="070-999 99 99",
    )  # fmt: skip
    for person in (first, hidden):
        in_register(ludvika_kaa_unit, karin, person)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    return first, hidden


def test_karin_sees_ludvikas_list_with_reason_and_since_when(karin_client, ludvika_list):
    response = karin_client.get(URL, {"datum": D.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ebba Avbrottsson" in html
    assert "avbrott GY EE 2026-03-02" in html
    assert D.isoformat() in html
    assert "KAA (16–19 år) (2)" in html


def test_the_list_logs_one_entry_per_person_shown(karin, karin_client, ludvika_list):
    karin_client.get(URL, {"datum": D.isoformat()})
    logged = AccessLogEntry.objects.filter(action="person.listed", user=karin)
    assert sorted(e.person_id for e in logged) == sorted(p.pk for p in ludvika_list)


def test_a_protected_persons_address_and_phone_are_never_on_the_list(karin_client, ludvika_list):
    html = karin_client.get(URL, {"datum": D.isoformat()}).content.decode()
    assert "Sara Skyddad" in html
    assert "Hemliga vägen" not in html
    assert "77199" not in html
    assert "070-999" not in html


def test_no_identity_number_on_the_list(karin_client, ludvika_list):
    html = karin_client.get(URL, {"datum": D.isoformat()}).content.decode()
    assert all(p.id_number not in html for p in ludvika_list)


@pytest.mark.parametrize("persona", ["charlie", "sven"])
def test_other_municipalities_do_not_see_ludvikas_list(persona, request, ludvika_list):
    response = client_for(request.getfixturevalue(persona)).get(URL, {"datum": D.isoformat()})
    assert response.status_code == 200
    assert "Ebba" not in response.content.decode()
    assert not AccessLogEntry.objects.filter(action="person.listed").exists()


def test_the_evaluator_gets_403(erik, ludvika_list):
    assert client_for(erik).get(URL).status_code == 403


def test_the_administrator_gets_403(dana, ludvika_list):
    assert verified_admin_client(dana).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_before_the_episode_opened_the_person_is_not_listed(karin_client, ludvika_list):
    html = karin_client.get(URL, {"datum": (D - dt.timedelta(days=1)).isoformat()}).content.decode()
    assert "Ebba" not in html


@pytest.mark.parametrize("query", [{"datum": "19990101-1234"}, {"lista": "nonsense"}, {"sida": "x"}])
def test_bad_input_redirects_to_a_clean_address_with_a_message(karin_client, ludvika_list, query):
    response = karin_client.get(URL, query, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    html = response.content.decode()
    assert "19990101-1234" not in html
    assert "gick inte att läsa" in html


def test_persons_who_left_are_shown_with_the_reason(karin, karin_client, ludvika_kaa_unit, ludvika_list):
    first, _hidden = ludvika_list
    in_register(ludvika_kaa_unit, karin, first, present=False)
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D + dt.timedelta(days=3), ctx=nightly())
    html = karin_client.get(URL, {"datum": (D + dt.timedelta(days=3)).isoformat()}).content.decode()
    left = html.split('id="lamnat"')[1]
    assert "Ebba Avbrottsson" in left
    assert "flyttade" in left


def test_uvas_tab_lists_uvas_persons(karin, karin_client, ludvika_kaa_unit, uvas_project):
    in_register(ludvika_kaa_unit, karin, young(dt.date(2002, 3, 1), first_name="Ulla", last_name="Vuxen"))
    target_group_refresh(unit=ludvika_kaa_unit, reference_date=D, ctx=nightly())
    assert "Ulla Vuxen" in karin_client.get(URL, {"datum": D.isoformat(), "lista": "uvas"}).content.decode()
    assert "Ulla Vuxen" not in karin_client.get(URL, {"datum": D.isoformat(), "lista": "kaa"}).content.decode()


def test_the_person_page_shows_the_episodes_at_the_viewers_unit(karin_client, alice_client, ludvika_list):
    first, _hidden = ludvika_list
    url = reverse("people:detail", kwargs={"person_id": first.pk})
    assert "avbrott GY EE 2026-03-02" in karin_client.get(url).content.decode()


def test_both_tabs_show_their_label_and_count(karin_client, ludvika_list):
    html = karin_client.get(URL, {"datum": D.isoformat()}).content.decode()
    assert "KAA (16–19 år) (2)" in html
    assert "UVAS (20–29 år) (0)" in html
