"""The matching as a min-cost flow (OR-Tools SimpleMinCostFlow).

Nodes: one per person, one per offer, one or more *hubs* that feed the persons, and a sink.
Arcs, in this order (so that arc indices are known without asking):

    hub(person) → person     capacity 1, cost 0            (P arcs)
    person → offer           capacity 1, cost −weight      (one per eligible pair)
    offer → sink             capacity = the offer's capacity, cost 0
    hub → sink ("bypass")    capacity = the hub's persons, cost 0: leaving persons unplaced

A hub with supply k and a bypass of capacity k lets any number 0…k of its persons be placed;
with bypass capacity 0 exactly k of them must be placed (the gender-balance search fixes the
numbers of women and men placed this way, see balance.py). Without the balance rule there is
one hub for everyone.

Weights. `score`: the pair's score. `count_then_score`: score + M with M = S + 1, where S is
the sum over persons of their best score (S bounds the score of every assignment). Proof that
one flow then maximises the number placed first and the score second: with w(x) =
M·placed(x) + score(x), if placed(x) > placed(y) then w(x) − w(y) ≥ M + score(x) − score(y)
≥ M − S > 0; and if placed(x) = placed(y), w orders x and y by score. So a maximum of w is a
lexicographic maximum. (OR-Tools scales costs by the node count internally: with at most
1,000 × 20,000 + 1 per arc and 25,000 nodes the totals stay far inside int64; it answers
BAD_COST_RANGE otherwise, which we raise.)

Pairs whose offer has no place are left out of the network: no flow can cross them (the offer's
arc to the sink has capacity 0), so the optimum is the same, and a sixth fewer arcs (capacities
0–5) make the solve a sixth faster. `FlowModel.pairs` maps the pair arcs back to the instance.

The network matrix is totally unimodular, so the integral flow OR-Tools returns is an optimum
of the linear relaxation too: its value is a proven optimum (the solver's own certificate is
its final potentials; status OPTIMAL is only returned with them).
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from .instance import Instance


class SolverFailure(RuntimeError):
    """OR-Tools did not return an optimum where one must exist."""


def pair_weights(instance: Instance) -> tuple[np.ndarray, int]:
    """The weight of each pair under the instance's objective, and the M added (0 for score)."""
    scores = instance.pair_score
    if instance.objective != "count_then_score" or len(scores) == 0:
        return scores, 0
    best = np.zeros(instance.n_persons, dtype=np.int64)
    np.maximum.at(best, instance.pair_person, scores)
    big_m = int(best.sum()) + 1
    return scores + big_m, big_m


class FlowModel:
    """One flow network for an instance, re-solvable with other hub supplies."""

    def __init__(self, instance: Instance, weights: np.ndarray, hub_of_person: np.ndarray, n_hubs: int) -> None:
        n_p, n_o = instance.n_persons, instance.n_offers
        # The pairs that can carry flow: those whose offer has a place (indices into the instance).
        self.pairs = np.flatnonzero(instance.capacities[instance.pair_offer] > 0)
        n_e = len(self.pairs)
        self.instance = instance
        self.n_hubs = n_hubs
        self.hub_sizes = np.bincount(hub_of_person, minlength=n_hubs).astype(np.int64)
        self.first_hub = n_p + n_o
        self.sink = n_p + n_o + n_hubs
        self.first_pair_arc = n_p
        self.first_bypass_arc = n_p + n_e + n_o
        hubs = np.arange(self.first_hub, self.first_hub + n_hubs, dtype=np.int64)
        pair_person, pair_offer = instance.pair_person[self.pairs], instance.pair_offer[self.pairs]
        tails = np.concatenate([hubs[hub_of_person], pair_person, n_p + np.arange(n_o), hubs])
        heads = np.concatenate([np.arange(n_p), n_p + pair_offer, np.full(n_o, self.sink), np.full(n_hubs, self.sink)])
        capacities = np.concatenate([np.ones(n_p + n_e, dtype=np.int64), instance.capacities, self.hub_sizes])
        costs = np.concatenate(
            [np.zeros(n_p, dtype=np.int64), -weights[self.pairs], np.zeros(n_o + n_hubs, dtype=np.int64)]
        )
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.flow.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32), heads.astype(np.int32), capacities, costs
        )
        self.pair_arcs = np.arange(self.first_pair_arc, self.first_pair_arc + n_e, dtype=np.int32)

    def solve(self, exact: dict[int, int] | None = None) -> tuple[np.ndarray, int] | None:
        """Solve with the hubs in `exact` placing exactly that many persons, the others free.

        Returns (chosen pair indices, total weight) or None when no flow places those numbers.
        """
        exact = exact or {}
        supplies = self.hub_sizes.copy()
        for hub, count in exact.items():
            supplies[hub] = count
        for hub in range(self.n_hubs):
            bypass = 0 if hub in exact else int(self.hub_sizes[hub])
            self.flow.set_arc_capacity(self.first_bypass_arc + hub, bypass)
        nodes = np.concatenate([np.arange(self.first_hub, self.first_hub + self.n_hubs), [self.sink]])
        self.flow.set_nodes_supplies(nodes.astype(np.int32), np.concatenate([supplies, [-supplies.sum()]]))
        status = self.flow.solve()
        if status == min_cost_flow.SimpleMinCostFlow.INFEASIBLE:
            return None
        if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
            raise SolverFailure(f"min-cost flow ended with status {status}")
        if len(self.pair_arcs) == 0:
            return np.zeros(0, dtype=np.int64), 0
        chosen = self.pairs[np.flatnonzero(self.flow.flows(self.pair_arcs))]
        return chosen, -int(self.flow.optimal_cost())


def solve_flow(instance: Instance) -> np.ndarray:
    """The chosen pairs of an optimal assignment without the balance rule."""
    weights, _m = pair_weights(instance)
    model = FlowModel(instance, weights, np.zeros(instance.n_persons, dtype=np.int64), 1)
    solved = model.solve()
    if solved is None:  # pragma: no cover - placing nobody is always possible
        raise SolverFailure("min-cost flow found no flow")
    return solved[0]
