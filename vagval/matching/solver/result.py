"""The solver's answer, and its JSON form (the result format of `vagval matcha`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec
import numpy as np

from .instance import Instance


@dataclass(frozen=True, eq=False)
class Result:
    """An assignment with its figures.

    `chosen` holds the indices of the chosen pairs in the instance (sorted); `assignment` the
    same as (person id, offer id). `objective_value` is always the sum of the chosen scores,
    whatever the objective. `bound` is set only when `optimal` is false: no assignment
    allowed by the instance's rules has a larger objective_value under its objective.
    """

    instance: Instance = field(repr=False)
    chosen: np.ndarray = field(repr=False)
    objective_value: int
    placed: int
    optimal: bool
    seconds: float
    bound: int | None = None
    flow_solves: int = 1  # how many min-cost flows were solved (not part of the JSON)

    @property
    def assignment(self) -> list[tuple[str, str]]:
        persons, offers = self.instance.person_ids, self.instance.offer_ids
        pair_person, pair_offer = self.instance.pair_person, self.instance.pair_offer
        chosen_persons = pair_person[self.chosen].tolist()
        chosen_offers = pair_offer[self.chosen].tolist()
        return [(persons[p], offers[o]) for p, o in zip(chosen_persons, chosen_offers, strict=True)]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "assignment": [{"person": p, "offer": o} for p, o in self.assignment],
            "objective_value": self.objective_value,
            "placed": self.placed,
            "optimal": self.optimal,
            "seconds": round(self.seconds, 6),
        }
        if not self.optimal:
            data["bound"] = self.bound
        return data

    def to_json_text(self) -> str:
        """`to_json()` as JSON text (UTF-8 characters kept, no spaces): msgspec writes the
        assignment of 20,000 persons in a fifth of the standard library's time."""
        return msgspec.json.encode(self.to_json()).decode()


def result_from_chosen(
    instance: Instance,
    chosen: np.ndarray,
    *,
    seconds: float,
    optimal: bool = True,
    bound: int | None = None,
    flow_solves: int = 1,
) -> Result:
    chosen = np.sort(np.asarray(chosen, dtype=np.int64))
    return Result(
        instance=instance,
        chosen=chosen,
        objective_value=int(instance.pair_score[chosen].sum()),
        placed=len(chosen),
        optimal=optimal,
        seconds=seconds,
        bound=None if optimal else bound,
        flow_solves=flow_solves,
    )
