"""Every change keeps a new version; old versions never change and can be shown."""

import copy
import datetime as dt

from django.urls import reverse

from conftest import ctx_for
from vagval.plans import services
from vagval.plans.models import EndReason, PlanChange, PlanVersion
from vagval.plans.tests.factories import add_step


def test_each_change_makes_a_new_version_and_old_ones_stay_unchanged(alice, alices_plan, ludvika_unit):
    assert alices_plan.version == 1
    first = copy.deepcopy(PlanVersion.objects.get(plan=alices_plan, number=1).snapshot)

    step = add_step(alices_plan, by=alice, content="Träffa studie- och yrkesvägledare")
    services.plan_update(
        ctx=ctx_for(alice),
        plan=alices_plan,
        data=services.PlanData(
            overall_responsibility_id=ludvika_unit.pk, goals=[services.GoalData(text="Jag vill bli kock")]
        ),
    )
    services.plan_step_end(ctx=ctx_for(alice), step=step, ends_on=dt.date(2026, 3, 1), end_reason=EndReason.COMPLETED)

    versions = list(PlanVersion.objects.filter(plan=alices_plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3, 4]
    assert [v.change for v in versions] == [
        PlanChange.CREATED,
        PlanChange.STEP_ADDED,
        PlanChange.CHANGED,
        PlanChange.STEP_ENDED,
    ]
    assert versions[0].snapshot == first
    assert [g["text"] for g in versions[0].snapshot["goals"]] == ["Jag vill ha ett jobb", "Jag vill ta körkort"]
    assert [g["text"] for g in versions[3].snapshot["goals"]] == ["Jag vill bli kock"]
    assert versions[1].snapshot["steps"][0]["ends_on"] is None
    assert versions[3].snapshot["steps"][0]["end_reason"] == EndReason.COMPLETED
    assert all(v.created_by_id == alice.pk for v in versions)
    alices_plan.refresh_from_db()
    assert alices_plan.version == 4


def test_saving_without_changes_makes_no_new_version(alice, alices_plan):
    data = services.PlanData(
        overall_responsibility_id=alice.unit_id,
        goals=[services.GoalData(text="Jag vill ha ett jobb"), services.GoalData(text="Jag vill ta körkort")],
    )
    services.plan_update(ctx=ctx_for(alice), plan=alices_plan, data=data)
    assert PlanVersion.objects.filter(plan=alices_plan).count() == 1


def test_the_snapshot_keeps_the_unit_name_from_the_time_of_the_change(alice, alices_plan, af_unit):
    add_step(alices_plan, by=alice, content="AF-steg", unit=af_unit)
    af_unit.name = "Nytt namn"
    af_unit.save()
    old = PlanVersion.objects.get(plan=alices_plan, number=2).snapshot
    assert old["steps"][0]["responsible_unit"]["name"] == "Arbetsförmedlingen – Ludvika"


def test_the_history_page_shows_who_made_each_version(alice, alice_client, alices_plan):
    add_step(alices_plan, by=alice, content="Nytt steg")
    body = alice_client.get(reverse("plans:versions", args=[alices_plan.pk])).content.decode()
    assert "Version 1" in body
    assert "Version 2" in body
    assert "Ett steg lades till" in body
    assert "Alice" in body


def test_an_old_version_shows_the_plan_as_it_was(alice, alice_client, alices_plan):
    services.plan_update(
        ctx=ctx_for(alice),
        plan=alices_plan,
        data=services.PlanData(
            overall_responsibility_id=alice.unit_id, goals=[services.GoalData(text="Ett helt nytt mål")]
        ),
    )
    old = alice_client.get(reverse("plans:version_detail", args=[alices_plan.pk, 1])).content.decode()
    assert "Jag vill ha ett jobb" in old
    assert "Ett helt nytt mål" not in old
    assert "äldre version" in old
    new = alice_client.get(reverse("plans:version_detail", args=[alices_plan.pk, 2])).content.decode()
    assert "Ett helt nytt mål" in new
    assert "gällande versionen" in new


def test_a_version_that_does_not_exist_is_404(alice_client, alices_plan):
    assert alice_client.get(reverse("plans:version_detail", args=[alices_plan.pk, 99])).status_code == 404
