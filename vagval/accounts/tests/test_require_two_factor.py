from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from conftest import client_for
from vagval.accounts.tests.factories import PASSWORD
from vagval.accounts.tests.helpers import totp_device_for, totp_token, verified_admin_client

TWO_FACTOR_URL = reverse("accounts:two_factor")


def two_factor_redirect(next_path: str) -> str:
    return f"{TWO_FACTOR_URL}?{urlencode({'next': next_path})}"


def test_an_unverified_administrator_is_sent_to_two_factor(dana):
    response = client_for(dana).get("/administration/")
    assert response.status_code == 302
    assert response["Location"] == two_factor_redirect("/administration/")


def test_user_administration_under_konto_is_not_open_before_two_factor(dana):
    response = client_for(dana).get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert response["Location"] == two_factor_redirect(reverse("accounts:user_list"))


def test_the_redirect_keeps_the_query_string(dana):
    response = client_for(dana).get("/logg/?anvandare=alice&sida=2")
    assert response["Location"] == two_factor_redirect("/logg/?anvandare=alice&sida=2")


def test_an_unverified_administrator_can_still_reach_two_factor_and_log_out(dana):
    client = client_for(dana)
    assert client.get(TWO_FACTOR_URL).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_a_verified_administrator_is_not_redirected(dana):
    client = verified_admin_client(dana)
    response = client.get("/administration/")
    assert not (response.status_code == 302 and response["Location"].startswith(TWO_FACTOR_URL))
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_coaches_are_not_forced_to_use_two_factor(alice_client):
    response = alice_client.get(reverse("people:caseload"))
    assert not (response.status_code == 302 and response["Location"].startswith(TWO_FACTOR_URL))


def test_administrator_login_goes_through_two_factor_to_administration(dana):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "dana", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == two_factor_redirect(reverse("organisations:index"))
    assert "data:image/svg+xml" in response.content.decode()  # dana has no device yet: set-up page
    device = totp_device_for(dana)  # as if dana had set it up earlier
    response = client.post(two_factor_redirect(reverse("organisations:index")), {"token": totp_token(device)})
    assert response["Location"] == reverse("organisations:index")


def test_a_coach_who_turned_on_two_factor_must_use_it_after_logging_in(alice):
    device = totp_device_for(alice)
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == two_factor_redirect(reverse("people:caseload"))
    assert client.get(reverse("people:search"))["Location"] == two_factor_redirect(reverse("people:search"))
    response = client.post(two_factor_redirect(reverse("people:caseload")), {"token": totp_token(device)})
    assert response["Location"] == reverse("people:caseload")
    assert client.get(reverse("people:search")).status_code == 200


def test_htmx_requests_are_sent_to_two_factor_with_a_full_page_redirect(dana):
    response = client_for(dana).get("/administration/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == two_factor_redirect("/administration/")
