"""The demo's register step on its own: deterministic for a seed, and only for small demos.

Apart from test_registers_demo.py, whose module-wide demo would be visible to these tests.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from vagval.demo.build import demo_build
from vagval.demo.persons import generate_persons
from vagval.demo.registers import RegistersBuilder, generate_registers
from vagval.demo.world import DEFAULT_DEMO_PASSWORD, build_world
from vagval.outreach.models import ContactAttempt
from vagval.registers.models import RegisterImport
from vagval.targetgroup.models import Episode

NOW = timezone.make_aware(dt.datetime(2026, 11, 24, 13, 30))


def test_the_same_seed_gives_the_same_extracts(db):
    world = build_world(password="demo-losenord-123")
    generate_persons(world=world, count=60, seed=2, today=NOW.date())

    def extracts(seed: int) -> tuple[bytes, ...]:
        builder = RegistersBuilder(world=world, seed=seed, now=NOW)
        builder.gather()
        return (
            builder.population_file(now=False),
            builder.studies_file(now=False),
            builder.population_file(now=True),
            builder.studies_file(now=True),
        )

    assert extracts(2) == extracts(2)
    assert extracts(2) != extracts(3)


def test_the_same_seed_gives_the_same_lists_and_work(db):
    world = build_world(password="demo-losenord-123")
    generate_persons(world=world, count=60, seed=2, today=NOW.date())

    def run() -> tuple[object, ...]:
        with transaction.atomic():
            result = generate_registers(world=world, seed=2, now=NOW)
            lists = sorted(
                Episode.objects.values_list(
                    "person__id_number", "target_list", "open_reason", "close_code", "closed_on"
                )
            )
            contacts = sorted(ContactAttempt.objects.values_list("person__id_number", "channel", "outcome", "made_at"))
            transaction.set_rollback(True)
        return (result.kaa, result.uvas, result.left, result.contacts, result.measures, lists, contacts)

    assert run() == run()


def test_a_demo_above_the_activity_limit_gets_no_imports(db, monkeypatch):
    monkeypatch.setattr("vagval.demo.build.ACTIVITY_MAX_PERSONS", 20)

    summary = demo_build(persons=30, seed=1, password=DEFAULT_DEMO_PASSWORD)

    assert summary.registers is None
    assert not RegisterImport.objects.exists()
    assert not Episode.objects.exists()
