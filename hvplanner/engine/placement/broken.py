"""A layout that breaks a rule, mended moving few VMs: from the plan's current layout only
the VMs that must move are taken off (an overloaded host's largest, a VM wider than its host's
processors, a second member of an anti-affinity group on one host, a VM on no host); they
then go back first fit onto the hosts with room, and `evacuate` empties the least-loaded
hosts as for a layout that keeps every rule.

A plan with a few overloaded hosts (after an import, or a round of edits) packed again from
scratch moves most of its VMs: 6,864 of 10,000 on bench/gui.py's plan, whose 125
overloaded hosts need only 500 VMs taken off. O(instances + hosts) before `evacuate`.
"""

from __future__ import annotations

import numpy as np

from hvplanner.engine.placement.packing import OpenBins
from hvplanner.engine.placement.problem import EPS, Problem


def broken_layout(problem: Problem) -> tuple[OpenBins, dict[int, int]] | None:
    """Each plan host holding the VMs on it now that keep the rules, and per flavor the
    instances taken off (those on no listed host included); None when no VM is on a
    listed host (there is no layout to keep)."""
    fl = problem.flavors
    home = fl.home
    if not home:
        return None
    bins = OpenBins(problem, listed={j for _f, j in home})
    at = {b.fixed: i for i, b in enumerate(bins.bins)}
    model_of = bins.models()
    group: list[int] = fl.group.tolist()
    members: dict[tuple[int, int], int] = {}  # (bin, group) → members on it
    for i, b in enumerate(bins.bins):
        if b.fixed >= 0:
            for g, n in problem.fixed[b.fixed].groups.items():
                members[(i, g)] = n
    off: dict[int, int] = {}
    placed = [0] * fl.k
    rows: list[int] = []
    flav: list[int] = []
    cnt: list[int] = []
    for (f, j), there in home.items():
        i = at[j]
        n = len(there)
        placed[f] += n
        keep = n if problem.elig[f, model_of[i]] else 0
        g = group[f]
        if g >= 0 and keep:
            keep = max(0, min(keep, 1 - members.get((i, g), 0)))
            members[(i, g)] = members.get((i, g), 0) + keep
        if keep < n:
            off[f] = off.get(f, 0) + n - keep
        if keep:
            rows.append(i)
            flav.append(f)
            cnt.append(keep)
    for f, n in enumerate(fl.count.tolist()):
        if n > placed[f]:
            off[f] = off.get(f, 0) + n - placed[f]
    bins.put_many(
        np.array(rows, dtype=np.int64), np.array(flav, dtype=np.int64), np.array(cnt, np.int64)
    )
    _relieve(problem, bins, off)
    return bins, off


def _relieve(problem: Problem, bins: OpenBins, off: dict[int, int]) -> None:
    """Takes VMs off each overloaded host until it fits, the largest in its most overloaded
    dimension first (the fewest VMs that end the overload), adding them to `off`. Pinned
    VMs alone never overload a host (`build` refuses such a plan), so this ends."""
    cap = problem.models.cap[bins.models()]
    res = bins.residual()
    slack = -(np.where(np.isfinite(cap), cap, 0.0) * EPS + EPS)
    over = np.flatnonzero((res < slack).any(axis=1))
    dem = problem.flavors.dem
    group = problem.flavors.group
    for i in over.tolist():
        content = bins.bins[i].content
        while content:
            short = slack[i] - res[i]  # > 0 where the host is over
            over_by = short > 0
            if not over_by.any():
                break
            share = np.full(short.shape, -np.inf)
            share[over_by] = short[over_by] / cap[i][over_by]
            d = int(np.argmax(share))
            f = max(content, key=lambda f: (dem[f, d], -f))
            if dem[f, d] <= 0:
                break  # nothing movable claims it (cannot happen: pinned VMs alone fit)
            n = max(1, min(content[f], int(np.ceil(short[d] / dem[f, d] - 1e-9))))
            res[i] += dem[f] * n
            content[f] -= n
            if not content[f]:
                del content[f]
                if group[f] >= 0:
                    bins.groups.get(int(group[f]), set()).discard(i)
            off[f] = off.get(f, 0) + n
