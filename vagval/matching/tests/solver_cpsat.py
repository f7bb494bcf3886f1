"""An independent optimum from CP-SAT, for instances too large to enumerate (tests only)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ortools.sat.python import cp_model


def cpsat_optimum(data: dict[str, Any]) -> tuple[int, int]:
    """(placed, score) of an optimum under the instance's objective and rules."""
    model = cp_model.CpModel()
    x = {(p["person"], p["offer"]): model.new_bool_var(f"{p['person']}-{p['offer']}") for p in data["pairs"]}
    score = {(p["person"], p["offer"]): p["score"] for p in data["pairs"]}
    placed_of: dict[str, list[Any]] = {}
    for (person, _offer), var in x.items():
        placed_of.setdefault(person, []).append(var)
    for variables in placed_of.values():
        model.add_at_most_one(variables)
    for offer in data["offers"]:
        model.add(sum(var for (_p, o), var in x.items() if o == offer["id"]) <= offer["capacity"])
    if "max_gender_gap" in data:
        women = [p["id"] for p in data["persons"] if p.get("gender") == "kvinna" and p["id"] in placed_of]
        men = [p["id"] for p in data["persons"] if p.get("gender") == "man" and p["id"] in placed_of]
        if women and men:
            gap = Fraction(data["max_gender_gap"])
            n_w, n_m = len(women), len(men)
            a = sum(var for p in women for var in placed_of[p])
            b = sum(var for p in men for var in placed_of[p])
            # |a/n_w − b/n_m| ≤ gap  ⇔  |a·n_m − b·n_w|·den ≤ num·n_w·n_m
            num, den = gap.numerator, gap.denominator
            model.add((a * n_m - b * n_w) * den <= num * n_w * n_m)
            model.add((b * n_w - a * n_m) * den <= num * n_w * n_m)
    count = sum(x.values())
    total = sum(score[key] * var for key, var in x.items())
    if data["objective"] == "count_then_score":
        model.maximize(count * (1000 * len(data["persons"]) + 1) + total)
    else:
        model.maximize(total)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    assert status == cp_model.OPTIMAL
    return int(solver.value(count)), int(solver.value(total))
