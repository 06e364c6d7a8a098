"""The packing strategy: which algorithms run on which plan, and the best packing they find.

1. Plans with hosts already loaded (pinned VMs) or too many flavors for column generation
   first place anti-affinity members greedily and fill the loaded hosts; elsewhere column
   generation takes the groups in its patterns.
2. Two first-fit-decreasing orders give a quick answer; when the bounds do not prove it,
   column generation and an integer master over its patterns run next, then (plans of at
   most SMALL_PLAN instances) a search over every pattern that could still improve, which
   proves the optimum; whatever budget is left goes to the rest of the greedy portfolio.
3. Tiny plans (≤ EXACT_MAX_VMS movable instances) go to an exact model first.
All work is counted (`budget.Budget`), so the same plan gives the same answer every run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hvplanner.engine.placement import colgen, heuristics
from hvplanner.engine.placement.budget import CG_ITERATIONS, PRICING_ROUNDS_CLASSES, Budget
from hvplanner.engine.placement.exact import EXACT_MAX_VMS, solve_exact
from hvplanner.engine.placement.flavors import IntArray
from hvplanner.engine.placement.packing import OpenBins
from hvplanner.engine.placement.problem import Problem

# Column generation's pricing knapsacks have one variable per flavor; plans with more
# distinct sizes are first aggregated into size classes (`classes`) below this many.
CG_MAX_FLAVORS = 400
FFD_KEYS = ("sum", "weighted", "max", "l2", "expo")
SMALL_PLAN = 2_000


@dataclass
class Packed:
    bins: OpenBins
    algorithm: str
    optimal: bool
    lp_bound: float | None  # Gilmore–Gomory bound on the whole plan, when it applies


def cost_of(bins: OpenBins) -> float:
    used = [b for b, h in enumerate(bins.bins) if h.content or h.fixed >= 0]
    return float(bins.p.models.cost[bins.model[used]].sum()) if used else 0.0


def _new_cost(bins: OpenBins) -> float:
    return float(bins.p.models.cost[bins.models()].sum())


def _primary(problem: Problem, count: IntArray) -> int:
    """The model whose hosts hold this mix most cheaply (by a first-fit packing)."""
    if problem.models.m == 1:
        return 0
    best, best_cost = 0, np.inf
    for m in range(problem.models.m):
        c = _new_cost(heuristics.ffd(problem, count, "weighted", m))
        if c < best_cost:
            best, best_cost = m, c
    return best


def _models(problem: Problem, primary: int) -> list[int]:
    return list(range(problem.models.m)) if problem.models.m <= 4 else [primary]


def _ffd(
    problem: Problem, count: IntArray, primary: int, keys: tuple[str, ...]
) -> list[tuple[str, OpenBins]]:
    return [
        (f"ffd-{key}", heuristics.ffd(problem, count, key, m))
        for m in _models(problem, primary)
        for key in keys
    ]


def _bin_centric(problem: Problem, count: IntArray, primary: int) -> list[tuple[str, OpenBins]]:
    # The bin-centric fill does not track anti-affinity: only without group members left.
    if (problem.flavors.group[count > 0] >= 0).any():
        return []
    return [
        (f"bin-centric-{score}", heuristics.bin_centric(problem, count, primary, score))
        for score in ("dot", "l2")
    ]


def _greedy_rest(problem: Problem, count: IntArray, primary: int) -> OpenBins:
    if (problem.flavors.group[count > 0] >= 0).any():
        return heuristics.ffd(problem, count, "weighted", primary)
    return heuristics.bin_centric(problem, count, primary, "dot")


def _rounded_start(
    problem: Problem, count: IntArray, cg: colgen.ColumnGeneration, primary: int
) -> OpenBins:
    """Floor of the LP plus a greedy packing of what the floor leaves: a feasible start."""
    x = np.floor(cg.x + 1e-9)
    covered = np.zeros_like(count)
    for (_, content), xi in zip(cg.patterns, x, strict=True):
        for f, c in content.items():
            covered[f] += c * int(xi)
    rest = np.maximum(count - covered, 0)
    rounded = colgen.realize(problem, count, cg.patterns, x)
    _merge(rounded, _greedy_rest(problem, rest, primary))
    return rounded


def _merge(base: OpenBins, extra: OpenBins) -> None:
    for b in extra.bins:
        nb = base.open(b.model)
        for f, c in b.content.items():
            base.put(nb, f, c)


class _Search:
    """The best packing of the movable instances so far, and what proves it."""

    def __init__(self, problem: Problem, floor: float, budget: Budget, proofs: bool) -> None:
        self.p = problem
        self.proofs = proofs  # the integer master hunts a proof; off where none can follow
        self.floor = floor  # a lower bound on the cost of the new hosts
        self.budget = budget
        self.integral = bool(np.all(problem.models.cost == np.round(problem.models.cost)))
        self.name = ""
        self.best: OpenBins | None = None
        self.proven = False

    @property
    def cost(self) -> float:
        return np.inf if self.best is None else _new_cost(self.best)

    def offer(self, name: str, bins: OpenBins) -> None:
        if self.best is None or (_new_cost(bins), len(bins)) < (self.cost, len(self.best)):
            self.name, self.best = name, bins
        self.proven = self.proven or self.meets(self.floor)

    def meets(self, bound: float) -> bool:
        target = np.ceil(bound - 1e-6) if self.integral else bound
        return bool(self.cost <= target * (1 + 1e-9) + 1e-9)

    @property
    def done(self) -> bool:
        return self.proven or self.budget.expired()


def _column_generation(
    s: _Search, count: IntArray, primary: int, candidates: list[tuple[str, OpenBins]]
) -> colgen.ColumnGeneration:
    p, budget = s.p, s.budget
    initial = [pat for _, c in candidates for pat in colgen.patterns_of(c)]
    rounds = budget.units(CG_ITERATIONS)
    # Over size classes no bound is needed (theirs is not the VMs'): few exact pricing
    # rounds, whose knapsack root alone can take a second on sizes that do not cluster.
    exact_rounds = None if s.proofs else budget.units(PRICING_ROUNDS_CLASSES)
    cg = colgen.generate(p, count, initial, budget, rounds, exact_rounds=exact_rounds)
    s.floor = max(s.floor, cg.lp_bound)
    s.offer("column-generation+round", _rounded_start(p, count, cg, primary))
    if s.done:
        return cg
    dived = colgen.dive(p, count, cg, budget, rounds)
    patterns = cg.patterns
    if dived is not None:
        taken, patterns = dived
        bins = OpenBins(p, use_fixed=False)
        for (model, content), n in taken:
            for _ in range(n):
                b = bins.open(model)
                for f, c in content.items():
                    bins.put(b, f, c)
        s.offer("column-generation+dive", bins)
    if s.done or not s.proofs or (dived is not None and not s.integral):
        # With fractional costs the master's root alone costs seconds and, measured on
        # the benchmark mixes, never improved on the dive.
        return cg
    below = s.cost - 0.5 if s.integral else None
    x, _ = colgen.integer_master(p, count, patterns, budget, below=below)
    if x is not None:
        s.offer("column-generation+ip", colgen.realize(p, count, patterns, x))
    return cg


def pack(problem: Problem, lower_cost: float, budget: Budget, proofs: bool = True) -> Packed:
    count = problem.flavors.count.copy()
    primary = _primary(problem, count)
    base = OpenBins(problem)
    k = int((count > 0).sum())
    # Greedy group placement first only where the patterns cannot take the groups.
    staged = len(base) > 0 or k > CG_MAX_FLAVORS or bool((problem.flavors.group >= 0).any())
    if staged:
        heuristics.place_groups(base, count, primary)
        heuristics.fill_partial(base, count)
    whole_plan = not staged
    pre_cost = cost_of(base)
    s = _Search(problem, lower_cost - pre_cost, budget, proofs)
    candidates = _ffd(problem, count, primary, FFD_KEYS[:2])
    for name, bins in candidates:
        s.offer(name, bins)
    if not s.done and 0 < problem.flavors.total <= EXACT_MAX_VMS:
        exact = solve_exact(problem, pre_cost + s.cost, budget)
        if exact is not None and cost_of(exact[0]) <= pre_cost + s.cost + 1e-9:
            return Packed(exact[0], "exact", exact[1], None)
    if not s.proven and budget.expired():
        budget.stop("optimization", "the time limit before it began")
    lp_bound: float | None = None
    k_left = int((count > 0).sum())
    if not s.done and 0 < k_left <= CG_MAX_FLAVORS:
        cg = _column_generation(s, count, primary, candidates)
        if whole_plan:
            lp_bound = cg.lp_bound
    if not s.done:
        for name, bins in _ffd(problem, count, primary, FFD_KEYS[2:]) + _bin_centric(
            problem, count, primary
        ):
            s.offer(name, bins)
            if s.done:
                break
    assert s.best is not None
    _merge(base, s.best)
    optimal = bool(s.proven and whole_plan) or s.meets(lower_cost - pre_cost)
    return Packed(base, s.name, optimal, lp_bound)
