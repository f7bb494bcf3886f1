"""Users created or given a password outside the web pages: by the operator at the command line
and by the demo setup, each as its named system actor that the access log shows (never ctx=None)."""

import pytest

from vagval.accounts import services
from vagval.accounts.models import Role, User
from vagval.accounts.services import UserData
from vagval.accounts.system import SystemActor, command_line_context, system_context
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.audit.services import AccessContext
from vagval.common.errors import PermissionDenied

PASSWORD = "ett-langt-losenord-42"


def test_the_command_line_creates_a_user_and_the_log_names_it_and_the_operating_system_user(ludvika_unit, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "drift-anna")
    user = services.user_create(
        ctx=command_line_context(), data=UserData(username="maja", unit=ludvika_unit), password=PASSWORD
    )
    entry = AccessLogEntry.objects.get(action="user.created")
    assert (entry.username, entry.role, entry.client_address) == ("system:kommandorad", Role.SYSTEM, "drift-anna")
    assert (entry.basis, entry.detail["username"]) == (AccessBasis.ADMINISTRATION, user.username)


def test_a_process_without_a_login_name_is_logged_as_an_unknown_operator(db, monkeypatch):
    def no_name():
        raise OSError("no login name")

    monkeypatch.setattr("getpass.getuser", no_name)
    assert command_line_context().client_address == "okänd"


@pytest.mark.parametrize("actor", [SystemActor.NIGHTLY, SystemActor.REGISTER_IMPORT, SystemActor.WORKER])
def test_other_system_actors_may_not_manage_users(ludvika_unit, alice, actor):
    with pytest.raises(PermissionDenied):
        services.user_create(
            ctx=system_context(actor), data=UserData(username="maja", unit=ludvika_unit), password=PASSWORD
        )
    with pytest.raises(PermissionDenied):
        services.user_set_password(ctx=system_context(actor), user=alice, password=PASSWORD)
    assert not User.objects.filter(username="maja").exists()


def test_a_staff_user_named_like_a_system_actor_is_not_one(ludvika_unit):
    impostor = User.objects.create(username="system:kommandorad-x", role=Role.COACH, unit=ludvika_unit)
    fake = User(username="system:kommandorad", role=Role.COACH)
    for user in (impostor, fake):
        with pytest.raises(PermissionDenied):
            services.user_create(
                ctx=AccessContext(user=user),
                data=UserData(username="maja", unit=ludvika_unit),
                password=PASSWORD,
            )
