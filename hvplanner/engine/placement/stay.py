"""Which plan host each packed host becomes, and which instances fill it, so that VMs
already on a host stay there: an administrator pays for every migration.

The packing decides what each host holds by flavor counts; any instance of a flavor will
do. Here the instances of a flavor that sit on a plan host now are given to that host's
bin first, and bins of one model without pinned VMs (interchangeable: same capacity, no
anti-affinity member of their own) may trade plan hosts so that bins land where most of
their VMs already are. All O(instances + bins).
"""

from __future__ import annotations

from dataclasses import dataclass

from hvplanner.engine.placement.packing import OpenBins
from hvplanner.engine.placement.problem import Problem


@dataclass(frozen=True)
class Stays:
    hosts: list[int]  # bin → index into Problem.fixed, -1 for a new host
    kept: dict[tuple[int, int], list[str]]  # (bin, flavor) → instances already there
    free: list[list[str]]  # per flavor: the instances left for the cursor, in plan order
    moved: int  # instances on a plan host now that change host


def stays(problem: Problem, bins: OpenBins, spares: set[int]) -> Stays:
    fl = problem.flavors
    home = fl.home
    hosts = [b.fixed for b in bins.bins]
    if not home:
        return Stays(hosts, {}, fl.members, 0)
    hosts = _match(problem, bins, spares, hosts)
    kept: dict[tuple[int, int], list[str]] = {}
    taken: set[str] = set()
    for i, b in enumerate(bins.bins):
        j = hosts[i]
        if j < 0:
            continue
        for f, c in b.content.items():
            there = home.get((f, j))
            if there:
                mine = there[:c]
                kept[(i, f)] = mine
                taken.update(mine)
    free = list(fl.members)
    for f in {f for _i, f in kept}:
        free[f] = [m for m in fl.members[f] if m not in taken]
    moved = sum(map(len, home.values())) - len(taken)
    return Stays(hosts, kept, free, moved)


def _match(problem: Problem, bins: OpenBins, spares: set[int], hosts: list[int]) -> list[int]:
    """Plan hosts traded among interchangeable bins: each bin, most-of-one-flavor first,
    takes the free plan host holding most of its largest flavor now. Kept only when more
    instances stay than with the packing's own order."""
    home = problem.flavors.home
    pool: dict[int, list[int]] = {}  # model → bins that may trade
    for i, b in enumerate(bins.bins):
        if not b.content or i in spares:
            continue
        if b.fixed >= 0 and problem.fixed[b.fixed].items:
            continue  # pinned VMs tie the bin to its host
        pool.setdefault(b.model, []).append(i)
    where: dict[int, list[tuple[int, int]]] = {}  # flavor → (−instances, plan host)
    for (f, j), there in home.items():
        where.setdefault(f, []).append((-len(there), j))
    for ranked in where.values():
        ranked.sort()
    matched = list(hosts)
    for members in pool.values():
        labels = [hosts[i] for i in members]
        free = {j for j in labels if j >= 0}
        if not free:
            continue
        given: dict[int, int] = {}
        # A host once given is never free again: each flavor's list is walked once.
        at: dict[int, int] = {}
        for _c, f, i in sorted(_dominant(bins, i) for i in members):
            ranked = where.get(f, [])
            k = at.get(f, 0)
            while k < len(ranked) and ranked[k][1] not in free:
                k += 1
            at[f] = k
            if k < len(ranked):
                j = ranked[k][1]
                free.discard(j)
                given[i] = j
        rest = iter(sorted(free) + [j for j in labels if j < 0])
        trial = dict(zip(members, labels, strict=True))
        for i in members:
            trial[i] = given[i] if i in given else next(rest)
        if _kept(bins, home, trial) > _kept(bins, home, dict(zip(members, labels, strict=True))):
            for i, j in trial.items():
                matched[i] = j
    return matched


def _dominant(bins: OpenBins, i: int) -> tuple[int, int, int]:
    """(−count, flavor, bin) of the bin's largest flavor: a sort key that names the flavor."""
    f, c = max(bins.bins[i].content.items(), key=lambda fc: (fc[1], -fc[0]))
    return (-c, f, i)


def _kept(bins: OpenBins, home: dict[tuple[int, int], list[str]], labels: dict[int, int]) -> int:
    n = 0
    for i, j in labels.items():
        if j >= 0:
            for f, c in bins.bins[i].content.items():
                there = home.get((f, j))
                if there:
                    n += min(c, len(there))
    return n
