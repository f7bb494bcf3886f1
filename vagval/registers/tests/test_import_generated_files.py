"""Property: an import of a generated file (any encoding, separator, column order, junk rows) puts
every valid row in the register exactly once, reports every invalid row exactly once in the
rejected-rows file, and changes nothing else."""

from __future__ import annotations

import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vagval.people.models import Person
from vagval.registers.importing.samples import POPULATION_HEADER, csv_bytes, with_wrong_check_digit
from vagval.registers.models import ImportStatus, PopulationEntry
from vagval.registers.tests.factories import number, population_file, population_row, run_import

pytestmark = pytest.mark.django_db

BASE = range(3)  # persons already in the register, always in the file, unchanged
JUNK = ["bad_check_digit", "empty_first_name", "other_municipality", "duplicate", "too_few"]


def _row(kind: str, index: int, marker: str) -> list[str]:
    row = population_row(index, adress=marker)
    if kind == "bad_check_digit":
        row[0] = with_wrong_check_digit(row[0])
    elif kind == "empty_first_name":
        row[1] = ""
    elif kind == "other_municipality":
        row[POPULATION_HEADER.index("kommunkod")] = "2061"
    elif kind == "duplicate":
        row = population_row(0, adress=marker)  # the same person as a base row above it
    elif kind == "too_few":
        row = row[:3]
    return row


@settings(
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    separator=st.sampled_from([";", ",", "\t"]),
    kinds=st.lists(st.sampled_from(["valid"] * 3 + JUNK), min_size=1, max_size=20),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_every_valid_row_lands_once_and_every_invalid_row_is_reported_once(karin, encoding, separator, kinds, seed):
    with transaction.atomic():
        run_import(karin, "befolkning", population_file([population_row(i) for i in BASE]))
        base_state = sorted(Person.objects.values_list("id_number", "updated_at"))

        rows = [population_row(i) for i in BASE]
        valid, invalid = [], []
        for position, kind in enumerate(kinds):
            index = 100 + position
            marker = f"Rad {position}"
            row = _row(kind, index, marker)
            rows.append(row)
            # A short row has lost its address column, and with it the marker.
            (valid if kind == "valid" else invalid).append((index, marker if marker in row else None))
        order = list(range(len(POPULATION_HEADER)))
        random.Random(seed).shuffle(order)
        header = [POPULATION_HEADER[i] for i in order]
        shuffled = [[row[i] if i < len(row) else None for i in order] for row in rows]
        shuffled = [[value for value in row if value is not None] for row in shuffled]  # too_few stays short
        content = csv_bytes(header, shuffled, separator=separator, encoding=encoding)

        imp = run_import(karin, "befolkning", content)

        assert imp.rows_read == len(rows)
        assert imp.rows_accepted == len(BASE) + len(valid)
        assert imp.rows_rejected == len(invalid)
        for index, _marker in valid:
            assert Person.objects.filter(id_number=number(index)).count() == 1
            assert PopulationEntry.objects.filter(person__id_number=number(index), present=True).count() == 1
        assert Person.objects.count() == len(BASE) + len(valid)
        assert PopulationEntry.objects.filter(present=True).count() == len(BASE) + len(valid)
        # The base persons are untouched.
        assert (
            sorted(
                Person.objects.filter(id_number__in=[number(i) for i in BASE]).values_list("id_number", "updated_at")
            )
            == base_state
        )
        if invalid:
            text = imp.rejected_file.read().decode("utf-8-sig")
            assert len(text.splitlines()) == 1 + len(invalid)
            cells = [cell for line in text.splitlines() for cell in line.split(";")]  # written with ;
            for _index, marker in invalid:
                if marker is not None:
                    assert cells.count(marker) == 1
        else:
            assert not imp.rejected_file
        assert imp.status == ImportStatus.DONE
        transaction.set_rollback(True)
