"""The plan's current layout as the engine's hosts: when every VM already sits on a listed
host, that layout is a candidate answer that moves no VM.

An administrator pays for every migration, so a layout that keeps every rule and needs no
more hosts (or costs no more) than the engine's own answer is the better answer. The
rules are the engine's: capacity per dimension and processor width (`elig`, `fits`),
anti-affinity here; N+k by `failover.ensure` in the caller. O(instances + hosts).
"""

from __future__ import annotations

import numpy as np

from hvplanner.engine.placement.packing import OpenBins
from hvplanner.engine.placement.problem import Problem, fits


def current_layout(problem: Problem) -> OpenBins | None:
    """Each plan host holding the VMs on it now, in plan order; None when some VM is on no
    listed host or the layout overloads a host, runs a VM wider than its host's processors
    or puts two members of an anti-affinity group together."""
    fl = problem.flavors
    home = fl.home
    if not home or sum(map(len, home.values())) != fl.total:
        return None
    bins = OpenBins(problem, listed={j for _f, j in home})
    at = {b.fixed: i for i, b in enumerate(bins.bins)}
    group: list[int] = fl.group.tolist()
    members: dict[tuple[int, int], int] = {}  # (bin, group) → members on it
    for i, b in enumerate(bins.bins):
        if b.fixed >= 0:
            for g, n in problem.fixed[b.fixed].groups.items():
                members[(i, g)] = n
    rows: list[int] = []
    flav: list[int] = []
    cnt: list[int] = []
    for (f, j), there in home.items():
        i = at[j]
        n = len(there)
        g = group[f]
        if g >= 0:
            n += members.get((i, g), 0)
            if n > 1:
                return None
            members[(i, g)] = n
        rows.append(i)
        flav.append(f)
        cnt.append(len(there))
    on = np.array(rows, dtype=np.int64)
    of = np.array(flav, dtype=np.int64)
    if not bool(problem.elig[of, bins.models()[on]].all()):
        return None
    bins.put_many(on, of, np.array(cnt, dtype=np.int64))
    cap = problem.models.cap[bins.models()]
    if not bool(np.all(fits(bins.loads(), cap))):
        return None
    return bins
