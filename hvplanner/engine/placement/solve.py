"""The packing strategy: which algorithms run on which plan, and the best packing they find.

1. Members of anti-affinity groups go first (a group of k needs k hosts), then hosts that
   are already loaded (pinned VMs, group members) are filled from the other VMs.
2. What is left goes on new hosts: the best of several first-fit-decreasing orders and
   bin-centric rules; when that is not proven optimal by the bounds, column generation
   and an integer master over its patterns usually close the gap.
3. Small plans (≤ EXACT_MAX_VMS movable instances) are solved exactly instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from hvplanner.engine.placement import colgen, heuristics
from hvplanner.engine.placement.exact import EXACT_MAX_VMS, solve_exact
from hvplanner.engine.placement.flavors import IntArray
from hvplanner.engine.placement.packing import OpenBins
from hvplanner.engine.placement.problem import Problem

# Column generation pays off with repeated flavors; with thousands of distinct VMs the
# pricing knapsacks get large and the greedy rules are already within a few percent.
CG_MAX_FLAVORS = 400
FFD_KEYS = ("sum", "max", "l2", "weighted", "expo")
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


def _heuristics(problem: Problem, count: IntArray, primary: int) -> list[tuple[str, OpenBins]]:
    out: list[tuple[str, OpenBins]] = []
    models = range(problem.models.m) if problem.models.m <= 4 else [primary]
    many = int((count > 0).sum()) > CG_MAX_FLAVORS
    # With thousands of distinct VMs every rule costs seconds; keep the ones that win there.
    keys = ("sum", "weighted") if many else FFD_KEYS
    for m in models:
        for key in keys:
            out.append((f"ffd-{key}", heuristics.ffd(problem, count, key, m)))
    for score in ("dot",) if many else ("dot", "l2"):
        out.append((f"bin-centric-{score}", heuristics.bin_centric(problem, count, primary, score)))
    return out


def _rounded_start(
    problem: Problem, count: IntArray, cg: colgen.ColumnGeneration, primary: int
) -> tuple[np.ndarray, OpenBins]:
    """Floor of the LP plus a greedy packing of what the floor leaves: a feasible start."""
    x = np.floor(cg.x + 1e-9)
    covered = np.zeros_like(count)
    for (_, content), xi in zip(cg.patterns, x, strict=True):
        for f, c in content.items():
            covered[f] += c * int(xi)
    rest = np.maximum(count - covered, 0)
    return x, heuristics.bin_centric(problem, rest, primary, "dot")


def _merge(base: OpenBins, extra: OpenBins) -> None:
    for b in extra.bins:
        nb = base.open(b.model)
        for f, c in b.content.items():
            base.put(nb, f, c)


def effort(n: int, models: int, time_limit: float) -> float:
    """Seconds the optimizing stages may use, capped by the caller's limit.

    Column generation costs about the same at 10,000 and 100,000 VMs (the pricing problems
    have one variable per flavor either way), so the budget does not grow with N; a small
    plan gets a short one, since there one host more or less is decided in a few
    iterations. Every host model adds one pricing problem per iteration.
    """
    base = (0.12 if n <= SMALL_PLAN else 1.3) * models
    return min(time_limit, base)


def pack(problem: Problem, lower_cost: float, time_limit: float) -> Packed:
    start = time.perf_counter()
    time_limit = effort(problem.flavors.total, problem.models.m, time_limit)
    count = problem.flavors.count.copy()
    primary = _primary(problem, count)
    base = OpenBins(problem)
    whole_plan = len(base) == 0 and not (problem.flavors.group >= 0).any()
    heuristics.place_groups(base, count, primary)
    heuristics.fill_partial(base, count)
    pre_cost = cost_of(base)
    candidates = _heuristics(problem, count, primary)
    name, best = min(candidates, key=lambda c: (_new_cost(c[1]), len(c[1])))
    best_cost = pre_cost + _new_cost(best)
    lp_bound: float | None = None
    optimal = best_cost <= lower_cost + 1e-9
    # The staged greedy above may already have placed everything (group members first,
    # then filling their hosts); small plans still get the exact search over all of it.
    if not optimal and 0 < problem.flavors.total <= EXACT_MAX_VMS:
        exact = solve_exact(problem, best_cost, start + time_limit * 0.8)
        if exact is not None and cost_of(exact[0]) <= best_cost + 1e-9:
            return Packed(exact[0], "exact", exact[1], None)
    k_left = int((count > 0).sum())
    if not optimal and 0 < k_left <= CG_MAX_FLAVORS:
        cg_deadline = start + time_limit * 0.6
        initial = [p for _, c in candidates for p in colgen.patterns_of(c)]
        cg = colgen.generate(problem, count, initial, cg_deadline)
        if whole_plan:
            lp_bound = cg.lp_bound
        x0, rest = _rounded_start(problem, count, cg, primary)
        rounded = colgen.realize(problem, count, cg.patterns, x0)
        _merge(rounded, rest)
        if _new_cost(rounded) < _new_cost(best) - 1e-9:
            name, best = "column-generation+round", rounded
        floor_cost = max(lower_cost - pre_cost, cg.lp_bound)
        if _new_cost(best) > np.ceil(floor_cost - 1e-6) + 1e-9:
            start_x = np.ceil(cg.x - 1e-9)
            ip = colgen.integer_master(problem, count, cg, start + time_limit * 0.9, start_x)
            if ip is not None:
                packed = colgen.realize(problem, count, cg.patterns, ip[0])
                if _new_cost(packed) < _new_cost(best) - 1e-9:
                    name, best = "column-generation+ip", packed
        best_cost = pre_cost + _new_cost(best)
        bound = max(lower_cost, pre_cost + cg.lp_bound) if whole_plan else lower_cost
        optimal = best_cost <= np.ceil(bound - 1e-6) + 1e-9 if _integral(problem) else False
    _merge(base, best)
    return Packed(base, name, bool(optimal), lp_bound)


def _integral(problem: Problem) -> bool:
    return bool(np.all(problem.models.cost == np.round(problem.models.cost)))
