import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import client_for
from vagval.accounts.models import ProjectRole, Role, User
from vagval.accounts.services import user_version
from vagval.accounts.tests.factories import PASSWORD, UserFactory
from vagval.accounts.tests.helpers import totp_device_for, verified_admin_client
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.common.tests.edit_versions import shown_version


@pytest.fixture
def dana_client(dana) -> Client:
    return verified_admin_client(dana)


def admin_urls(user: User) -> list[str]:
    return [
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_edit", kwargs={"user_id": user.pk}),
        reverse("accounts:user_password", kwargs={"user_id": user.pk}),
    ]


def new_user_form(unit, **overrides) -> dict:
    data = {
        "username": "frida",
        "first_name": "Frida",
        "last_name": "Provsson",
        "email": "frida@example.org",
        "unit": str(unit.pk) if unit else "",
        "role": Role.COACH,
        "is_active": "on",
        "password": "ett-langt-losenord-7",
        "password_repeat": "ett-langt-losenord-7",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_form(user: User, **overrides) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "unit": str(user.unit_id) if user.unit_id else "",
        "role": user.role,
        "read_only": "on" if user.read_only else None,
        "is_active": "on" if user.is_active else None,
        "version": user_version(user=user),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_anonymous_is_sent_to_log_in(alice):
    for url in admin_urls(alice):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_non_administrators_get_403(alice, bob, charlie, alice_client, bob_client, charlie_client):
    for client in (alice_client, bob_client, charlie_client):
        for url in admin_urls(alice):
            assert client.get(url).status_code == 403, url
        assert client.post(reverse("accounts:user_create"), new_user_form(alice.unit)).status_code == 403
    assert not User.objects.filter(username="frida").exists()


def test_a_verified_non_administrator_still_gets_403(alice):
    client = verified_admin_client(alice)
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_user_list_shows_users_with_unit_role_and_two_factor(dana_client, alice, bob, charlie):
    totp_device_for(charlie)
    response = dana_client.get(reverse("accounts:user_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["nav"] == "admin"
    for name in ("alice", "bob", "charlie", "dana"):
        assert f">{name}</a>" in html
    rows = {u.username: u for u in response.context["users"]}
    assert rows["charlie"].has_two_factor
    assert rows["dana"].has_two_factor
    assert not rows["alice"].has_two_factor
    assert '<th scope="col">Tvåstegsverifiering</th>' in html


def test_user_list_filters_by_unit_and_role(dana_client, alice, bob, charlie, erik):
    by_unit = dana_client.get(reverse("accounts:user_list"), {"unit": str(alice.unit_id)})
    assert {u.username for u in by_unit.context["users"]} == {"alice", "bob"}
    by_role = dana_client.get(reverse("accounts:user_list"), {"role": Role.EVALUATOR})
    assert {u.username for u in by_role.context["users"]} == {"erik"}


def test_administrator_creates_a_user_who_can_log_in(dana_client, dana, ludvika_unit):
    response = dana_client.post(reverse("accounts:user_create"), new_user_form(ludvika_unit))
    frida = User.objects.get(username="frida")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_edit", kwargs={"user_id": frida.pk})
    assert frida.unit == ludvika_unit
    assert frida.role == Role.COACH
    entry = AccessLogEntry.objects.get(action="user.created")
    assert entry.user_id == dana.pk
    assert entry.basis == AccessBasis.ADMINISTRATION
    assert entry.detail["username"] == "frida"
    login = Client().post(reverse("accounts:login"), {"username": "frida", "password": "ett-langt-losenord-7"})
    assert login.status_code == 302


def test_create_refuses_a_taken_user_name_in_swedish(dana_client, alice):
    response = dana_client.post(reverse("accounts:user_create"), new_user_form(alice.unit, username="ALICE"))
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["Användarnamnet är upptaget."]
    assert "Användarnamnet är upptaget." in response.content.decode()


def test_create_refuses_a_weak_password_in_swedish(dana_client, ludvika_unit):
    response = dana_client.post(
        reverse("accounts:user_create"), new_user_form(ludvika_unit, password="kort", password_repeat="kort")
    )
    errors = response.context["form"].errors["password"]
    assert any("för kort" in error for error in errors), errors
    assert not User.objects.filter(username="frida").exists()


def test_create_refuses_different_passwords(dana_client, ludvika_unit):
    response = dana_client.post(
        reverse("accounts:user_create"), new_user_form(ludvika_unit, password_repeat="ett-annat-losenord-8")
    )
    assert response.context["form"].errors["password_repeat"] == ["Lösenorden är inte likadana."]


def test_create_requires_a_unit_for_everyone_but_administrators(dana_client):
    response = dana_client.post(reverse("accounts:user_create"), new_user_form(None))
    assert response.context["form"].errors["unit"] == ["Välj en enhet (alla utom administratörer hör till en enhet)."]
    admin = dana_client.post(reverse("accounts:user_create"), new_user_form(None, role=Role.ADMIN, username="gustav"))
    assert admin.status_code == 302
    assert User.objects.get(username="gustav").unit is None


def test_administrator_edits_a_user(dana_client, dana, alice, smedjebacken_unit):
    url = reverse("accounts:user_edit", kwargs={"user_id": alice.pk})
    page = dana_client.get(url)
    assert page.status_code == 200
    assert page.context["nav"] == "admin"
    response = dana_client.post(
        url, edit_form(alice, unit=str(smedjebacken_unit.pk), role=Role.KAA, read_only="on", last_name="Ny")
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.unit, alice.role, alice.read_only, alice.last_name) == (smedjebacken_unit, Role.KAA, True, "Ny")
    entry = AccessLogEntry.objects.get(action="user.changed")
    assert entry.user_id == dana.pk
    assert entry.basis == AccessBasis.ADMINISTRATION
    assert entry.detail["username"] == "alice"
    assert entry.detail["changed"] == ["last_name", "read_only", "role", "unit"]


def test_administrator_deactivates_a_user_who_then_cannot_log_in(dana_client, alice):
    url = reverse("accounts:user_edit", kwargs={"user_id": alice.pk})
    assert dana_client.post(url, edit_form(alice, is_active=None)).status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active
    login = Client().post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert login.status_code == 200


def test_edit_refuses_a_taken_user_name(dana_client, alice, bob):
    url = reverse("accounts:user_edit", kwargs={"user_id": alice.pk})
    response = dana_client.post(url, edit_form(alice, username="bob"))
    assert response.context["form"].errors["username"] == ["Användarnamnet är upptaget."]
    alice.refresh_from_db()
    assert alice.username == "alice"


def test_a_stale_user_save_shows_both_versions_and_keeps_the_first_change(dana, alice):
    first_client, second_client = verified_admin_client(dana), verified_admin_client(dana)
    url = reverse("accounts:user_edit", kwargs={"user_id": alice.pk})
    first_version = shown_version(first_client.get(url))
    second_version = shown_version(second_client.get(url))
    assert first_client.post(url, {**edit_form(alice, last_name="Först"), "version": first_version}).status_code == 302

    second = second_client.post(url, {**edit_form(alice, last_name="Sist"), "version": second_version})

    assert second.status_code == 409
    page = second.content.decode()
    assert "Ändringen sparades inte" in page
    assert "Sist" in page
    assert "Först" in page
    alice.refresh_from_db()
    assert alice.last_name == "Först"
    assert AccessLogEntry.objects.filter(action="user.changed").count() == 1


def test_a_login_does_not_make_an_open_user_form_stale(dana_client, alice):
    url = reverse("accounts:user_edit", kwargs={"user_id": alice.pk})
    version = shown_version(dana_client.get(url))
    assert Client().post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD}).status_code == 302
    assert dana_client.post(url, {**edit_form(alice, last_name="Ny"), "version": version}).status_code == 302


def test_unknown_user_is_404(dana_client):
    assert dana_client.get(reverse("accounts:user_edit", kwargs={"user_id": 999999})).status_code == 404


def test_an_administrator_cannot_deactivate_themselves(dana_client, dana):
    url = reverse("accounts:user_edit", kwargs={"user_id": dana.pk})
    response = dana_client.post(url, edit_form(dana, is_active=None))
    assert response.status_code == 200
    assert response.context["form"].errors["is_active"] == ["Du kan inte inaktivera ditt eget konto."]
    dana.refresh_from_db()
    assert dana.is_active
    assert not AccessLogEntry.objects.filter(action="user.changed").exists()


def test_an_administrator_cannot_remove_their_own_admin_role(dana_client, dana, ludvika_unit):
    url = reverse("accounts:user_edit", kwargs={"user_id": dana.pk})
    response = dana_client.post(url, edit_form(dana, role=Role.COACH, unit=str(ludvika_unit.pk)))
    assert response.context["form"].errors["role"] == ["Du kan inte ta bort din egen administratörsroll."]
    dana.refresh_from_db()
    assert dana.role == Role.ADMIN


def test_an_administrator_may_demote_another_administrator(dana_client, ludvika_unit):
    other = UserFactory(username="gustav", unit=None, role=Role.ADMIN)
    url = reverse("accounts:user_edit", kwargs={"user_id": other.pk})
    response = dana_client.post(url, edit_form(other, role=Role.COACH, unit=str(ludvika_unit.pk)))
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.role == Role.COACH


def test_administrator_sets_a_password(dana_client, dana, alice):
    url = reverse("accounts:user_password", kwargs={"user_id": alice.pk})
    assert dana_client.get(url).context["nav"] == "admin"
    response = dana_client.post(url, {"password": "nytt-langt-losenord-9", "password_repeat": "nytt-langt-losenord-9"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("nytt-langt-losenord-9")
    entry = AccessLogEntry.objects.get(action="user.password_set")
    assert entry.user_id == dana.pk
    assert entry.detail == {"username": "alice"}


def test_set_password_refuses_a_weak_password_in_swedish(dana_client, alice):
    url = reverse("accounts:user_password", kwargs={"user_id": alice.pk})
    response = dana_client.post(url, {"password": "1234567890", "password_repeat": "1234567890"})
    errors = response.context["form"].errors["password"]
    assert any("bara siffror" in error or "vanligt" in error for error in errors), errors
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_an_administrator_changing_their_own_password_stays_logged_in(dana_client, dana):
    url = reverse("accounts:user_password", kwargs={"user_id": dana.pk})
    dana_client.post(url, {"password": "nytt-langt-losenord-9", "password_repeat": "nytt-langt-losenord-9"})
    assert dana_client.get(reverse("accounts:user_list")).status_code == 200


def test_administrator_adds_and_removes_a_project_role(dana_client, dana, alice, project):
    add_url = reverse("accounts:user_project_role_add", kwargs={"user_id": alice.pk})
    response = dana_client.post(
        add_url, {"projektroll-project": str(project.pk), "projektroll-role": Role.PROJECT_LEADER}
    )
    assert response.status_code == 302
    project_role = ProjectRole.objects.get(user=alice)
    assert (project_role.project, project_role.role) == (project, Role.PROJECT_LEADER)
    added = AccessLogEntry.objects.get(action="user.project_role_added")
    assert added.user_id == dana.pk
    assert added.basis == AccessBasis.ADMINISTRATION
    assert added.detail == {"username": "alice", "project": project.name, "role": Role.PROJECT_LEADER}
    assert project.name in dana_client.get(reverse("accounts:user_edit", kwargs={"user_id": alice.pk})).content.decode()

    remove_url = reverse(
        "accounts:user_project_role_remove", kwargs={"user_id": alice.pk, "project_role_id": project_role.pk}
    )
    assert dana_client.post(remove_url).status_code == 302
    assert not ProjectRole.objects.filter(user=alice).exists()
    assert AccessLogEntry.objects.filter(action="user.project_role_removed").count() == 1


def test_adding_the_same_project_role_twice_is_refused_in_swedish(dana_client, alice, project):
    add_url = reverse("accounts:user_project_role_add", kwargs={"user_id": alice.pk})
    data = {"projektroll-project": str(project.pk), "projektroll-role": Role.COACH}
    dana_client.post(add_url, data)
    response = dana_client.post(add_url, data)
    assert response.status_code == 200
    assert response.context["role_form"].errors["role"] == ["Användaren har redan den rollen i projektet."]
    assert ProjectRole.objects.filter(user=alice).count() == 1


def test_removing_another_users_project_role_through_the_wrong_user_is_404(dana_client, alice, bob, project):
    project_role = ProjectRole.objects.create(user=bob, project=project, role=Role.COACH)
    url = reverse("accounts:user_project_role_remove", kwargs={"user_id": alice.pk, "project_role_id": project_role.pk})
    assert dana_client.post(url).status_code == 404
    assert ProjectRole.objects.filter(pk=project_role.pk).exists()


def test_project_roles_cannot_be_changed_by_non_administrators(alice_client, bob, project):
    project_role = ProjectRole.objects.create(user=bob, project=project, role=Role.COACH)
    add_url = reverse("accounts:user_project_role_add", kwargs={"user_id": bob.pk})
    assert (
        alice_client.post(add_url, {"projektroll-project": str(project.pk), "projektroll-role": Role.KAA}).status_code
        == 403
    )
    remove_url = reverse(
        "accounts:user_project_role_remove", kwargs={"user_id": bob.pk, "project_role_id": project_role.pk}
    )
    assert alice_client.post(remove_url).status_code == 403
    assert list(ProjectRole.objects.filter(user=bob)) == [project_role]


def test_administrator_resets_another_users_two_factor(dana_client, dana, alice):
    totp_device_for(alice)
    response = dana_client.post(reverse("accounts:user_two_factor_reset", kwargs={"user_id": alice.pk}))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    entry = AccessLogEntry.objects.get(action="user.two_factor_disabled")
    assert entry.user_id == dana.pk
    assert entry.detail == {"username": "alice"}


def test_administrator_cannot_reset_their_own_two_factor(dana_client, dana):
    response = dana_client.post(reverse("accounts:user_two_factor_reset", kwargs={"user_id": dana.pk}))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=dana).exists()


def test_a_reset_administrator_must_set_up_two_factor_again(dana_client, dana):
    other = UserFactory(username="gustav", unit=None, role=Role.ADMIN)
    other_client = verified_admin_client(other)
    dana_client.post(reverse("accounts:user_two_factor_reset", kwargs={"user_id": other.pk}))
    response = other_client.get(reverse("accounts:user_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_an_unverified_administrator_cannot_post_to_user_administration(dana, ludvika_unit):
    response = client_for(dana).post(reverse("accounts:user_create"), new_user_form(ludvika_unit))
    assert response.status_code == 302
    assert not User.objects.filter(username="frida").exists()


def test_pages_have_unique_ids_and_no_inline_styles_or_scripts(dana_client, alice, project):
    ProjectRole.objects.create(user=alice, project=project, role=Role.COACH)
    for url in [*admin_urls(alice), reverse("accounts:two_factor")]:
        html = dana_client.get(url).content.decode()
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (url, ids)
        assert " style=" not in html, url
        assert "<script>" not in html, url
        assert " onclick=" not in html, url
        assert html.count("<h1>") == 1, url
