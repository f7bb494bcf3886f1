"""The sources read their rows with common.sql.query_rows (the ORM's own SQL, without its per-row
converters): the same rows as the querysets give, once keys are written as hex (both databases)."""

from __future__ import annotations

from vagval.common.sql import hex_key, query_rows
from vagval.followup.models import FollowUp
from vagval.plans.models import PlanStep
from vagval.referrals.models import Referral


def _normalised(rows):
    return sorted(tuple(hex_key(v) if hasattr(v, "hex") and not isinstance(v, str) else v for v in r) for r in rows)


def test_query_rows_give_the_querysets_rows(world):
    for queryset in (
        FollowUp.objects.values_list("pk", "person_id", "due_on", "kind"),
        PlanStep.objects.values_list("pk", "plan__person_id", "follow_up_on", "plan_id", "content"),
        Referral.objects.values_list("pk", "person_id", "response_deadline", "to_unit_id", "status"),
    ):
        orm = list(queryset.order_by())
        raw = query_rows(queryset.order_by())
        assert len(raw) == len(orm) > 0
        assert _normalised(raw) == _normalised(orm)


def test_an_empty_queryset_gives_no_rows(world):
    assert query_rows(FollowUp.objects.none().values_list("pk")) == []
    assert query_rows(FollowUp.objects.filter(pk__in=[]).values_list("pk")) == []


def test_hex_key_writes_a_uuid_and_its_sqlite_form_alike(world):
    follow_up = world.follow_up
    assert hex_key(follow_up.pk) == hex_key(follow_up.pk.hex) == hex_key(str(follow_up.pk)) == follow_up.pk.hex
