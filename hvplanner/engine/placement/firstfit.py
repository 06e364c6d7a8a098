"""First fit decreasing over distinct sizes at a handful of array operations per VM.

`heuristics.first_fit` asks `OpenBins.copies_that_fit` for every flavor: a dozen NumPy
calls (division, floor, eligibility, groups) over every open host, about 45 µs per VM
at 2,500 hosts, which is what a per-VM first fit over 10,000 distinct sizes costs.
Here each open host's residual is one contiguous row per dimension, and a VM is one
comparison per dimension into reused buffers and one argmax (about 6 µs there): at a
few thousand hosts the calls, not the elements, were the cost. Hosts that no VM left
fits are dropped from the rows, and dimensions that cannot refuse a VM not compared.

Beside the size classes it only has to beat their answer: it stops as soon as the
hosts it opened, plus the new ones the VMs left need beyond the room of the hosts that
may still take one, reach that answer (at 100,000 distinct sizes after 11,000 VMs).

The fit test is `packing.copies`' own: one copy fits where residual / demand + 1e-9 ≥ 1
in every dimension the demand needs. That expression only grows with the residual, so
it holds exactly from the least float where it does (`one_copy_thresholds`) on, and
comparing with that threshold is the same decision. The arithmetic on the residuals is
`OpenBins`' own, so the packing is `first_fit`'s to the last bit: what a plain
first-fit-decreasing spreadsheet gives, which the engine must never lose to.
"""

from __future__ import annotations

import math

import numpy as np

from hvplanner.engine.placement.budget import Budget
from hvplanner.engine.placement.flavors import BoolArray, FloatArray, IntArray
from hvplanner.engine.placement.packing import OpenBins, per_empty_host

# Flavors placed in a run: before each, the hosts no VM left fits are dropped, the
# dimensions that cannot refuse one are found, and the budget (a cancel, the
# wall-clock limit) is looked at.
_RUN = 256
# `packing.copies`' tolerance: floor(residual / demand + _SLACK).
_SLACK = 1e-9


def _passes(res: FloatArray, dem: FloatArray) -> BoolArray:
    out: BoolArray = res / dem + _SLACK >= 1.0
    return out


def one_copy_thresholds(dem: FloatArray) -> FloatArray:
    """Per demand > 0: the least residual r with r / demand + 1e-9 ≥ 1 in floats, so that
    one copy fits exactly where residual ≥ threshold; -inf where the demand is 0.

    Division and addition round monotonically, so the test is false below one float and
    true from it on; it sits a few units in the last place from demand × (1 − 1e-9).
    """
    need = dem > 0
    d = np.where(need, dem, 1.0)
    t = d * (1.0 - _SLACK)
    for _ in range(1_000):
        low = ~_passes(t, d)
        if not low.any():
            break
        t = np.where(low, np.nextafter(t, np.inf), t)
    for _ in range(1_000):
        below = np.nextafter(t, -np.inf)
        lower = _passes(below, d)
        if not lower.any():
            break
        t = np.where(lower, below, t)
    if not (_passes(t, d).all() and not _passes(np.nextafter(t, -np.inf), d).any()):
        raise RuntimeError("first-fit thresholds did not settle")  # floats are not IEEE
    out: FloatArray = np.where(need, t, -np.inf)
    return out


class _Hosts:
    """The hosts that may still take a VM, in the order opened: their residuals by
    dimension (one contiguous row each), ids (positions in `OpenBins`) and models.

    A host none of the VMs left fits (a residual below every threshold left in some
    dimension) is dropped (`refresh`): residuals only shrink, so it never takes one
    again, and the first host with room among the rest is the first among all. Late in
    a first fit most open hosts are full so (at 100,000 distinct sizes two thirds).
    `refresh` also finds the dimensions that cannot refuse any of the next VMs: those
    every host keeps room in even after taking all of them (on the benchmark plans the
    running-VM count, often vCPUs); `first` does not compare them.
    """

    def __init__(self, bins: OpenBins, dims: IntArray) -> None:
        self.dims = dims
        self.n = len(bins)
        size = max(64, 2 * self.n)
        self.res = np.empty((len(dims), size))
        self.res[:, : self.n] = bins.residual()[:, dims].T
        self.ids = np.arange(size, dtype=np.int64)
        self.model = np.zeros(size, dtype=np.int64)
        self.model[: self.n] = bins.models()
        self.room = np.empty(size, dtype=bool)
        self.test = np.empty(size, dtype=bool)
        self.floor = bins.p.models.cap[:, dims].min(axis=0)  # a new host's residual
        self.check = list(range(len(dims)))  # the dimensions `first` compares
        self.watch: list[int] = []  # ... of those, where `low` may still skip one
        self.low = [-math.inf] * len(dims)  # least residual kept, in `watch` dimensions

    def append(self, first_id: int, residuals: FloatArray, model: int) -> None:
        """New hosts `first_id`, `first_id` + 1, …: one column of `residuals` each."""
        k = residuals.shape[1]
        need = self.n + k
        if need > self.res.shape[1]:
            size = max(need, 2 * self.res.shape[1])
            res = np.empty((len(self.dims), size))
            res[:, : self.n] = self.res[:, : self.n]
            ids = np.zeros(size, dtype=np.int64)
            ids[: self.n] = self.ids[: self.n]
            models = np.zeros(size, dtype=np.int64)
            models[: self.n] = self.model[: self.n]
            self.res, self.ids, self.model = res, ids, models
            self.room = np.empty(size, dtype=bool)
            self.test = np.empty(size, dtype=bool)
        self.res[:, self.n : need] = residuals
        self.ids[self.n : need] = np.arange(first_id, first_id + k)
        self.model[self.n : need] = model
        self.n = need
        for d in self.watch:
            self.low[d] = min(self.low[d], float(residuals[d].min()))

    def take(self, j: int, dem: FloatArray) -> None:
        """Host at position j takes `dem` (demand × copies)."""
        col = self.res[:, j]
        col -= dem
        low = self.low
        for d in self.watch:
            r = float(col[d])
            low[d] = min(low[d], r)

    def refresh(self, least: FloatArray, most: FloatArray, demand: FloatArray) -> None:
        """Before a run of VMs: drop the hosts with a residual below `least` (the least
        threshold left), and compare only the dimensions where some host, less the run's
        whole `demand`, may fall below `most` (the run's largest threshold)."""
        n = self.n
        keep = np.ones(n, dtype=bool)
        for d, td in enumerate(least.tolist()):
            keep &= self.res[d, :n] >= td
        if not keep.all():
            k = int(keep.sum())
            self.res[:, :k] = self.res[:, :n][:, keep]
            self.ids[:k] = self.ids[:n][keep]
            self.model[:k] = self.model[:n][keep]
            self.n = n = k
        # Hosts opened during the run start at some model's capacity, at least `floor`.
        low = self.res[:, :n].min(axis=1) if n else np.full(len(self.dims), np.inf)
        low = np.minimum(low, self.floor)
        # The run subtracts its demands one by one, each rounded: a relative margin
        # far above the rounding keeps the skip safe.
        left = low - demand - 1e-9 * np.abs(low)
        self.check = np.flatnonzero(~(left >= most)).tolist()
        # Where the least residual still reaches some VM's threshold, `first` skips the
        # dimension for those VMs: `take` keeps that least residual up to date.
        self.watch = [d for d in self.check if low[d] >= least[d]]
        self.low = [-math.inf] * len(self.dims)
        for d in self.watch:
            self.low[d] = float(low[d])

    def first(self, t: list[float], start: int, elig: IntArray | None) -> int:
        """The first position from `start` where every residual reaches t, or -1."""
        h = self.n
        if start >= h:
            return -1
        n = h - start
        room, test, res = self.room[:n], self.test[:n], self.res
        # One comparison per dimension over the hosts kept, into reused buffers: at a
        # few thousand hosts the call overhead, not the elements, is the cost.
        first = True
        low = self.low
        for d in self.check:
            if low[d] >= t[d]:
                continue
            if first:
                np.greater_equal(res[d, start:h], t[d], out=room)
                first = False
            else:
                np.greater_equal(res[d, start:h], t[d], out=test)
                np.logical_and(room, test, out=room)
        if first:
            room[:] = True
        if elig is not None:
            room &= elig[self.model[start:h]] > 0
        i = int(room.argmax())
        return start + i if room[i] else -1


def first_fit_index(
    bins: OpenBins,
    count: IntArray,
    order: IntArray,
    primary: int,
    above: float = math.inf,
    budget: Budget | None = None,
) -> bool:
    """`heuristics.first_fit` for flavors without anti-affinity groups, same packing.

    Each flavor's copies go, in `order`, to the first open hosts with room, as many per
    host as fit, and what is left onto new hosts of the cheapest model that takes it.
    Stops, returning False with `bins` part-filled, once the hosts open cost `above` or
    more (hosts are only ever added: it could not end cheaper) or at the budget's
    wall-clock limit; True when all are placed. A cancel raises `PlacementCancelled`.
    """
    p = bins.p
    if (p.flavors.group[count > 0] >= 0).any():
        raise ValueError("first_fit_index does not keep anti-affinity: use first_fit")
    dem_all = p.flavors.dem
    active = count > 0
    # Only dimensions that some host limits and some VM needs can refuse a VM.
    limited = np.isfinite(p.models.cap).any(axis=0)
    dims = np.flatnonzero(limited & (dem_all[active] > 0).any(axis=0))
    if not dims.size:  # nothing limits: every VM on the first host
        dims = np.arange(1)
    dem = dem_all[:, dims]
    hosts = _Hosts(bins, dims)
    fits_all: BoolArray = np.asarray(p.elig.all(axis=1))  # fits every model empty
    everywhere: list[bool] = fits_all.tolist()
    elig_int = p.elig.astype(np.int64)
    rows: list[int] = []
    flav: list[int] = []
    cnt: list[int] = []
    cost = _cost(bins)
    seq = order[count[order] > 0]
    # Per run of `_RUN` flavors: the least threshold from its start on, its largest
    # threshold (a threshold only grows with the demand, so these are the thresholds
    # of the least and largest demands), its demand and the demand from its start on.
    if not len(seq):
        return True
    starts = np.arange(0, len(seq), _RUN)
    dseq = dem[seq]
    smallest = np.minimum.reduceat(dseq, starts, axis=0)
    least = one_copy_thresholds(np.minimum.accumulate(smallest[::-1], axis=0)[::-1])
    most = one_copy_thresholds(np.maximum.reduceat(dseq, starts, axis=0))
    need = np.add.reduceat(dseq * count[seq, None], starts, axis=0)
    rem = np.cumsum(need[::-1], axis=0)[::-1]
    del dseq
    widest = p.models.cap[:, dims].max(axis=0)
    bounded = np.isfinite(widest)
    cheapest_cost = float(p.models.cost.min())
    counts: list[int] = count.tolist()
    # `cheapest_model` of each flavor alone: the primary model where it fits, else the
    # cheapest that takes it (the first of equal ones).
    cheapest = np.argmin(np.where(p.elig, p.models.cost[None, :], np.inf), axis=1)
    new_model: list[int] = np.where(p.elig[:, primary], primary, cheapest).tolist()
    model_cost: list[float] = p.models.cost.tolist()
    caps = p.models.cap[:, dims]
    done = True
    thresholds: list[list[float]] = []
    for i, f in enumerate(seq.tolist()):
        if i % _RUN == 0:
            r = i // _RUN
            thresholds = one_copy_thresholds(dem[seq[i : i + _RUN]]).tolist()
            hosts.refresh(least[r], most[r], need[r])
            if above < math.inf and bounded.any():
                # The VMs left fit only in the hosts kept (the others take none of
                # them) and in new ones: at least this many new hosts.
                # (A VM fits a residual 1e-9 of its demand short: 1e-8 of margin.)
                room = hosts.res[:, : hosts.n].sum(axis=1)
                short = ((rem[r] * (1 - 1e-8) - room)[bounded] / widest[bounded]).max()
                more = max(0.0, math.ceil(float(short) - 1e-6))
                if cost + cheapest_cost * more >= above - 1e-9:
                    done = False
                    break
            if budget is not None:
                budget.check()
                if budget.expired():
                    budget.stop("first fit per VM", "the time limit")
                    done = False
                    break
        c = counts[f]
        t = thresholds[i % _RUN]
        elig = None if everywhere[f] else elig_int[f]
        start = 0
        while c:
            j = hosts.first(t, start, elig)
            if j < 0:
                break
            if c == 1:  # distinct sizes: one copy, and demand × 1 is the demand
                take = 1
                hosts.take(j, dem[f])
            else:
                take = min(_copies(bins, hosts, j, f), c)
                hosts.take(j, dem[f] * take)
            rows.append(int(hosts.ids[j]))
            flav.append(f)
            cnt.append(take)
            c -= take
            start = j + 1
        if not c:
            continue
        model = new_model[f]
        h = len(bins)
        if c == 1:
            # One copy on one new host: `fill_new` of one host and `open` then `put`
            # give the same host, content and residual, cap − demand.
            cost += model_cost[model]
            if cost >= above - 1e-9:
                done = False
                break
            rows.append(bins.open(model))
            flav.append(f)
            cnt.append(1)
            hosts.append(h, (caps[model] - dem[f])[:, None], model)
            continue
        per = per_empty_host(p, f, model)
        full, rest = divmod(c, per)
        cost += model_cost[model] * (full + (rest > 0))
        if cost >= above - 1e-9:
            done = False
            break
        bins.fill_new(model, f, per, full)
        if rest:
            rows.append(bins.open(model))
            flav.append(f)
            cnt.append(rest)
        # The same arithmetic as `fill_new` and `put`: cap − demand × copies.
        res = np.repeat(caps[model][:, None], len(bins) - h, axis=1)
        res[:, :full] -= (dem[f] * per)[:, None]
        if rest:
            res[:, full] -= dem[f] * rest
        hosts.append(h, res, model)
    # `fill_new` hosts hold cap − demand × copies already, opened ones cap; `put_many`
    # subtracts the rest in the order placed: the residuals computed above, exactly.
    bins.put_many(
        np.array(rows, dtype=np.int64),
        np.array(flav, dtype=np.int64),
        np.array(cnt, dtype=np.int64),
    )
    return done


def _cost(bins: OpenBins) -> float:
    """`solve.cost_of`: hosts with VMs and the plan's own hosts."""
    used = [b.model for b in bins.bins if b.content or b.fixed >= 0]
    return float(bins.p.models.cost[used].sum())


def _copies(bins: OpenBins, hosts: _Hosts, j: int, f: int) -> int:
    """`packing.copies` at the host in position j for flavor f: the least over the
    dimensions of floor(residual / demand + 1e-9)."""
    dem = bins.p.flavors.dem[f]
    least = math.inf
    for row, d in enumerate(hosts.dims.tolist()):
        if dem[d] > 0:
            least = min(least, float(hosts.res[row, j]) / float(dem[d]) + _SLACK)
    return max(math.floor(least), 0) if math.isfinite(least) else 1 << 40
