"""The authentication backend loads the user's unit and organisation with the user."""

from vagval.accounts.backends import UserWithUnitBackend


def test_the_unit_and_its_organisation_come_with_the_user(alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = UserWithUnitBackend().get_user(alice.pk)
        assert user is not None
        assert user.unit is not None
        assert user.unit.organisation.name == "Ludvika kommun"


def test_an_inactive_or_unknown_user_is_nobody(alice):
    alice.is_active = False
    alice.save()
    assert UserWithUnitBackend().get_user(alice.pk) is None
    assert UserWithUnitBackend().get_user(999_999) is None


def test_logging_in_through_the_form_uses_this_backend(alice, client):
    from vagval.accounts.tests.factories import PASSWORD

    client.post("/konto/logga-in/", {"username": "alice", "password": PASSWORD})
    assert client.session["_auth_user_backend"] == "vagval.accounts.backends.UserWithUnitBackend"
