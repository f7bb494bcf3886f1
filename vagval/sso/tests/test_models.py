"""The identity-provider model's rules that hold without a sign-in."""

from vagval.accounts.models import Role
from vagval.sso.models import IdentityProvider


def test_just_in_time_creation_never_offers_the_roles_given_only_by_hand():
    offered = {value for value, _label in IdentityProvider._meta.get_field("jit_role").choices}
    assert offered.isdisjoint({Role.ADMIN, Role.SYSTEM, Role.DATA_PROTECTION})
    assert Role.COACH in offered
