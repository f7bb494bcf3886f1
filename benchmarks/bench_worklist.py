"""Figure: server time of the to-do list ("Att göra") vs a minimal Django view.

    .venv/bin/python benchmarks/bench_worklist.py [--persons 200] [--items 2000] [--seed 1] [--repeat 1]

On a benchmark database of its own (var/bench/bench-worklist-<persons>-<items>.sqlite3, or
vagval_bench_worklist_… on PostgreSQL, built once and reused), a coach at a unit of its own is
responsible for `--persons` persons with `--items` open items between them, due within the
list's horizon: plan steps at their follow-up date, follow-ups after an exit, consents ending and
placements starting, spread evenly. Both pages are requested in this process with Django's test
Client after force_login, through the full middleware stack: GET worklist:list (first page; the
sources' queries, the marks, the sort, the page's persons and their access-log entries are all
part of the cost; the menu's count is cached, as between two page views in use) and a minimal
view returning HttpResponse("ok"). Printed: medians in ms and their ratio (target <= 5), wall and
CPU; with --repeat N, N rounds of requests in the same process, each printed. The page's total
(read in one statement, worklist.paging) is checked against open_items.
"""

from __future__ import annotations

import argparse
import datetime as dt

import _common

REQUESTS = 100
WARM_UP = 10
TARGET_RATIO = 5.0
UNIT_NAME = "Att göra-benchmark"


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=200, help="the coach's persons (default 200)")
    parser.add_argument("--items", type=int, default=2000, help="open items among them (default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="rounds of requests, each printed (default 1)")
    return parser.parse_args()


def _build(persons: int, items: int):
    """The unit, its coach and their persons with `items` open items (once per database)."""
    from django.db import transaction

    from vagval.accounts.models import Role, User
    from vagval.catalogue.models import Offer, OfferStatus, Placement, PlacementStatus, Provider, ProviderKind
    from vagval.common import scoping
    from vagval.consent.models import ALL_CATEGORIES, Consent, ConsentForm
    from vagval.followup.models import Exit, ExitReason, FollowUp, FollowUpKind, Situation, Source
    from vagval.organisations.models import Organisation, OrganisationKind, Project, Unit
    from vagval.people.models import Enrolment, EnrolmentStatus, Person
    from vagval.plans.models import Plan, PlanStep, ResponsibleKind

    existing = User.objects.filter(username="coach.attgora").first()
    if existing is not None:
        return existing
    today = dt.date.today()
    print(f"building {persons} persons with {items} open items (once; reused by later runs) ...", flush=True)
    with scoping.unscoped("benchmark: synthetic data"), transaction.atomic():
        org = Organisation.objects.create(name="Att göra-benchmarkkommunen", kind=OrganisationKind.MUNICIPALITY)
        unit = Unit.objects.create(organisation=org, name=UNIT_NAME)
        coach = User.objects.create_user(
            username="coach.attgora", password=None, first_name="Bänk", unit=unit, role=Role.COACH
        )
        project = Project.objects.create(name="Att göra-benchmarkprojektet", starts_on=today - dt.timedelta(days=400))
        provider = Provider.objects.create(name="Benchverkstaden", kind=ProviderKind.EMPLOYER, owner=org)
        offer = Offer.objects.create(
            kind="praktik", title="Praktik", provider=provider, owner=org, capacity=10_000, status=OfferStatus.OPEN
        )
        people, enrolments, plans = [], [], []
        for n in range(persons):
            person = Person.objects.create(unit=unit, id_type="none", first_name=f"Ung{n}", last_name="Benchsson")
            people.append(person)
            enrolments.append(
                Enrolment(
                    person=person,
                    project=project,
                    unit=unit,
                    coach=coach,
                    status=EnrolmentStatus.ACTIVE,
                    starts_on=today - dt.timedelta(days=200),
                )
            )
            plans.append(Plan(person=person, project=project, unit=unit, created_by=coach))
        Enrolment.objects.bulk_create(enrolments)
        Plan.objects.bulk_create(plans)
        steps, exits, follow_ups, consents, placements = [], [], [], [], []
        for i in range(items):
            n = i % persons
            person, enrolment, plan = people[n], enrolments[n], plans[n]
            due = today + dt.timedelta(days=(i % 20) - 6)  # some overdue, the rest within two weeks
            kind = (i // persons) % 4
            if kind == 0:
                steps.append(
                    PlanStep(
                        plan=plan,
                        content=f"Steg {i}",
                        responsible_kind=ResponsibleKind.YOUNG_PERSON,
                        starts_on=due - dt.timedelta(days=60),
                        follow_up_on=due,
                    )
                )
            elif kind == 1:
                exit_ = Exit(
                    enrolment=enrolment,
                    person=person,
                    unit=unit,
                    exit_on=due - dt.timedelta(days=90),
                    reason=ExitReason.GOAL_REACHED,
                    situation=Situation.JOB_SEEKING,
                    source=Source.YOUNG_PERSON,
                    recorded_by=coach,
                )
                exits.append(exit_)
                follow_ups.append(FollowUp(exit=exit_, person=person, unit=unit, kind=FollowUpKind.DAYS_90, due_on=due))
            elif kind == 2:
                consents.append(
                    Consent(
                        person=person,
                        unit=unit,
                        recorded_by=coach,
                        purpose="Samordning",
                        form=ConsentForm.WRITTEN,
                        categories=sorted(ALL_CATEGORIES),
                        valid_from=today - dt.timedelta(days=300),
                        valid_to=max(due, today),
                    )
                )
            else:
                placements.append(
                    Placement(
                        person=person,
                        enrolment=enrolment,
                        offer=offer,
                        unit=unit,
                        coach=coach,
                        status=PlacementStatus.ACCEPTED,
                        starts_on=due,
                    )
                )
        PlanStep.objects.bulk_create(steps)
        Exit.objects.bulk_create(exits)
        FollowUp.objects.bulk_create(follow_ups)
        Consent.objects.bulk_create(consents)
        Placement.objects.bulk_create(placements)
    return coach


def main() -> None:
    args = _args()
    # A database of its own per size (the key only names the file or database).
    where = _common.use_bench_database(persons=f"worklist-{args.persons}-{args.items}", fresh=False)  # type: ignore[arg-type]
    coach = _build(args.persons, args.items)

    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from vagval.common import scoping
    from vagval.worklist.selectors import open_items

    with scoping.unscoped("benchmark: counting the items"):
        waiting = len(open_items(viewer=coach))
    print(f"bench_worklist: {where}; coach.attgora has {args.persons} persons and {waiting} open items")

    with override_settings(
        ROOT_URLCONF=_common.install_minimal_urlconf("bench_worklist_urls"), ALLOWED_HOSTS=["testserver"]
    ):
        client = Client()
        client.force_login(coach)
        list_url = reverse("worklist:list")
        first = client.get(list_url)
        if first.status_code != 200:
            raise SystemExit(f"GET {list_url} answered {first.status_code}")
        html = first.content.decode()
        rows = html.count("<tr") - 1
        # The page counts in the database (worklist.paging); open_items reads every item in Python.
        if f"{waiting} saker att göra" not in html:
            raise SystemExit(f"the page does not say {waiting} saker att göra")
        print(f"  to-do list shows {rows} rows (first page); {REQUESTS} requests each, after {WARM_UP} warm-up")
        for round_ in range(1, args.repeat + 1):
            times = _common.page_against_minimal(client, list_url, requests=REQUESTS, warm_up=WARM_UP)
            if args.repeat > 1:
                print(f"  round {round_} of {args.repeat}")
            _common.print_ratio("to-do list", times, target=TARGET_RATIO)


if __name__ == "__main__":
    main()
