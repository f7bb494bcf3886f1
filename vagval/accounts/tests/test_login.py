import pytest
from django.test import Client
from django.urls import reverse

from vagval.accounts.tests.factories import PASSWORD

LOGIN_URL = reverse("accounts:login")


def login(client: Client, username: str, password: str):
    return client.post(LOGIN_URL, {"username": username, "password": password})


@pytest.mark.django_db
def test_login_page_has_swedish_labels_and_button():
    response = Client().get(LOGIN_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Användarnamn' in html
    assert '<label for="id_password">Lösenord' in html
    assert '<button type="submit">Logga in</button>' in html
    assert "<h1>Logga in</h1>" in html


def test_coach_logs_in_and_lands_on_the_caseload(alice):
    client = Client()
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:caseload")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_login_honours_a_safe_next_and_ignores_another_site(alice):
    response = Client().post(LOGIN_URL + "?next=/personer/sok/", {"username": "alice", "password": PASSWORD})
    assert response["Location"] == "/personer/sok/"
    response = Client().post(
        LOGIN_URL, {"username": "alice", "password": PASSWORD, "next": "https://evil.example/steal"}
    )
    assert response["Location"] == reverse("people:caseload")


def test_wrong_password_shows_a_swedish_error(alice):
    client = Client()
    response = login(client, "alice", "fel-losenord")
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_user_gets_the_same_error_as_a_wrong_password(alice):
    unknown = login(Client(), "finns-inte", "fel-losenord").content.decode()
    wrong = login(Client(), "alice", "fel-losenord").content.decode()
    assert "Fel användarnamn eller lösenord." in unknown
    assert "Fel användarnamn eller lösenord." in wrong
    assert "finns-inte" in unknown  # the typed user name is kept in the field, nothing more


def test_inactive_user_cannot_log_in_and_gets_the_same_error(alice):
    alice.is_active = False
    alice.save()
    client = Client()
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(alice):
    client = Client()
    for _ in range(4):
        assert login(client, "alice", "fel-losenord").status_code == 200
    fifth = login(client, "alice", "fel-losenord")
    assert fifth.status_code == 429
    right = login(client, "alice", PASSWORD)
    assert right.status_code == 429
    assert "Kontot är tillfälligt låst" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_name_so_a_colleague_can_still_log_in(alice, bob):
    client = Client()
    for _ in range(5):
        login(client, "alice", "fel-losenord")
    assert login(client, "bob", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(alice):
    client = Client()
    for _ in range(4):
        login(client, "alice", "fel-losenord")
    assert login(client, "alice", PASSWORD).status_code == 302
    other = Client()
    for _ in range(4):
        assert login(other, "alice", "fel-losenord").status_code == 200


def test_logout_by_post_goes_to_the_login_page(alice_client):
    response = alice_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert "_auth_user_id" not in alice_client.session


def test_logout_by_get_is_refused(alice_client):
    response = alice_client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert "_auth_user_id" in alice_client.session
