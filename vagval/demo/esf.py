"""Demo ESF+ data: #redonu is ESF-funded, and its participants have entry data.

About one in fifteen participants (born on the 7th or 21st) is left without entry data, and a few without education, so
the coaches' list of incomplete records and the report's "only in the total" rule show. Values
are deterministic for a seed; the derived values (age at entry, long-term unemployment, rural
area) follow the same rules as esf.services. Written directly (bulk), as the demo persons are.
"""

from __future__ import annotations

import datetime as dt
from random import Random

from vagval.demo.world import DemoWorld
from vagval.esf.models import Answer, EsfEntry, EsfProject, LabourStatus
from vagval.esf.rules import age_on, is_long_term_unemployed, is_rural
from vagval.people.models import Enrolment

ESF_PROJECT = "redonu"
CASE_NUMBER = "2024/00042"


def generate_esf_entries(*, world: DemoWorld, seed: int) -> int:
    """Mark #redonu as ESF-funded and record entry data for its enrolments; returns the count."""
    project = world.projects.get(ESF_PROJECT)
    if project is None:
        return 0
    EsfProject.objects.get_or_create(project=project, defaults={"case_number": CASE_NUMBER})
    rng = Random(seed * 7919 + 13)
    answers = (Answer.YES, Answer.NO, Answer.NO, Answer.NO, Answer.DECLINED, Answer.NOT_ASKED)
    fallback_user = next(iter(world.users.values()))
    entries = []
    enrolments = (
        Enrolment.objects.filter(project=project, esf_entry__isnull=True)
        .select_related("person", "coach")
        .order_by("person_id")
    )
    for enrolment in enrolments.iterator(chunk_size=2000):
        person = enrolment.person
        # Incomplete: no entry data yet (a stable choice, so a second run adds nothing).
        if person.birth_date is None or person.birth_date.day in (7, 21):
            continue
        status = rng.choices(LabourStatus.values, weights=(60, 30, 10))[0]
        since = enrolment.starts_on - dt.timedelta(days=rng.randrange(30, 900)) if status == "arbetslos" else None
        age = age_on(birth_date=person.birth_date, day=enrolment.starts_on)
        entries.append(
            EsfEntry(
                enrolment=enrolment,
                person=person,
                unit_id=enrolment.unit_id,
                labour_status=status,
                unemployed_since=since,
                long_term_unemployed=is_long_term_unemployed(
                    unemployed_since=since, entry_on=enrolment.starts_on, age=age
                ),
                isced=None if rng.random() < 0.03 else rng.choices(range(9), weights=(2, 3, 30, 45, 8, 5, 5, 1, 1))[0],
                age_at_entry=age,
                disability=rng.choice(answers),
                third_country=rng.choice(answers),
                foreign_background=rng.choice(answers),
                minority=rng.choice(answers),
                homeless=rng.choice(answers),
                rural=is_rural(person.home_municipality_id),
                recorded_by=enrolment.coach or fallback_user,
            )
        )
    EsfEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)
