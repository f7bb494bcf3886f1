"""Adding one young person to a solved intake: re-optimise along one augmenting path.

Why one path is enough (objectives `score` and `count_then_score`, no balance rule): the
previous assignment x is a min-cost flow of the previous network (flow.py). Add the new
person as a node with its pair arcs and give *it* the new unit of supply (with an arc of its
own to the sink for "not placed"). No arc enters the new node, so x has no negative cycle in
the new residual graph either: x is still optimal for the old supplies. By the successive
shortest path theorem, x plus a shortest path from the new person to the sink in the residual
graph is a min-cost flow for the new supplies, i.e. an optimum of the new instance.

The path alternates: the new person takes an offer, someone there moves to another offer (or
leaves: person → hub, and the hub may place a previously unplaced person instead), …, until an
offer with a free place or the hub's bypass is reached. Costs are negative, so the search is
Bellman–Ford, vectorised with numpy over the frontier (no negative cycles, so it ends).

With the gender-balance rule (the new person changes N_w or N_m) or a previous result that was
not proven optimal, the instance is solved again in full; the change is reported the same way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from .flow import pair_weights
from .instance import GENDERS, MAX_SCORE, Instance, InstanceError
from .result import Result, result_from_chosen

INF = np.int64(1) << np.int64(60)


@dataclass(frozen=True)
class Change:
    """What adding the person changed: where it went, who moved, and the objective's change."""

    person: str
    offer: str | None
    moves: list[tuple[str, str | None, str | None]]  # (person, previous offer, new offer)
    objective_delta: int
    placed_delta: int
    method: str  # "augmenting_path" or "full_solve"

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "offer": self.offer,
            "moves": [{"person": p, "from": a, "to": b} for p, a, b in self.moves],
            "objective_delta": self.objective_delta,
            "placed_delta": self.placed_delta,
            "method": self.method,
        }


def _with_person(instance: Instance, person: object, pairs: object) -> Instance:
    if not isinstance(person, dict) or not isinstance(person.get("id"), str) or not person["id"]:
        raise InstanceError("person.id", "ska vara en icke-tom sträng")
    if set(person) - {"id", "gender"}:
        raise InstanceError("person", "okänd nyckel (tillåtna: id, gender)")
    if person["id"] in instance.person_ids:
        raise InstanceError("person.id", f'"{person["id"]}" finns redan')
    if "gender" in person and person["gender"] not in GENDERS:
        raise InstanceError("person.gender", f"ska vara en av {', '.join(GENDERS)}")
    if not isinstance(pairs, list):
        raise InstanceError("pairs", "ska vara en lista")
    offer_index = {ident: i for i, ident in enumerate(instance.offer_ids)}
    offers: list[int] = []
    scores: list[int] = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, dict) or set(pair) != {"offer", "score"}:
            raise InstanceError(f"pairs[{i}]", "ska vara ett objekt med offer och score")
        if not isinstance(pair["offer"], str) or pair["offer"] not in offer_index:
            raise InstanceError(f"pairs[{i}].offer", "finns inte bland offers")
        if type(pair["score"]) is not int or not 0 <= pair["score"] <= MAX_SCORE:
            raise InstanceError(f"pairs[{i}].score", f"ska vara ett heltal 0–{MAX_SCORE}")
        if offer_index[pair["offer"]] in offers:
            raise InstanceError(f"pairs[{i}]", "erbjudandet finns redan bland paren")
        offers.append(offer_index[pair["offer"]])
        scores.append(pair["score"])
    new = instance.n_persons
    return Instance(
        objective=instance.objective,
        person_ids=(*instance.person_ids, person["id"]),
        genders=(*instance.genders, person.get("gender")),
        offer_ids=instance.offer_ids,
        capacities=instance.capacities,
        pair_person=np.concatenate([instance.pair_person, np.full(len(offers), new, dtype=np.int64)]),
        pair_offer=np.concatenate([instance.pair_offer, np.array(offers, dtype=np.int64)]),
        pair_score=np.concatenate([instance.pair_score, np.array(scores, dtype=np.int64)]),
        max_gender_gap=instance.max_gender_gap,
    )


def _shortest_augmenting_path(instance: Instance, chosen_old: np.ndarray, new: int) -> np.ndarray:
    """The chosen pairs after pushing one unit from `new` along a shortest residual path."""
    n_p, n_o = instance.n_persons, instance.n_offers
    hub, sink = n_p + n_o, n_p + n_o + 1
    weights, _m = pair_weights(instance)
    n_e = instance.n_pairs
    is_chosen = np.zeros(n_e, dtype=bool)
    is_chosen[chosen_old] = True
    placed = np.zeros(n_p, dtype=bool)
    placed[instance.pair_person[chosen_old]] = True
    load = np.bincount(instance.pair_offer[chosen_old], minlength=n_o)
    offer_node = n_p + instance.pair_offer
    # Residual arcs. Kinds: pair arcs carry their pair index (≥ 0); the others −1.
    free_offers = np.flatnonzero(load < instance.capacities)
    placed_persons = np.flatnonzero(placed[:new])
    unplaced_persons = np.flatnonzero(~placed[:new])
    tails = np.concatenate(
        [
            np.where(is_chosen, offer_node, instance.pair_person),  # pair arcs, forward or back
            n_p + free_offers,  # an offer with a free place → sink
            placed_persons,  # a placed person leaves → hub
            np.full(len(unplaced_persons), hub),  # the hub places an unplaced person
            [hub, new],  # the hub's bypass; the new person stays unplaced
        ]
    )
    heads = np.concatenate(
        [
            np.where(is_chosen, instance.pair_person, offer_node),
            np.full(len(free_offers), sink),
            np.full(len(placed_persons), hub),
            unplaced_persons,
            [sink, sink],
        ]
    )
    costs = np.concatenate([np.where(is_chosen, weights, -weights), np.zeros(len(tails) - n_e, dtype=np.int64)])
    pair_of_arc = np.concatenate([np.arange(n_e), np.full(len(tails) - n_e, -1)])

    order = np.argsort(tails, kind="stable")
    tails, heads, costs, pair_of_arc = tails[order], heads[order], costs[order], pair_of_arc[order]
    n_nodes = sink + 1
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n_nodes), out=indptr[1:])

    dist = np.full(n_nodes, INF, dtype=np.int64)
    pred = np.full(n_nodes, -1, dtype=np.int64)
    dist[new] = 0
    frontier = np.array([new])
    for _round in range(n_nodes + 1):  # no negative cycle: at most n_nodes − 1 rounds
        if len(frontier) == 0:
            break
        starts, ends = indptr[frontier], indptr[frontier + 1]
        lengths = ends - starts
        if lengths.sum() == 0:
            break
        arcs = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        targets = heads[arcs]
        cand = dist[tails[arcs]] + costs[arcs]
        better = cand < dist[targets]
        if not better.any():
            break
        arcs, cand, targets = arcs[better], cand[better], targets[better]
        best = np.full(n_nodes, INF, dtype=np.int64)
        np.minimum.at(best, targets, cand)
        winning = cand == best[targets]  # every arc that attains its head's new distance
        dist[targets[winning]] = cand[winning]
        pred[targets[winning]] = arcs[winning]  # any one of them will do
        frontier = np.flatnonzero(best < INF)
    else:
        raise ValueError("the previous result is not optimal for its instance (negative cycle)")
    # Walk back from the sink; toggle the pair arcs on the path.
    toggle: list[int] = []
    node = sink
    for _step in range(n_nodes):  # a path visits each node at most once
        if node == new:
            break
        arc = int(pred[node])
        if pair_of_arc[arc] >= 0:
            toggle.append(int(pair_of_arc[arc]))
        node = int(tails[arc])
    is_chosen[toggle] = ~is_chosen[toggle]
    return np.flatnonzero(is_chosen)


def _placement(instance: Instance, chosen: np.ndarray) -> dict[int, int]:
    """Person index → offer index of the chosen pairs."""
    return dict(zip(instance.pair_person[chosen].tolist(), instance.pair_offer[chosen].tolist(), strict=True))


def solve_with_added_person(
    instance: Instance, previous: Result, *, person: object, pairs: object
) -> tuple[Instance, Result, Change]:
    """Add `person` ({"id", "gender"?}) with `pairs` ([{"offer", "score"}]) to a solved
    instance. Returns the new instance, its optimal result and what changed."""
    from . import solve  # the package's solve; imported here to avoid an import cycle

    start = time.perf_counter()
    bigger = _with_person(instance, person, pairs)
    new = instance.n_persons
    if instance.max_gender_gap is None and previous.optimal and previous.instance is instance:
        chosen = _shortest_augmenting_path(bigger, previous.chosen, new)
        result = result_from_chosen(bigger, chosen, seconds=time.perf_counter() - start)
        method = "augmenting_path"
    else:
        result = solve(bigger)
        method = "full_solve"
    before = _placement(instance, previous.chosen)
    after = _placement(bigger, result.chosen)
    offer_ids, person_ids = bigger.offer_ids, bigger.person_ids

    def name(offer: int | None) -> str | None:
        return None if offer is None else offer_ids[offer]

    moves = [
        (person_ids[p], name(before.get(p)), name(after.get(p)))
        for p in sorted(set(before) | set(after))
        if p != new and before.get(p) != after.get(p)
    ]
    change = Change(
        person=person_ids[new],
        offer=name(after.get(new)),
        moves=moves,
        objective_delta=result.objective_value - previous.objective_value,
        placed_delta=result.placed - previous.placed,
        method=method,
    )
    return bigger, result, change
