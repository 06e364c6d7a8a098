"""Proven optimal placement of small plans: an integer program over (flavor, host) counts.

Counting instances per flavor and host, rather than deciding every instance, removes the
symmetry between identical VMs; hosts of one model are opened in order, which removes most
of the symmetry between identical hosts. Candidate hosts per model are capped by what the
heuristic's cost allows, so the model stays small.
"""

from __future__ import annotations

import numpy as np

from hvplanner.engine.placement.budget import EXACT_NODES, Budget
from hvplanner.engine.placement.lp import INF, dense_model, new_highs, run
from hvplanner.engine.placement.packing import OpenBins, per_empty_host
from hvplanner.engine.placement.problem import D, Problem

# Plans up to this many movable instances go through the exact search.
EXACT_MAX_VMS = 60


def solve_exact(
    problem: Problem, upper_cost: float, budget: Budget
) -> tuple[OpenBins, bool] | None:
    """The cheapest placement (or the best found by the deadline) and whether it is proven."""
    fl = problem.flavors
    models = problem.models
    k = fl.k
    base = OpenBins(problem)
    fixed_bins = len(base)
    pinned_cost = float(sum(models.cost[base.model[b]] for b in range(fixed_bins)))
    # Candidate hosts: empty listed hosts come first through OpenBins.open, then new ones.
    for m in range(models.m):
        n_elig = int(fl.count[problem.elig[:, m]].sum())
        room = int(np.floor((upper_cost - pinned_cost) / models.cost[m] + 1e-9))
        for _ in range(max(min(n_elig, room), 0)):
            base.open(m)
    nb = len(base)
    bmodel = base.models()
    res = base.residual()
    nx = k * nb  # y[f, b] at f * nb + b, then u[b]
    ncol = nx + nb
    cost = np.zeros(ncol)
    cost[nx:] = models.cost[bmodel]
    lo = np.zeros(ncol)
    hi = np.zeros(ncol)
    for f in range(k):
        for b in range(nb):
            m = int(bmodel[b])
            if problem.elig[f, m]:
                cap = (
                    1 if fl.group[f] >= 0 else min(int(fl.count[f]), per_empty_host(problem, f, m))
                )
                hi[f * nb + b] = cap
    hi[nx:] = 1
    lo[nx : nx + fixed_bins] = 1  # hosts with pinned VMs are in use whatever happens
    rows: list[np.ndarray] = []
    rlo: list[float] = []
    rhi: list[float] = []
    for f in range(k):
        r = np.zeros(ncol)
        r[f * nb : (f + 1) * nb] = 1
        rows.append(r)
        rlo.append(float(fl.count[f]))
        rhi.append(float(fl.count[f]))
    for b in range(nb):
        cap = models.cap[bmodel[b]]
        for d in range(D):
            if not np.isfinite(cap[d]) or not (fl.dem[:, d] > 0).any():
                continue
            r = np.zeros(ncol)
            r[b:nx:nb] = fl.dem[:, d]
            r[nx + b] = -max(float(res[b, d]), 0.0)
            rows.append(r)
            rlo.append(-INF)
            rhi.append(0.0)
    for g in range(len(problem.groups)):
        members = np.flatnonzero(fl.group == g)
        if not members.size:
            continue
        for b in range(nb):
            taken = 1 if b in base.groups.get(g, set()) else 0
            r = np.zeros(ncol)
            r[members * nb + b] = 1
            rows.append(r)
            rlo.append(-INF)
            rhi.append(float(1 - taken))
    for b in range(fixed_bins, nb - 1):
        if bmodel[b] == bmodel[b + 1]:
            r = np.zeros(ncol)
            r[nx + b] = 1
            r[nx + b + 1] = -1
            rows.append(r)
            rlo.append(0.0)
            rhi.append(INF)
    h = new_highs(budget.left())
    budget.watch(h)
    nodes = budget.units(EXACT_NODES)
    h.setOptionValue("mip_max_nodes", nodes)
    if np.all(models.cost == np.round(models.cost)):
        h.setOptionValue("mip_abs_gap", 1 - 1e-6)
    else:
        h.setOptionValue("mip_rel_gap", 1e-9)
    h.passModel(
        dense_model(
            cost,
            np.array(rows),
            row_lo=np.array(rlo),
            row_hi=np.array(rhi),
            col_lo=lo,
            col_hi=hi,
            integer=True,
        )
    )
    s = run(h, mip=True)
    if not s.optimal:
        budget.stop("exact search", f"its budget of {nodes} nodes")
    if not s.has_solution:
        return None
    y = np.round(s.x[:nx]).astype(np.int64).reshape(k, nb)
    out = OpenBins(problem)
    order = list(range(len(out), nb))
    index: dict[int, int] = {b: b for b in range(len(out))}
    for b in order:
        if y[:, b].any():
            index[b] = out.open(int(bmodel[b]))
    for f in range(k):
        for col in np.flatnonzero(y[f]):
            out.put(index[int(col)], f, int(y[f, col]))
    return out, s.optimal
