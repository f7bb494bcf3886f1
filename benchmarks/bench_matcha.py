"""Figure: `vagval matcha` on a large intake vs a raw OR-Tools min-cost-flow solve.

    .venv/bin/python benchmarks/bench_matcha.py [--persons 20000] [--offers 5000] [--seed 1] [--repeat 5]

An instance with N persons and M offers (capacities 0–5, 25 eligible offers per person, scores
0–1000, fixed seed) is generated; the instance file is written under var/bench/. Then, best of
--repeat rounds (the three take turns in each round, so that load from elsewhere hits them
alike), in this process:

1. raw: a SimpleMinCostFlow built from the benchmark's own numpy arrays (source → persons,
   persons → offers with cost −score, offers → sink, a bypass source → sink) and solved;
2. solver: `solve_json` on the decoded instance + json.dumps of the result (parse, validate,
   solve, serialise: what `vagval matcha` does after reading the file);
3. command: `vagval.cli.main(["matcha", FILE])` — also reads the file and decodes the JSON
   (its output is parsed back for the checks after the timing).

Printed: the seconds of each, the ratios solver/raw and command/raw (the issue's figure: the
whole command against the raw solve, target ≤ 1.5), that the
result is proven optimal and equals the raw optimum, the command's stages (read, decode and
validate, build + solve + extract, serialise + write) one by one, and the objective against a
greedy assignment (best pair first). No database is involved.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _common  # puts the project on sys.path
import numpy as np
from _matching import greedy_score, instance_arrays, instance_json
from ortools.graph.python import min_cost_flow

from vagval.cli import main as vagval_main
from vagval.matching.solver import instance_from_json, solve, solve_json


def raw_solve(arrays: dict[str, np.ndarray], persons: int, offers: int) -> int:
    source, sink = persons + offers, persons + offers + 1
    n_e = len(arrays["score"])
    tails = np.concatenate([np.full(persons, source), arrays["pair_person"], persons + np.arange(offers), [source]])
    heads = np.concatenate([np.arange(persons), persons + arrays["pair_offer"], np.full(offers, sink), [sink]])
    caps = np.concatenate([np.ones(persons + n_e, dtype=np.int64), arrays["capacity"], [persons]])
    costs = np.concatenate([np.zeros(persons, dtype=np.int64), -arrays["score"], np.zeros(offers + 1, dtype=np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32), caps, costs)
    flow.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([persons, -persons]))
    status = flow.solve()
    assert status == flow.OPTIMAL, status
    return -flow.optimal_cost()


def best_of(repeat: int, runs: list[Callable[[], Any]]) -> list[tuple[float, float, Any]]:
    """Best wall seconds, best CPU seconds of this process and last value of each run. The runs
    take turns, round after round, so that a burst of load from other work on the machine hits
    them alike; the CPU seconds (everything here runs on one thread) are what that load changes
    least."""
    best: list[tuple[float, float, Any]] = [(float("inf"), float("inf"), None)] * len(runs)
    for _ in range(repeat):
        for i, run in enumerate(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            value = run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[i] = (min(best[i][0], wall), min(best[i][1], cpu), value)
    return best


def print_stages(path: Path, repeat: int) -> None:
    """Where the command's time goes: its stages one by one, best CPU seconds of --repeat."""
    raw = path.read_bytes()
    instance = instance_from_json(raw)
    result = solve(instance)
    stages = best_of(
        repeat,
        [
            path.read_bytes,
            lambda: instance_from_json(raw),
            lambda: solve(instance),
            lambda: io.StringIO().write(result.to_json_text() + "\n"),
        ],
    )
    names = ("read", "decode + validate", "build + solve + extract", "serialise + write")
    print(
        "  command stages, CPU: "
        + ", ".join(f"{name} {cpu * 1000:.0f} ms" for name, (_w, cpu, _v) in zip(names, stages, strict=True))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    arrays = instance_arrays(persons=args.persons, offers=args.offers, seed=args.seed)
    data = instance_json(arrays)
    _common.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = _common.BENCH_DIR / f"matcha-{args.persons}x{args.offers}-{args.seed}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    print(
        f"instance: {args.persons:,} persons × {args.offers:,} offers, {len(arrays['score']):,} pairs, "
        f"{int(arrays['capacity'].sum()):,} places ({path.stat().st_size / 1e6:.1f} MB)"
    )

    def command() -> str:
        out, err = io.StringIO(), io.StringIO()
        code = vagval_main(["matcha", str(path)], out=out, err=err)
        assert code == 0, err.getvalue()
        return out.getvalue()  # read back after the timing: that is the benchmark's work, not the command's

    (raw_s, raw_cpu, raw_value), (solver_s, solver_cpu, result), (command_s, command_cpu, command_text) = best_of(
        args.repeat,
        [
            lambda: raw_solve(arrays, args.persons, args.offers),
            lambda: json.loads(json.dumps(solve_json(data))),
            command,
        ],
    )
    command_result = json.loads(command_text)
    greedy_value, greedy_placed = greedy_score(arrays, args.persons)

    assert result["optimal"] is True
    assert command_result["optimal"] is True
    assert result["objective_value"] == raw_value == command_result["objective_value"]
    print("                                                       wall          CPU of this process")
    print(f"raw OR-Tools min-cost flow (build + solve):          {raw_s:7.3f} s          {raw_cpu:7.3f} s")
    print(
        f"solver: parse + solve + serialise (solve_json):      {solver_s:7.3f} s {solver_s / raw_s:4.2f}×"
        f"    {solver_cpu:7.3f} s {solver_cpu / raw_cpu:4.2f}×"
    )
    print(
        f"command: vagval matcha FILE (read, decode, … write): {command_s:7.3f} s {command_s / raw_s:4.2f}×"
        f"    {command_cpu:7.3f} s {command_cpu / raw_cpu:4.2f}×   (the figure: the ratio, target ≤ 1.5)"
    )
    print_stages(path, args.repeat)
    print(f"optimal: {result['optimal']}  objective {result['objective_value']:,}  placed {result['placed']:,}")
    print(
        f"greedy (best pair first): objective {greedy_value:,}  placed {greedy_placed:,}  "
        f"= {100 * greedy_value / result['objective_value']:.2f} % of the optimum"
    )


if __name__ == "__main__":
    main()
