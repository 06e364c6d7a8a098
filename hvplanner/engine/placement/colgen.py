"""Gilmore–Gomory column generation: the pattern LP, its bound, and an integer master.

A pattern is what one host of one model holds: a count per flavor. The master LP chooses
how many hosts run each pattern; pricing is a small integer knapsack per host model (one
variable per flavor, one row per limited dimension). Its dual bound gives Farley's lower
bound z / max(1, ρ), valid at every iteration, so stopping early still proves a bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

from hvplanner.engine.placement.budget import MASTER_NODES, PRICING_NODES, Budget
from hvplanner.engine.placement.flavors import FloatArray, IntArray
from hvplanner.engine.placement.lp import INF, dense_model, new_highs, quick_mip, run
from hvplanner.engine.placement.packing import OpenBins, per_empty_host
from hvplanner.engine.placement.problem import Problem

Pattern = tuple[int, dict[int, int]]  # (model, flavor → copies)

# Reduced costs below this (relative to the host cost) do not count as improving.
_RC_TOL = 1e-7


@dataclass(frozen=True)
class ColumnGeneration:
    patterns: list[Pattern]
    x: FloatArray  # LP value per pattern
    lp_value: float
    lp_bound: float  # Farley bound: valid even if generation stopped early
    converged: bool
    iterations: int
    duals: FloatArray  # per row (flavor with count > 0): a feasible dual, bound = duals @ n


class _Pricer:
    """One knapsack per host model, built once; only the objective changes per iteration."""

    def __init__(self, problem: Problem, rows: IntArray, count: IntArray, model: int) -> None:
        self.model = model
        self.rows = rows
        dem = problem.flavors.dem[rows]
        cap = problem.models.cap[model]
        dims = np.flatnonzero(np.isfinite(cap) & (dem > 0).any(axis=0))
        self.elig = problem.elig[rows, model]
        hi = np.array(
            [
                min(int(count[f]), per_empty_host(problem, int(f), model)) if ok else 0
                for f, ok in zip(rows, self.elig, strict=True)
            ],
            dtype=np.float64,
        )
        groups = problem.flavors.group[rows]
        hi = np.where(groups >= 0, np.minimum(hi, 1), hi)
        a = dem[:, dims].T
        row_hi = cap[dims]
        # A host takes at most one member of each anti-affinity group.
        extra = [g for g in np.unique(groups[groups >= 0]) if (groups == g).sum() > 1]
        if extra:
            grows = np.array([(groups == g).astype(np.float64) for g in extra])
            a = np.vstack([a, grows])
            row_hi = np.concatenate([row_hi, np.ones(len(extra))])
        self.h = new_highs()
        # Near convergence many patterns tie; proving the last 0.1 % costs seconds and
        # changes neither the rounded bound (Farley uses the dual bound) nor the packing.
        self.h.setOptionValue("mip_rel_gap", 1e-3)
        self.h.setOptionValue("mip_max_nodes", PRICING_NODES)
        self.h.setOptionValue("mip_max_leaves", PRICING_NODES // 10)
        quick_mip(self.h)
        for heuristic in ("rens", "rins", "root_reduced_cost", "shifting", "zi_round"):
            self.h.setOptionValue(f"mip_heuristic_run_{heuristic}", False)
        lp = dense_model(
            np.zeros(len(rows)),
            a if a.size else np.zeros((1, len(rows))),
            row_lo=np.full(max(a.shape[0], 1), -INF),
            row_hi=row_hi if a.size else np.array([INF]),
            col_lo=np.zeros(len(rows)),
            col_hi=hi,
            integer=True,
            maximize=True,
        )
        self.h.passModel(lp)
        # The same knapsack without integrality: its rounded-down optimum, filled up
        # greedily, finds an improving pattern far more often than the greedy alone.
        self.relaxed = new_highs()
        lp.integrality_ = [highspy.HighsVarType.kContinuous] * len(rows)
        self.relaxed.passModel(lp)
        self.hi = hi
        self.dem = dem
        self.cap = cap
        finite = np.isfinite(cap)
        self.norm = np.where(finite, dem / np.where(finite & (cap > 0), cap, 1.0), 0.0)
        self.groups = groups
        self.dem_l: list[list[float]] = dem.tolist()
        self.hi_l: list[int] = [int(x) for x in hi]
        self.groups_l: list[int] = groups.tolist()
        # Per flavor, the dimensions it needs and its demand there.
        self.need_l = [[(k, d) for k, d in enumerate(row) if d > 0] for row in self.dem_l]
        # Dimensions every flavor here needs, with the smallest such demand: once a host
        # has less than that left in one of them, no copy of any flavor fits any more.
        self.always = [
            (int(d), float(dem[:, d].min()))
            for d in range(dem.shape[1])
            if len(rows) and bool((dem[:, d] > 0).all())
        ]

    def _room(self, res: list[float]) -> bool:
        """Whether one more copy of some flavor could fit in residual `res`. False only
        when the fill's own test, floor(res / demand + 1e-9) ≥ 1 in every dimension the
        flavor needs, fails for every flavor: res / demand falls as demand grows, so the
        smallest demand of a dimension every flavor needs decides for all of them."""
        # A plain loop: all() over a generator costs more, ~10 times per fill.
        for d, low in self.always:  # noqa: SIM110
            if not res[d] / low + 1e-9 >= 1.0:
                return False
        return True

    def greedy(
        self, duals: FloatArray, start: FloatArray | None = None
    ) -> tuple[dict[int, int], float]:
        """Cheap pricing: fill a host (from `start` copies) by dual value per unit of size."""
        best: dict[int, int] = {}
        best_value = 0.0
        usable = (self.hi > 0) & (duals > 0)
        if not usable.any():
            return best, best_value
        base = np.zeros(len(self.rows), dtype=np.int64) if start is None else start
        base = base.astype(np.int64)
        load = (self.norm * duals[:, None]).sum(axis=0)
        # The fill works on Python floats: a few dozen flavors per host make NumPy's
        # per-call cost dominate, and float arithmetic gives the same numbers.
        res0 = (self.cap - base @ self.dem).tolist()
        base_l = base.tolist()
        n_usable = int(usable.sum())
        start_groups = {int(g) for g in self.groups[(base > 0) & (self.groups >= 0)]}
        for w in (np.ones(self.norm.shape[1]), load, load * load):
            size = self.norm @ w
            order = np.argsort(-np.where(usable, duals / np.maximum(size, 1e-12), -1.0))
            a = list(base_l)
            res = list(res0)
            used_groups = set(start_groups)
            # Usable flavors sort first (the rest score -1), and only they are filled.
            for j in order[:n_usable].tolist() if self._room(res) else ():
                g = self.groups_l[j]
                if g >= 0 and (g in used_groups or a[j] > 0):
                    continue
                fit = 0.0
                for n, (k, d) in enumerate(self.need_l[j]):
                    ratio = res[k] / d + 1e-9
                    if n == 0 or ratio < fit:
                        fit = ratio
                q = min(math.floor(fit), self.hi_l[j] - a[j])
                if q > 0:
                    a[j] += q
                    res = [r - d * q for r, d in zip(res, self.dem_l[j], strict=True)]
                    if g >= 0:
                        used_groups.add(g)
                    if not self._room(res):
                        break
            a_arr = np.array(a, dtype=np.int64)
            value = float(duals @ a_arr)
            if value > best_value:
                best_value = value
                best = {int(self.rows[j]): int(a_arr[j]) for j in np.flatnonzero(a_arr)}
        return best, best_value

    def rounded(self, duals: FloatArray) -> tuple[dict[int, int], float]:
        """The knapsack LP's optimum rounded down, then filled up greedily."""
        self.relaxed.changeColsCost(
            len(self.rows), np.arange(len(self.rows), dtype=np.int32), duals
        )
        s = run(self.relaxed)
        if not s.x.size:
            return {}, 0.0
        return self.greedy(duals, np.floor(s.x + 1e-9))

    def price(self, duals: FloatArray, budget: Budget) -> tuple[dict[int, int], float, float]:
        """Best pattern for these duals: (pattern, its value, an upper bound on any value)."""
        self.h.changeColsCost(len(self.rows), np.arange(len(self.rows), dtype=np.int32), duals)
        self.h.setOptionValue("time_limit", budget.left())
        s = run(self.h, mip=True)
        if not s.has_solution:
            # No incumbent: the LP bound of the knapsack is still a valid upper bound.
            return {}, 0.0, float(duals @ self.hi)
        a = np.round(s.x).astype(np.int64)
        pattern = {int(self.rows[j]): int(a[j]) for j in np.flatnonzero(a > 0)}
        value = float(duals @ a)
        return pattern, value, max(float(s.bound), value)


def _seed_patterns(problem: Problem, rows: IntArray, count: IntArray) -> list[Pattern]:
    """One single-flavor pattern per flavor (keeps the master feasible)."""
    out: list[Pattern] = []
    cost = problem.models.cost
    for f in (int(r) for r in rows):
        best: Pattern | None = None
        best_unit = np.inf
        for m in np.flatnonzero(problem.elig[f]):
            per = min(per_empty_host(problem, f, int(m)), int(count[f]))
            if problem.flavors.group[f] >= 0:
                per = 1
            unit = cost[m] / per
            if unit < best_unit:
                best_unit, best = unit, (int(m), {f: per})
        if best is not None:
            out.append(best)
    return out


def patterns_of(bins: OpenBins) -> list[Pattern]:
    seen: set[tuple[int, tuple[tuple[int, int], ...]]] = set()
    out: list[Pattern] = []
    for b in bins.bins:
        key = (b.model, tuple(sorted(b.content.items())))
        if b.content and key not in seen:
            seen.add(key)
            out.append((b.model, dict(b.content)))
    return out


def generate(
    problem: Problem,
    count: IntArray,
    initial: list[Pattern],
    budget: Budget,
    iterations: int,
    exact: bool = True,
    exact_rounds: int | None = None,
) -> ColumnGeneration:
    """Patterns and the LP over them, for at most `iterations` rounds (or the wall limit).

    Without `exact`, pricing is greedy only: faster, with no bound (used while diving).
    """
    rows = np.flatnonzero(count > 0)
    pos = {int(f): i for i, f in enumerate(rows)}
    n = count[rows].astype(np.float64)
    patterns: list[Pattern] = []
    seen: set[tuple[int, tuple[tuple[int, int], ...]]] = set()
    master = new_highs()
    master.passModel(
        dense_model(
            np.zeros(0),
            np.zeros((len(rows), 0)),
            row_lo=n,
            row_hi=np.full(len(rows), INF),
            col_lo=np.zeros(0),
            col_hi=np.zeros(0),
        )
    )
    cost = problem.models.cost

    def add(p: Pattern) -> bool:
        key = (p[0], tuple(sorted(p[1].items())))
        if key in seen or not p[1]:
            return False
        seen.add(key)
        patterns.append(p)
        idx = np.array([pos[f] for f in p[1]], dtype=np.int32)
        val = np.array(list(p[1].values()), dtype=np.float64)
        master.addCol(float(cost[p[0]]), 0.0, INF, len(idx), idx, val)
        return True

    for p in _seed_patterns(problem, rows, count) + initial:
        add((p[0], {f: min(c, int(count[f])) for f, c in p[1].items() if f in pos}))
    pricers = [_Pricer(problem, rows, count, m) for m in range(problem.models.m)]
    budget.watch(master)
    for pr in pricers:
        budget.watch(pr.h)
        budget.watch(pr.relaxed)
    bound = 0.0
    best_duals = np.zeros(len(rows))
    converged = False
    it = 0
    master.setOptionValue("time_limit", budget.left())
    s = run(master)
    while True:
        if s.duals.size != len(rows):
            # The master stopped before an optimum (the wall-clock limit or a cancel
            # interrupted HiGHS): no duals to price with, keep the patterns found so far.
            budget.stop("column generation", "the time limit")
            break
        it += 1
        duals = np.maximum(s.duals, 0.0)
        z = float(s.objective)
        rho = 1.0
        added = 0
        for pr in pricers:
            pattern, value = pr.greedy(duals)
            if value > float(cost[pr.model]) * (1 + _RC_TOL) and add((pr.model, pattern)):
                added += 1
        if added == 0:
            for pr in pricers:
                pattern, value = pr.rounded(duals)
                if value > float(cost[pr.model]) * (1 + _RC_TOL) and add((pr.model, pattern)):
                    added += 1
        if added == 0 and not exact:
            break
        if added == 0 and exact_rounds is not None and exact_rounds <= 0:
            budget.stop("column generation", "its budget of exact pricing rounds")
            break
        if added == 0:
            if exact_rounds is not None:
                exact_rounds -= 1
            # Exact pricing only when the greedy finds nothing: it also yields the bound.
            for pr in pricers:
                pattern, value, upper = pr.price(duals, budget)
                c = float(cost[pr.model])
                rho = max(rho, upper / c)
                if value > c * (1 + _RC_TOL) and add((pr.model, pattern)):
                    added += 1
            if z / rho > bound:
                bound = z / rho
                best_duals = duals[: len(rows)] / rho if duals.size else best_duals
            if added == 0:
                converged = rho <= 1 + _RC_TOL
                break
        if it >= iterations:
            budget.stop("column generation", f"its budget of {iterations} rounds")
            break
        if budget.expired():
            budget.stop("column generation", "the time limit")
            break
        master.setOptionValue("time_limit", budget.left())
        s = run(master)
    x = s.x if s.x.size == len(patterns) else np.zeros(len(patterns))
    if converged:
        bound = max(bound, float(s.objective))
    return ColumnGeneration(patterns, x, float(s.objective), bound, converged, it, best_duals)


def integer_master(
    problem: Problem,
    count: IntArray,
    patterns: list[Pattern],
    budget: Budget,
    start: FloatArray | None = None,
    nodes: int | None = None,
    below: float | None = None,
) -> tuple[FloatArray | None, bool]:
    """Integer copies per pattern covering every flavor: (x or None, search finished).

    With `below`, only solutions cheaper than it are sought: a finished search with no
    solution then proves that none exists among these patterns.
    """
    rows = np.flatnonzero(count > 0)
    pos = {int(f): i for i, f in enumerate(rows)}
    a = np.zeros((len(rows), len(patterns)))
    for j, (_, content) in enumerate(patterns):
        for f, c in content.items():
            a[pos[f], j] = c
    cost = np.array([problem.models.cost[m] for m, _ in patterns])
    h = new_highs(budget.left())
    budget.watch(h)
    limit = budget.units(MASTER_NODES) if nodes is None else nodes
    h.setOptionValue("mip_max_nodes", limit)
    integral_costs = bool(np.all(cost == np.round(cost)))
    if integral_costs:
        # The objective is an integer: any gap below 1 proves the incumbent optimal.
        h.setOptionValue("mip_abs_gap", 1 - 1e-6)
    else:
        h.setOptionValue("mip_rel_gap", 1e-4)
    if below is not None:
        h.setOptionValue("objective_bound", below)
    h.passModel(
        dense_model(
            cost,
            a,
            row_lo=count[rows].astype(np.float64),
            row_hi=np.full(len(rows), INF),
            col_lo=np.zeros(len(patterns)),
            col_hi=np.full(len(patterns), INF),
            integer=True,
        )
    )
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(start)
        sol.value_valid = True
        h.setSolution(sol)
    s = run(h, mip=True)
    status = s.status
    finished = status in (
        highspy.HighsModelStatus.kOptimal,
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kObjectiveBound,
    )
    if not finished:
        why = "the time limit" if status == highspy.HighsModelStatus.kTimeLimit else None
        budget.stop("integer master", why or f"its budget of {limit} nodes")
    if not s.has_solution or s.x.size != len(patterns):
        return None, finished
    return np.round(s.x), finished


def realize(
    problem: Problem, count: IntArray, patterns: list[Pattern], copies: FloatArray
) -> OpenBins:
    """Hosts for `copies` of each pattern, with instances beyond the demand taken out."""
    bins = OpenBins(problem, use_fixed=False)
    excess = -count.copy()
    for (_, content), x in zip(patterns, copies, strict=True):
        for f, c in content.items():
            excess[f] += c * int(x)
    for (model, content), x in zip(patterns, copies, strict=True):
        for _ in range(int(x)):
            b = bins.open(model)
            for f, c in content.items():
                drop = min(c, int(excess[f])) if excess[f] > 0 else 0
                excess[f] -= drop
                if c - drop:
                    bins.put(b, f, c - drop)
    return _drop_empty(bins)


def _drop_empty(bins: OpenBins) -> OpenBins:
    if all(b.content for b in bins.bins):
        return bins
    out = OpenBins(bins.p, use_fixed=False)
    for b in bins.bins:
        if b.content:
            nb = out.open(b.model)
            for f, c in b.content.items():
                out.put(nb, f, c)
    return out


def dive(
    problem: Problem, count: IntArray, cg: ColumnGeneration, budget: Budget, iterations: int
) -> tuple[list[tuple[Pattern, int]], list[Pattern]] | None:
    """Residual rounding with re-generation ("diving"): take the whole copies the LP
    gives, or one copy of its largest fractional pattern, then generate columns again for
    what is left; repeat. Returns (pattern, copies) that cover `count` and every pattern
    seen, or None when the budget ran out first. Near-optimal for cutting-stock-like
    mixes, where the LP rounds up to an integer answer (see Brandão & Pedroso's gaps).
    """
    rest = count.copy()
    taken: list[tuple[Pattern, int]] = []
    seen = list(cg.patterns)
    while True:
        x = cg.x
        whole = np.floor(x + 1e-9).astype(np.int64)
        if not whole.any():
            if not x.size or x.max() <= 1e-9:
                return None
            whole = np.zeros_like(whole)
            whole[int(np.argmax(x))] = 1
        for (model, content), n in zip(cg.patterns, whole, strict=True):
            if n <= 0:
                continue
            # Copies the rest still needs: a pattern may cover a flavor more than once.
            useful = {f: c for f, c in content.items() if rest[f] > 0}
            for _ in range(int(n)):
                if not useful:
                    break
                piece = {f: min(c, int(rest[f])) for f, c in useful.items() if rest[f] > 0}
                if not piece:
                    break
                taken.append(((model, piece), 1))
                for f, c in piece.items():
                    rest[f] -= c
                useful = {f: c for f, c in useful.items() if rest[f] > 0}
        if not rest.any():
            return taken, seen
        if budget.expired() or iterations <= 0:
            budget.stop("column-generation diving", "its budget")
            return None
        # A list: every pattern seen is trimmed to the rest each round (thousands).
        left: list[int] = rest.tolist()
        initial = [
            (m, {f: min(c, left[f]) for f, c in content.items() if left[f] > 0})
            for m, content in seen
        ]
        cg = generate(problem, rest, [p for p in initial if p[1]], budget, iterations, exact=False)
        iterations -= cg.iterations
        seen.extend(cg.patterns)
