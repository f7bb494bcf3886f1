"""Plans for tests, made through the services so that versions and logs exist as in real use."""

import datetime as dt

from conftest import ctx_for
from vagval.plans import services
from vagval.plans.models import Plan, PlanStep, ResponsibleKind

START = dt.date(2026, 2, 2)


def make_plan(person, *, by, project, goals=("Jag vill börja plugga igen",), **data) -> Plan:
    values = {"overall_responsibility_id": by.unit_id, **data}
    return services.plan_create(
        ctx=ctx_for(by),
        person_id=person.pk,
        project_id=project.pk,
        data=services.PlanData(goals=[services.GoalData(text=g) for g in goals], **values),
    )


def add_step(plan, *, by, content="Besöka Komvux", unit=None, external="", starts_on=START, **extra) -> PlanStep:
    if unit is not None:
        kind = ResponsibleKind.UNIT
    elif external:
        kind = ResponsibleKind.EXTERNAL
    else:
        kind = ResponsibleKind.YOUNG_PERSON
    return services.plan_step_add(
        ctx=ctx_for(by),
        plan=plan,
        data=services.StepData(
            content=content,
            responsible_kind=kind,
            responsible_unit_id=unit.pk if unit is not None else None,
            external_actor=external,
            starts_on=starts_on,
            **extra,
        ),
    )
