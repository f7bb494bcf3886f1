"""A broken file, a file with no valid rows or a failure halfway changes nothing in the register."""

from __future__ import annotations

import pytest

from vagval.audit.models import AccessLogEntry
from vagval.people.models import Person
from vagval.registers.importing import store
from vagval.registers.importing.samples import xlsx_bytes
from vagval.registers.models import ImportStatus, PopulationEntry, StudyEntry
from vagval.registers.services import NOTHING_VALID, TECHNICAL_FAILURE
from vagval.registers.tests.factories import population_file, population_row, run_import

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[object, ...]:
    return (
        sorted(Person.objects.values_list("id_number", "address", "updated_at")),
        sorted(PopulationEntry.objects.values_list("person_id", "row_hash", "present", "updated_at")),
        StudyEntry.objects.count(),
        AccessLogEntry.objects.count(),
    )


@pytest.fixture
def existing(karin):
    run_import(karin, "befolkning", population_file([population_row(i) for i in range(3)]))
    return _snapshot()


def _truncated_xlsx() -> bytes:
    content = xlsx_bytes(["personnummer", "fornamn"], [["x", "y"]] * 50)
    return content[: len(content) // 2]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"personnummer;fornamn;efternamn;kommunkod\r\n", "tom.csv", "inga rader"),
        (b"namn;adress\r\nAlva;Storgatan 1\r\n", "fel.csv", "saknas i rubrikraden"),
        (bytes(range(256)) * 20, "skrap.csv", ""),
        (None, "trasig.xlsx", ""),
    ],
)
def test_a_broken_file_fails_with_one_message_and_changes_nothing(karin, existing, content, name, message):
    imp = run_import(karin, "befolkning", _truncated_xlsx() if content is None else content, name=name)

    assert imp.status == ImportStatus.FAILED
    assert imp.error
    assert message in imp.error.lower()
    assert "\n" not in imp.error.strip()
    assert _snapshot() == existing
    assert not imp.rejected_file


def test_a_file_with_zero_valid_rows_fails_and_changes_nothing(karin, existing):
    imp = run_import(karin, "befolkning", population_file([population_row(9, kommunkod="2061")]))

    assert imp.status == ImportStatus.FAILED
    assert imp.error == NOTHING_VALID
    assert (imp.rows_read, imp.rows_accepted, imp.rows_rejected) == (1, 0, 1)
    assert imp.rejected_file  # the rows can still be downloaded, fixed and imported again
    assert _snapshot() == existing


def test_a_failure_halfway_leaves_the_register_as_it_was(karin, existing, monkeypatch):
    calls = {"n": 0}
    real = store.PopulationWriter.write_chunk

    def failing(self, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        real(self, rows)

    monkeypatch.setattr(store, "BATCH", 10)
    monkeypatch.setattr("vagval.registers.services.CHUNK", 10)
    monkeypatch.setattr(store.PopulationWriter, "write_chunk", failing)
    rows = [population_row(i, adress="Ändrad 1") for i in range(30)]

    imp = run_import(karin, "befolkning", population_file(rows))

    assert calls["n"] == 2  # the first chunk was written, then it failed
    assert imp.status == ImportStatus.FAILED
    assert imp.error == TECHNICAL_FAILURE
    assert _snapshot() == existing
