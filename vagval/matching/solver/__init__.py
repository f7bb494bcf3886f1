"""The matching solver: optimal assignment of persons to offers within capacities.

Pure Python over OR-Tools, no database: the web matching and `vagval matcha` call the same
functions.

    from vagval.matching.solver import parse_instance, solve, solve_json, InstanceError

    instance = parse_instance(data)            # raises InstanceError("pairs[3].score", "…")
    instance = instance_from_json(raw)         # the same from the JSON text, faster (decode.py)
    result = solve(instance, time_limit=10)    # Result; result.to_json() is the result format

Methods: a min-cost flow (flow.py) for both objectives; with `max_gender_gap`, a search over
the numbers of women and men placed with one flow per point (balance.py); adding one person to
a solved intake re-optimises along one augmenting path (incremental.py).
"""

from __future__ import annotations

import time
from typing import Any

from .balance import solve_balanced
from .decode import instance_from_json
from .flow import SolverFailure, pair_weights, solve_flow
from .incremental import Change, solve_with_added_person
from .instance import GENDERS, OBJECTIVES, Instance, InstanceError, parse_instance
from .result import Result, result_from_chosen

__all__ = [
    "GENDERS",
    "OBJECTIVES",
    "Change",
    "Instance",
    "InstanceError",
    "Result",
    "SolverFailure",
    "instance_from_json",
    "parse_instance",
    "solve",
    "solve_json",
    "solve_with_added_person",
]


def _score_bound(weight_bound: int, big_m: int) -> int:
    """A bound on objective_value (the score sum) from a bound on the weighted objective.

    Under count_then_score the weight is M·placed + score. An optimum with k' persons placed
    has M·k' ≤ bound, so k' ≤ k = bound // M; if k' = k its score is at most bound − M·k,
    and if k' < k at most 1000·(k − 1) (every score is at most 1000).
    """
    if big_m == 0:
        return weight_bound
    k = weight_bound // big_m
    return max(weight_bound - big_m * k, 1000 * (k - 1))


def solve(instance: Instance, *, time_limit: float | None = None) -> Result:
    """An optimal assignment for the instance (or, if time_limit stops the balance search, the
    best found with `optimal` false and a proven `bound`). The flow methods always finish."""
    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit
    if instance.max_gender_gap is None:
        chosen = solve_flow(instance)
        return result_from_chosen(instance, chosen, seconds=time.perf_counter() - start)
    weights, big_m = pair_weights(instance)
    chosen, optimal, weight_bound, flow_solves = solve_balanced(instance, weights, deadline)
    return result_from_chosen(
        instance,
        chosen,
        seconds=time.perf_counter() - start,
        optimal=optimal,
        bound=None if optimal else _score_bound(weight_bound, big_m),
        flow_solves=flow_solves,
    )


def solve_json(data: Any, *, time_limit: float | None = None) -> dict[str, Any]:
    """Parse, solve and serialise: decoded instance JSON in, result JSON out."""
    return solve(parse_instance(data), time_limit=time_limit).to_json()
