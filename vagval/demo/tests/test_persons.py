"""The synthetic persons: valid made-up identity numbers, ages 16–29, enrolments and history."""

import datetime as dt

import pytest

from vagval.accounts.models import User
from vagval.audit.models import AccessLogEntry
from vagval.common.identity import parse_identity_number
from vagval.demo.persons import CASELOAD_SIZE, PersonGenerator, generate_persons
from vagval.demo.world import build_world
from vagval.people.models import (
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    IdentityType,
    Person,
    PersonChange,
    Protection,
)

COUNT = 200


@pytest.fixture
def world(db):
    return build_world(password="demo-losenord-123")


@pytest.fixture
def generated(world):
    return generate_persons(world=world, count=COUNT, seed=7)


def age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def test_generation_writes_the_requested_number_of_persons(generated):
    assert generated.persons == COUNT
    assert Person.objects.count() == COUNT
    assert generated.enrolments == Enrolment.objects.count()
    assert generated.rows == COUNT * 2 + generated.enrolments * 2


def test_identity_numbers_are_valid_unique_and_match_type_and_birth_date(generated):
    numbers = []
    for person in Person.objects.all():
        if person.id_type == IdentityType.NONE:
            assert person.id_number is None
            assert person.legal_sex == ""
            continue
        parsed = parse_identity_number(person.id_number)
        assert parsed.digits == person.id_number
        assert parsed.kind == person.id_type
        assert parsed.birth_date == person.birth_date
        assert parsed.legal_sex == person.legal_sex
        numbers.append(person.id_number)
    assert len(numbers) == len(set(numbers))
    assert Person.objects.filter(id_type=IdentityType.SAMORDNINGSNUMMER).exists()


def test_everyone_is_between_16_and_29_today(generated):
    today = dt.date.today()
    ages = {age(birth, today) for birth in Person.objects.values_list("birth_date", flat=True)}
    assert min(ages) >= 16
    assert max(ages) <= 29


def test_search_keys_are_set_although_bulk_create_skips_save(generated):
    for person in Person.objects.all():
        assert person.first_name_key == person.first_name.casefold()
        assert person.last_name_key == person.last_name.casefold()


def test_every_person_and_enrolment_has_a_created_row(generated):
    assert PersonChange.objects.filter(kind="created").count() == COUNT
    assert EnrolmentChange.objects.filter(kind="created").count() == Enrolment.objects.count()
    assert not Enrolment.objects.filter(changes__isnull=True).exists()


def test_enrolments_respect_the_model_rules(generated):
    for enrolment in Enrolment.objects.all():
        if enrolment.status == EnrolmentStatus.ENDED:
            assert enrolment.ends_on is not None
        if enrolment.ends_on is not None:
            assert enrolment.ends_on >= enrolment.starts_on
    assert Enrolment.objects.values("person").distinct().count() == COUNT


def test_coach_ludvika_has_a_caseload(generated):
    coach = User.objects.get(username="coach.ludvika")
    caseload = Enrolment.objects.filter(coach=coach).exclude(status=EnrolmentStatus.ENDED)
    assert 0 < caseload.count() <= CASELOAD_SIZE
    assert set(caseload.values_list("unit_id", flat=True)) == {coach.unit_id}


def test_partner_at_arbetsformedlingen_ludvika_sees_some_persons(generated):
    partner = User.objects.get(username="af.ludvika")
    assert Enrolment.objects.filter(unit_id=partner.unit_id).exists()


def test_home_municipality_matches_the_municipal_unit(generated, world):
    ludvika_ame = world.units["ludvika.ame"]
    homes = set(
        Person.objects.filter(enrolments__unit=world.units["ludvika.kaa"]).values_list(
            "home_municipality_id", flat=True
        )
    )
    assert homes <= {"2085"}
    assert Enrolment.objects.filter(unit=ludvika_ame).exists()


def test_generation_writes_no_access_log_entries(generated):
    # Only the world's setup logs: its users, created as the demo actor.
    assert not AccessLogEntry.objects.exclude(action="user.created", username="system:demodata").exists()


def test_same_seed_gives_the_same_persons(world):
    first = next(PersonGenerator(world=world, count=50, seed=3).batches())
    second = next(PersonGenerator(world=world, count=50, seed=3).batches())
    other = next(PersonGenerator(world=world, count=50, seed=4).batches())

    def names(batch):
        return [(p.first_name, p.last_name, p.id_number, p.pk) for p in batch.persons]

    assert names(first) == names(second)
    assert names(first) != names(other)


def test_gender_mix_and_protection_are_realistic(world):
    persons = [p for batch in PersonGenerator(world=world, count=2000, seed=5).batches() for p in batch.persons]

    share = {g: sum(p.gender == g for p in persons) / len(persons) for g in ("kvinna", "man", "icke_binar")}
    assert 0.43 < share["kvinna"] < 0.53
    assert 0.43 < share["man"] < 0.53
    assert 0.005 < share["icke_binar"] < 0.03
    protected = [p for p in persons if p.protection != Protection.NONE]
    assert 0.005 < len(protected) / len(persons) < 0.03
    hidden = [p for p in protected if p.protection == Protection.PROTECTED_REGISTRATION]
    assert hidden
    assert all(p.address == p.postal_code == p.city == "" for p in hidden)
    assert all(p.email.endswith("@example.com") for p in persons if p.email)
    assert all(p.phone.startswith("070-174 06 ") for p in persons if p.phone)
