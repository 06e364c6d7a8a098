"""Workload profiles as time series: the busy fraction of a VM's CPU, RAM and NIC per step.

A profile is factored as level(t) = a + b·s(t) per metric, with s(t) a shape in [0, 1].
Shapes are shared wherever they can be (every VM on the plain "diurnal" profile has
the same one), so the simulation stores one row per distinct shape, not per VM. A bursty
VM's s(t) is its own spike train, kept as the intervals of its spikes (about 6 a day),
not as one value per step.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from hvplanner.model.plan import WorkloadProfile

FloatArray = npt.NDArray[np.float64]
MINUTES_PER_DAY = 1440.0
METRICS = ("cpu", "ram", "nic")


@dataclass(frozen=True)
class TimeAxis:
    """Steps of `step_minutes` from 00:00 of day 1; each step is sampled at its start."""

    days: float
    step_minutes: float

    @property
    def steps(self) -> int:
        return max(math.ceil(self.days * MINUTES_PER_DAY / self.step_minutes - 1e-9), 1)

    def minutes(self) -> FloatArray:
        return np.arange(self.steps, dtype=np.float64) * self.step_minutes

    def step_at(self, minute: float) -> int:
        """The first step that starts at or after `minute`."""
        return min(math.ceil(minute / self.step_minutes - 1e-9), self.steps)


@dataclass(frozen=True)
class MeasuredSeries:
    """Samples of a measured workload: minute offsets (ascending) and fractions per metric."""

    minutes: FloatArray
    cpu: FloatArray
    ram: FloatArray
    nic: FloatArray

    @property
    def period(self) -> float:
        # The last sample lasts as long as the typical gap, so a day of 5-minute samples
        # (00:00 … 23:55) repeats every 1440 minutes.
        if len(self.minutes) < 2:
            return MINUTES_PER_DAY
        return float(self.minutes[-1] + np.median(np.diff(self.minutes)) - self.minutes[0])

    def resample(self, metric: str, axis: TimeAxis) -> FloatArray:
        values: FloatArray = getattr(self, metric)
        t = self.minutes[0] + np.mod(axis.minutes(), self.period)
        # Sample and hold: the value measured last at or before each step.
        idx = np.searchsorted(self.minutes, t, side="right") - 1
        out: FloatArray = values[np.clip(idx, 0, len(values) - 1)]
        return out


def _window(hours: FloatArray, peak_hour: float, width_h: float) -> FloatArray:
    # Raised cosine over `width_h` hours centred on the peak: 1 at the peak hour, 0 outside.
    delta = np.abs(np.mod(hours - peak_hour + 12.0, 24.0) - 12.0)
    inside = delta < width_h / 2.0
    return np.where(inside, 0.5 * (1.0 + np.cos(2.0 * np.pi * delta / width_h)), 0.0)


def _splitmix64(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's output function of each x, computed in place (x is overwritten)."""
    # A counter-based generator: spikes depend on (seed, VM id) only, so adding a VM to
    # the plan or reordering it never changes the spikes of the others.
    with np.errstate(over="ignore"):
        x += np.uint64(0x9E3779B97F4A7C15)
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return x


IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Spikes:
    """Spike trains of bursty VM entries as intervals of steps: entry j is busy on
    [start[i], end[i]) for i in lo[j]:hi[j]. A VM's intervals are ascending and disjoint
    (spikes that overlap are cut where the next begins), so its train is their union and a
    host's sum is a difference array: +w where each interval starts, -w where it ends."""

    lo: IntArray
    hi: IntArray
    start: IntArray
    end: IntArray

    def busy_steps(self) -> IntArray:
        """Steps each entry spends in a spike."""
        width = self.end - self.start
        owner = np.repeat(np.arange(len(self.lo)), self.hi - self.lo)
        out: IntArray = np.bincount(owner, width, minlength=len(self.lo)).astype(np.intp)
        return out

    def dense(self, steps: int) -> FloatArray:
        """The trains as a 0/1 matrix (entries × steps)."""
        diff = np.zeros((len(self.lo), steps + 1))
        owner = np.repeat(np.arange(len(self.lo)), self.hi - self.lo)
        np.add.at(diff, (owner, self.start), 1.0)
        np.add.at(diff, (owner, self.end), -1.0)
        out: FloatArray = np.cumsum(diff, axis=1)[:, :steps]
        return out


# Trains drawn per block of seeds: a block's arrays stay in the CPU cache (2.3× faster
# than all 20,000 VMs of bench/simulation.py at once).
_BLOCK = 1024
# Gaps drawn per round: the mean count of starts and this many standard deviations, so
# one round reaches the end of all but about 1 train in 10,000; those draw another
# (cheap: a block's starts are regrouped, not the whole plan's).
SPARE_SD = 3.0


def spike_trains(
    seeds: npt.NDArray[np.uint64], axis: TimeAxis, per_day: float, minutes: float
) -> Spikes:
    """One spike train per seed: a spike starts at each step with probability
    per_day × step ÷ 1 day, independently, and lasts `minutes`.

    Independent starts at rate p are geometric gaps between starts, so a train is drawn
    as its ~p·steps gaps (counter-based: gap g of seed s depends on (s, g) only), not as
    one draw per step: the cost follows the spikes, not the length of the simulation.
    """
    n, steps = len(seeds), axis.steps
    length = max(math.ceil(minutes / axis.step_minutes - 1e-9), 1)
    p = per_day * axis.step_minutes / MINUTES_PER_DAY
    if n == 0 or p <= 0:
        zero = np.zeros(n, dtype=np.intp)
        return Spikes(zero, zero.copy(), zero[:0], zero[:0].copy())
    if p >= 1:  # a spike starts at every step: busy throughout
        idx = np.arange(n, dtype=np.intp)
        return Spikes(idx, idx + 1, np.zeros(n, dtype=np.intp), np.full(n, steps, dtype=np.intp))
    parts = [_trains(seeds[i : i + _BLOCK], steps, p, length) for i in range(0, n, _BLOCK)]
    count = np.concatenate([c for c, _, _ in parts])
    hi = np.cumsum(count)
    start = np.concatenate([st for _, st, _ in parts])
    end = np.concatenate([e for _, _, e in parts])
    return Spikes(hi - count, hi, start, end)


def _trains(
    seeds: npt.NDArray[np.uint64], steps: int, p: float, length: int
) -> tuple[IntArray, IntArray, IntArray]:
    """The spikes of each seed's train: their count per seed, starts and ends (steps),
    grouped by seed. A spike ends after `length` steps, where the next one starts, or at
    the end of the simulation."""
    n = len(seeds)
    log_q = math.log1p(-p)
    mean = steps * p
    chunk = min(int(mean + SPARE_SD * math.sqrt(mean * (1.0 - p))) + 8, steps + 1)
    last = np.full(n, -1, dtype=np.intp)
    active = np.arange(n, dtype=np.intp)
    owners: list[IntArray] = []
    starts: list[IntArray] = []
    base = 0
    while len(active):
        g = np.arange(base, base + chunk, dtype=np.uint64)
        with np.errstate(over="ignore"):
            keys = seeds[active, None] * np.uint64(0x100000001B3) + g[None, :]
        bits = _splitmix64(keys)
        bits >>= np.uint64(11)
        u = bits.astype(np.float64)
        u += 1.0
        u *= 2.0**-53  # uniform on (0, 1]
        # P(gap ≥ k) = (1 − p)^k: the steps without a start before the next one.
        np.log(u, out=u)
        u /= log_q
        np.floor(u, out=u)
        np.minimum(u, steps, out=u)
        gaps = u.astype(np.intp)
        gaps += 1
        at = np.cumsum(gaps, axis=1)
        at += last[active, None]
        inside = at < steps
        if base == 0 and inside[:, -1].sum() == 0:
            # Every train ended in one round (the usual case): each spike's next start
            # is the one beside it in its row.
            ends = np.minimum(at + length, steps)
            np.minimum(ends[:, :-1], at[:, 1:], out=ends[:, :-1])
            return inside.sum(axis=1), at[inside], ends[inside]
        owners.append(np.repeat(active, inside.sum(axis=1)))
        starts.append(at[inside])
        last[active] = at[:, -1]
        active = active[at[:, -1] < steps]
        base += chunk
    owner = np.concatenate(owners)
    start = np.concatenate(starts)
    order = np.argsort(owner, kind="stable")  # later rounds: group each train's starts again
    owner, start = owner[order], start[order]
    count = np.bincount(owner, minlength=n)
    following = np.empty_like(start)
    following[:-1] = start[1:]
    following[np.cumsum(count)[count > 0] - 1] = steps  # a train's last spike: its own end
    end = np.minimum(np.minimum(start + length, following), steps)
    return count, start, end


def burst_shapes(
    seeds: npt.NDArray[np.uint64], axis: TimeAxis, per_day: float, minutes: float
) -> FloatArray:
    """The spike trains of `spike_trains` as 0/1 rows (entries × steps)."""
    return spike_trains(seeds, axis, per_day, minutes).dense(axis.steps)


def vm_seed(seed: int, vm_id: str) -> int:
    return (seed * 0x9E3779B1 + zlib.crc32(vm_id.encode("utf-8"))) % 2**64


def vm_seeds(seed: int, vm_ids: list[str]) -> npt.NDArray[np.uint64]:
    """vm_seed of each id, with the arithmetic in wrapping uint64 (the same values)."""
    crc = np.fromiter((zlib.crc32(v.encode("utf-8")) for v in vm_ids), np.uint64, len(vm_ids))
    with np.errstate(over="ignore"):
        out: npt.NDArray[np.uint64] = np.uint64(seed * 0x9E3779B1 % 2**64) + crc
    return out


def shape(w: WorkloadProfile, axis: TimeAxis) -> FloatArray:
    """The shared shape of a profile (constant, diurnal, nightly-batch)."""
    if w.kind == "constant":
        return np.zeros(axis.steps)
    if w.kind in ("diurnal", "nightly-batch"):
        hours = np.mod(axis.minutes(), MINUTES_PER_DAY) / 60.0
        return _window(hours, w.hour, w.width_h)
    raise ValueError(f"{w.kind} has no shared shape")


def levels(avg: float, peak: float, mean_shape: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(a, b) with a + b·s(t) between a trough and `peak`, averaging `avg` when it can."""
    m = np.minimum(mean_shape, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        trough = np.where(m < 1.0, np.maximum((avg - peak * m) / (1.0 - m), 0.0), peak)
    return trough, peak - trough


@dataclass
class ShapeBank:
    """Distinct shapes as rows of one matrix, looked up by a key."""

    axis: TimeAxis
    rows: list[FloatArray]
    index: dict[tuple[str, ...], int]

    @staticmethod
    def new(axis: TimeAxis) -> ShapeBank:
        return ShapeBank(axis, [np.zeros(axis.steps)], {("zero",): 0})

    def add(self, key: tuple[str, ...], row: FloatArray) -> int:
        if key not in self.index:
            self.index[key] = len(self.rows)
            self.rows.append(row)
        return self.index[key]

    def matrix(self) -> FloatArray:
        return np.vstack(self.rows)


class Curves(NamedTuple):
    """VM entries on one workload, each (n, 3) per metric: the shape index `k`, and `a`,
    `b` of level = a + b·(shape + spike train). Bursty entries have their own trains and
    the zero shape; the others no spikes."""

    k: npt.NDArray[np.intp]
    a: FloatArray
    b: FloatArray
    spikes: Spikes


def curves(
    bank: ShapeBank,
    workload: WorkloadProfile,
    vm_ids: list[str],
    measured: Mapping[str, MeasuredSeries],
) -> Curves:
    """The curves of the VM entries `vm_ids` on `workload`; shared shapes go to `bank`."""
    n = len(vm_ids)
    k = np.zeros((n, 3), dtype=np.intp)
    a = np.zeros((n, 3))
    b = np.zeros((n, 3))
    w = workload
    avg = [w.cpu_avg, w.ram_avg, w.nic_avg]
    peak = [w.cpu_peak, w.ram_peak, w.nic_peak]
    spikes = spike_trains(np.zeros(n, dtype=np.uint64), bank.axis, 0.0, 1.0)
    if w.kind == "measured":
        series = measured.get(w.name)
        if series is None:
            raise KeyError(f"workload {w.name!r}: its measured series is not loaded")
        for m, metric in enumerate(METRICS):
            k[:, m] = bank.add(("measured", w.name, metric), series.resample(metric, bank.axis))
        b[:] = 1.0
        return Curves(k, a, b, spikes)
    if w.kind == "bursty":
        seeds = vm_seeds(w.seed, vm_ids)
        spikes = spike_trains(seeds, bank.axis, w.bursts_per_day, w.burst_minutes)
        means = spikes.busy_steps() / bank.axis.steps
    else:
        row = shape(w, bank.axis)
        k[:, :] = bank.add(("shape", w.name), row)
        means = np.full(n, row.mean())
    for m in range(3):
        a[:, m], b[:, m] = levels(avg[m], peak[m], means)
    return Curves(k, a, b, spikes)


def cpu_peak_fraction(workload: WorkloadProfile, measured: Mapping[str, MeasuredSeries]) -> float:
    """The highest CPU fraction the profile reaches: what a VM's cpu_mhz (a measured peak)
    corresponds to. Constant profiles stay at their average; measured ones at the series'
    maximum; the other kinds reach cpu_peak at the top of their shape."""
    w = workload
    if w.kind == "constant":
        return w.cpu_avg
    if w.kind == "measured":
        series = measured.get(w.name)
        if series is None:
            raise KeyError(f"workload {w.name!r}: its measured series is not loaded")
        return float(series.cpu.max()) if len(series.cpu) else 0.0
    return w.cpu_peak
