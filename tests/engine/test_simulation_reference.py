"""The simulation's sums equal a per-VM reference, and its shortcuts equal the long way.

The Simulator never builds one series per VM: shared shapes are weighted per host, bursty
VMs' spikes are intervals summed as a difference array, and a plain run's summary
figures come from each row's peak and trough. Each is checked here against the direct
computation it replaces.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from hvplanner.engine.simulation import figures, profiles
from hvplanner.engine.simulation.profiles import (
    MeasuredSeries,
    ShapeBank,
    TimeAxis,
    cpu_peak_fraction,
    curves,
    spike_trains,
    vm_seeds,
)
from hvplanner.engine.simulation.simulate import Simulator
from tests.engine.test_simulation import HV, make_plan

AXIS = TimeAxis(days=7, step_minutes=5)


def reference_series(sim: Simulator, measured=None) -> np.ndarray:
    """Each VM's own series (a + b·shape, spikes drawn step by step), added to its host."""
    out = np.zeros((3, len(sim.hosts), sim.axis.steps))
    plan = sim.plan
    mhz = sim.cpu_unit == "MHz"
    for v in plan.vms:
        if v.host is None:
            continue
        h = sim.host_index[v.host]
        w = plan.workload(v.profile)
        bank = ShapeBank.new(sim.axis)
        c = curves(bank, w, [v.id], measured or {})
        spikes = np.zeros(sim.axis.steps)
        for s, e in zip(c.spikes.start, c.spikes.end, strict=True):
            spikes[s:e] = 1.0
        model = plan.host_model(plan.hosts[h].model)
        top = cpu_peak_fraction(w, measured or {})
        for m, unit in enumerate(
            [
                v.cpu_mhz if v.cpu_mhz is not None else v.vcpu * (model.ghz * 1000 if mhz else 1),
                v.ram_gb * 1024,
                v.nic_mbps,
            ]
        ):
            scale = (1 / top if top > 0 else 0) if m == 0 and v.cpu_mhz is not None else 1
            level = c.a[0, m] + c.b[0, m] * (bank.matrix()[c.k[0, m]] + spikes)
            out[m, h] += v.count * unit * level * scale
        out[1, h] += v.count * sim.assumptions.vm_overhead_mb(v.vcpu, v.ram_gb)
    return out


def mixed_plan(n: int = 40):
    kinds = ["flat", "diurnal", "nightly-batch", "bursty", "spiky", "db"]
    vms = [
        {
            "id": f"v{i}",
            "count": 1 + i % 3,
            "vcpu": 1 + i % 4,
            "ram_gb": 1 + i % 5,
            "nic_mbps": 10 * i,
            "host": None if i == 7 else f"h{i % 3}",
            "profile": kinds[i % len(kinds)],
            **({"cpu_mhz": 900.0} if i % 5 == 0 else {}),
        }
        for i in range(n)
    ]
    workloads = [
        {"name": "flat", "kind": "constant", "cpu_avg": 0.5, "ram_avg": 0.25, "nic_avg": 0.1},
        # Spikes longer than the gaps between them overlap, and run past the end.
        {"name": "spiky", "kind": "bursty", "bursts_per_day": 200, "burst_minutes": 47},
        {"name": "db", "kind": "measured", "series": "db.csv"},
    ]
    return make_plan(vms, hosts=("h0", "h1", "h2"), workloads=workloads)


DB = MeasuredSeries(
    minutes=np.array([0.0, 300.0, 900.0]),
    cpu=np.array([0.1, 0.9, 0.4]),
    ram=np.array([0.5, 0.6, 0.5]),
    nic=np.array([0.0, 1.0, 0.2]),
)


@pytest.mark.parametrize(
    ("days", "step"), [(7, 5), (1, 60), (0.01, 5), (1, 1440), (0.5, 0.5), (3, 47)]
)
def test_host_series_equal_the_per_vm_reference(days, step):
    plan = mixed_plan()
    sim = Simulator(plan, HV, days=days, step_minutes=step, measured={"db": DB})
    assert sim.cpu_unit == "MHz"
    assert np.allclose(sim.series, reference_series(sim, {"db": DB}), rtol=1e-12, atol=1e-9)
    assert (sim.series >= 0).all()


def test_the_series_do_not_depend_on_the_other_vms_or_their_order():
    plan = mixed_plan()
    sim = Simulator(plan, HV, measured={"db": DB})
    shuffled = plan.model_copy(update={"vms": list(reversed(plan.vms))})
    again = Simulator(shuffled, HV, measured={"db": DB})
    assert np.allclose(sim.series, again.series, rtol=1e-12, atol=1e-9)
    one = plan.model_copy(update={"vms": [v for v in plan.vms if v.id == "v3"]})
    alone = Simulator(one, HV, measured={"db": DB})
    # v3 is bursty on h0: its spikes are the same whoever else is on the plan.
    train = lambda s: s.spike_start[s.spike_lo[s.vm_index["v3"]] : s.spike_hi[s.vm_index["v3"]]]  # noqa: E731
    assert len(train(sim)) > 0
    assert (train(sim) == train(alone)).all()


def test_spike_trains_are_unions_of_spikes_of_the_given_length():
    seeds = vm_seeds(7, [f"vm{i}" for i in range(50)])
    for per_day, minutes in [(6, 15), (200, 47), (1440 / 5 * 0.9, 5)]:
        t = spike_trains(seeds, AXIS, per_day, minutes)
        length = int(np.ceil(minutes / AXIS.step_minutes - 1e-9))
        dense = t.dense(AXIS.steps)
        for j in range(len(seeds)):
            s, e = t.start[t.lo[j] : t.hi[j]], t.end[t.lo[j] : t.hi[j]]
            assert (np.diff(s) > 0).all() and (e > s).all() and (e[:-1] <= s[1:]).all()
            row = np.zeros(AXIS.steps)
            for x in s:
                row[x : x + length] = 1.0
            assert (dense[j] == row).all()
        assert (t.busy_steps() == dense.sum(axis=1)).all()


def test_spikes_start_at_the_documented_rate():
    # 6 a day at 5-minute steps: p = 6 × 5 / 1440 per step, independently.
    seeds = vm_seeds(0, [f"vm{i}" for i in range(4000)])
    t = spike_trains(seeds, AXIS, per_day=6, minutes=15)
    p = 6 * 5 / 1440
    n = AXIS.steps * len(seeds)
    rate = len(t.start) / n
    assert abs(rate - p) < 4 * np.sqrt(p * (1 - p) / n)
    # Gaps between starts are geometric: P(next start right after) = p.
    gaps = np.diff(t.start)[np.diff(np.repeat(np.arange(len(seeds)), t.hi - t.lo)) == 0] - 1
    assert abs((gaps == 0).mean() - p) < 4 * np.sqrt(p * (1 - p) / len(gaps))
    assert gaps.mean() == pytest.approx((1 - p) / p, rel=0.03)


def test_spike_trains_are_the_same_when_drawn_in_more_rounds(monkeypatch):
    seeds = vm_seeds(3, [f"vm{i}" for i in range(3000)])
    once = spike_trains(seeds, AXIS, 6, 15)
    monkeypatch.setattr(profiles, "SPARE_SD", -3.0)  # most trains need a second round
    more = spike_trains(seeds, AXIS, 6, 15)
    for f in ("lo", "hi", "start", "end"):
        assert (getattr(once, f) == getattr(more, f)).all()


def test_vm_seeds_are_vm_seed():
    ids = ["a", "vm1", "x" * 40, "é"]
    for seed in (0, 7, 2**63 - 1):
        assert [int(s) for s in vm_seeds(seed, ids)] == [profiles.vm_seed(seed, i) for i in ids]


@pytest.mark.parametrize("n", [1, 2, 3, 20, 21, 337, 2016])
def test_p95_is_numpys_percentile_to_the_bit(n):
    rng = np.random.default_rng(n)
    for trial in range(12):
        x = rng.random((3, 4, n)) * 10
        if trial % 3 == 0:
            x = np.round(x)  # ties
        if trial % 4 == 0:
            x[..., : n // 2] = 0.0
        if trial == 5:
            x[1, 2, 0] = np.nan
        assert np.array_equal(figures.p95(x), np.percentile(x, 95, axis=-1), equal_nan=True)


def test_steady_figures_equal_the_step_by_step_ones():
    rng = np.random.default_rng(5)
    steps = 300
    demand = rng.random((3, 6, steps)) * np.array([8, 60000, 900])[:, None, None]
    demand[:, 0] = 0.0
    demand[1, 4] = 10000.0  # flat RAM
    cap = np.array([[6.0, 6, 6, 0, 16, 6], [50000] * 6, [800, np.nan, 800, 800, 800, 800]])
    head = cap * 0.8
    allocated = np.array([0, 70000, 30000, 60000, 90000, 10000], dtype=float)
    quick = figures.steady(demand, cap, head, allocated, 5.0)
    slow = figures.varying(
        demand,
        np.repeat(cap[:, :, None], steps, axis=2),
        np.repeat(head[:, :, None], steps, axis=2),
        np.repeat(allocated[:, None], steps, axis=1),
        5.0,
    )
    assert (quick.over_cap[0] > 0).any() and (quick.contention_peak > 0).any()
    assert (quick.swapped_peak > 0).any() and (quick.ballooned_peak > 0).any()
    for field in dataclasses.fields(figures.Figures):
        a, b = getattr(quick, field.name), getattr(slow, field.name)
        assert np.allclose(a, b, rtol=1e-13, atol=0, equal_nan=True), field.name


def test_results_revalidate_to_the_same_json():
    from hvplanner.model.simulation import SimulationResult

    sim = Simulator(mixed_plan(), HV, measured={"db": DB})
    for r in (sim.result(), sim.fail(["h1"], 600)):
        checked = SimulationResult.model_validate(r.model_dump())
        assert checked.model_dump_json() == r.model_dump_json()
