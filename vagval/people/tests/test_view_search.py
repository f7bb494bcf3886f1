"""Search by name or identity number: POST only, masked numbers, one log entry per hit."""

from django.urls import reverse

from vagval.audit.models import AccessLogEntry

SEARCH = reverse("people:search")
RESULTS = reverse("people:search_results")


def test_search_by_name_finds_with_a_masked_number(alice_client, alices_person):
    page = alice_client.post(RESULTS, {"q": "provs"}).content.decode()
    assert "Moa Provsson" in page
    assert reverse("people:detail", args=[alices_person.pk]) in page
    assert f"{alices_person.id_number[:8]}-****" in page
    assert alices_person.id_number not in page
    assert f"{alices_person.id_number[:8]}-{alices_person.id_number[8:]}" not in page


def test_search_by_number_finds_in_any_common_form(alice_client, alices_person):
    number = alices_person.id_number
    for text in (number, f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}"):
        page = alice_client.post(RESULTS, {"q": text}).content.decode()
        assert "Moa Provsson" in page, text


def test_search_does_not_find_other_municipalities_persons(alice_client, charlies_person):
    page = alice_client.post(RESULTS, {"q": charlies_person.id_number}).content.decode()
    assert "Testberg" not in page
    assert "Inga personer hittades." in page


def test_the_search_form_posts_so_the_number_never_goes_in_a_url(alice_client):
    page = alice_client.get(SEARCH).content.decode()
    assert 'method="post"' in page
    assert f'hx-post="{RESULTS}"' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert 'aria-live="polite"' in page
    assert 'method="get"' not in page


def test_a_number_in_the_query_string_is_ignored(alice_client, alices_person):
    page = alice_client.get(SEARCH, {"q": alices_person.id_number}).content.decode()
    assert "Provsson" not in page
    assert not AccessLogEntry.objects.filter(action="person.search_hit").exists()
    assert alice_client.get(RESULTS, {"q": alices_person.id_number}).status_code == 405


def test_without_javascript_the_search_page_itself_shows_the_results(alice_client, alices_person):
    response = alice_client.post(SEARCH, {"q": alices_person.id_number})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Sök person</h1>" in page
    assert "Moa Provsson" in page


def test_each_hit_is_logged_once(alice_client, alices_person):
    alice_client.post(RESULTS, {"q": "Moa"})
    assert list(AccessLogEntry.objects.filter(action="person.search_hit").values_list("person_id", flat=True)) == [
        alices_person.pk
    ]


def test_one_character_asks_for_more(alice_client, alices_person):
    page = alice_client.post(RESULTS, {"q": "M"}).content.decode()
    assert "Skriv minst två tecken" in page
    assert "Provsson" not in page
    assert not AccessLogEntry.objects.exists()
