"""The person page's history (person_timeline, read by hand) against the querysets it stands for."""

import datetime as dt

from django.utils import timezone

from conftest import ctx_for
from vagval.people import selectors
from vagval.people.models import EnrolmentChange, PersonChange
from vagval.people.tests.factories import EnrolmentFactory


def _at(day, hour=10):
    return timezone.make_aware(dt.datetime(2026, 3, day, hour))


def _timeline_by_querysets(view):
    """person_timeline as it was written with the ORM."""
    events = [
        selectors.TimelineEvent(
            at=c.changed_at, kind=f"person.{c.kind}", text=selectors._person_change_text(c), by=str(c.changed_by)
        )
        for c in PersonChange.objects.filter(person=view.person).select_related("changed_by")
    ]
    for change in EnrolmentChange.objects.filter(enrolment_id__in=[e.pk for e in view.enrolments]).select_related(
        "changed_by", "enrolment__project"
    ):
        events.append(
            selectors.TimelineEvent(
                at=change.changed_at,
                kind=f"enrolment.{change.kind}",
                text=selectors._enrolment_change_text(change),
                by=str(change.changed_by),
            )
        )
    return sorted(events, key=lambda e: e.at, reverse=True)


def test_it_gives_the_history_the_querysets_give(alice, bob, charlie, alices_person):
    own = alices_person.enrolments.get()
    second = EnrolmentFactory(person=alices_person, unit=alice.unit, coach=alice)
    elsewhere = EnrolmentFactory(person=alices_person, unit=charlie.unit)  # not at alice's unit: not shown
    for day, by, kind in [(2, alice, "created"), (5, bob, "changed"), (5, alice, "changed")]:  # a tie on the 5th
        PersonChange.objects.create(person=alices_person, changed_by=by, kind=kind, fields=["Telefon"])
        PersonChange.objects.filter(pk=PersonChange.objects.latest("id").pk).update(changed_at=_at(day))
    for enrolment, day, by, kind in [
        (own, 3, alice, "created"),
        (second, 4, bob, "changed"),
        (own, 5, bob, "reopened"),
        (elsewhere, 6, charlie, "changed"),
    ]:
        change = EnrolmentChange.objects.create(
            enrolment=enrolment, changed_by=by, kind=kind, changes={"status": ["aktiv", "vilande"]}, note="Flytt"
        )
        EnrolmentChange.objects.filter(pk=change.pk).update(changed_at=_at(day))
    view = selectors.person_get(viewer=alice, ctx=ctx_for(alice), person_id=alices_person.pk)
    timeline = selectors.person_timeline(view=view)
    assert timeline == _timeline_by_querysets(view)
    assert len(timeline) == 6


def test_a_person_without_history_has_none(alice, alices_person):
    view = selectors.person_get(viewer=alice, ctx=ctx_for(alice), person_id=alices_person.pk)
    assert selectors.person_timeline(view=view) == _timeline_by_querysets(view)
