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
        self.low_edge = True  # set by solve_balanced: are women over-represented without the rule?

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
        """H(a); also offers the assignment achieving G(a) as a candidate.

        Usually two flows suffice: at the edge of the interval that the optimum without the
        rule lies beyond (self.low_edge), F at the two integers around the edge shows the
        slope there; if F falls away from the interval, β(a) lies outside it and H, G are read
        off at the edge (point 2). Otherwise, or when F is infeasible there, `_evaluate_free`
        solves with the men free first.
        """
        lo, hi = self.interval(a)
        if self.low_edge:
            down = math.floor(lo)
            f_down = self.F(a, down)
            if f_down is None:  # lo > B(a): no b at all (point 3)
                return NEG_INF
            f_up = self.F(a, down + 1)
            if f_up is None:  # B(a) = down
                if lo > down:
                    return NEG_INF
                self.offer(self.flow(a, down))
                return Fraction(f_down)
            if f_up <= f_down:  # F falls from `down` on: β(a) ≤ down ≤ lo
                g_b = math.ceil(lo)
                if g_b <= hi:
                    self.offer(self.flow(a, g_b))
                return f_down + (lo - down) * (f_up - f_down)
        else:
            up = math.ceil(hi)
            if up >= 1:
                f_up = self.F(a, up)
                f_down = self.F(a, up - 1)
                if f_up is not None and f_down is not None and f_up >= f_down:  # F rises to `up`: β ≥ up ≥ hi
                    g_b = math.floor(hi)
                    if g_b >= lo:
                        self.offer(self.flow(a, g_b))
                    return f_down + (hi - (up - 1)) * (f_up - f_down)
        return self._evaluate_free(a, lo, hi)

    def _evaluate_free(self, a: int, lo: Fraction, hi: Fraction) -> Fraction | None:
        free = self.flow(a, None)
        if free is None:
            return NEG_INF
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

    def has_integer_b(self, a: int) -> bool:
        lo, hi = self.interval(a)
        return math.ceil(lo) <= math.floor(hi)

    def run(self, start: int) -> Fraction | None:
        """Search; return the proven upper bound on the weight (== best when not timed out).

        `start` (the women placed by the optimum without the rule) is where the search for
        the peak of H begins: an exponential search brackets it, a binary search finds it.
        """
        cache_h: dict[int, Fraction | None] = {}

        def h(a: int) -> Fraction | None:
            if a not in cache_h:
                cache_h[a] = self.evaluate(a)
            return cache_h[a]

        def falls(a: int) -> bool:
            """H(a + 1) ≤ H(a), or a is past the domain: true from the peak on (H concave)."""
            if a >= self.n_w:
                return True
            h_a = h(a)
            if h_a is NEG_INF:
                return True
            h_next = h(a + 1)
            return h_next is NEG_INF or h_next <= h_a

        # Bracket: falls(lo - 1) is false (or lo = 0) and falls(hi) is true.
        start = min(max(start, 0), self.n_w)
        step = 1
        if falls(start):
            lo, hi = start, start
            while lo > 0:
                if self.out_of_time():
                    return None
                probe = max(start - step, 0)
                if not falls(probe):
                    lo = probe + 1
                    break
                hi, lo, step = probe, probe, step * 2
        else:
            lo, hi = start + 1, self.n_w
            while True:
                if self.out_of_time():
                    return None
                probe = min(start + step, self.n_w)
                if falls(probe):
                    hi = probe
                    break
                lo, step = probe + 1, step * 2
        while lo < hi:
            if self.out_of_time():
                return None
            mid = (lo + hi) // 2
            if falls(mid):
                hi = mid
            else:
                lo = mid + 1
        peak = lo
        h_peak = h(peak)
        assert h_peak is not NEG_INF  # a = 0 is always feasible
        # Walk away from the peak. An a without any integer b in its interval has no
        # assignment at all and needs no bound; the first a with H(a) ≤ best ends a side.
        for direction in (-1, 1):
            a = peak + direction
            while 0 <= a <= self.n_w:
                if self.out_of_time():
                    return h_peak
                if self.has_integer_b(a):
                    h_a = h(a)
                    if h_a is NEG_INF or h_a <= self.best:
                        break
                a += direction
        return Fraction(self.best)


def solve_balanced(
    instance: Instance, weights: np.ndarray, deadline: float | None
) -> tuple[np.ndarray, bool, int, int]:
    """(chosen pairs, proven optimal, upper bound on the total weight, flows solved)."""
    search = _Search(instance, weights, deadline)
    free = search.model.solve()
    assert free is not None
    bound = free[1]  # the optimum without the rule bounds the optimum with it
    women, men = search.counts(free[0])
    if within_gap(women, men, search.n_w, search.n_m, instance.max_gender_gap or 0):
        return free[0], True, free[1], 1
    # Without the rule, women (low_edge) or men are over-represented; the best assignment with
    # the rule usually sits on that edge of the band, with about as many women and men placed
    # in all as without it: the search for the peak of H starts there (any start is correct).
    search.low_edge = women * search.n_m - men * search.n_w > 0
    side = search.c if search.low_edge else -search.c
    start = math.floor(((women + men) * search.n_w + side) / (search.n_w + search.n_m))
    proven = search.run(start=start)
    if search.timed_out:
        upper = bound if proven is None else min(bound, math.floor(proven))
        return search.best_chosen, False, max(upper, search.best), search.solves + 1
    return search.best_chosen, True, search.best, search.solves + 1
