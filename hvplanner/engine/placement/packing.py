"""Open hosts during packing: residual capacity as one array, so a fit test is one NumPy call.

Hosts the plan already lists come first: pinned VMs are loaded on them, and an empty listed
host is taken before a new one of the same model is generated.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field

import numpy as np

from hvplanner.engine.placement.flavors import BoolArray, FloatArray, IntArray
from hvplanner.engine.placement.problem import D, Problem

# Growth of the residual array: amortised O(1) per host opened.
_GROW = 2


@dataclass
class Bin:
    model: int
    content: dict[int, int] = field(default_factory=dict)  # flavor → instances
    fixed: int = -1  # index into Problem.fixed, -1 for a generated host


class OpenBins:
    def __init__(
        self, problem: Problem, use_fixed: bool = True, listed: Container[int] = ()
    ) -> None:
        """`listed`: plan hosts opened even without pinned VMs (the current layout)."""
        self.p = problem
        n = max(16, len(problem.fixed) * 2)
        self.res = np.zeros((n, D))
        self.model = np.zeros(n, dtype=np.int64)
        self.bins: list[Bin] = []
        self.groups: dict[int, set[int]] = {}  # group → bins holding a member
        self._spare_fixed: dict[int, list[int]] = {}
        if use_fixed:
            fixed = problem.fixed
            opened: list[int] = []
            for i, h in enumerate(fixed):
                if h.instances or i in listed:
                    for g in h.groups:
                        self.groups.setdefault(g, set()).add(len(opened))
                    opened.append(i)
                else:
                    self._spare_fixed.setdefault(h.model, []).append(i)
            for stack in self._spare_fixed.values():
                stack.reverse()
            if opened:
                # All at once: a host at a time was most of the cost of laying out a plan's
                # current hosts (500 of them, several times per placement).
                models = np.array([fixed[i].model for i in opened], dtype=np.int64)
                loads = np.array([fixed[i].load for i in opened])
                n_open = len(opened)
                self.res[:n_open] = problem.models.cap[models] - loads
                self.model[:n_open] = models
                self.bins = [
                    Bin(int(m), {}, i) for m, i in zip(models.tolist(), opened, strict=True)
                ]

    def __len__(self) -> int:
        return len(self.bins)

    def _append(self, model: int, residual: FloatArray, fixed: int) -> int:
        b = len(self.bins)
        if b >= self.res.shape[0]:
            self.res = np.concatenate([self.res, np.zeros((b * (_GROW - 1), D))])
            self.model = np.concatenate([self.model, np.zeros(b * (_GROW - 1), dtype=np.int64)])
        self.res[b] = residual
        self.model[b] = model
        self.bins.append(Bin(model, {}, fixed))
        return b

    def open(self, model: int) -> int:
        stack = self._spare_fixed.get(model)
        fixed = stack.pop() if stack else -1
        return self._append(model, self.p.models.cap[model].copy(), fixed)

    def fill_new(self, model: int, f: int, n: int, hosts: int) -> None:
        """`hosts` new hosts of `model`, each holding `n` copies of flavor f."""
        if hosts <= 0:
            return
        if self._spare_fixed.get(model) or self.p.flavors.group[f] >= 0:
            for _ in range(hosts):
                self.put(self.open(model), f, n)
            return
        b0 = len(self.bins)
        need = b0 + hosts
        if need > self.res.shape[0]:
            grow = max(need, b0 * _GROW) - self.res.shape[0]
            self.res = np.concatenate([self.res, np.zeros((grow, D))])
            self.model = np.concatenate([self.model, np.zeros(grow, dtype=np.int64)])
        self.res[b0:need] = self.p.models.cap[model] - self.p.flavors.dem[f] * n
        self.model[b0:need] = model
        self.bins.extend(Bin(model, {f: n}, -1) for _ in range(hosts))

    def put(self, b: int, f: int, n: int) -> None:
        self.res[b] -= self.p.flavors.dem[f] * n
        content = self.bins[b].content
        content[f] = content.get(f, 0) + n
        g = int(self.p.flavors.group[f])
        if g >= 0:
            self.groups.setdefault(g, set()).add(b)

    def put_many(self, b: IntArray, f: IntArray, n: IntArray) -> None:
        """`put` for many (host, flavor, copies) triples at once."""
        if not len(b):
            return
        np.subtract.at(self.res, b, self.p.flavors.dem[f] * n[:, None].astype(np.float64))
        group = self.p.flavors.group
        for bi, fi, ni in zip(b.tolist(), f.tolist(), n.tolist(), strict=True):
            content = self.bins[bi].content
            content[fi] = content.get(fi, 0) + ni
            g = int(group[fi])
            if g >= 0:
                self.groups.setdefault(g, set()).add(bi)

    def take_all(self, b: int) -> None:
        """Empties a host of the instances placed on it (pinned ones stay)."""
        for f, n in self.bins[b].content.items():
            self.res[b] += self.p.flavors.dem[f] * n
        self.bins[b].content.clear()

    def compacted(self) -> OpenBins:
        """The same packing without generated hosts left empty."""
        out = OpenBins(self.p)
        rows: list[int] = []
        flav: list[int] = []
        cnt: list[int] = []
        for b, host in enumerate(self.bins):
            if b < len(out):
                nb = b
            elif host.content:
                nb = out.open(host.model)
            else:
                continue
            for f, n in host.content.items():
                rows.append(nb)
                flav.append(f)
                cnt.append(n)
        out.put_many(
            np.array(rows, dtype=np.int64),
            np.array(flav, dtype=np.int64),
            np.array(cnt, dtype=np.int64),
        )
        return out

    def residual(self) -> FloatArray:
        return self.res[: len(self.bins)]

    def models(self) -> IntArray:
        return self.model[: len(self.bins)]

    def loads(self) -> FloatArray:
        """Absolute load per open host (residuals cannot give it: unlimited dimensions)."""
        load = np.zeros((len(self.bins), D))
        rows: list[int] = []
        flav: list[int] = []
        cnt: list[int] = []
        for i, host in enumerate(self.bins):
            if host.fixed >= 0:
                load[i] += self.p.fixed[host.fixed].load
            for f, c in host.content.items():
                rows.append(i)
                flav.append(f)
                cnt.append(c)
        if rows:
            contrib = self.p.flavors.dem[flav] * np.array(cnt, dtype=np.float64)[:, None]
            np.add.at(load, np.array(rows), contrib)
        return load

    def copies_that_fit(self, f: int) -> IntArray:
        """Per open host: how many more instances of flavor f fit (vCPU width included)."""
        dem = self.p.flavors.dem[f]
        res = self.residual()
        need = dem > 0
        if not need.any():
            q = np.full(len(self.bins), np.iinfo(np.int64).max // 4, dtype=np.int64)
        else:
            q = copies(res, dem)
        ok: BoolArray = self.p.elig[f][self.models()]
        q[~ok] = 0
        g = int(self.p.flavors.group[f])
        if g >= 0:
            q = np.minimum(q, 1)
            taken = self.groups.get(g)
            if taken:
                q[list(taken)] = 0
        return q

    def first_with_room(self, f: int) -> int:
        """The first open host that takes one more instance of flavor f, or -1."""
        g = int(self.p.flavors.group[f])
        dem = self.p.flavors.dem[f]
        need = dem > 0
        if g >= 0 or not need.any():
            hit = np.flatnonzero(self.copies_that_fit(f) > 0)
            return int(hit[0]) if hit.size else -1
        # One copy fits where floor(residual / demand + 1e-9) ≥ 1 in every dimension it
        # needs, that is where residual / demand + 1e-9 ≥ 1: `copies_that_fit` without
        # the division's floor, clip and count.
        if not self.bins:
            return -1
        res = self.residual()
        room = self.p.elig[f][self.models()]
        for d in np.flatnonzero(need):
            # A column at a time: a reduction across a few columns per row costs more.
            room &= res[:, d] / dem[d] + 1e-9 >= 1.0
        b = int(np.argmax(room))
        return b if room[b] else -1


def copies(res: FloatArray, dem: FloatArray) -> IntArray:
    """Per row of residuals: whole copies of demand `dem` (some of it > 0) that fit, ≥ 0.

    floor(residual / demand + 1e-9), least over the dimensions the demand needs. A column
    at a time: a reduction across a few columns per row costs NumPy more than the
    arithmetic; the least ratio floored is the least floor (floor keeps the order).
    """
    least: FloatArray | None = None
    for d in np.flatnonzero(dem > 0):
        ratio = res[:, d] / dem[d] + 1e-9
        least = ratio if least is None else np.minimum(least, ratio)
    assert least is not None, "a demand of zero in every dimension"
    q: IntArray = np.floor(least).clip(min=0).astype(np.int64)
    return q


def cheapest_model(problem: Problem, flavor_mask: BoolArray, primary: int) -> int:
    """The primary model when it can hold these flavors, else the cheapest one that can."""
    if problem.models.m == 1:
        return 0
    elig = problem.elig[flavor_mask]
    if elig.shape[0] == 0 or elig[:, primary].any():
        return primary
    can = elig.any(axis=0)
    cost = np.where(can, problem.models.cost, np.inf)
    return int(np.argmin(cost))


def per_empty_host(problem: Problem, f: int, model: int) -> int:
    dem = problem.flavors.dem[f]
    cap = problem.models.cap[model]
    need = dem > 0
    if not need.any():
        return 1 << 40
    return max(int(np.floor(cap[need] / dem[need] + 1e-9).min()), 1)
