"""Consolidation by evacuation: from the current layout, empty the least-loaded hosts one
at a time onto the others, so that reaching the engine's answer moves only the VMs of the
hosts given up.

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
from hvplanner.engine.placement.flavors import FloatArray
from hvplanner.engine.placement.packing import OpenBins, copies
from hvplanner.engine.placement.problem import Problem


@dataclass(frozen=True)
class Evacuated:
    bins: OpenBins
    outcome: failover.Outcome
    moved: int  # the instances of the hosts emptied
    emptied: int  # hosts emptied


def evacuate(
    problem: Problem, current: OpenBins, k: int, objective: float, budget: Budget
) -> Evacuated | None:
    """The first layout, emptying hosts least-loaded first, whose hosts (or cost when
    costed) with its N+k spares are at most `objective`; None when none gets there."""
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
    gone: set[int] = set()
    moved = 0
    for h in sorted(movable, key=lambda i: (fill[i], i)):
        budget.check()
        targets = sorted(
            (i for i in range(len(content)) if i != h and i not in gone),
            key=lambda i: (-fill[i], i),
        )
        if not targets:
            break
        trial_res = res.copy()
        trial_groups = {i: set(groups[i]) for i in targets}
        arrivals: list[tuple[int, int, int]] = []  # target, flavor, copies
        ok = True
        for f in sorted(content[h], key=lambda f: (-size[f], f)):
            left = content[h][f]
            g = int(p.flavors.group[f])
            rows = np.array(targets, dtype=np.int64)
            q = copies(trial_res[rows], p.flavors.dem[f])
            q[~p.elig[f][models[rows]]] = 0
            if g >= 0:
                q = np.minimum(q, 1)
                q[[g in trial_groups[i] for i in targets]] = 0
            for t, n in zip(targets, q.tolist(), strict=True):
                take = min(n, left)
                if take:
                    trial_res[t] -= p.flavors.dem[f] * take
                    if g >= 0:
                        trial_groups[t].add(g)
                    arrivals.append((t, f, take))
                    left -= take
                    if not left:
                        break
            if left:
                ok = False
                break
        if not ok:
            continue  # this host cannot be emptied onto the others: try the next
        res = trial_res
        for t, f, n in arrivals:
            content[t][f] = content[t].get(f, 0) + n
            groups[t] = trial_groups[t]
            fill[t] += float((p.flavors.dem[f] * inv[t]).sum()) * n
        moved += sum(content[h].values())
        content[h] = {}
        gone.add(h)
        kept = [i for i in range(len(content)) if i not in gone]
        loaded = float(p.models.cost[models[kept]].sum())
        if loaded > objective * (1 + 1e-9):
            continue  # spares only add: not there yet
        bins = _layout(p, current, kept, content)
        outcome = failover.ensure(bins, k)
        if float(p.models.cost[bins.models()].sum()) <= objective * (1 + 1e-9):
            return Evacuated(bins, outcome, moved, len(gone))
    return None


def _layout(
    p: Problem, current: OpenBins, kept: list[int], content: list[dict[int, int]]
) -> OpenBins:
    """The kept hosts as fresh open hosts, the emptied ones back among the plan's spares."""
    bins = OpenBins(p, listed={current.bins[i].fixed for i in kept})
    at = {b.fixed: i for i, b in enumerate(bins.bins)}
    for i in kept:
        b = at[current.bins[i].fixed]
        for f, n in content[i].items():
            bins.put(b, f, n)
    return bins
