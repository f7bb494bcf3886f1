import datetime as dt

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.common.errors import InvalidInput, NotFound, PermissionDenied
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people import selectors, services
from vagval.people.models import EnrolmentStatus, IdentityType, Person
from vagval.people.tests.factories import make_personnummer, make_samordningsnummer


def _data(**overrides):
    values = dict(
        first_name="Nora",
        last_name="Exempel",
        id_type=IdentityType.PERSONNUMMER,
        id_number=make_personnummer(dt.date(2006, 5, 1), 123),
    )
    values.update(overrides)
    return services.PersonData(**values)


def _enrolment(project, **overrides):
    return services.EnrolmentData(project_id=project.pk, starts_on=dt.date(2026, 2, 1), **overrides)


def test_it_creates_a_person_enrolled_at_the_coachs_unit(alice, project):
    person, created = services.person_create(ctx=ctx_for(alice), data=_data(), enrolment=_enrolment(project))
    assert created
    assert person.birth_date == dt.date(2006, 5, 1)
    assert person.legal_sex == "M"  # serial 123: odd third digit
    assert person.enrolments.get().unit == alice.unit
    assert list(AccessLogEntry.objects.values_list("action", flat=True).order_by("id")) == [
        "person.created",
        "enrolment.created",
    ]


def test_it_rejects_a_wrong_check_digit_with_a_swedish_field_error(alice, project):
    bad = make_personnummer(dt.date(2006, 5, 1), 123)[:-1] + "0"
    if bad == make_personnummer(dt.date(2006, 5, 1), 123):
        bad = bad[:-1] + "1"
    with pytest.raises(InvalidInput) as err:
        services.person_create(ctx=ctx_for(alice), data=_data(id_number=bad), enrolment=_enrolment(project))
    assert "kontrollsiffran" in err.value.field_errors["id_number"][0]
    assert Person.objects.count() == 0


def test_read_only_colleague_cannot_create(bob, project):
    with pytest.raises(PermissionDenied):
        services.person_create(ctx=ctx_for(bob), data=_data(), enrolment=_enrolment(project))


def test_a_number_another_unit_holds_gives_a_new_record_of_the_units_own(alice, project, charlies_person):
    data = _data(id_number=charlies_person.id_number, first_name="Annat")
    person, created = services.person_create(ctx=ctx_for(alice), data=data, enrolment=_enrolment(project))
    assert created
    assert person.pk != charlies_person.pk
    assert (person.first_name, person.unit_id) == ("Annat", alice.unit_id)
    charlies_person.refresh_from_db()
    assert charlies_person.first_name == "Ville"
    assert not charlies_person.enrolments.filter(unit=alice.unit).exists()


def test_a_number_the_unit_already_holds_enrols_that_record_instead_of_duplicating(alice, project, alices_person):
    other = ProjectFactory(name="Ett annat projekt")
    data = _data(id_number=alices_person.id_number, first_name="Annat")
    person, created = services.person_create(ctx=ctx_for(alice), data=data, enrolment=_enrolment(other))
    assert not created
    assert person.pk == alices_person.pk
    assert person.first_name != "Annat"
    assert person.enrolments.filter(project=other, unit=alice.unit).exists()


def test_charlie_cannot_see_or_change_alices_person(charlie, alices_person):
    with pytest.raises(NotFound):
        selectors.person_get(viewer=charlie, ctx=ctx_for(charlie), person_id=alices_person.pk)
    with pytest.raises(NotFound):
        services.person_update(ctx=ctx_for(charlie), person=alices_person, data=_data())


def test_bob_sees_but_cannot_change(bob, alices_person):
    view = selectors.person_get(viewer=bob, ctx=ctx_for(bob), person_id=alices_person.pk)
    assert view.person == alices_person
    with pytest.raises(PermissionDenied):
        services.person_update(ctx=ctx_for(bob), person=alices_person, data=_data())


def test_update_records_changed_fields_without_values(alice, alices_person):
    data = _data(id_number=alices_person.id_number, first_name="Moa", last_name="Nyttnamn", address="Ny väg 2")
    services.person_update(ctx=ctx_for(alice), person=alices_person, data=data)
    entry = AccessLogEntry.objects.get(action="person.changed")
    assert "efternamn" in entry.detail["fields"]
    assert "Nyttnamn" not in str(entry.detail)


def test_merge_moves_enrolments_and_hides_the_old_record(alice, project):
    ctx = ctx_for(alice)
    old, _ = services.person_create(
        ctx=ctx,
        enrolment=_enrolment(project),
        data=_data(id_type=IdentityType.SAMORDNINGSNUMMER, id_number=make_samordningsnummer(dt.date(2006, 5, 1), 222)),
    )
    from vagval.organisations.tests.factories import ProjectFactory

    other_project = ProjectFactory(name="Annat projekt")
    new, _ = services.person_create(ctx=ctx, data=_data(), enrolment=_enrolment(other_project))
    services.person_merge(ctx=ctx, source=old, target=new)
    assert set(new.enrolments.values_list("project__name", flat=True)) == {project.name, "Annat projekt"}
    with pytest.raises(NotFound):
        selectors.person_get(viewer=alice, ctx=ctx, person_id=old.pk)


def test_re_entry_reopens_the_same_enrolment(alice, alices_person, project):
    ctx = ctx_for(alice)
    enrolment = alices_person.enrolments.get()
    services.enrolment_end(ctx=ctx, enrolment=enrolment, ends_on=dt.date(2026, 6, 1))
    services.enrolment_create(ctx=ctx, person=alices_person, data=_enrolment(project))
    enrolment.refresh_from_db()
    assert alices_person.enrolments.count() == 1
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.starts_on == dt.date(2026, 1, 15)
    assert list(enrolment.changes.values_list("kind", flat=True)) == ["reopened", "changed"]


def test_search_finds_by_name_prefix_and_by_number(alice, alices_person):
    ctx = ctx_for(alice)
    assert [p for p, _ in selectors.person_search(viewer=alice, ctx=ctx, query="moa prov")] == [alices_person]
    assert [p for p, _ in selectors.person_search(viewer=alice, ctx=ctx, query=alices_person.id_number)] == [
        alices_person
    ]
    short = alices_person.id_number[2:8]
    assert [p for p, _ in selectors.person_search(viewer=alice, ctx=ctx, query=short)] == [alices_person]
    assert AccessLogEntry.objects.filter(action="person.search_hit").count() == 3


def test_merge_moves_consents_plans_and_notes_to_the_kept_person(alice, project):
    from vagval.consent.tests.factories import share
    from vagval.journal.models import Note
    from vagval.organisations.tests.factories import UnitFactory
    from vagval.plans.models import Plan
    from vagval.plans.tests.factories import make_plan

    ctx = ctx_for(alice)
    old, _ = services.person_create(
        ctx=ctx,
        enrolment=_enrolment(project),
        data=_data(id_type=IdentityType.SAMORDNINGSNUMMER, id_number=make_samordningsnummer(dt.date(2006, 5, 1), 222)),
    )
    consent = share(old, documented_by=alice, to_unit=UnitFactory())
    plan = make_plan(old, by=alice, project=project, goals=["Ett mål"])
    Note.objects.create(person=old, unit=alice.unit, author=alice, text="Träffades på biblioteket")
    new, _ = services.person_create(ctx=ctx, data=_data(), enrolment=_enrolment(ProjectFactory(name="Nytt")))
    services.person_merge(ctx=ctx, source=old, target=new)
    consent.refresh_from_db()
    assert consent.person == new
    assert Plan.objects.get(pk=plan.pk).person == new
    assert Note.objects.get().person == new


def test_re_entry_with_an_end_before_the_first_start_is_a_field_error_not_a_crash(alice, alices_person, project):
    # Regression: the reopened enrolment keeps its first start date, and an end date before it
    # reached the database constraint (a 500) instead of a Swedish field error.
    ctx = ctx_for(alice)
    enrolment = alices_person.enrolments.get()
    services.enrolment_end(ctx=ctx, enrolment=enrolment, ends_on=dt.date(2026, 6, 1))
    with pytest.raises(InvalidInput) as err:
        services.enrolment_create(
            ctx=ctx,
            person=alices_person,
            data=services.EnrolmentData(
                project_id=project.pk,
                starts_on=dt.date(2025, 6, 1),
                status=EnrolmentStatus.ACTIVE,
                ends_on=dt.date(2025, 12, 1),
            ),
        )
    assert "ends_on" in err.value.field_errors
