"""Figure: adding one young person to a solved intake vs solving the intake again.

    .venv/bin/python benchmarks/bench_matcha_add_person.py [--persons 5000] [--offers 1000] [--seed 1] [--adds 20]

An intake like bench_matcha's (objective score, capacities 0–5, 25 eligible offers per person)
is solved once. Then --adds different new persons (25 eligible offers each) are added, one at
a time, each to the same solved intake: `solve_with_added_person` (one shortest augmenting
path from the new person) against a full solve of the bigger instance. Every incremental
optimum is checked equal to the full one.

Printed: median and p95 milliseconds of adding a person (target < 200 ms), the median of the
full re-solve, their ratio, and what a typical addition changed. No database is involved.
"""

from __future__ import annotations

import argparse
import statistics
import time

import _common
import numpy as np
from _matching import instance_arrays, instance_json

from vagval.matching.solver import parse_instance, solve, solve_with_added_person


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--adds", type=int, default=20)
    args = parser.parse_args()

    arrays = instance_arrays(persons=args.persons, offers=args.offers, seed=args.seed)
    instance = parse_instance(instance_json(arrays))
    solved = solve(instance)
    print(
        f"intake: {args.persons:,} persons × {args.offers:,} offers, {instance.n_pairs:,} pairs; "
        f"solved in {solved.seconds:.2f} s, placed {solved.placed:,}, objective {solved.objective_value:,}"
    )
    rng = np.random.default_rng(args.seed + 1000)
    add_s: list[float] = []
    full_s: list[float] = []
    add_cpu: list[float] = []
    full_cpu: list[float] = []
    changes = []
    for n in range(args.adds):
        offers = rng.choice(args.offers, min(25, args.offers), replace=False)
        pairs = [
            {"offer": f"e{o}", "score": int(s)}
            for o, s in zip(offers, rng.integers(300, 1001, len(offers)), strict=True)
        ]
        person = {"id": f"ny{n}", "gender": "kvinna" if n % 2 else "man"}
        start, cpu = time.perf_counter(), time.process_time()
        bigger, result, change = solve_with_added_person(instance, solved, person=person, pairs=pairs)
        add_s.append(time.perf_counter() - start)
        add_cpu.append(time.process_time() - cpu)
        start, cpu = time.perf_counter(), time.process_time()
        full = solve(bigger)
        full_s.append(time.perf_counter() - start)
        full_cpu.append(time.process_time() - cpu)
        assert result.objective_value == full.objective_value, (result, full)
        assert change.method == "augmenting_path"
        changes.append(change)

    add_median, add_p95 = _common.summary_ms(add_s)
    full_median = statistics.median(full_s) * 1000
    moved = statistics.median(len(c.moves) for c in changes)
    print(f"add one person (augmenting path): median {add_median:.1f} ms, p95 {add_p95:.1f} ms (target < 200 ms)")
    print(f"full re-solve of the same instance: median {full_median:.1f} ms")
    cpu_median, cpu_p95 = _common.summary_ms(add_cpu)
    print(
        f"CPU of this process: add median {cpu_median:.1f} ms, p95 {cpu_p95:.1f} ms; "
        f"full re-solve median {statistics.median(full_cpu) * 1000:.1f} ms"
    )
    print(f"ratio add/full: {add_median / full_median:.3f}; every optimum equal to the full re-solve's")
    example = changes[0]
    print(
        f"a typical change: {example.person} → {example.offer}, {len(example.moves)} others moved "
        f"(median over the additions {moved}), objective {example.objective_delta:+,}"
    )


if __name__ == "__main__":
    main()
