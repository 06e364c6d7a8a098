from __future__ import annotations

import numpy as np
import pytest

from hvplanner.engine.simulation.profiles import (
    MeasuredSeries,
    ShapeBank,
    TimeAxis,
    burst_shapes,
    cpu_peak_fraction,
    curves,
    shape,
    vm_seed,
)
from hvplanner.model.plan import WorkloadProfile

AXIS = TimeAxis(days=2, step_minutes=5)


def hour_of(step: int) -> float:
    return (step * AXIS.step_minutes % 1440) / 60


@pytest.mark.parametrize(
    ("kind", "hour", "expected"),
    [("diurnal", None, 14.0), ("nightly-batch", None, 2.0), ("diurnal", 9.5, 9.5)],
)
def test_peaks_at_the_hour_it_says(kind, hour, expected):
    w = WorkloadProfile(name="w", kind=kind, peak_hour=hour)
    s = shape(w, AXIS)
    assert hour_of(int(np.argmax(s))) == expected
    assert s.max() == 1.0
    # one peak a day
    assert set(np.flatnonzero(s == 1.0) * AXIS.step_minutes % 1440) == {expected * 60}


def test_levels_keep_the_average_and_reach_the_peak():
    w = WorkloadProfile(name="w", kind="diurnal", cpu_avg=0.3, cpu_peak=0.8)
    bank = ShapeBank.new(AXIS)
    k, a, b, _ = curves(bank, w, ["v1", "v2"], {})
    cpu = a[0, 0] + b[0, 0] * bank.matrix()[k[0, 0]]
    assert cpu.mean() == pytest.approx(0.3)
    assert cpu.max() == pytest.approx(0.8)
    assert cpu.min() >= 0
    assert k[0, 0] == k[1, 0]  # one shared shape for every VM on the profile


def test_trough_never_below_zero():
    w = WorkloadProfile(name="w", kind="nightly-batch", cpu_avg=0.01, cpu_peak=1.0)
    bank = ShapeBank.new(AXIS)
    k, a, b, _ = curves(bank, w, ["v"], {})
    assert a[0, 0] == 0.0 and b[0, 0] == 1.0


def test_constant_is_its_average_exactly():
    w = WorkloadProfile(name="w", kind="constant", cpu_avg=0.3, ram_avg=0.7, nic_avg=0.1)
    bank = ShapeBank.new(AXIS)
    k, a, b, _ = curves(bank, w, ["v"], {})
    rows = a[0, :, None] + b[0, :, None] * bank.matrix()[k[0]]
    assert (rows[0] == 0.3).all() and (rows[1] == 0.7).all() and (rows[2] == 0.1).all()


def test_bursts_are_seeded_per_vm_and_stable():
    seeds = np.array([vm_seed(7, "a"), vm_seed(7, "b")], dtype=np.uint64)
    one = burst_shapes(seeds, AXIS, per_day=6, minutes=15)
    again = burst_shapes(seeds[:1], AXIS, per_day=6, minutes=15)
    assert (one[0] == again[0]).all()  # independent of the other VMs
    assert not (one[0] == one[1]).all()
    assert set(np.unique(one)) <= {0.0, 1.0}
    # about 6 spikes of 3 steps a day: a share near 6 × 15 / 1440
    assert 0.02 < one.mean() < 0.12
    other_seed = burst_shapes(np.array([vm_seed(8, "a")], dtype=np.uint64), AXIS, 6, 15)
    assert not (other_seed[0] == one[0]).all()


def test_measured_series_holds_and_repeats():
    m = MeasuredSeries(
        minutes=np.array([0.0, 720.0]),
        cpu=np.array([0.1, 0.9]),
        ram=np.array([0.5, 0.5]),
        nic=np.array([0.0, 1.0]),
    )
    axis = TimeAxis(days=2, step_minutes=360)
    assert list(m.resample("cpu", axis)) == [0.1, 0.1, 0.9, 0.9] * 2
    w = WorkloadProfile(name="db", kind="measured", series="db.csv")
    bank = ShapeBank.new(axis)
    k, a, b, _ = curves(bank, w, ["v"], {"db": m})
    assert (a == 0).all() and (b == 1).all()
    assert list(bank.matrix()[k[0, 2]]) == [0, 0, 1, 1] * 2
    with pytest.raises(KeyError):
        curves(bank, w, ["v"], {})


def test_cpu_peak_fraction_is_the_highest_level_the_profile_reaches():
    m = MeasuredSeries(
        minutes=np.array([0.0, 60.0]),
        cpu=np.array([0.1, 0.4]),
        ram=np.array([0.5, 0.5]),
        nic=np.array([0.0, 0.0]),
    )
    flat = WorkloadProfile(name="f", kind="constant", cpu_avg=0.3, cpu_peak=0.8)
    day = WorkloadProfile(name="d", kind="diurnal", cpu_avg=0.3, cpu_peak=0.8)
    burst = WorkloadProfile(name="b", kind="bursty", cpu_avg=0.1, cpu_peak=0.9)
    db = WorkloadProfile(name="db", kind="measured", series="db.csv")
    assert cpu_peak_fraction(flat, {}) == 0.3
    assert cpu_peak_fraction(day, {}) == 0.8
    assert cpu_peak_fraction(burst, {}) == 0.9
    assert cpu_peak_fraction(db, {"db": m}) == 0.4
