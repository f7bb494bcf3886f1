"""Documenting measures as Skolverket's advice asks: rules, linking to the KAA episode, log, who may write."""

import datetime as dt

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.kaa import services
from vagval.kaa.models import Measure, Responsible
from vagval.people.tests.factories import PersonFactory
from vagval.targetgroup.tests.factories import kaa_episode


def data(**changes):
    values = {
        "kind": "vagledning",
        "content": "Studie- och yrkesvägledning om Komvux",
        "responsible": Responsible.MUNICIPALITY,
        "responsible_name": "",
        "starts_on": dt.date(2026, 2, 2),
        "ends_on": None,
        "end_reason": "",
        "follow_up_on": dt.date(2026, 3, 2),
        "declined": False,
    }
    return services.MeasureData(**{**values, **changes})


def test_karin_documents_a_measure_linked_to_the_open_kaa_episode_and_logged(karin, kaa_person):
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    assert measure.episode == kaa_person.episodes.get()
    assert measure.unit_id == karin.unit_id
    entry = AccessLogEntry.objects.get(action="kaa.measure_created")
    assert entry.person_id == kaa_person.pk
    assert entry.detail == {"measure": str(measure.pk)}


def test_a_measure_without_an_open_episode_has_no_episode(karin, ludvika_kaa_unit):
    person = PersonFactory()
    kaa_episode(person, ludvika_kaa_unit, closed_on=dt.date(2026, 1, 31), close_code="studier")
    measure = services.measure_create(ctx=ctx_for(karin), person=person, data=data())
    assert measure.episode is None


def test_an_end_date_without_reason_is_refused_with_a_field_error(karin, kaa_person):
    with pytest.raises(InvalidInput) as caught:
        services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data(ends_on=dt.date(2026, 3, 1)))
    assert caught.value.field_errors == {"end_reason": ["Skriv varför insatsen avslutades när du anger ett slutdatum."]}
    assert not Measure.objects.exists()
    assert not AccessLogEntry.objects.filter(action="kaa.measure_created").exists()


def test_an_end_before_the_start_is_refused(karin, kaa_person):
    bad = data(ends_on=dt.date(2026, 1, 1), end_reason="Klar")
    with pytest.raises(InvalidInput) as caught:
        services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=bad)
    assert caught.value.field_errors["ends_on"] == ["Slutdatum kan inte vara före startdatum."]
    assert not Measure.objects.exists()


def test_another_actor_must_be_named_and_an_unknown_kind_is_refused(karin, kaa_person):
    with pytest.raises(InvalidInput) as caught:
        services.measure_create(
            ctx=ctx_for(karin), person=kaa_person, data=data(responsible=Responsible.OTHER_ACTOR, kind="nope")
        )
    assert set(caught.value.field_errors) == {"responsible_name", "kind"}


def test_an_update_records_the_changed_fields(karin, kaa_person):
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    ended = data(ends_on=dt.date(2026, 4, 1), end_reason="Började på Komvux", declined=True)
    services.measure_update(ctx=ctx_for(karin), measure_id=measure.pk, data=ended)
    measure.refresh_from_db()
    assert (measure.ends_on, measure.end_reason, measure.declined) == (dt.date(2026, 4, 1), "Började på Komvux", True)
    entry = AccessLogEntry.objects.get(action="kaa.measure_changed")
    assert set(entry.detail["fields"]) == {"ends_on", "end_reason", "declined"}


def test_an_invalid_update_changes_nothing(karin, kaa_person):
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    with pytest.raises(InvalidInput):
        services.measure_update(ctx=ctx_for(karin), measure_id=measure.pk, data=data(ends_on=dt.date(2026, 5, 1)))
    measure.refresh_from_db()
    assert measure.ends_on is None
    assert not AccessLogEntry.objects.filter(action="kaa.measure_changed").exists()


def test_alice_the_coach_documents_measures_for_her_own_person(alice, alices_person):
    measure = services.measure_create(ctx=ctx_for(alice), person=alices_person, data=data())
    assert measure.unit_id == alice.unit_id


def test_read_only_users_cannot_write(bob, kerstin, alices_person, kaa_person):
    with pytest.raises(PermissionDenied):
        services.measure_create(ctx=ctx_for(bob), person=alices_person, data=data())
    with pytest.raises(PermissionDenied):
        services.measure_create(ctx=ctx_for(kerstin), person=kaa_person, data=data())
    assert not Measure.objects.exists()


def test_other_units_and_roles_without_person_access_get_not_found(sven, charlie, dana, erik, alice, kaa_person):
    for user in (sven, charlie, dana, erik, alice):
        with pytest.raises(NotFound):
            services.measure_create(ctx=ctx_for(user), person=kaa_person, data=data())


def test_another_unit_cannot_change_karins_measure(karin, sven, alice, kaa_person):
    measure = services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data())
    for user in (sven, alice):
        with pytest.raises(NotFound):
            services.measure_update(ctx=ctx_for(user), measure_id=measure.pk, data=data(content="Ändrad"))
    measure.refresh_from_db()
    assert measure.content == "Studie- och yrkesvägledning om Komvux"


def test_a_follow_up_before_the_start_is_refused(karin, kaa_person):
    with pytest.raises(InvalidInput) as caught:
        services.measure_create(ctx=ctx_for(karin), person=kaa_person, data=data(follow_up_on=dt.date(2026, 1, 1)))
    assert caught.value.field_errors == {"follow_up_on": ["Uppföljningsdatum kan inte vara före startdatum."]}
    assert not Measure.objects.exists()
