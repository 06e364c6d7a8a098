"""Distinct VM sizes gathered into size classes, so column generation sees few flavors.

An imported estate has as many sizes as VMs; the patterns of column generation need
repeated sizes. A class stands for its members by their mean demand (anti-affinity
groups by their largest, which is always safe), so the classes together claim exactly
what the VMs do. Classes are split where members differ most from their mean, weighted
towards the dimensions the plan fills most. `expand` deals each class's members to its
slots so that large members meet hosts with room; `repair` then moves VMs off any host
that ended up over capacity, places them first fit, and empties the least-filled hosts
where the rest has room: every host is within capacity at the end.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, replace

import numpy as np

from hvplanner.engine.placement.budget import REPAIR_MOVES, Budget
from hvplanner.engine.placement.flavors import BoolArray, Flavors, FloatArray, IntArray
from hvplanner.engine.placement.heuristics import first_fit
from hvplanner.engine.placement.packing import OpenBins, copies
from hvplanner.engine.placement.problem import Problem, eligibility

# Enough classes that rounding up costs well under 1 % of capacity on the benchmark
# estates, few enough that pricing stays fast (see bench/RESULTS.md).
CLASS_TARGET = 32
# More sizes, more classes: the classes' rounding loss is what keeps large estates above
# the bound (100,000 distinct sizes: 1.0517 × bound with 32 classes, 1.0287 with 64;
# bench/RESULTS.md), while the column generation's work grows with the class count.
CLASS_GROWTH_FROM = 10_000
CLASS_GROWTH_POWER = 0.3


def class_target(sizes: int) -> int:
    """Classes for a plan of `sizes` distinct sizes: 32 up to 10,000, then × (k/10,000)^0.3
    (64 at 100,000, 89 at 300,000)."""
    growth: float = max(1.0, sizes / CLASS_GROWTH_FROM) ** CLASS_GROWTH_POWER
    return round(CLASS_TARGET * growth)


# A dimension with at most this many distinct values is split on exactly.
_EXACT_VALUES = 16
# Swaps tried per host over capacity, and candidates looked at per VM on it.
_SWAPS_PER_HOST = 3
_CANDIDATES = 256
# Hosts the closing pass may fail to empty in a row before it stops.
_TRIES = 3
# How sharply the loss weights favour the dimensions the plan fills most.
_WEIGHT_POWER = 4


@dataclass(frozen=True)
class Classes:
    problem: Problem  # the same plan with classes for flavors
    members: list[IntArray]  # original flavor indices of each class


def _weights(problem: Problem) -> FloatArray:
    cap = np.where(np.isfinite(problem.models.cap), problem.models.cap, 0.0).max(axis=0)
    total = problem.total_demand
    use = np.where(cap > 0, total / np.where(cap > 0, cap, 1.0), 0.0)
    if use.max() <= 0:
        return np.zeros_like(use)
    w: FloatArray = (use / use.max()) ** _WEIGHT_POWER / np.where(cap > 0, cap, 1.0)
    return w


class _Cluster:
    __slots__ = ("dim", "idx", "loss")

    def __init__(self, idx: IntArray, z: FloatArray, count: IntArray) -> None:
        self.idx = idx
        w = count[idx].astype(np.float64)
        mean = (z[idx] * w[:, None]).sum(axis=0) / w.sum()
        per_dim = (np.abs(z[idx] - mean[None, :]) * w[:, None]).sum(axis=0)
        self.dim = int(np.argmax(per_dim))
        self.loss = float(per_dim.sum()) if len(idx) > 1 else 0.0


def _split(c: _Cluster, z: FloatArray, count: IntArray) -> tuple[IntArray, IntArray] | None:
    """Halves (by instances) along the dimension that wastes most; None if inseparable."""
    idx = c.idx[np.argsort(z[c.idx, c.dim], kind="stable")]
    vals = z[idx, c.dim]
    if vals[0] == vals[-1]:
        return None
    cum = np.cumsum(count[idx])
    cut = int(np.searchsorted(cum, cum[-1] / 2.0))
    # Never cut between equal values: the halves must differ to waste less.
    cut = min(max(cut, 0), len(idx) - 2)
    while cut + 1 < len(idx) and vals[cut] == vals[cut + 1]:
        cut += 1
    if cut + 1 >= len(idx):
        cut = int(np.searchsorted(vals, vals[-1])) - 1
    return idx[: cut + 1], idx[cut + 1 :]


def aggregate(problem: Problem, target: int = CLASS_TARGET, margin: float = 0.0) -> Classes:
    fl = problem.flavors
    z = fl.dem * _weights(problem)[None, :]
    groups = np.unique(fl.group[fl.group >= 0])
    classes: list[IntArray] = [np.flatnonzero(fl.group == g) for g in groups]
    free = np.flatnonzero(fl.group < 0)
    heap: list[tuple[float, int, _Cluster]] = []
    tick = 0
    if free.size:
        # Flavors that fit different host models are never mixed.
        # Dimensions with few distinct values (vCPUs, usually) split exactly: a class
        # that mixes 8- and 16-vCPU VMs cannot be dealt so that every host fits.
        exact = [
            d for d in range(fl.dem.shape[1]) if len(np.unique(fl.dem[free, d])) <= _EXACT_VALUES
        ]
        # Equal as the bytes are (a float's bits as an int64), as a dict of bytes keys.
        elig = [problem.elig[free, m].astype(np.int64) for m in range(problem.models.m)]
        bits = [fl.dem[free, d].view(np.int64) for d in exact]
        keys = _same_rows(free, elig + bits)
        if len(keys) >= target:
            keys = _same_rows(free, elig)
        for members in keys:
            c = _Cluster(members, z, fl.count)
            heap.append((-c.loss, tick, c))
            tick += 1
        heapq.heapify(heap)
    while heap and len(heap) + len(classes) < target and heap[0][0] < 0:
        _, _, c = heapq.heappop(heap)
        halves = _split(c, z, fl.count)
        if halves is None:
            classes.append(c.idx)
            continue
        for half in halves:
            h = _Cluster(half, z, fl.count)
            heapq.heappush(heap, (-h.loss, tick, h))
            tick += 1
    classes.extend(c.idx for _, _, c in heap)
    return _build(problem, _eligible(problem, classes), margin)


def _same_rows(idx: IntArray, columns: list[IntArray]) -> list[IntArray]:
    """`idx` grouped by equal rows of `columns`: groups in order of first appearance,
    members in the order of `idx` (what a dict keyed by each row gathers, at C speed)."""
    code = np.zeros(len(idx), dtype=np.int64)
    for col in columns:
        _, inv = np.unique(col, return_inverse=True)
        # Renumbered after each column, so the combined code stays below len(idx)².
        _, code = np.unique(code * (int(inv.max(initial=0)) + 1) + inv, return_inverse=True)
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    order = idx[np.argsort(inverse, kind="stable")]
    members = np.split(order, np.cumsum(np.bincount(inverse))[:-1])
    return [members[u] for u in np.argsort(first, kind="stable")]


def _eligible(problem: Problem, classes: list[IntArray]) -> list[IntArray]:
    """Classes whose largest demand fits no model some member fits are taken apart."""
    out: list[IntArray] = []
    for idx in classes:
        top = _demand(problem.flavors, idx)
        own = problem.elig[idx].any(axis=0)
        if (eligibility(top[None, :], problem.models)[0] | ~own).all():
            out.append(idx)
        else:
            out.extend(np.array([f], dtype=np.int64) for f in idx)
    return out


def _demand(fl: Flavors, idx: IntArray) -> FloatArray:
    if fl.group[idx[0]] >= 0:
        top: FloatArray = fl.dem[idx].max(axis=0)
        return top
    w = fl.count[idx].astype(np.float64)
    mean: FloatArray = (fl.dem[idx] * w[:, None]).sum(axis=0) / w.sum()
    return mean


def _build(problem: Problem, classes: list[IntArray], margin: float) -> Classes:
    fl = problem.flavors
    order = sorted(classes, key=lambda idx: int(idx.min()))
    dem = np.array([_demand(fl, idx) for idx in order]).reshape(len(order), -1)
    flavors = Flavors(
        dem=dem,
        count=np.array([int(fl.count[idx].sum()) for idx in order], dtype=np.int64),
        group=np.array([int(fl.group[idx[0]]) for idx in order], dtype=np.int64),
        members=[[] for _ in order],  # instances are looked up in the original flavors
        vm_ids=[fl.vm_ids[int(idx[0])] for idx in order],
    )
    models = problem.models
    if margin:
        # Room for members above their class's mean: the classes pack into a little less.
        models = replace(
            models, cap=np.where(np.isfinite(models.cap), models.cap * (1 - margin), np.inf)
        )
    classed = Problem(
        models=models,
        flavors=flavors,
        elig=eligibility(dem, problem.models),
        groups=problem.groups,
        group_sizes=problem.group_sizes,
        fixed=problem.fixed,
        pinned_demand=problem.pinned_demand,
    )
    return Classes(classed, order)


def expand(problem: Problem, classes: Classes, packed: OpenBins) -> OpenBins:
    """The same hosts with real VMs: each class's members dealt to its slots, the largest
    members to the hosts with the most room left (classes largest first)."""
    fl = problem.flavors
    w = _weights(problem)
    out = OpenBins(problem)
    slots: list[list[int]] = [[] for _ in classes.members]
    for b, host in enumerate(packed.bins):
        nb = b if b < len(out) else out.open(host.model)
        for c, n in host.content.items():
            slots[c].extend([nb] * n)
    size = fl.dem @ w
    cdem = classes.problem.flavors.dem
    # What the slots not dealt yet will claim, at their classes' means: a host's room is
    # what it has left after them.
    expect = np.zeros_like(out.res)
    for c, hosts_c in enumerate(slots):
        if hosts_c:
            np.add.at(expect, np.array(hosts_c, dtype=np.int64), cdem[c])
    rows: list[IntArray] = []
    flav: list[IntArray] = []
    for c in np.argsort(-(cdem @ w), kind="stable"):
        hosts = np.array(slots[int(c)], dtype=np.int64)
        if not hosts.size:
            continue
        np.subtract.at(expect, hosts, cdem[int(c)])
        idx = classes.members[int(c)]
        members = np.repeat(idx, fl.count[idx])
        members = members[np.argsort(-size[members], kind="stable")]
        # Dimensions without a limit (shared storage: residual inf) weigh 0, and inf × 0
        # would make every host's room NaN and the order arbitrary.
        room = np.where(w > 0, out.res[hosts] - expect[hosts], 0.0) @ w
        hosts = hosts[np.argsort(-room, kind="stable")]
        np.subtract.at(out.res, hosts, fl.dem[members])
        rows.append(hosts)
        flav.append(members)
    if rows:
        b_all = np.concatenate(rows)
        f_all = np.concatenate(flav)
        _record(out, b_all, f_all)
    return out


def _record(out: OpenBins, b: IntArray, f: IntArray) -> None:
    """Adds (host, flavor) instances to the hosts' contents; residuals already charged."""
    group = out.p.flavors.group
    for bi, fi in zip(b.tolist(), f.tolist(), strict=True):
        content = out.bins[bi].content
        content[fi] = content.get(fi, 0) + 1
        g = int(group[fi])
        if g >= 0:
            out.groups.setdefault(g, set()).add(bi)


def repair(
    bins: OpenBins, budget: Budget, classes: Classes | None = None, primary: int = 0
) -> OpenBins:
    """Every host within capacity, then as few hosts as the budget finds.

    1. Hosts over capacity give up VMs (the one that best clears the excess first) until
       they fit; those VMs go first fit, largest first, onto hosts with room, and what
       finds none onto new hosts (first fit decreasing).
    2. The least-filled generated hosts are emptied when all their VMs find room on the
       others (first fit); otherwise nothing moves. Stops after a few failures in a row
       or at the budget of moves.
    """
    if classes is not None:
        _swap(bins, classes, budget)
    evicted = _evict(bins)
    if evicted:
        _reinsert(bins, evicted, primary)
    return _close(bins, budget)


def _swap(bins: OpenBins, classes: Classes, budget: Budget) -> None:
    """Hosts over capacity trade a VM for a smaller one of the same class on a host with
    room: the class slots stay as the packing chose them, only the members move."""
    p = bins.p
    fl = p.flavors
    cap = np.where(np.isfinite(p.models.cap), p.models.cap, np.inf).max(axis=0)
    scale = np.where(np.isfinite(cap) & (cap > 0), cap, 1.0)
    dem = fl.dem / scale
    res = bins.residual() / scale  # a view would alias: these are scaled copies
    class_of = np.full(fl.k, -1, dtype=np.int64)
    for c, idx in enumerate(classes.members):
        if classes.problem.flavors.group[c] < 0:
            class_of[idx] = c
    # Instances of every class as (flavor, host) rows, one class after the other;
    # distinct sizes mean counts of 1 mostly.
    inst_f: list[list[int]] = [[] for _ in classes.members]
    inst_b: list[list[int]] = [[] for _ in classes.members]
    for b, host in enumerate(bins.bins):
        for f, n in host.content.items():
            c = int(class_of[f])
            if c >= 0:
                inst_f[c].extend([f] * n)
                inst_b[c].extend([b] * n)
    sizes = np.array([len(x) for x in inst_f], dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(sizes)])
    all_f = np.array([f for x in inst_f for f in x], dtype=np.int64)
    all_b = np.array([b for x in inst_b for b in x], dtype=np.int64)
    # The candidates looked at for a VM of class c: all its instances, or evenly spaced
    # ones of a large class (rows into all_f / all_b).
    picks = [
        first[c]
        + (np.arange(n) if n <= _CANDIDATES else (np.arange(_CANDIDATES) * n) // _CANDIDATES)
        for c, n in enumerate(sizes.tolist())
    ]
    class_l = class_of.tolist()
    # The scoring leaves out dimensions where no swap changes anything: no limit (residual
    # inf), or the same demand for every VM (the running-VM count) on hosts within it.
    # Each would add exact zeros to the sums and pass every check, so nothing changes.
    same = (dem == dem[:1]).all(axis=0) & (res >= 0).all(axis=0)
    keep = np.flatnonzero(~(np.isinf(res).all(axis=0) | same))
    # One row per dimension: the scoring below works a dimension at a time.
    dem_k = np.ascontiguousarray(dem[:, keep].T)
    res_k = np.ascontiguousarray(res[:, keep].T)
    work = budget.units(REPAIR_MOVES) * 50
    tol = 1e-9
    for h in (int(x) for x in np.flatnonzero((res < -tol).any(axis=1))):
        for _ in range(_SWAPS_PER_HOST):
            excess = np.clip(-res[h], 0.0, None)
            if excess.sum() <= tol or work <= 0 or budget.expired():
                break
            # Every VM on h against its class's candidates at once: one row per pair,
            # one segment of rows per VM, in the host's content order.
            mine_f = [f for f in bins.bins[h].content if class_l[f] >= 0]
            if not mine_f:
                break
            rows = np.concatenate([picks[class_l[f]] for f in mine_f])
            lens = np.array([len(picks[class_l[f]]) for f in mine_f], dtype=np.int64)
            work -= len(rows)
            starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
            other_f, other_b = all_f[rows], all_b[rows]
            ok = other_b != h
            left = np.zeros(len(rows))
            for d in range(len(keep)):
                # What h sheds and the other host takes, a dimension at a time: 1-D
                # gathers and adds, where reductions across a few columns per row cost
                # more than the arithmetic. The excess left adds up dimension by
                # dimension, in order, to the same sums.
                delta = np.repeat(dem_k[d][mine_f], lens) - dem_k[d].take(other_f)
                ok &= res_k[d].take(other_b) - delta >= -tol
                left += np.maximum(-(res_k[d, h] + delta), 0.0)
            left = np.where(ok, left, np.inf)
            seg_min = np.minimum.reduceat(left, starts)
            at = np.where(left == np.repeat(seg_min, lens), np.arange(len(rows)), len(rows))
            seg_arg = np.minimum.reduceat(at, starts)
            best: tuple[float, int, int] | None = None
            limit = excess.sum() - tol
            for f, lo, arg in zip(mine_f, seg_min.tolist(), seg_arg.tolist(), strict=True):
                # The first VM with the least excess left wins, as a scan in order finds.
                if lo < limit and (best is None or lo < best[0]):
                    best = (lo, f, int(rows[arg]))
            if best is None:
                break
            _, f, j = best
            c = class_l[f]
            g, f2 = int(all_b[j]), int(all_f[j])
            seg = slice(int(first[c]), int(first[c + 1]))
            mine = int(first[c]) + int(np.flatnonzero((all_f[seg] == f) & (all_b[seg] == h))[0])
            for hb, out_f, in_f in ((h, f, f2), (g, f2, f)):
                content = bins.bins[hb].content
                content[out_f] -= 1
                if content[out_f] == 0:
                    del content[out_f]
                content[in_f] = content.get(in_f, 0) + 1
            delta_abs = fl.dem[f] - fl.dem[f2]
            bins.res[h] += delta_abs
            bins.res[g] -= delta_abs
            res[h] += dem[f] - dem[f2]
            res[g] -= dem[f] - dem[f2]
            res_k[:, h] += dem_k[:, f] - dem_k[:, f2]
            res_k[:, g] -= dem_k[:, f] - dem_k[:, f2]
            all_f[mine], all_f[j] = f2, f


def _over(res: FloatArray) -> BoolArray:
    # The tolerance scales with the finite residuals only: a dimension without a limit
    # (residual inf) would make it infinite and hide every overloaded host.
    finite = np.abs(res[np.isfinite(res)])
    over: BoolArray = res < -(1e-9 * finite.max(initial=1.0)) - 1e-9
    return over


def _evict(bins: OpenBins) -> list[int]:
    p = bins.p
    dem = p.flavors.dem
    out: list[int] = []
    bad = np.flatnonzero(_over(bins.residual()).any(axis=1))
    for b in (int(x) for x in bad):
        host = bins.bins[b]
        if host.fixed >= 0 and not host.content:
            continue
        cap = p.models.cap[host.model]
        scale = np.where(np.isfinite(cap) & (cap > 0), cap, 1.0)
        while _over(bins.res[b]).any() and host.content:
            excess = np.where(_over(bins.res[b]), -bins.res[b] / scale, 0.0)
            items = np.array(list(host.content), dtype=np.int64)
            gain = (np.minimum(dem[items] / scale, excess[None, :])).sum(axis=1)
            size = (dem[items] / scale).sum(axis=1)
            clears = (dem[items] / scale >= excess[None, :] - 1e-12).all(axis=1)
            if clears.any():
                # The smallest VM that clears the whole excess alone.
                pick = int(items[clears][np.argmin(size[clears])])
            else:
                pick = int(items[np.argmax(gain)])
            host.content[pick] -= 1
            if host.content[pick] == 0:
                del host.content[pick]
            bins.res[b] += dem[pick]
            out.append(pick)
    return out


def _reinsert(bins: OpenBins, evicted: list[int], primary: int) -> None:
    p = bins.p
    w = _weights(p)
    order = sorted(evicted, key=lambda f: -float(p.flavors.dem[f] @ w))
    left = np.zeros(p.flavors.k, dtype=np.int64)
    for f in order:
        b = bins.first_with_room(f)
        if b >= 0:
            bins.put(b, f, 1)
        else:
            left[f] += 1
    if left.any():
        order_idx = np.argsort(-(p.flavors.dem @ w), kind="stable")
        first_fit(bins, left, order_idx, primary)


def _close(bins: OpenBins, budget: Budget) -> OpenBins:
    p = bins.p
    moves = budget.units(REPAIR_MOVES)
    cap = p.models.cap[bins.models()]
    finite = np.isfinite(cap)
    used = np.where(finite, cap - np.where(finite, bins.residual(), 0.0), 0.0)
    fill = (used / np.where(finite & (cap > 0), cap, 1.0)).max(axis=1)
    grouped = p.flavors.group >= 0
    # Hosts holding anti-affinity members stay as they are: moving them is group work.
    order = [
        int(b)
        for b in np.argsort(fill, kind="stable")
        if bins.bins[int(b)].fixed < 0 and not any(grouped[f] for f in bins.bins[int(b)].content)
    ]
    failures = 0
    closed: set[int] = set()
    for b in order:
        if failures >= _TRIES or budget.expired():
            break
        if moves <= 0:
            budget.stop("per-VM repair", "its budget of moves")
            break
        content = sorted(
            bins.bins[b].content.items(), key=lambda fc: -float(p.flavors.dem[fc[0]].sum())
        )
        moves -= sum(n for _, n in content)
        plan = _try_empty(bins, b, content, closed)
        if plan is None:
            failures += 1
            continue
        failures = 0
        for target, f, n in plan:
            bins.put(target, f, n)
        bins.take_all(b)
        closed.add(b)
    return bins.compacted() if closed else bins


def _try_empty(
    bins: OpenBins, b: int, content: list[tuple[int, int]], closed: set[int]
) -> list[tuple[int, int, int]] | None:
    res = bins.residual().copy()
    res[b] = -1.0
    if closed:
        res[list(closed)] = -1.0
    p = bins.p
    models = bins.models()
    out: list[tuple[int, int, int]] = []
    for f, n in content:
        dem = p.flavors.dem[f]
        q = copies(res, dem)
        q[~p.elig[f][models]] = 0
        before = np.cumsum(q) - q
        take = np.minimum(q, np.maximum(n - before, 0))
        if int(take.sum()) < n:
            return None
        for t in np.flatnonzero(take):
            out.append((int(t), f, int(take[t])))
            res[t] -= dem * take[t]
    return out
