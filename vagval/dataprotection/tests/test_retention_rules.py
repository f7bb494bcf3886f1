"""Retention rules on hand-made histories: when a file is due, each exception, holds, the run and
its deletion log. Dates are fixed (as_of is given), so the tests do not age."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.accounts.system import SystemActor, system_context
from vagval.audit.models import AccessBasis, AccessLogEntry, AccessLogRemoval
from vagval.audit.retention_services import access_log_partitions_ensure
from vagval.audit.services import access_log_record
from vagval.dataprotection import retention_services
from vagval.dataprotection.models import DeletionLogEntry, LegalHold, RetentionReview, ReviewStatus
from vagval.dataprotection.retention_selectors import ANONYMISED_NAME, Kept, dry_run, pseudonymous_ref, sample
from vagval.dataprotection.tests.helpers import date_back, file_at, rule_for
from vagval.esf.tests.factories import EsfEntryFactory
from vagval.journal.models import Note
from vagval.organisations.tests.factories import UnitFactory
from vagval.people.models import Enrolment, Person
from vagval.people.tests.factories import PersonFactory, make_samordningsnummer
from vagval.targetgroup.tests.factories import kaa_episode

LAST = dt.date(2019, 6, 1)


def _due(rule, as_of):
    return {c.person_id for c in dry_run(rule=rule, as_of=as_of).due}


def test_a_file_is_due_five_years_after_its_last_entry_and_not_a_day_before(ludvika_unit, dana):
    person = file_at(ludvika_unit, last_entry=LAST)
    rule = rule_for(ludvika_unit, dana)
    assert _due(rule, dt.date(2024, 5, 31)) == set()
    assert _due(rule, dt.date(2024, 6, 1)) == {person.pk}


def test_any_later_entry_in_the_file_keeps_it(ludvika_unit, dana):
    person = file_at(ludvika_unit, last_entry=LAST)
    Note.objects.filter(person=person).update(updated_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC))
    assert _due(rule_for(ludvika_unit, dana), dt.date(2024, 6, 1)) == set()


def test_with_the_yearly_rhythm_a_file_goes_in_the_calendar_year_after_its_time_ran_out(ludvika_unit, dana):
    person = file_at(ludvika_unit, last_entry=LAST)
    rule = rule_for(ludvika_unit, dana, by_end_of_following_year=True)
    assert _due(rule, dt.date(2024, 7, 1)) == set()  # the five years ran out in 2024 ...
    assert _due(rule, dt.date(2025, 1, 2)) == {person.pk}  # ... so it goes during 2025
    (row,) = sample(result=dry_run(rule=rule, as_of=dt.date(2025, 1, 2)))
    assert (row.last_entry, row.due_on, row.deadline) == (LAST, dt.date(2024, 6, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize(("day", "kept"), [(5, True), (15, True), (25, True), (14, False), (26, False)])
def test_the_research_exception_keeps_persons_born_on_the_5th_15th_and_25th(ludvika_unit, dana, day, kept):
    person = file_at(ludvika_unit, last_entry=LAST, born=dt.date(2001, 3, day))
    result = dry_run(rule=rule_for(ludvika_unit, dana, research_exception=True), as_of=dt.date(2025, 1, 1))
    assert ({c.person_id for c in result.due} == set()) is kept
    assert result.kept[Kept.RESEARCH] == (1 if kept else 0)
    assert person.pk in _due(rule_for_other_options(ludvika_unit, dana), dt.date(2025, 1, 1))


def rule_for_other_options(unit, admin):
    """The same organisation's rule without the research exception (a changed rule)."""
    from vagval.dataprotection.models import RetentionRule

    rule = RetentionRule.objects.get(organisation=unit.organisation)
    rule.research_exception = False
    return rule


def test_the_research_day_of_a_coordination_number_is_its_day_minus_60(ludvika_unit, dana):
    # Born on the 14th by the birth date field, but the number says the 15th (75 - 60).
    person = file_at(ludvika_unit, last_entry=LAST, born=dt.date(2001, 3, 14))
    Person.objects.filter(pk=person.pk).update(
        id_type="samordningsnummer", id_number=make_samordningsnummer(dt.date(2001, 3, 15), 321)
    )
    date_back(person, LAST)
    result = dry_run(rule=rule_for(ludvika_unit, dana, research_exception=True), as_of=dt.date(2025, 1, 1))
    assert result.kept[Kept.RESEARCH] == 1


def test_a_file_stays_while_another_unit_has_a_record_of_the_same_person(ludvika_unit, smedjebacken_unit, dana):
    person = file_at(ludvika_unit, last_entry=LAST)
    PersonFactory(unit=smedjebacken_unit, id_number=person.id_number, birth_date=person.birth_date)
    rule = rule_for(ludvika_unit, dana)
    result = dry_run(rule=rule, as_of=dt.date(2025, 1, 1))
    assert (result.due, result.kept[Kept.OTHER_RECORDS]) == ([], 1)
    rule.keep_while_other_records = False
    assert _due(rule, dt.date(2025, 1, 1)) == {person.pk}


def test_a_file_stays_while_the_person_is_in_the_kaa_register(ludvika_kaa_unit, dana):
    person = file_at(ludvika_kaa_unit, last_entry=LAST)
    kaa_episode(person, ludvika_kaa_unit)
    date_back(person, LAST)
    result = dry_run(rule=rule_for(ludvika_kaa_unit, dana), as_of=dt.date(2025, 1, 1))
    assert (result.due, result.kept[Kept.OTHER_RECORDS]) == ([], 1)


def test_a_hold_keeps_the_file_until_it_is_lifted(ludvika_unit, dana, ditte):
    person = file_at(ludvika_unit, last_entry=LAST)
    hold = LegalHold.objects.create(person=person, reason="Tvist i förvaltningsrätten", placed_by=ditte)
    rule = rule_for(ludvika_unit, dana)
    result = dry_run(rule=rule, as_of=dt.date(2025, 1, 1))
    assert (result.due, result.kept[Kept.HOLD]) == ([], 1)
    LegalHold.objects.filter(pk=hold.pk).update(lifted_at=hold.created_at, lifted_by=ditte)
    assert _due(rule, dt.date(2025, 1, 1)) == {person.pk}


def test_another_organisations_files_are_not_touched(ludvika_unit, smedjebacken_unit, dana):
    file_at(smedjebacken_unit, last_entry=LAST)
    assert _due(rule_for(ludvika_unit, dana), dt.date(2025, 1, 1)) == set()


# --- The run ---------------------------------------------------------------------------------------


def _approved(rule, dana, as_of):
    review = retention_services.review_create(ctx=ctx_for(dana), rule=rule, as_of=as_of)
    return retention_services.review_approve(ctx=ctx_for(dana), review=review)


def _run(as_of=dt.date(2025, 1, 1)):
    from vagval.accounts.system import SystemActor, system_context

    return retention_services.retention_run_due(ctx=system_context(SystemActor.RETENTION), today=as_of)


def test_the_dry_run_lists_pseudonymous_references_and_removes_nothing(ludvika_unit, dana):
    person = file_at(ludvika_unit, last_entry=LAST)
    review = retention_services.review_create(
        ctx=ctx_for(dana), rule=rule_for(ludvika_unit, dana), as_of=dt.date(2025, 1, 1)
    )
    assert review.count == 1
    assert review.status == ReviewStatus.AWAITING
    assert review.sample[0]["ref"] == pseudonymous_ref(person.pk)
    shown = str(review.sample)
    assert person.first_name not in shown
    assert person.id_number not in shown
    assert str(person.pk) not in shown
    assert Person.objects.filter(pk=person.pk).exists()
    assert AccessLogEntry.objects.filter(action="retention.dry_run", person_id__isnull=True).count() == 1


def test_nothing_is_removed_before_the_dry_run_is_approved(ludvika_unit, dana):
    person = file_at(ludvika_unit, last_entry=LAST)
    retention_services.review_create(ctx=ctx_for(dana), rule=rule_for(ludvika_unit, dana), as_of=dt.date(2025, 1, 1))
    _run()
    assert Person.objects.filter(pk=person.pk).exists()


def test_the_run_deletes_the_file_and_writes_the_deletion_log(ludvika_unit, dana):
    person = file_at(ludvika_unit, last_entry=LAST)
    keep = file_at(ludvika_unit, last_entry=dt.date(2023, 1, 1))
    rule = rule_for(ludvika_unit, dana)
    review = _approved(rule, dana, dt.date(2025, 1, 1))
    assert "1 gallrade" in _run()
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Note.objects.filter(person_id=person.pk).exists()
    assert Person.objects.filter(pk=keep.pk).exists()
    assert Note.objects.filter(person=keep).exists()
    (entry,) = DeletionLogEntry.objects.all()
    assert (entry.rule, entry.record_type, entry.deleted, entry.decision_reference) == (
        rule,
        "person_file",
        1,
        "KS 2026/123",
    )
    assert entry.rows["journal.Note"] == 1
    assert entry.rows["people.Person"] == 1
    logged = AccessLogEntry.objects.get(action="retention.person_deleted")
    assert (logged.person_id, logged.basis, logged.username) == (
        person.pk,
        AccessBasis.ADMINISTRATION,
        "system:gallring",
    )
    assert RetentionReview.objects.get(pk=review.pk).status == ReviewStatus.DONE


def test_statistics_keep_an_anonymised_record_with_its_esf_rows(ludvika_unit, dana):
    person = file_at(ludvika_unit, last_entry=LAST)
    EsfEntryFactory(enrolment=Enrolment.objects.get(person=person))
    date_back(person, LAST)
    _approved(rule_for(ludvika_unit, dana), dana, dt.date(2025, 1, 1))
    _run()
    kept = Person.objects.get(pk=person.pk)
    assert (kept.first_name, kept.last_name, kept.id_number, kept.phone) == (ANONYMISED_NAME, "", None, "")
    assert kept.birth_date == dt.date(2001, 1, 1)
    assert Enrolment.objects.filter(person=person).exists()
    assert not Note.objects.filter(person=person).exists()
    assert DeletionLogEntry.objects.get().anonymised == 1
    # An anonymised record is never a candidate again.
    assert dry_run(rule=rule_for_other_options(ludvika_unit, dana), as_of=dt.date(2030, 1, 1)).due == []


def test_a_hold_placed_after_the_approval_still_keeps_the_file(ludvika_unit, dana, ditte):
    person = file_at(ludvika_unit, last_entry=LAST)
    _approved(rule_for(ludvika_unit, dana), dana, dt.date(2025, 1, 1))
    LegalHold.objects.create(person=person, reason="Begärd av JO", placed_by=ditte)
    _run()
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_rule_changed_after_the_dry_run_asks_for_a_new_one(ludvika_unit, dana):
    person = file_at(ludvika_unit, last_entry=LAST)
    rule = rule_for(ludvika_unit, dana)
    review = _approved(rule, dana, dt.date(2025, 1, 1))
    rule.years_after_last_entry = 2
    rule.save()
    assert "1 inaktuella" in _run()
    assert Person.objects.filter(pk=person.pk).exists()
    assert RetentionReview.objects.get(pk=review.pk).status == ReviewStatus.STALE


def test_a_failure_halfway_leaves_the_failed_batch_as_it_was(ludvika_unit, dana, monkeypatch):
    first = file_at(ludvika_unit, last_entry=LAST)
    second = file_at(ludvika_unit, last_entry=LAST)
    _approved(rule_for(ludvika_unit, dana), dana, dt.date(2025, 1, 1))
    monkeypatch.setattr(retention_services, "BATCH", 1)
    calls = {"n": 0}
    original_create = DeletionLogEntry.objects.create

    def fail_on_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disken tog slut")
        return original_create(**kwargs)

    monkeypatch.setattr(DeletionLogEntry.objects, "create", fail_on_second)
    with pytest.raises(RuntimeError):
        _run()
    gone = [p for p in (first, second) if not Person.objects.filter(pk=p.pk).exists()]
    assert len(gone) == 1  # the first batch is done and logged ...
    (left,) = {first.pk, second.pk} - {gone[0].pk}
    assert Note.objects.filter(person_id=left).exists()  # ... the second is untouched
    assert not AccessLogEntry.objects.filter(action="retention.person_deleted", person_id=left).exists()
    assert DeletionLogEntry.objects.count() == 1


def test_the_deletion_log_and_the_access_log_outlive_the_person(ludvika_unit, dana):
    person = file_at(ludvika_unit, last_entry=LAST)
    _approved(rule_for(ludvika_unit, dana), dana, dt.date(2025, 1, 1))
    _run()
    assert DeletionLogEntry.objects.count() == 1
    assert AccessLogEntry.objects.filter(person_id=person.pk).exists()


def test_the_kaa_rule_removes_register_rows_and_keeps_the_casework(ludvika_kaa_unit, dana):
    person = file_at(ludvika_kaa_unit, last_entry=LAST)
    kaa_episode(person, ludvika_kaa_unit)
    date_back(person, LAST)
    rule = rule_for(ludvika_kaa_unit, dana, record_type="kaa", years_after_last_entry=3, keep_while_other_records=False)
    _approved(rule, dana, dt.date(2025, 1, 1))
    _run()
    from vagval.targetgroup.models import Episode

    assert not Episode.objects.filter(person=person).exists()
    assert Note.objects.filter(person=person).exists()


def test_the_job_is_in_the_workers_registry():
    from vagval.accounts.system import SystemActor
    from vagval.worklist.jobs import job_for

    job = job_for("gallring")
    assert job is not None
    assert job.actor == SystemActor.RETENTION


def test_the_access_log_rule_removes_the_months_before_the_longest_period_with_a_record(
    ludvika_unit, dana, alice, monkeypatch
):
    from django.utils import timezone

    from vagval.dataprotection.access_log_retention import access_log_cutoff, access_log_expire

    rule = rule_for(ludvika_unit, dana, record_type="access_log", months_after_entry=24)
    result = dry_run(rule=rule, as_of=timezone.localdate())
    assert result.count == 0  # every entry of the test is new
    before = access_log_cutoff(as_of=dt.date(2026, 12, 6))
    assert before == dt.date(2024, 12, 1)
    moment = dt.datetime(2024, 11, 15, 12, tzinfo=dt.UTC)
    access_log_partitions_ensure(today=moment.date(), months_ahead=0)  # as the worker would have
    monkeypatch.setattr(timezone, "now", lambda: moment)
    old = access_log_record(ctx=ctx_for(alice), action="person.viewed")
    monkeypatch.undo()
    count = AccessLogEntry.objects.count()
    summary = access_log_expire(before, ctx=system_context(SystemActor.RETENTION))
    assert summary.startswith("åtkomstloggen: 1 månader (1 poster) före 2024-12-01")
    assert not AccessLogEntry.objects.filter(pk=old.pk).exists()
    removal = AccessLogRemoval.objects.get()
    assert (removal.rows, removal.rule) == (1, "gallringsregel: före 2024-12-01")
    # The removal itself is logged: the one entry gone, one "audit.log_removed" entry added.
    assert AccessLogEntry.objects.count() == count


def test_a_unit_of_another_organisation_is_outside_the_rule(ludvika_unit, dana):
    other = UnitFactory()
    file_at(other, last_entry=LAST)
    assert _due(rule_for(ludvika_unit, dana), dt.date(2025, 1, 1)) == set()


def test_a_file_rule_without_other_records_keeps_the_register_and_its_statistics(ludvika_kaa_unit, dana):
    person = file_at(ludvika_kaa_unit, last_entry=LAST)
    EsfEntryFactory(enrolment=Enrolment.objects.get(person=person))
    kaa_episode(person, ludvika_kaa_unit)
    date_back(person, LAST)
    _approved(rule_for(ludvika_kaa_unit, dana, keep_while_other_records=False), dana, dt.date(2025, 1, 1))
    _run()
    from vagval.esf.models import EsfEntry
    from vagval.targetgroup.models import Episode

    kept = Person.objects.get(pk=person.pk)
    assert kept.first_name != ANONYMISED_NAME  # the KAA register still needs who it is
    assert Episode.objects.filter(person=person).exists()
    assert EsfEntry.objects.filter(person=person).exists()
    assert not Note.objects.filter(person=person).exists()


def test_the_access_log_rule_is_not_approved_like_a_file(ludvika_unit, dana):
    from vagval.common.errors import InvalidInput

    rule = rule_for(ludvika_unit, dana, record_type="access_log", months_after_entry=24)
    review = retention_services.review_create(ctx=ctx_for(dana), rule=rule)
    with pytest.raises(InvalidInput):
        retention_services.review_approve(ctx=ctx_for(dana), review=review)


def test_only_an_administrator_saves_rules_and_a_change_makes_waiting_dry_runs_stale(ludvika_unit, dana, alice):
    from vagval.common.errors import InvalidInput, PermissionDenied
    from vagval.dataprotection.retention_services import RuleData

    rule = rule_for(ludvika_unit, dana)
    review = retention_services.review_create(ctx=ctx_for(dana), rule=rule, as_of=dt.date(2025, 1, 1))
    data = RuleData(
        organisation=ludvika_unit.organisation,
        record_type="person_file",
        years_after_last_entry=3,
        months_after_entry=None,
        by_end_of_following_year=True,
        keep_while_other_records=True,
        research_exception=False,
        decision_reference="KS 2026/124",
        active=True,
    )
    with pytest.raises(PermissionDenied):
        retention_services.rule_save(ctx=ctx_for(alice), data=data, rule=rule)
    with pytest.raises(InvalidInput):
        retention_services.rule_save(ctx=ctx_for(dana), data=data)  # a second rule of the same type
    retention_services.rule_save(ctx=ctx_for(dana), data=data, rule=rule)
    assert RetentionReview.objects.get(pk=review.pk).status == ReviewStatus.STALE
    assert AccessLogEntry.objects.filter(action="retention.rule_saved").count() == 1
