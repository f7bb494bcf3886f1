"""Re-importing a snapshot: what the fast paths of the import (rows unchanged since the last
import, identity numbers in the register's own form, spooled records) must keep exactly."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vagval.common.identity import InvalidIdentityNumber, parse_identity_number
from vagval.people.models import Person
from vagval.registers import services
from vagval.registers.importing.records import PopulationRow, StudyRow
from vagval.registers.importing.samples import POPULATION_HEADER, identity_number, with_wrong_check_digit
from vagval.registers.importing.values import Skolform, StudyStatus, ValueProblem, parse_identity
from vagval.registers.models import ImportStatus, PopulationEntry, StudyEntry
from vagval.registers.tests.factories import (
    number,
    population_file,
    population_row,
    run_import,
    study_file,
    study_row,
)

TODAY = dt.date(2026, 11, 23)
ALVA = identity_number(dt.date(2009, 4, 12), 238)  # 200904122389
ALVA_SAMORDNING = identity_number(dt.date(2009, 4, 12), 238, coordination=True)


# --- identity numbers in the register's form read as the general parser reads them ----------


def _general(text: str):
    try:
        return parse_identity_number(text, today=TODAY)
    except InvalidIdentityNumber as exc:
        return str(exc)


def _import_parser(text: str):
    try:
        return parse_identity(text, today=TODAY)
    except ValueProblem as exc:
        return exc.reason


@st.composite
def register_forms(draw):
    """12 digits or YYYYMMDD-NNNN: mostly real numbers, some with a wrong check digit, a
    samordningsnummer day, serial 000 or an impossible date, and arbitrary digits."""
    if draw(st.booleans()):
        digits = draw(st.from_regex(r"\A(19|20)\d{2}(0\d|1[0-3])\d{6}\Z"))
    else:
        birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 12, 31)))
        digits = identity_number(birth, draw(st.integers(0, 999)), coordination=draw(st.booleans()))
        if draw(st.integers(0, 4)) == 0:
            digits = with_wrong_check_digit(digits)
    return f"{digits[:8]}-{digits[8:]}" if draw(st.booleans()) else digits


@settings(max_examples=500, deadline=None)
@given(register_forms())
def test_the_register_form_reads_exactly_as_the_general_parser_reads_it(text):
    assert _import_parser(text) == _general(text)


@pytest.mark.parametrize(
    "text",
    [
        ALVA,
        f"{ALVA[:8]}-{ALVA[8:]}",
        ALVA_SAMORDNING,
        f"{ALVA_SAMORDNING[:8]}-{ALVA_SAMORDNING[8:]}",
        "20090412-0009",  # serial 000
        "20090231-1234",  # no such date
        "20090412-2388",  # wrong check digit
        "20091332-2389",
    ],
)
def test_edge_forms_read_as_the_general_parser_reads_them(text):
    assert _import_parser(text) == _general(text)


def test_records_survive_the_spool():
    identity = parse_identity_number(ALVA)
    records = [
        PopulationRow(
            line=2,
            identity=identity,
            first_name="Alva",
            last_name="Lind",
            municipality_code="2085",
            protected=True,
            previous_identity=parse_identity_number(ALVA_SAMORDNING),
        ),
        StudyRow(
            line=3,
            identity=identity,
            school_form=Skolform.GY,
            status=StudyStatus.AVBROTT,
            end_date=dt.date(2025, 3, 1),
        ),
    ]
    again = pickle.loads(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))  # noqa: S301
    assert again == records
    assert [type(record) for record in again] == [PopulationRow, StudyRow]


# --- re-imports over several chunks ------------------------------------------------------------


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)


def _population_state():
    return sorted(
        PopulationEntry.objects.values_list(
            "person__id_number", "person__first_name", "row_hash", "present", "left_on", "updated_at"
        )
    )


def _study_state():
    return sorted(StudyEntry.objects.values_list("person__id_number", "row_hash", "present", "updated_at"))


@pytest.mark.django_db
def test_a_snapshot_with_one_changed_row_changes_that_person_only(karin, small_chunks):
    rows = [population_row(i) for i in range(7)]
    run_import(karin, "befolkning", population_file(rows))
    before = _population_state()

    same = run_import(karin, "befolkning", population_file(rows))
    assert (same.persons_new, same.persons_changed, same.persons_left) == (0, 0, 0)
    assert _population_state() == before

    rows[4] = population_row(4, fornamn="Ändrad")
    changed = run_import(karin, "befolkning", population_file(rows[:6]), confirm_leaving=True)  # 1 of 7 leaves

    assert changed.status == ImportStatus.DONE, changed.error
    assert (changed.persons_new, changed.persons_changed, changed.persons_left) == (0, 1, 1)
    assert Person.objects.get(id_number=number(4)).first_name == "Ändrad"
    after = {row[0]: row for row in _population_state()}
    assert not after[number(6)][3]
    assert [after[number(i)] for i in (0, 1, 2, 3, 5)] == [row for row in before if row[0] != number(4)][:5]


@pytest.mark.django_db
def test_a_previous_number_in_an_earlier_chunk_is_seen_by_a_later_row_of_that_number(karin, small_chunks):
    """Row 1 replaces samordningsnummer S by personnummer N; a later row (another chunk) has S
    again, unchanged since the last import: it is read against the register as it is by then
    (S's person now has number N), not as it was when the import began."""
    old = number(7, coordination=True)
    header = (*POPULATION_HEADER, "tidigare_nummer")
    run_import(
        karin,
        "befolkning",
        population_file([[*population_row(1), ""], [*population_row(7, personnummer=old), ""]], header=header),
    )
    renamed = Person.objects.get(id_number=old)

    imp = run_import(
        karin,
        "befolkning",
        population_file(
            [
                [*population_row(7), old],
                [*population_row(2), ""],
                [*population_row(1), ""],
                [*population_row(7, personnummer=old), ""],
            ],
            header=header,
        ),
    )

    assert imp.status == ImportStatus.DONE, imp.error
    renamed.refresh_from_db()
    assert renamed.id_number == number(7)
    assert Person.objects.filter(id_number=old).exclude(pk=renamed.pk).count() == 1
    assert (imp.persons_new, imp.persons_changed, imp.persons_left) == (2, 1, 0)
    assert PopulationEntry.objects.filter(present=True).count() == 4


@pytest.mark.django_db
def test_studies_over_several_chunks_new_gone_back_and_unchanged(karin, small_chunks):
    run_import(karin, "befolkning", population_file([population_row(i) for i in range(6)]))
    first = [study_row(i) for i in range(6)]
    run_import(karin, "studier", study_file(first))
    before = _study_state()

    same = run_import(karin, "studier", study_file(first))
    assert same.persons_changed == 0
    assert _study_state() == before

    # 1 gone, 4 changed (a new row, the old one not present), 5 gains a second row.
    second = [first[0], first[2], first[3], study_row(4, status="examen"), first[5], study_row(5, skolform="IM")]
    changed = run_import(karin, "studier", study_file(second))
    assert changed.persons_changed == 3
    assert StudyEntry.objects.filter(present=True).count() == 6
    assert StudyEntry.objects.filter(present=False).count() == 2

    # Back to the first snapshot: 1 and 4's old rows come back (same entries), 4's and 5's new rows go.
    back = run_import(karin, "studier", study_file(first))
    assert back.persons_changed == 3
    assert StudyEntry.objects.count() == 8
    assert sorted(StudyEntry.objects.filter(present=True).values_list("person__id_number", "status")) == sorted(
        (number(i), "pagaende") for i in range(6)
    )
