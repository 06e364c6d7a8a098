"""First fit decreasing over distinct sizes at a handful of array operations per VM.

`heuristics.first_fit` asks `OpenBins.copies_that_fit` for every flavor: a dozen NumPy
calls (division, floor, eligibility, groups) over every open host, about 45 µs per VM
at 2,500 hosts, which is what a per-VM first fit over 10,000 distinct sizes costs.
Here each open host's residual is one contiguous row per dimension, and a VM is one
comparison per dimension into reused buffers and one argmax: the elements are still
VMs × hosts, but at a few thousand hosts the calls, not the elements, were the cost.

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
from hvplanner.engine.placement.packing import OpenBins, cheapest_model, per_empty_host

# Flavors placed between two looks at the budget (a cancel, the wall-clock limit).
_POLL_EVERY = 512
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
    """Residuals of the open hosts by dimension (one contiguous row each) and models.

    `low` is the least residual per dimension over the open hosts: a VM whose threshold
    it reaches fits every host there, so that dimension's comparison is skipped (on the
    benchmark plans most dimensions never refuse a VM: running VMs, vCPUs, MHz).
    """

    def __init__(self, bins: OpenBins, dims: IntArray) -> None:
        self.dims = dims
        self.h = len(bins)
        size = max(64, 2 * self.h)
        self.res = np.empty((len(dims), size))
        self.res[:, : self.h] = bins.residual()[:, dims].T
        self.model = np.zeros(size, dtype=np.int64)
        self.model[: self.h] = bins.models()
        self.room = np.empty(size, dtype=bool)
        self.test = np.empty(size, dtype=bool)
        self.low = [math.inf] * len(dims)
        self.seen(0, self.h)

    def seen(self, start: int, end: int) -> None:
        """Residuals of hosts start…end changed (only ever down): lower `low` to them."""
        if end > start:
            least = self.res[:, start:end].min(axis=1).tolist()
            self.low = [min(a, b) for a, b in zip(self.low, least, strict=True)]

    def take(self, b: int, dem: FloatArray) -> None:
        col = self.res[:, b]
        col -= dem
        self.low = [min(a, r) for a, r in zip(self.low, col.tolist(), strict=True)]

    def reserve(self, h: int) -> None:
        if h <= self.res.shape[1]:
            return
        size = max(h, 2 * self.res.shape[1])
        res = np.empty((len(self.dims), size))
        res[:, : self.h] = self.res[:, : self.h]
        model = np.zeros(size, dtype=np.int64)
        model[: self.h] = self.model[: self.h]
        self.res, self.model = res, model
        self.room = np.empty(size, dtype=bool)
        self.test = np.empty(size, dtype=bool)

    def first(self, t: list[float], start: int, elig: IntArray | None) -> int:
        """The first host from `start` where every residual reaches t, or -1."""
        h = self.h
        if start >= h:
            return -1
        n = h - start
        room, test, res = self.room[:n], self.test[:n], self.res
        # One comparison per dimension over every open host, into reused buffers:
        # at a few thousand hosts the call overhead, not the elements, is the cost.
        first = True
        for d, (td, low) in enumerate(zip(t, self.low, strict=True)):
            if low >= td:
                continue
            if first:
                np.greater_equal(res[d, start:h], td, out=room)
                first = False
            else:
                np.greater_equal(res[d, start:h], td, out=test)
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
    thr = one_copy_thresholds(dem_all[:, dims])
    dem = dem_all[:, dims]
    hosts = _Hosts(bins, dims)
    fits_all: BoolArray = np.asarray(p.elig.all(axis=1))  # fits every model empty
    everywhere: list[bool] = fits_all.tolist()
    elig_int = p.elig.astype(np.int64)
    rows: list[int] = []
    flav: list[int] = []
    cnt: list[int] = []
    cost = _cost(bins)
    done = True
    for i, f in enumerate(order[count[order] > 0].tolist()):
        if budget is not None and i % _POLL_EVERY == 0:
            budget.check()
            if budget.expired():
                budget.stop("first fit per VM", "the time limit")
                done = False
                break
        c = int(count[f])
        t = thr[f].tolist()
        elig = None if everywhere[f] else elig_int[f]
        start = 0
        while c:
            b = hosts.first(t, start, elig)
            if b < 0:
                break
            if c == 1:  # distinct sizes: one copy, and demand × 1 is the demand
                take = 1
                hosts.take(b, dem[f])
            else:
                take = min(_copies(bins, hosts, b, f), c)
                hosts.take(b, dem[f] * take)
            rows.append(b)
            flav.append(f)
            cnt.append(take)
            c -= take
            start = b + 1
        if not c:
            continue
        mask = np.zeros(p.flavors.k, dtype=bool)
        mask[f] = True
        model = cheapest_model(p, mask, primary)
        per = per_empty_host(p, f, model)
        full, rest = divmod(c, per)
        h = len(bins)
        cost += float(p.models.cost[model]) * (full + (rest > 0))
        if cost >= above - 1e-9:
            done = False
            break
        bins.fill_new(model, f, per, full)
        if rest:
            rows.append(bins.open(model))
            flav.append(f)
            cnt.append(rest)
        hosts.reserve(len(bins))
        new = slice(h, len(bins))
        hosts.res[:, new] = p.models.cap[model][dims][:, None]
        hosts.res[:, h : h + full] -= (dem[f] * per)[:, None]
        if rest:
            hosts.res[:, h + full] -= dem[f] * rest
        hosts.model[new] = bins.models()[new]
        hosts.h = len(bins)
        hosts.seen(h, len(bins))
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


def _copies(bins: OpenBins, hosts: _Hosts, b: int, f: int) -> int:
    """`packing.copies` at host b for flavor f: floor(residual / demand + 1e-9), least."""
    dem = bins.p.flavors.dem[f]
    least = math.inf
    for j, d in enumerate(hosts.dims.tolist()):
        if dem[d] > 0:
            least = min(least, float(hosts.res[j, b]) / float(dem[d]) + _SLACK)
    return max(math.floor(least), 0) if math.isfinite(least) else 1 << 40
