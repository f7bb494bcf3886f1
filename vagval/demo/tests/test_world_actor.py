"""The demo setup acts as the system actor "demodata", never as no one."""

from vagval.audit.models import AccessLogEntry
from vagval.demo.world import build_world

PASSWORD = "ett-langt-losenord-42"


def test_the_demo_world_creates_its_users_as_the_demo_actor(db):
    world = build_world(password=PASSWORD)
    created = AccessLogEntry.objects.filter(action="user.created")
    assert created.count() == len(world.users) + 1  # the demo users and the import account
    assert set(created.values_list("username", flat=True)) == {"system:demodata"}
