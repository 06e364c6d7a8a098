"""Consolidation by evacuation: from the current layout, empty the least-loaded hosts onto
the others (as many at once as reach the engine's answer, else one at a time), so that
reaching it moves only the VMs of the hosts given up and those `broken_layout` took off.

The engine packs from scratch and `stay` keeps what that packing allows; emptying one host
of a layout that is one host too many needs far fewer moves. The same rules hold as in
the engine: capacity per dimension and processor width (`elig`, `copies`), anti-affinity,
N+k by `failover.ensure`. Hosts with pinned VMs are never emptied.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hvplanner.engine.placement import failover
from hvplanner.engine.placement.budget import Budget
from hvplanner.engine.placement.flavors import FloatArray, IntArray
from hvplanner.engine.placement.packing import OpenBins, copies
from hvplanner.engine.placement.problem import Problem


@dataclass(frozen=True)
class Evacuated:
    bins: OpenBins
    outcome: failover.Outcome
    moved: int  # the instances of the hosts emptied
    emptied: int  # hosts emptied


def evacuate(
    problem: Problem,
    current: OpenBins,
    k: int,
    objective: float,
    budget: Budget,
    off: dict[int, int] | None = None,
) -> Evacuated | None:
    """The first layout, emptying hosts least-loaded first, whose hosts (or cost when
    costed) with its N+k spares are at most `objective`; None when none gets there.

    `off`: instances per flavor on no host of `current` (taken off by `broken_layout`), placed
    first fit onto the most loaded hosts before any host is emptied; None when they do not
    all fit on the hosts there are.
    """
    p = problem
    models = current.models()
    # 1 / capacity where a model limits the dimension, 0 elsewhere: shares of the host.
    cap = p.models.cap[models]
    inv: FloatArray = np.zeros_like(cap)
    limited = np.isfinite(cap) & (cap > 0)
    inv[limited] = 1.0 / cap[limited]
    fill: FloatArray = (current.loads() * inv).sum(axis=1)
    res = current.residual().copy()
    content = [dict(b.content) for b in current.bins]
    groups = [
        {g for f in b.content if (g := int(p.flavors.group[f])) >= 0}
        | (set(p.fixed[b.fixed].groups) if b.fixed >= 0 else set())
        for b in current.bins
    ]
    movable = [
        i for i, b in enumerate(current.bins) if not (b.fixed >= 0 and p.fixed[b.fixed].items)
    ]
    # Largest first by each dimension's share of the largest capacity, as `failover` does.
    top = np.where(np.isfinite(p.models.cap), p.models.cap, 0.0).max(axis=0)
    top[top <= 0] = 1.0
    size = (p.flavors.dem / top).sum(axis=1)
    alive = np.ones(len(content), dtype=np.bool_)
    index = np.arange(len(content))
    loaded = float(p.models.cost[models].sum())
    moved = 0

    def reached() -> Evacuated | None:
        if loaded > objective * (1 + 1e-9):
            return None  # spares only add: not there yet
        kept = np.flatnonzero(alive).tolist()
        bins = _layout(p, current, kept, content)
        outcome = failover.ensure(bins, k)
        if float(p.models.cost[bins.models()].sum()) <= objective * (1 + 1e-9):
            return Evacuated(bins, outcome, moved, len(content) - len(kept))
        return None

    def arrive(arrivals: list[tuple[int, int, int]]) -> None:
        for t, f, n in arrivals:
            content[t][f] = content[t].get(f, 0) + n
            fill[t] += float((p.flavors.dem[f] * inv[t]).sum()) * n

    # At once first: the fewest least-loaded hosts that reach the objective, emptied with
    # the VMs taken off, all first fit, largest first, onto the others. One pass per
    # flavor, where a host at a time re-sorts the hosts for each (a quarter of the engine's
    # time at 10,000 VMs); the host at a time below is for when this does not fit.
    costs = p.models.cost[models]
    least = sorted(movable, key=lambda i: (fill[i], i))
    freed = np.cumsum(costs[least]) if least else np.zeros(0)
    over = loaded - objective * (1 + 1e-9)
    n_out = int(np.searchsorted(freed, over)) + 1 if over > 0 else 0
    if 0 < n_out < len(content) and n_out <= len(least):
        out = least[:n_out]
        leaving: dict[int, int] = dict(off or {})
        for h in out:
            for f, n in content[h].items():
                leaving[f] = leaving.get(f, 0) + n
        alive[out] = False
        order = np.lexsort((index, -fill))  # most loaded first
        arrivals = _empty_onto(p, leaving, order[alive[order]], res, groups, size, models)
        if arrivals is None:
            alive[out] = True
        else:
            arrive(arrivals)
            moved = sum(leaving.values())
            for h in out:
                content[h] = {}
            loaded -= float(costs[out].sum())
            off = None
            done = reached()
            if done is not None:
                return done
    if off:
        arrivals = _empty_onto(p, off, np.lexsort((index, -fill)), res, groups, size, models)
        if arrivals is None:
            return None  # they need hosts the plan does not list: the engine's answer
        arrive(arrivals)
        moved = sum(off.values())
        done = reached()
        if done is not None:
            return done
    for h in sorted(movable, key=lambda i: (fill[i], i)):
        budget.check()
        if not alive[h]:
            continue  # emptied at once above
        alive[h] = False
        order = np.lexsort((index, -fill))  # most loaded first
        rows = order[alive[order]]
        alive[h] = True
        if not rows.size:
            break
        arrivals = _empty_onto(p, content[h], rows, res, groups, size, models)
        if arrivals is None:
            continue  # this host cannot be emptied onto the others: try the next
        arrive(arrivals)
        moved += sum(content[h].values())
        content[h] = {}
        alive[h] = False
        loaded -= float(p.models.cost[models[h]])
        done = reached()
        if done is not None:
            return done
    return None


def _empty_onto(
    p: Problem,
    leaving: dict[int, int],
    rows: IntArray,
    res: FloatArray,
    groups: list[set[int]],
    size: FloatArray,
    models: IntArray,
) -> list[tuple[int, int, int]] | None:
    """One host's VMs first fit, largest first, onto `rows` in that order: the (host,
    flavor, copies) placed, with `res` and `groups` updated; None, and both as they were,
    when some VM fits nowhere."""
    arrivals: list[tuple[int, int, int]] = []
    saved: dict[int, FloatArray] = {}
    for f in sorted(leaving, key=lambda f: (-size[f], f)):
        n = leaving[f]
        g = int(p.flavors.group[f])
        q = copies(res[rows], p.flavors.dem[f])
        q[~p.elig[f][models[rows]]] = 0
        if g >= 0:
            q = np.minimum(q, 1)
            q[[g in groups[i] for i in rows.tolist()]] = 0
        before = np.cumsum(q) - q
        take = np.minimum(q, np.maximum(n - before, 0))
        if int(take.sum()) < n:
            for t, row in saved.items():  # undone exactly, not by adding back
                res[t] = row
            for t, af, _n in arrivals:
                if p.flavors.group[af] >= 0:
                    groups[t].discard(int(p.flavors.group[af]))
            return None
        for i in np.flatnonzero(take).tolist():
            t = int(rows[i])
            c = int(take[i])
            if t not in saved:
                saved[t] = res[t].copy()
            res[t] -= p.flavors.dem[f] * c
            if g >= 0:
                groups[t].add(g)
            arrivals.append((t, f, c))
    return arrivals


def _layout(
    p: Problem, current: OpenBins, kept: list[int], content: list[dict[int, int]]
) -> OpenBins:
    """The kept hosts as fresh open hosts, the emptied ones back among the plan's spares."""
    bins = OpenBins(p, listed={current.bins[i].fixed for i in kept})
    at = {b.fixed: i for i, b in enumerate(bins.bins)}
    rows: list[int] = []
    flav: list[int] = []
    cnt: list[int] = []
    for i in kept:
        b = at[current.bins[i].fixed]
        for f, n in content[i].items():
            rows.append(b)
            flav.append(f)
            cnt.append(n)
    bins.put_many(
        np.array(rows, dtype=np.int64), np.array(flav, dtype=np.int64), np.array(cnt, np.int64)
    )
    return bins
