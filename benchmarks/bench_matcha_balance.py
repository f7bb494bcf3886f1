"""Figure: the gender-gap rule with "place as many as possible first", proven optimal.

    .venv/bin/python benchmarks/bench_matcha_balance.py [--persons 5000] [--offers 1000] [--gap 0.05] [--seed 1]

An instance like bench_matcha's (capacities 0–5, 25 eligible offers per person, fixed seed),
with women's scores raised by 150 so that the optimum without the rule places far more women
than men and the rule binds. Objective count_then_score, max_gender_gap --gap.

Printed: the seconds (wall and CPU) of the solve with the rule (target < 10 s, proven optimal), the solve
without it in the same process and their ratio, and the shares of women and men placed
with and without the rule. No database is involved.
"""

from __future__ import annotations

import argparse
import time

import _common  # noqa: F401 - puts the project on sys.path
import numpy as np
from _matching import instance_arrays, instance_json

from vagval.matching.solver import Result, parse_instance, solve


def shares(result: Result) -> str:
    instance = result.instance
    with_pairs = set(instance.pair_person.tolist())
    placed = set(instance.pair_person[result.chosen].tolist())
    parts = []
    for gender in ("kvinna", "man"):
        group = [i for i in with_pairs if instance.genders[i] == gender]
        parts.append(f"{gender} {sum(i in placed for i in group) / len(group):.3f}")
    return ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--gap", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    arrays = instance_arrays(persons=args.persons, offers=args.offers, seed=args.seed)
    women = arrays["gender"][arrays["pair_person"]] == 0
    arrays["score"] = np.where(women, np.minimum(1000, arrays["score"] + 150), arrays["score"])
    free = parse_instance(instance_json(arrays, objective="count_then_score"))
    ruled = parse_instance(instance_json(arrays, objective="count_then_score", max_gender_gap=args.gap))
    print(
        f"instance: {args.persons:,} persons × {args.offers:,} offers, {ruled.n_pairs:,} pairs, "
        f"count_then_score, max_gender_gap {args.gap}"
    )

    start, cpu = time.perf_counter(), time.process_time()
    without = solve(free)
    without_s, without_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    result = solve(ruled)
    with_s, with_cpu = time.perf_counter() - start, time.process_time() - cpu

    assert result.optimal, "the search must prove its optimum"
    print(
        f"without the rule: {without_s:6.2f} s (CPU {without_cpu:5.2f} s)  placed {without.placed:,}  "
        f"objective {without.objective_value:,}"
    )
    print(f"                  shares placed: {shares(without)}")
    print(
        f"with the rule:    {with_s:6.2f} s (CPU {with_cpu:5.2f} s)  placed {result.placed:,}  "
        f"objective {result.objective_value:,}  optimal {result.optimal} (target < 10 s)"
    )
    print(f"                  shares placed: {shares(result)}")
    print(
        f"ratio with/without the rule: {with_s / without_s:.1f} ({result.flow_solves} min-cost flows, "
        f"{with_s / result.flow_solves:.2f} s each); CPU ratio {with_cpu / without_cpu:.1f}"
    )


if __name__ == "__main__":
    main()
