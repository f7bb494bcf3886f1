"""Figure: parsing a population extract (befolkning) vs a bare csv.reader pass over the same file.

    .venv/bin/python benchmarks/bench_parse.py [--rows 100000] [--seed 1] [--repeat 3]

A CSV file with N synthetic rows (all ten columns, UTF-8 with BOM, ';', as Excel writes it) is
generated once under var/bench/. Then, on the same file:
1. bare: open, decode, csv.reader, count rows — nothing else;
2. parser: vagval.registers.importing.open_import_file, iterating every record (encoding check
   over the whole file, separator and header detection, every column validated and normalised,
   identity numbers through vagval.common.identity, duplicate check).

A studies file of the same size is parsed too, to show what memory the parse itself keeps.

Printed: rows per second for both (best of --repeat runs) and their ratio, and the peak
memory of each pass measured separately with tracemalloc (Python allocations during the pass;
timing runs are made without tracemalloc, which slows allocation down), plus the process's peak
resident size. No database is involved.
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path

import _common  # puts the project on sys.path

from vagval.registers.importing import RejectedRow, open_import_file
from vagval.registers.importing.samples import POPULATION_HEADER, STUDY_HEADER, population_rows, study_rows

BENCH_DIR = _common.BENCH_DIR


def _generate(path: Path, header: tuple[str, ...], rows: Iterable[list[str]]) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    partial.rename(path)


def bare_pass(path: Path) -> int:
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text, delimiter=";")
        next(reader)
        return sum(1 for _row in reader)


def parser_pass(path: Path, kind: str = "befolkning") -> int:
    rows = rejected = 0
    with open_import_file(path, kind=kind) as parsed:
        for item in parsed:
            rows += 1
            rejected += isinstance(item, RejectedRow)
    if rejected:
        raise SystemExit(f"unexpected: {rejected} rows rejected")
    return rows


def studies_pass(path: Path) -> int:
    return parser_pass(path, kind="studier")


def _timed(run: Callable[[Path], int], path: Path, repeat: int) -> tuple[int, float]:
    best = float("inf")
    rows = 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = run(path)
        best = min(best, time.perf_counter() - start)
    return rows, best


def _peak_bytes(run: Callable[[Path], int], path: Path) -> int:
    tracemalloc.start()
    try:
        run(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per pass; the best counts")
    args = parser.parse_args()

    path = BENCH_DIR / f"befolkning-{args.rows}-{args.seed}.csv"
    _generate(path, POPULATION_HEADER, population_rows(args.rows, seed=args.seed))
    studies = BENCH_DIR / f"studier-{args.rows}-{args.seed}.csv"
    _generate(studies, STUDY_HEADER, study_rows(args.rows, seed=args.seed))
    size_mb = path.stat().st_size / 1e6
    print(f"bench_parse: {args.rows:,} rows, {size_mb:.1f} MB, {path.relative_to(_common.PROJECT_DIR)}", flush=True)

    bare_rows, bare_seconds = _timed(bare_pass, path, args.repeat)
    parsed_rows, parsed_seconds = _timed(parser_pass, path, args.repeat)
    assert bare_rows == parsed_rows == args.rows, (bare_rows, parsed_rows)
    bare_rate, parsed_rate = bare_rows / bare_seconds, parsed_rows / parsed_seconds
    bare_peak, parsed_peak = _peak_bytes(bare_pass, path), _peak_bytes(parser_pass, path)
    studies_rows, studies_seconds = _timed(studies_pass, studies, args.repeat)
    studies_peak = _peak_bytes(studies_pass, studies)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != "darwin" else 1024 * 1024)

    print(f"  bare csv.reader: {bare_rate:>10,.0f} rows/s ({bare_seconds:.2f} s), peak {bare_peak / 1e6:.1f} MB")
    print(f"  parser:          {parsed_rate:>10,.0f} rows/s ({parsed_seconds:.2f} s), peak {parsed_peak / 1e6:.1f} MB")
    print(
        f"  ratio parser/bare: {parsed_rate / bare_rate:.3f} "
        f"(the parser runs at 1/{bare_rate / parsed_rate:.0f} of the bare rate)"
    )
    print(
        f"  studies file, same size: {studies_rows / studies_seconds:,.0f} rows/s, peak {studies_peak / 1e6:.1f} MB "
        "(nothing kept per row; the population peak above is mostly the duplicate check, ~100 bytes per person)"
    )
    print(f"  process peak resident size: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
