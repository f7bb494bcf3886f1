"""Setting up a demo database: migrate, build the world, generate persons and their activity (once)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from vagval.access.scope import acting
from vagval.accounts.system import SystemActor, system_context
from vagval.common.errors import PermissionDenied
from vagval.demo.activity import ACTIVITY_MAX_PERSONS, ActivityResult, generate_activity
from vagval.demo.admission import generate_admission
from vagval.demo.catalogue import generate_catalogue
from vagval.demo.esf import generate_esf_entries
from vagval.demo.evaluation import generate_evaluation
from vagval.demo.followup import generate_followups
from vagval.demo.persons import GenerationResult, generate_persons
from vagval.demo.placements import generate_placements
from vagval.demo.registers import RegistersResult, generate_registers
from vagval.demo.targets import generate_targets_and_budget
from vagval.demo.world import DEMO_USERS, build_world
from vagval.people.models import Person


@dataclass(frozen=True)
class DemoSummary:
    persons: int
    generated: GenerationResult | None  # None when persons already existed and were kept
    logins: list[tuple[str, str]]  # (username, role and unit as text)
    # Consents, plans, referrals, notes and assessments; None when persons were kept, or for a
    # large (benchmark) data set.
    activity: ActivityResult | None = None
    # Ludvika's register imports (two snapshots), KAA/UVAS lists and outreach; None as for activity.
    registers: RegistersResult | None = None


def refuse_in_production() -> None:
    if getattr(settings, "PRODUCTION", False):
        raise PermissionDenied(
            "Demodata får inte skapas i produktionsläge (VAGVAL_MODE=production). "
            "Demo data is refused in production mode."
        )


def _sqlite_in_memory() -> bool:
    return bool(getattr(connection, "is_in_memory_db", lambda: False)())


def ensure_database_directory() -> None:
    """Create the folder of an SQLite database file (var/ by default)."""
    if connection.vendor == "sqlite" and not _sqlite_in_memory():
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def reset_database() -> None:
    """Throw the whole demo database away (all data, including its access log) and migrate anew."""
    refuse_in_production()
    if connection.vendor == "sqlite":
        if _sqlite_in_memory():
            raise PermissionDenied("En databas i minnet kan inte återställas.")
        name = str(connection.settings_dict["NAME"])
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    else:
        raise PermissionDenied(f"Återställning stöds inte för {connection.vendor}.")


def migrate(*, verbosity: int = 0) -> None:
    ensure_database_directory()
    call_command("migrate", interactive=False, verbosity=verbosity)


def demo_build(
    *,
    persons: int,
    seed: int,
    password: str,
    reset: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Migrate, build the demo world and, if the database has no persons yet, generate them.

    A small demo (up to ACTIVITY_MAX_PERSONS persons) also gets a year of the demo users' work
    with them: consents, plans, referrals, journal notes and assessments; and Ludvika's KAA-ansvarig
    imports two snapshots of the population and studies extracts and reaches out to the young
    people on the KAA and UVAS lists (contacts, occupations, measures).
    """
    refuse_in_production()
    if reset:
        reset_database()
    migrate()
    # The demo world is written as the named system actor "demodata" (the users' activity in it
    # goes through the services as the demo users it plays).
    with acting(system_context(SystemActor.DEMO), "demo"):
        return _build(persons=persons, seed=seed, password=password, progress=progress)


def _build(*, persons: int, seed: int, password: str, progress: Callable[[int, int], None] | None) -> DemoSummary:
    world = build_world(password=password)
    generate_catalogue(world=world)  # catalogue (issue 11): providers, offers, employers' needs
    generated = None
    activity = None
    registers = None
    if not Person.objects.exists() and persons > 0:
        generated = generate_persons(world=world, count=persons, seed=seed, progress=progress)
        generate_esf_entries(world=world, seed=seed)  # ESF+ entry data for #redonu (vagval/demo/esf.py)
        if persons <= ACTIVITY_MAX_PERSONS:
            activity = generate_activity(world=world, seed=seed)
            registers = generate_registers(world=world, seed=seed)
            generate_admission(world=world, seed=seed)
            generate_placements(world=world, seed=seed)
            generate_followups(world=world, seed=seed)  # exits and follow-ups in every state (issue 12)
            generate_evaluation(world=world, seed=seed)  # the evaluator's data and the partners' survey (issue 13)
            generate_targets_and_budget(world=world, seed=seed)  # #redonu's targets and budget (issue 13)
    logins = []
    for spec in DEMO_USERS:
        user = world.users[spec.username]
        where = str(user.unit) if user.unit_id else "ingen enhet"
        logins.append((spec.username, f"{user.get_role_display()}, {where}"))
    return DemoSummary(
        persons=Person.objects.count(), generated=generated, logins=logins, activity=activity, registers=registers
    )
