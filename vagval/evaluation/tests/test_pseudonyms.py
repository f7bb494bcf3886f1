import datetime as dt

from vagval.evaluation.dataset import project_key, pseudonym
from vagval.evaluation.models import PseudonymKey
from vagval.evaluation.tests.helpers import enrol, rows_of
from vagval.organisations.tests.factories import ProjectFactory
from vagval.people.tests.factories import EnrolmentFactory, PersonFactory, make_personnummer


def test_a_participant_keeps_one_pseudonym_within_a_project(project, ludvika_unit):
    enrol(project, ludvika_unit, serial=11)
    first = rows_of(project)[0]["pseudonym"]
    assert rows_of(project)[0]["pseudonym"] == first
    assert PseudonymKey.objects.filter(project=project).count() == 1


def test_the_same_young_person_at_two_units_of_a_project_has_one_pseudonym(project, ludvika_unit, smedjebacken_unit):
    birth = dt.date(2003, 2, 3)
    number = make_personnummer(birth, 21)
    for unit in (ludvika_unit, smedjebacken_unit):
        person = PersonFactory(unit=unit, birth_date=birth, id_number=number)
        EnrolmentFactory(person=person, project=project, unit=unit)
    rows = rows_of(project)
    assert len(rows) == 2
    assert rows[0]["pseudonym"] == rows[1]["pseudonym"]
    assert sorted(r["inskrivning"] for r in rows) == ["1", "2"]


def test_the_same_person_in_two_projects_gets_unrelated_pseudonyms(project, ludvika_unit):
    other = ProjectFactory(name="Sommarjobb")
    person = enrol(project, ludvika_unit, serial=31)
    EnrolmentFactory(person=person, project=other, unit=ludvika_unit)
    ours, theirs = rows_of(project)[0]["pseudonym"], rows_of(other)[0]["pseudonym"]
    assert ours != theirs
    # Unrelated: not a shared prefix or a simple transform of each other either.
    assert ours[:4] != theirs[:4]
    assert project_key(project) != project_key(other)


def test_a_pseudonym_cannot_be_computed_from_the_number_without_the_projects_key(project, ludvika_unit):
    person = enrol(project, ludvika_unit, serial=41)
    shown = rows_of(project)[0]["pseudonym"]
    assert shown == pseudonym(project_key(project), id_number=person.id_number, person_id=person.pk)
    assert shown != pseudonym(b"", id_number=person.id_number, person_id=person.pk)
    assert person.id_number not in shown
    assert person.id_number[2:] not in shown


def test_a_person_without_a_number_gets_a_pseudonym_from_their_record(project, ludvika_unit):
    person = PersonFactory(unit=ludvika_unit, id_type="none", id_number=None)
    EnrolmentFactory(person=person, project=project, unit=ludvika_unit)
    shown = rows_of(project)[0]["pseudonym"]
    assert len(shown) == 20
    assert str(person.pk) not in shown
