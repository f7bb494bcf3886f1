import pytest

from vagval.access.checks import may_see_persons
from vagval.accounts.models import Role, User
from vagval.accounts.system import SystemActor, system_context, system_user
from vagval.audit.models import AccessLogEntry
from vagval.audit.services import access_log_record


@pytest.mark.django_db
def test_a_system_actor_is_one_saved_user_that_cannot_sign_in_or_see_persons():
    first = system_user(SystemActor.NIGHTLY)
    again = system_user(SystemActor.NIGHTLY)
    assert first.pk == again.pk
    assert User.objects.filter(username="system:nattlig-korning").count() == 1
    assert first.role == Role.SYSTEM
    assert not first.is_active
    assert not first.has_usable_password()
    assert not may_see_persons(first)


@pytest.mark.django_db
def test_the_access_log_names_the_system_actor():
    person_id = "5f0b6f3e-9f7e-4b7e-8a55-2b8f4c1f1a11"
    access_log_record(
        ctx=system_context(SystemActor.REGISTER_IMPORT, detail="cron"), action="person.viewed", person_id=person_id
    )
    entry = AccessLogEntry.objects.get()
    assert entry.username == "system:registerimport"
    assert entry.role == Role.SYSTEM
    assert entry.user_id == system_user(SystemActor.REGISTER_IMPORT).pk
    assert entry.client_address == "cron"
