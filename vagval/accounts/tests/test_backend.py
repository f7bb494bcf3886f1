"""The authentication backend loads the user's unit and organisation with the user."""

from vagval.accounts.backends import UserWithUnitBackend
from vagval.accounts.middleware import _needs_second_factor
from vagval.accounts.tests.helpers import totp_device_for


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


def test_whether_two_factor_is_on_comes_with_the_user(alice, django_assert_num_queries):
    assert UserWithUnitBackend().get_user(alice.pk).has_confirmed_totp is False
    totp_device_for(alice)
    with django_assert_num_queries(1):
        user = UserWithUnitBackend().get_user(alice.pk)
        assert user.has_confirmed_totp is True
        user.is_verified = lambda: False  # as OTPMiddleware leaves a user without a code this session
        assert _needs_second_factor(user) is True  # asked of the user loaded, not the database


def test_the_second_factor_check_asks_the_database_for_a_user_loaded_otherwise(alice, django_assert_num_queries):
    totp_device_for(alice)
    alice.is_verified = lambda: False
    with django_assert_num_queries(1):
        assert _needs_second_factor(alice) is True
