"""The contact times an episode keeps (last_contact_at, first_reached_at, read by the worklist)
equal what its contact attempts give, after every path that writes or removes attempts: the
contact service, a printed letter, a merge of two records, a retention run, and the migration
that filled them for existing rows."""

import datetime as dt
import importlib
import uuid

import pytest
from django.apps import apps
from django.utils import timezone

from conftest import ctx_for
from vagval.dataprotection import retention_services
from vagval.dataprotection.tests.helpers import date_back, file_at, rule_for
from vagval.outreach import services
from vagval.outreach.models import Channel, Outcome
from vagval.outreach.tests.factories import at, contact, on_list, young_person
from vagval.outreach.tests.worklist_before import recomputed
from vagval.people.services import person_merge
from vagval.targetgroup.models import Episode


def _kept_and_recomputed():
    return {
        episode.pk: (
            (episode.last_contact_at, episode.first_reached_at),
            (episode.was_last_contact_at, episode.was_first_reached_at),  # type: ignore[attr-defined]
        )
        for episode in recomputed(Episode.objects.all())
    }


def _assert_kept():
    pairs = _kept_and_recomputed()
    assert pairs
    assert {pk: kept for pk, (kept, _) in pairs.items()} == {pk: again for pk, (_, again) in pairs.items()}


def _record(viewer, episode, outcome, made_at):
    data = services.ContactData(channel=Channel.PHONE, outcome=outcome, made_at=made_at)
    return services.contact_attempt_record(ctx=ctx_for(viewer), person_id=episode.person_id, data=data)


def test_the_contact_service_keeps_the_latest_attempt_and_the_first_that_reached(karin, ludvika_kaa_unit):
    episode = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))
    other = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))
    moments = [at(dt.date(2026, 3, day)) for day in (3, 4, 5)]
    _record(karin, episode, Outcome.NOT_REACHED, moments[1])
    _assert_kept()
    _record(karin, episode, Outcome.REACHED, moments[2])
    _assert_kept()
    _record(karin, episode, Outcome.REACHED, moments[0])  # written later, made earlier
    _assert_kept()
    episode.refresh_from_db()
    other.refresh_from_db()
    assert (episode.last_contact_at, episode.first_reached_at) == (moments[2], moments[0])
    assert (other.last_contact_at, other.first_reached_at) == (None, None)


def test_an_attempt_without_an_open_episode_changes_no_episode(karin, ludvika_kaa_unit):
    closed = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 1, 5), closed_on=dt.date(2026, 2, 1))
    attempt = _record(karin, closed, Outcome.REACHED, at(dt.date(2026, 3, 3)))
    assert attempt.episode is None
    closed.refresh_from_db()
    assert (closed.last_contact_at, closed.first_reached_at) == (None, None)


def test_a_printed_letter_is_the_last_contact(karin, ludvika_kaa_unit, monkeypatch):
    monkeypatch.setattr(services, "render_pdf", lambda *, html: b"%PDF")
    episode = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))
    _record(karin, episode, Outcome.REACHED, at(dt.date(2026, 3, 3)))
    services.letter_print(ctx=ctx_for(karin), person_id=episode.person_id)
    _assert_kept()
    episode.refresh_from_db()
    assert episode.last_contact_at > at(dt.date(2026, 3, 3))
    assert episode.first_reached_at == at(dt.date(2026, 3, 3))


def test_a_merge_moves_the_attempts_with_their_episodes(karin, ludvika_kaa_unit):
    source, target = young_person(), young_person()
    old = on_list(ludvika_kaa_unit, source, opened_on=dt.date(2026, 3, 2))
    contact(old, karin, on=dt.date(2026, 3, 3), outcome=Outcome.REACHED)
    contact(
        on_list(ludvika_kaa_unit, target, opened_on=dt.date(2026, 3, 2), target_list="uvas"),
        karin,
        on=dt.date(2026, 3, 4),
    )
    person_merge(ctx=ctx_for(karin), source=source, target=target, register_import_id=uuid.uuid4())
    assert set(Episode.objects.values_list("person_id", flat=True)) == {target.pk}
    _assert_kept()


def test_a_retention_run_leaves_no_episode_with_a_removed_attempt(karin, ludvika_kaa_unit, dana):
    from vagval.accounts.system import SystemActor, system_context

    removed = file_at(ludvika_kaa_unit, last_entry=dt.date(2019, 6, 1))
    contact(on_list(ludvika_kaa_unit, removed, opened_on=dt.date(2019, 5, 1)), karin, on=dt.date(2019, 5, 2))
    date_back(removed, dt.date(2019, 6, 1))
    kept = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))
    contact(kept, karin, on=dt.date(2026, 3, 3))
    rule = rule_for(ludvika_kaa_unit, dana, record_type="kaa", years_after_last_entry=3, keep_while_other_records=False)
    review = retention_services.review_create(ctx=ctx_for(dana), rule=rule, as_of=dt.date(2025, 1, 1))
    retention_services.review_approve(ctx=ctx_for(dana), review=review)
    retention_services.retention_run_due(ctx=system_context(SystemActor.RETENTION), today=dt.date(2025, 1, 1))
    assert set(Episode.objects.values_list("pk", flat=True)) == {kept.pk}
    _assert_kept()


@pytest.mark.parametrize("reached", [True, False])
def test_the_migration_fills_the_columns_of_existing_episodes(karin, ludvika_kaa_unit, reached):
    for day in (3, 9):
        episode = on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))
        contact(episode, karin, on=dt.date(2026, 3, day), outcome=Outcome.NOT_REACHED)
        contact(episode, karin, on=dt.date(2026, 3, day + 1), outcome=Outcome.REACHED if reached else Outcome.DECLINED)
    on_list(ludvika_kaa_unit, opened_on=dt.date(2026, 3, 2))
    Episode.objects.update(last_contact_at=None, first_reached_at=None)  # as before the migration
    migration = importlib.import_module("vagval.outreach.migrations.0003_episode_kept_contacts")
    migration.fill(apps, None)
    _assert_kept()
    assert Episode.objects.filter(last_contact_at__isnull=False).count() == 2
    assert timezone.is_aware(Episode.objects.exclude(last_contact_at=None).first().last_contact_at)
