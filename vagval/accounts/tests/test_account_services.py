import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import ctx_for
from vagval.accounts import services
from vagval.accounts.models import ProjectRole, Role
from vagval.accounts.services import UserData
from vagval.accounts.tests.helpers import totp_device_for, totp_token
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, PermissionDenied


def data_for(user, **changes) -> UserData:
    values = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "unit": user.unit,
        "role": user.role,
        "read_only": user.read_only,
        "is_active": user.is_active,
    }
    values.update(changes)
    return UserData(**values)


def test_an_administrator_cannot_lock_themselves_out(dana, ludvika_unit):
    with pytest.raises(InvalidInput) as deactivate:
        services.user_update(ctx=ctx_for(dana), user=dana, data=data_for(dana, is_active=False))
    assert "is_active" in deactivate.value.field_errors
    with pytest.raises(InvalidInput) as demote:
        services.user_update(ctx=ctx_for(dana), user=dana, data=data_for(dana, role=Role.COACH, unit=ludvika_unit))
    assert "role" in demote.value.field_errors
    dana.refresh_from_db()
    assert dana.is_active
    assert dana.role == Role.ADMIN


def test_an_administrator_may_edit_their_own_name(dana):
    services.user_update(ctx=ctx_for(dana), user=dana, data=data_for(dana, last_name="Nyberg"))
    dana.refresh_from_db()
    assert dana.last_name == "Nyberg"


def test_user_names_are_unique_regardless_of_case_and_surrounding_spaces(dana, alice):
    with pytest.raises(InvalidInput) as exc:
        services.user_create(
            ctx=ctx_for(dana), data=UserData(username=" Alice ", unit=alice.unit), password="ett-langt-losenord-7"
        )
    assert exc.value.field_errors["username"] == ["Användarnamnet är upptaget."]


def test_only_administrators_manage_users_and_project_roles(alice, bob, project):
    with pytest.raises(PermissionDenied):
        services.user_update(ctx=ctx_for(alice), user=bob, data=data_for(bob, read_only=False))
    with pytest.raises(PermissionDenied):
        services.project_role_add(ctx=ctx_for(alice), user=bob, project=project, role=Role.COACH)
    project_role = ProjectRole.objects.create(user=bob, project=project, role=Role.COACH)
    with pytest.raises(PermissionDenied):
        services.project_role_remove(ctx=ctx_for(alice), project_role=project_role)
    assert ProjectRole.objects.filter(pk=project_role.pk).exists()


def test_administrator_is_not_a_project_role(dana, alice, project):
    with pytest.raises(InvalidInput) as exc:
        services.project_role_add(ctx=ctx_for(dana), user=alice, project=project, role=Role.ADMIN)
    assert "role" in exc.value.field_errors


def test_only_administrators_turn_off_two_factor_for_someone_else(alice, bob):
    totp_device_for(bob)
    with pytest.raises(PermissionDenied):
        services.two_factor_disable(ctx=ctx_for(alice), user=bob)
    assert TOTPDevice.objects.filter(user=bob).exists()


def test_turning_off_two_factor_when_none_is_set_up_writes_no_log_entry(alice):
    services.two_factor_disable(ctx=ctx_for(alice), user=alice)
    assert not AccessLogEntry.objects.filter(action="user.two_factor_disabled").exists()


def test_a_password_alone_never_replaces_a_confirmed_device(alice):
    totp_device_for(alice)
    pending = services.two_factor_setup_start(user=alice)
    with pytest.raises(PermissionDenied):
        services.two_factor_confirm(ctx=ctx_for(alice), device=pending, token=totp_token(pending))
    pending.refresh_from_db()
    assert not pending.confirmed


def test_confirming_a_device_replaces_older_unconfirmed_ones(alice):
    old = TOTPDevice.objects.create(user=alice, name="gammal", confirmed=False)
    newer = TOTPDevice.objects.create(user=alice, name="ny", confirmed=False)
    assert services.two_factor_setup_start(user=alice) == newer
    services.two_factor_confirm(ctx=ctx_for(alice), device=newer, token=totp_token(newer))
    assert list(TOTPDevice.objects.filter(user=alice)) == [newer]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_a_wrong_code_is_counted_for_throttling(alice):
    device = totp_device_for(alice)
    with pytest.raises(InvalidInput) as exc:
        services.two_factor_verify(user=alice, token="not-a-code")
    assert "token" in exc.value.field_errors
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
