"""Domain rules for steps and the plan: Swedish field errors in the services, constraints in the database."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from conftest import ctx_for
from vagval.common.errors import InvalidInput
from vagval.plans import services
from vagval.plans.models import EndReason, Plan, PlanStep, ResponsibleKind

TODAY = dt.date(2026, 4, 1)


def _data(**overrides):
    values = dict(content="Praktik", responsible_kind=ResponsibleKind.YOUNG_PERSON, starts_on=dt.date(2026, 3, 1))
    values.update(overrides)
    return services.StepData(**values)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"content": "  "}, "content", "Beskriv vad som ska göras."),
        ({"responsible_kind": "chefen"}, "responsible_kind", "Välj vem som ansvarar."),
        ({"responsible_kind": ResponsibleKind.UNIT}, "responsible_unit_id", "Välj vilken enhet som ansvarar."),
        ({"responsible_kind": ResponsibleKind.EXTERNAL}, "external_actor", "Skriv vem som ansvarar."),
        ({"external_actor": "Folkhögskolan"}, "external_actor", "Ange en extern aktör bara"),
        ({"ends_on": dt.date(2026, 3, 10)}, "end_reason", "Ange varför steget avslutades."),
        ({"end_reason": EndReason.COMPLETED}, "ends_on", "Ange slutdatum"),
        ({"ends_on": dt.date(2026, 2, 1), "end_reason": EndReason.COMPLETED}, "ends_on", "före startdatum"),
        ({"ends_on": dt.date(2026, 3, 10), "end_reason": "tröttnade"}, "end_reason", "Okänd anledning."),
        ({"ends_on": dt.date(2026, 3, 10), "end_reason": EndReason.OTHER}, "end_note", "Beskriv varför"),
        ({"follow_up_on": dt.date(2026, 1, 1)}, "follow_up_on", "före startdatum"),
    ],
)
def test_bad_steps_are_refused_with_swedish_field_errors(alice, alices_plan, overrides, field, message):
    with pytest.raises(InvalidInput) as err:
        services.plan_step_add(ctx=ctx_for(alice), plan=alices_plan, data=_data(**overrides))
    assert any(message in m for m in err.value.field_errors[field])
    assert not alices_plan.steps.exists()
    assert alices_plan.versions.count() == 1


def test_a_unit_for_a_step_the_young_person_owns_is_refused(alice, alices_plan, af_unit):
    with pytest.raises(InvalidInput) as err:
        services.plan_step_add(ctx=ctx_for(alice), plan=alices_plan, data=_data(responsible_unit_id=af_unit.pk))
    assert "responsible_unit_id" in err.value.field_errors


def test_ending_a_step_requires_a_reason(alice, youth_step):
    with pytest.raises(InvalidInput) as err:
        services.plan_step_end(ctx=ctx_for(alice), step=youth_step, ends_on=dt.date(2026, 3, 1), end_reason="")
    assert err.value.field_errors == {"end_reason": ["Ange varför steget avslutades."]}


def test_a_step_cannot_end_in_the_future_or_twice(alice, youth_step):
    with pytest.raises(InvalidInput) as err:
        services.plan_step_end(
            ctx=ctx_for(alice), step=youth_step, ends_on=dt.date(2099, 1, 1), end_reason=EndReason.COMPLETED
        )
    assert "ends_on" in err.value.field_errors
    services.plan_step_end(ctx=ctx_for(alice), step=youth_step, ends_on=dt.date(2026, 3, 1), end_reason="flyttat")
    youth_step.refresh_from_db()
    with pytest.raises(InvalidInput, match="redan avslutat"):
        services.plan_step_end(ctx=ctx_for(alice), step=youth_step, ends_on=dt.date(2026, 3, 2), end_reason="annat")


def test_plan_errors_are_swedish_and_name_the_fields(alice, alices_plan):
    bad = services.PlanData(
        is_sip=True,
        meeting_on=dt.date(2026, 3, 1),
        next_meeting_on=dt.date(2026, 2, 1),
        goals=[services.GoalData(text=" ")],
        participants=[services.ParticipantData(name="")],
    )
    with pytest.raises(InvalidInput) as err:
        services.plan_update(ctx=ctx_for(alice), plan=alices_plan, data=bad)
    assert set(err.value.field_errors) == {"overall_responsibility_id", "next_meeting_on", "goals", "participants"}


def test_a_second_plan_for_the_same_project_at_the_unit_is_refused(alice, alices_person, alices_plan, project):
    with pytest.raises(InvalidInput) as err:
        services.plan_create(ctx=ctx_for(alice), person_id=alices_person.pk, project_id=project.pk)
    assert err.value.field_errors == {"project_id": ["Det finns redan en plan för projektet."]}


# --- The database refuses what the services refuse -----------------------------------------


def _raw_step(plan, **fields):
    values = dict(plan=plan, content="x", responsible_kind=ResponsibleKind.YOUNG_PERSON, starts_on=dt.date(2026, 3, 1))
    values.update(fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanStep.objects.create(**values)


def test_the_database_refuses_an_end_without_a_reason(alices_plan):
    _raw_step(alices_plan, ends_on=dt.date(2026, 3, 2))


def test_the_database_refuses_a_reason_without_an_end(alices_plan):
    _raw_step(alices_plan, end_reason=EndReason.COMPLETED)


def test_the_database_refuses_an_end_before_the_start(alices_plan):
    _raw_step(alices_plan, ends_on=dt.date(2026, 2, 1), end_reason=EndReason.COMPLETED)


def test_the_database_refuses_a_unit_step_without_a_unit(alices_plan):
    _raw_step(alices_plan, responsible_kind=ResponsibleKind.UNIT)


def test_the_database_refuses_a_unit_on_a_young_persons_step(alices_plan, af_unit):
    _raw_step(alices_plan, responsible_unit=af_unit)


def test_the_database_refuses_an_external_step_without_an_actor(alices_plan):
    _raw_step(alices_plan, responsible_kind=ResponsibleKind.EXTERNAL)


def test_the_database_refuses_an_actor_on_a_young_persons_step(alices_plan):
    _raw_step(alices_plan, external_actor="Folkhögskolan")


def test_the_database_refuses_a_sip_without_overall_responsibility(alices_plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=alices_plan.pk).update(is_sip=True, overall_responsibility=None)


def test_the_database_refuses_two_plans_for_the_same_project_and_unit(alices_plan, alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            person=alices_plan.person, project=alices_plan.project, unit=alices_plan.unit, created_by=alice
        )
