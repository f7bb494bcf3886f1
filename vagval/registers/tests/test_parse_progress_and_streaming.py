"""The parser streams: rows are handed out one at a time, with progress reported as it goes."""

import datetime as dt
import os
import tracemalloc

import pytest

from vagval.registers.importing import ParseCounts, RejectedRow, open_import_file
from vagval.registers.importing.samples import POPULATION_HEADER, csv_bytes, population_rows

TODAY = dt.date(2026, 11, 23)


def _file(count, *, bad_every=0):
    rows = list(population_rows(count))
    if bad_every:
        for index in range(0, count, bad_every):
            rows[index][6] = "9999"
    return csv_bytes(POPULATION_HEADER, rows)


def test_progress_is_reported_every_n_rows_and_once_at_the_end():
    calls = []

    with open_import_file(
        _file(25, bad_every=5), kind="befolkning", progress=calls.append, progress_every=10
    ) as parsed:
        items = list(parsed)

    assert len(items) == 25
    assert calls == [
        ParseCounts(read=10, accepted=8, rejected=2),
        ParseCounts(read=20, accepted=16, rejected=4),
        ParseCounts(read=25, accepted=20, rejected=5),
    ]
    assert parsed.counts == calls[-1]


def test_progress_is_not_reported_twice_when_the_last_row_falls_on_a_step():
    calls = []

    list(open_import_file(_file(20), kind="befolkning", progress=calls.append, progress_every=10))

    assert [c.read for c in calls] == [10, 20]


def test_rows_are_handed_out_one_at_a_time():
    calls = []
    parsed = open_import_file(_file(50), kind="befolkning", progress=calls.append, progress_every=1)

    iterator = iter(parsed)
    next(iterator)
    next(iterator)

    assert parsed.counts.read == 2
    assert [c.read for c in calls] == [1, 2]
    parsed.close()


def test_header_facts_are_known_before_the_first_row():
    data = csv_bytes((*POPULATION_HEADER, "Handläggare"), [[*row, "Kim"] for row in population_rows(2)])

    with open_import_file(data, kind="befolkning", today=TODAY) as parsed:
        assert parsed.unknown_columns == ("Handläggare",)
        assert parsed.has_column("telefon")
        assert not parsed.has_column("tidigare_nummer")
        assert parsed.column_labels["fornamn"] == "fornamn"
        assert parsed.counts == ParseCounts()


def test_a_file_can_be_iterated_only_once():
    parsed = open_import_file(_file(3), kind="befolkning")
    list(parsed)

    with pytest.raises(RuntimeError):
        list(parsed)


def _open_descriptors():
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux's /proc")
def test_a_file_opened_by_path_is_closed_when_the_iteration_ends_or_the_block_exits(tmp_path):
    path = tmp_path / "befolkning.csv"
    path.write_bytes(_file(3))
    before = _open_descriptors()

    list(open_import_file(path, kind="befolkning"))
    after_iteration = _open_descriptors()
    with open_import_file(path, kind="befolkning") as parsed:
        next(iter(parsed))
    after_block = _open_descriptors()

    assert before == after_iteration == after_block


def test_memory_does_not_grow_with_the_rows_of_a_studies_file():
    """A studies file keeps nothing per row: 5,000 rows need no more memory than 500."""

    def peak(count):
        numbers = [row[0] for row in population_rows(count)]
        data = csv_bytes(("personnummer", "skolform", "status"), [(n, "GY", "pagaende") for n in numbers])
        parsed = open_import_file(data, kind="studier", today=TODAY)
        tracemalloc.start()
        rejected = sum(isinstance(item, RejectedRow) for item in parsed)
        used = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert rejected == 0
        return used

    small, large = peak(500), peak(5_000)

    assert large - small < 50_000  # a list of 4,500 rows would be several hundred kB
