"""The whole plan as plain data: stored in each PlanVersion and shown on every plan page.

The current plan page and the history pages both render a PlanState, so a version looks
exactly as the plan looked when it was saved. Names of units are copied into the snapshot
so that history stays true when a unit is later renamed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from vagval.organisations.models import Unit
from vagval.plans.models import EndReason, Plan, ResponsibleKind

SNAPSHOT_SCHEMA = 1


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _unit(unit: Unit | None) -> dict[str, str] | None:
    return {"id": str(unit.pk), "name": str(unit)} if unit else None


def plan_snapshot(*, plan: Plan) -> dict[str, Any]:
    """The plan's current state from the database, as JSON-ready data."""
    successor = Plan.objects.filter(previous=plan).select_related("project").first()
    return {
        "schema": SNAPSHOT_SCHEMA,
        "project": {"id": str(plan.project_id), "name": plan.project.name},
        "unit": _unit(plan.unit),
        "overall_responsibility": _unit(plan.overall_responsibility),
        "is_sip": plan.is_sip,
        "meeting_on": _iso(plan.meeting_on),
        "next_meeting_on": _iso(plan.next_meeting_on),
        "previous_plan_id": str(plan.previous_id) if plan.previous_id else None,
        "continued_in": ({"plan_id": str(successor.pk), "project_name": successor.project.name} if successor else None),
        "goals": [
            {"text": g.text, "order": g.order, "achieved_on": _iso(g.achieved_on)}
            for g in plan.goals.order_by("order", "id")
        ],
        "participants": [
            {"name": p.name, "role": p.role, "unit": _unit(p.unit)}
            for p in plan.participants.select_related("unit__organisation").order_by("order", "id")
        ],
        "steps": [
            {
                "id": str(s.pk),
                "content": s.content,
                "responsible_kind": s.responsible_kind,
                "responsible_unit": _unit(s.responsible_unit),
                "external_actor": s.external_actor,
                "starts_on": _iso(s.starts_on),
                "ends_on": _iso(s.ends_on),
                "end_reason": s.end_reason,
                "end_note": s.end_note,
                "follow_up_on": _iso(s.follow_up_on),
            }
            for s in plan.steps.select_related("responsible_unit__organisation").order_by("starts_on", "created_at")
        ],
    }


@dataclass(frozen=True)
class GoalState:
    text: str
    achieved_on: dt.date | None


@dataclass(frozen=True)
class ParticipantState:
    name: str
    role: str
    unit_id: str | None
    unit_name: str


@dataclass(frozen=True)
class StepState:
    id: str
    content: str
    responsible_kind: str
    responsible_unit_id: str | None
    responsible_unit_name: str
    external_actor: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    end_reason: str
    end_note: str
    follow_up_on: dt.date | None

    @property
    def is_open(self) -> bool:
        return self.ends_on is None

    @property
    def responsible_label(self) -> str:
        """Who is responsible, in words: the young person, a unit's name, or the external actor."""
        if self.responsible_kind == ResponsibleKind.UNIT:
            return self.responsible_unit_name
        if self.responsible_kind == ResponsibleKind.EXTERNAL:
            return self.external_actor
        return str(ResponsibleKind.YOUNG_PERSON.label)

    @property
    def end_reason_label(self) -> str:
        if not self.end_reason:
            return ""
        try:
            return str(EndReason(self.end_reason).label)
        except ValueError:
            return self.end_reason


@dataclass(frozen=True)
class ResponsibleGroup:
    kind: str
    label: str
    steps: list[StepState]


@dataclass(frozen=True)
class PlanState:
    project_name: str
    unit_name: str
    overall_responsibility_name: str
    is_sip: bool
    meeting_on: dt.date | None
    next_meeting_on: dt.date | None
    previous_plan_id: str | None
    continued_in_plan_id: str | None
    continued_in_project_name: str
    goals: list[GoalState]
    participants: list[ParticipantState]
    steps: list[StepState]

    @property
    def open_steps(self) -> list[StepState]:
        return [s for s in self.steps if s.is_open]

    @property
    def ended_steps(self) -> list[StepState]:
        return [s for s in self.steps if not s.is_open]

    @property
    def open_steps_by_responsible(self) -> list[ResponsibleGroup]:
        """Open steps grouped by who is responsible: the young person first, then in plan order."""
        groups: dict[tuple[str, str], list[StepState]] = {}
        for step in sorted(self.open_steps, key=lambda s: s.responsible_kind != ResponsibleKind.YOUNG_PERSON):
            groups.setdefault((step.responsible_kind, step.responsible_label), []).append(step)
        return [ResponsibleGroup(kind=kind, label=label, steps=steps) for (kind, label), steps in groups.items()]

    @property
    def follow_up_dates(self) -> list[dt.date]:
        """Follow-up dates of the open steps, earliest first, without repeats."""
        return sorted({s.follow_up_on for s in self.open_steps if s.follow_up_on})


def _name(value: Any) -> str:
    return str(value["name"]) if value else ""


def plan_state(snapshot: dict[str, Any]) -> PlanState:
    """Parse a snapshot (stored or fresh) into typed values for templates and the PDF."""
    continued = snapshot.get("continued_in") or {}
    return PlanState(
        project_name=_name(snapshot.get("project")),
        unit_name=_name(snapshot.get("unit")),
        overall_responsibility_name=_name(snapshot.get("overall_responsibility")),
        is_sip=bool(snapshot.get("is_sip")),
        meeting_on=_day(snapshot.get("meeting_on")),
        next_meeting_on=_day(snapshot.get("next_meeting_on")),
        previous_plan_id=snapshot.get("previous_plan_id"),
        continued_in_plan_id=continued.get("plan_id"),
        continued_in_project_name=continued.get("project_name", ""),
        goals=[GoalState(text=g["text"], achieved_on=_day(g.get("achieved_on"))) for g in snapshot.get("goals", [])],
        participants=[
            ParticipantState(
                name=p["name"],
                role=p.get("role", ""),
                unit_id=(p.get("unit") or {}).get("id"),
                unit_name=_name(p.get("unit")),
            )
            for p in snapshot.get("participants", [])
        ],
        steps=[
            StepState(
                id=s["id"],
                content=s["content"],
                responsible_kind=s["responsible_kind"],
                responsible_unit_id=(s.get("responsible_unit") or {}).get("id"),
                responsible_unit_name=_name(s.get("responsible_unit")),
                external_actor=s.get("external_actor", ""),
                starts_on=_day(s.get("starts_on")),
                ends_on=_day(s.get("ends_on")),
                end_reason=s.get("end_reason", ""),
                end_note=s.get("end_note", ""),
                follow_up_on=_day(s.get("follow_up_on")),
            )
            for s in snapshot.get("steps", [])
        ],
    )
