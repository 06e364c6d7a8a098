"""Workload profiles as time series: the busy fraction of a VM's CPU, RAM and NIC per step.

A profile is factored as level(t) = a + b·s(t) per metric, with s(t) a shape in [0, 1].
Shapes are shared wherever they can be (every VM on the plain "diurnal" profile has
the same one), so the simulation stores one row per distinct shape, not per VM.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

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
    # A counter-based generator: spikes depend on (seed, VM id, step) only, so adding a
    # VM to the plan or reordering it never changes the spikes of the others.
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def burst_shapes(
    seeds: npt.NDArray[np.uint64], axis: TimeAxis, per_day: float, minutes: float
) -> FloatArray:
    """One 0/1 spike train per seed: spikes start at random steps and last `minutes`."""
    steps = np.arange(axis.steps, dtype=np.uint64)
    with np.errstate(over="ignore"):
        keys = seeds[:, None] * np.uint64(0x100000001B3) + steps[None, :]
    u = (_splitmix64(keys) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    starts = u < per_day * axis.step_minutes / MINUTES_PER_DAY
    length = max(math.ceil(minutes / axis.step_minutes - 1e-9), 1)
    c = np.cumsum(starts, axis=1, dtype=np.int32)
    lagged = np.zeros_like(c)
    lagged[:, length:] = c[:, :-length]
    return (c - lagged > 0).astype(np.float64)


def vm_seed(seed: int, vm_id: str) -> int:
    return (seed * 0x9E3779B1 + zlib.crc32(vm_id.encode("utf-8"))) % 2**64


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


def curves(
    bank: ShapeBank,
    workload: WorkloadProfile,
    vm_ids: list[str],
    measured: Mapping[str, MeasuredSeries],
) -> tuple[npt.NDArray[np.intp], FloatArray, FloatArray]:
    """For VM entries on one workload: shape index, a and b per (VM, metric), each (n, 3)."""
    n = len(vm_ids)
    k = np.zeros((n, 3), dtype=np.intp)
    a = np.zeros((n, 3))
    b = np.zeros((n, 3))
    w = workload
    avg = [w.cpu_avg, w.ram_avg, w.nic_avg]
    peak = [w.cpu_peak, w.ram_peak, w.nic_peak]
    if w.kind == "measured":
        series = measured.get(w.name)
        if series is None:
            raise KeyError(f"workload {w.name!r}: its measured series is not loaded")
        for m, metric in enumerate(METRICS):
            k[:, m] = bank.add(("measured", w.name, metric), series.resample(metric, bank.axis))
        b[:] = 1.0
        return k, a, b
    if w.kind == "bursty":
        seeds = np.array([vm_seed(w.seed, v) for v in vm_ids], dtype=np.uint64)
        rows = burst_shapes(seeds, bank.axis, w.bursts_per_day, w.burst_minutes)
        means = rows.mean(axis=1)
        for i, vm_id in enumerate(vm_ids):
            k[i, :] = bank.add(("bursty", w.name, vm_id), rows[i])
    else:
        row = shape(w, bank.axis)
        k[:, :] = bank.add(("shape", w.name), row)
        means = np.full(n, row.mean())
    for m in range(3):
        a[:, m], b[:, m] = levels(avg[m], peak[m], means)
    return k, a, b


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
