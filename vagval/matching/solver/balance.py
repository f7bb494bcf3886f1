"""The gender-balance rule: a flow-based search over the numbers of women and men placed.

The rule: with N_w women and N_m men that have at least one eligible pair, a women and b men
placed, |a/N_w − b/N_m| ≤ g, i.e. |a·N_m − b·N_w| ≤ c with c = g·N_w·N_m (exact rational
arithmetic on the float g). If either group is empty the rule says nothing (there is no share
to compare) and the plain flow is solved.

Model. Three hubs feed the persons: women (with pairs), men (with pairs), everyone else
(flow.py). F(a, b) = the best total weight placing exactly a women and b men (others free):
one min-cost flow with the women's and men's hubs given supplies a and b and no bypass.

Why a search over a is exact (the proof the result reports):

1. Φ(a, b), the optimum of the flow's linear relaxation with those supplies, is a concave
   function of (a, b) on its (convex) domain: the value function of a linear programme in its
   right-hand side. The network matrix is totally unimodular, so at integer (a, b) Φ = F.
2. For fixed integer a, b ↦ Φ(a, b) is piecewise linear with breakpoints only at integers
   (parametric min-cost flow along one supply: successive shortest paths carry whole units),
   so Φ(a, b) at a fractional b is the linear interpolation of F at its floor and ceiling,
   and it rises up to β(a) and falls after it, β(a) being the men placed by an optimum with
   a women fixed and men free (one flow solve).
3. The feasible (a, b) are closed downwards (drop a person), so b ↦ F(a, b) is feasible
   exactly on 0…B(a).
4. G(a) = max{F(a, b) : b integer, lo(a) ≤ b ≤ hi(a)} is the best assignment with a women,
   where [lo(a), hi(a)] = [(a·N_m − c)/N_w, (a·N_m + c)/N_w] ∩ [0, N_m]; by 2 it is F at β(a)
   clamped into the interval (rounded inwards). H(a) = max over *real* b in the interval of
   Φ(a, b) ≥ G(a), computed from the same F values by 2.
5. H is concave in a (the maximum of a concave function over the slices of a convex set),
   and −∞ beyond the largest feasible a.

So: find the peak a* of H by binary search on its slope, then walk away from a* on both sides
evaluating G, stopping on a side at the first a with H(a) ≤ the best G found (H only falls
from there on, and G ≤ H). Every a is then either evaluated or bounded by the best: optimal.
A time limit stops the walk; the bound reported is then max(best, H(a*)) (or the optimum
without the rule before a* is known).
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np

from .flow import FlowModel
from .instance import Instance

WOMEN, MEN, OTHERS = 0, 1, 2
NEG_INF = None  # an H or G of −∞ (no feasible b)


def gender_hubs(instance: Instance) -> tuple[np.ndarray, int, int]:
    """The hub of each person and the numbers of women and men with at least one pair."""
    has_pair = np.zeros(instance.n_persons, dtype=bool)
    has_pair[instance.pair_person] = True
    genders = np.array([g or "" for g in instance.genders], dtype=object)
    hub = np.full(instance.n_persons, OTHERS, dtype=np.int64)
    if instance.n_persons:
        hub[(genders == "kvinna") & has_pair] = WOMEN
        hub[(genders == "man") & has_pair] = MEN
    return hub, int((hub == WOMEN).sum()), int((hub == MEN).sum())


def within_gap(women: int, men: int, n_women: int, n_men: int, gap: float) -> bool:
    """Does placing `women` and `men` keep the shares within the gap (exactly, no rounding)?"""
    if n_women == 0 or n_men == 0:
        return True
    return abs(women * n_men - men * n_women) <= Fraction(gap) * n_women * n_men


class _Search:
    def __init__(self, instance: Instance, weights: np.ndarray, deadline: float | None) -> None:
        self.hub, self.n_w, self.n_m = gender_hubs(instance)
        self.model = FlowModel(instance, weights, self.hub, 3)
        self.pair_hub = self.hub[instance.pair_person]
        self.c = Fraction(instance.max_gender_gap or 0) * self.n_w * self.n_m
        self.deadline = deadline
        self.cache: dict[tuple[int, int | None], tuple[np.ndarray, int] | None] = {}
        self.best_chosen = np.zeros(0, dtype=np.int64)
        self.best = 0  # placing nobody is always allowed, with weight 0
        self.timed_out = False
        self.solves = 0

    def out_of_time(self) -> bool:
        if self.deadline is not None and time.perf_counter() > self.deadline:
            self.timed_out = True
        return self.timed_out

    def counts(self, chosen: np.ndarray) -> tuple[int, int]:
        hubs = self.pair_hub[chosen]
        return int((hubs == WOMEN).sum()), int((hubs == MEN).sum())

    def flow(self, a: int, b: int | None) -> tuple[np.ndarray, int] | None:
        key = (a, b)
        if key not in self.cache:
            self.solves += 1
            exact = {WOMEN: a} if b is None else {WOMEN: a, MEN: b}
            self.cache[key] = self.model.solve(exact)
        return self.cache[key]

    def F(self, a: int, b: int) -> int | None:
        solved = self.flow(a, b)
        return None if solved is None else solved[1]

    def offer(self, solved: tuple[np.ndarray, int] | None) -> None:
        if solved is not None and solved[1] > self.best:
            self.best_chosen, self.best = solved

    def interval(self, a: int) -> tuple[Fraction, Fraction]:
        lo = max((a * self.n_m - self.c) / self.n_w, Fraction(0))
        hi = min((a * self.n_m + self.c) / self.n_w, Fraction(self.n_m))
        return lo, hi

    def evaluate(self, a: int) -> Fraction | None:
        """H(a); also offers the assignment achieving G(a) as a candidate."""
        free = self.flow(a, None)
        if free is None:
            return NEG_INF
        lo, hi = self.interval(a)
        beta = self.counts(free[0])[1]
        if lo <= beta <= hi:
            self.offer(free)
            return Fraction(free[1])
        edge = hi if beta > hi else lo
        down, up = math.floor(edge), math.ceil(edge)
        f_down, f_up = self.F(a, down), self.F(a, up)
        best_b = down if beta > hi else up  # G(a): the integer b nearest β inside the interval
        if lo <= best_b <= hi:
            self.offer(self.flow(a, best_b))
        if f_down is None or f_up is None:
            # Only possible when beta < lo: the interval starts beyond B(a) (point 3).
            return NEG_INF if f_down is None or edge > down else Fraction(f_down)
        return f_down + (edge - down) * (f_up - f_down)

    def run(self) -> Fraction | None:
        """Search; return the proven upper bound on the weight (== best when not timed out)."""
        cache_h: dict[int, Fraction | None] = {}

        def h(a: int) -> Fraction | None:
            if a not in cache_h:
                cache_h[a] = self.evaluate(a)
            return cache_h[a]

        lo, hi = 0, self.n_w
        while lo < hi:
            if self.out_of_time():
                return None
            mid = (lo + hi) // 2
            h_mid = h(mid)
            if h_mid is NEG_INF:
                hi = mid - 1
                continue
            h_next = h(mid + 1)
            if h_next is NEG_INF or h_next <= h_mid:
                hi = mid
            else:
                lo = mid + 1
        peak = lo
        h_peak = h(peak)
        assert h_peak is not NEG_INF  # a = 0 is always feasible
        for step in (-1, 1):
            a = peak + step
            while 0 <= a <= self.n_w:
                if self.out_of_time():
                    return h_peak
                h_a = h(a)
                if h_a is NEG_INF or h_a <= self.best:
                    break
                a += step
        return Fraction(self.best)


def solve_balanced(instance: Instance, weights: np.ndarray, deadline: float | None) -> tuple[np.ndarray, bool, int]:
    """(chosen pairs, proven optimal, upper bound on the total weight)."""
    search = _Search(instance, weights, deadline)
    free = search.model.solve()
    assert free is not None
    bound = free[1]  # the optimum without the rule bounds the optimum with it
    if (
        search.n_w == 0
        or search.n_m == 0
        or within_gap(*search.counts(free[0]), search.n_w, search.n_m, instance.max_gender_gap or 0)
    ):
        return free[0], True, free[1]
    proven = search.run()
    if search.timed_out:
        upper = bound if proven is None else min(bound, math.floor(proven))
        return search.best_chosen, False, max(upper, search.best)
    return search.best_chosen, True, search.best
