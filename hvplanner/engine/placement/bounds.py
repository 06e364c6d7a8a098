"""Lower bounds on hosts (and on cost): each is a proof that no placement does better.

- volume: in every dimension the hosts together must hold the total demand;
- big items: VMs above half of the largest host in one dimension pairwise never share;
- anti-affinity: a group of k members needs k distinct hosts;
- pinned: hosts that pinned VMs occupy are in use whatever the placement does;
- failover: after losing any k hosts the survivors still hold every VM, so any bound on a
  packing plus k bounds an N+k plan (and k times the cheapest model bounds its cost).
The Gilmore–Gomory LP bound comes from `colgen` when the pattern LP covers the whole plan.
"""

from __future__ import annotations

import math

import numpy as np

from hvplanner.engine.placement.lp import INF, dense_model, new_highs, run
from hvplanner.engine.placement.problem import EPS, D, Problem
from hvplanner.model.placement import Bounds


def _ceil(x: float) -> int:
    # Sums of fractional RAM overheads land a hair above an integer; do not round that up.
    return math.ceil(x - 1e-7)


def volume(problem: Problem) -> int:
    total = problem.total_demand
    best = 0
    cap = problem.models.cap.max(axis=0)
    for d in range(D):
        if np.isfinite(cap[d]) and cap[d] > 0 and total[d] > 0:
            best = max(best, _ceil(total[d] / cap[d]))
    return best


def big_items(problem: Problem) -> int:
    fl = problem.flavors
    half = problem.models.cap.max(axis=0) / 2.0
    big = fl.dem > half * (1 + EPS)
    return int(max(((big * fl.count[:, None]).sum(axis=0)).max(initial=0), 0))


def anti_affinity(problem: Problem) -> int:
    return max(problem.group_sizes.values(), default=0)


def pinned(problem: Problem) -> int:
    return sum(1 for h in problem.fixed if h.instances)


def packing_bounds(problem: Problem, k: int) -> Bounds:
    parts = {
        "volume": volume(problem),
        "big_items": big_items(problem),
        "anti_affinity": anti_affinity(problem),
        "pinned": pinned(problem),
    }
    return make_bounds(parts, None, k)


def make_bounds(parts: dict[str, int], lp: float | None, k: int) -> Bounds:
    # Capacity bounds (volume, big items, anti-affinity, the pattern LP) hold for the
    # survivors of any k failures, so the hosts needed are that bound plus k. The pinned
    # bound only counts hosts already in use, which may themselves hold the reserve: it
    # takes no k.
    named = {name: v + k for name, v in parts.items() if name != "pinned"}
    if lp is not None:
        named["lp"] = _ceil(lp) + k
    named["pinned"] = parts["pinned"]
    best = max(named.values(), default=0)
    if best == 0:
        tight: list[str] = []
    else:
        tight = [name for name, v in named.items() if v == best]
    return Bounds(
        volume=parts["volume"],
        big_items=parts["big_items"],
        anti_affinity=parts["anti_affinity"],
        pinned=parts["pinned"],
        lp=lp,
        failover=k,
        best=best,
        tight=tight,
    )


def cost_bound(problem: Problem, host_bound: int) -> float:
    """LP: the cheapest mix of host models whose capacity covers the total demand.

    With the count bound as a row too; pinned hosts' models are a floor per model.
    """
    models = problem.models
    total = problem.total_demand
    cap = models.cap
    dims = [
        d for d in range(D) if total[d] > 0 and np.isfinite(cap[:, d]).all() and cap[:, d].any()
    ]
    rows = np.array([cap[:, d] for d in dims] + [np.ones(models.m)]).reshape(-1, models.m)
    row_lo = np.array([total[d] for d in dims] + [float(host_bound)])
    floor = np.zeros(models.m)
    for fixed in problem.fixed:
        if fixed.instances:
            floor[fixed.model] += 1
    h = new_highs()
    h.passModel(
        dense_model(
            models.cost,
            rows,
            row_lo=row_lo,
            row_hi=np.full(len(row_lo), INF),
            col_lo=floor,
            col_hi=np.full(models.m, INF),
        )
    )
    s = run(h)
    return float(s.objective) if s.optimal else float(models.cost.min() * host_bound)
