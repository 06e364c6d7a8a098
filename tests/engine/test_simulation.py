from __future__ import annotations

import numpy as np
import pytest

from hvplanner.catalog import load_catalog
from hvplanner.engine.simulation.simulate import Simulator, simulate
from hvplanner.model.plan import Plan

HV = load_catalog().get("hyper-v@2008r2")
OVERHEAD = 32.0


def make_plan(vms, hosts=("h1", "h2"), workloads=(), **policy):
    return Plan.model_validate(
        {
            "hypervisor": "hyper-v@2008r2",
            "policy": {"vm_overhead_mb": OVERHEAD, "host_reserve_mb": 1024, **policy},
            "host_models": [
                {
                    "id": "m",
                    "sockets": 2,
                    "cores_per_socket": 4,
                    "threads_per_core": 2,
                    "ghz": 2.5,
                    "ram_gb": 64,
                    "nics": [{"count": 2, "gbps": 1}],
                }
            ],
            "hosts": [{"id": h, "model": "m"} for h in hosts],
            "vms": list(vms),
            "workloads": list(workloads),
        }
    )


CONST = {"name": "flat", "kind": "constant", "cpu_avg": 0.5, "ram_avg": 0.25, "nic_avg": 0.1}


def test_constant_profiles_sum_to_hand_computed_totals():
    plan = make_plan(
        [
            {"id": "a", "count": 3, "vcpu": 2, "ram_gb": 4, "nic_mbps": 100, "host": "h1"},
            {"id": "b", "count": 5, "vcpu": 1, "ram_gb": 2, "nic_mbps": 50, "host": "h1"},
            {"id": "c", "vcpu": 4, "ram_gb": 8, "nic_mbps": 10, "host": "h2"},
        ],
        workloads=[CONST],
    )
    plan = plan.model_copy(
        update={"vms": [v.model_copy(update={"profile": "flat"}) for v in plan.vms]}
    )
    sim = Simulator(plan, HV, days=1, step_minutes=60)
    h1 = sim.host_series("h1")
    # CPU: busy vCPUs = (3 × 2 + 5 × 1) × 0.5
    assert (h1[0] == 5.5).all()
    # RAM: active (3 × 4096 + 5 × 2048) × 0.25 + 8 × 32 MB overhead
    assert (h1[1] == 5632 + 256).all()
    # NIC: (3 × 100 + 5 × 50) × 0.1
    assert h1[2] == pytest.approx(np.full(24, 55.0), abs=1e-12)
    r = sim.result()
    one = r.hosts[0]
    assert one.vms == 8
    assert one.cpu.capacity == 16  # 2 × 4 × 2 LPs
    assert one.cpu.peak == one.cpu.p95 == one.cpu.mean == 5.5
    assert one.ram.capacity == 64 * 1024 - 1024
    assert one.ram.allocated_mb == 3 * 4096 + 5 * 2048 + 8 * 32
    assert one.nic.capacity == 2000
    assert r.cluster.cpu.peak == 5.5 + 2.0
    assert r.cluster.cpu.capacity == 32
    assert r.cluster.vms == 9
    assert r.steps == 24


def test_headroom_and_over_capacity_minutes():
    # 20 busy vCPUs at peak on 16 LPs; 20 % headroom puts the line at 12.8 LPs.
    wl = {"name": "day", "kind": "diurnal", "cpu_avg": 0.5, "cpu_peak": 1.0}
    plan = make_plan(
        [{"id": "a", "count": 20, "vcpu": 1, "ram_gb": 1, "host": "h1", "profile": "day"}],
        workloads=[wl],
        headroom_pct=20,
    )
    r = simulate(plan, HV, days=1, step_minutes=5)
    cpu = r.hosts[0].cpu
    assert cpu.capacity == 16 and cpu.headroom_line == pytest.approx(12.8)
    assert cpu.peak == pytest.approx(20)
    assert cpu.peak_pct == pytest.approx(125)
    assert 0 < cpu.minutes_over_capacity < cpu.minutes_over_headroom < 1440
    assert cpu.minutes_over_capacity % 5 == 0
    assert cpu.contention_peak_pct == pytest.approx(20)  # 1 − 16/20
    assert r.hosts[1].cpu.peak == 0 and r.hosts[1].cpu.minutes_over_capacity == 0


def test_ram_overcommit_is_ballooned_then_swapped():
    # 40 × 2 GB configured on 63 GB usable: 82,560 MB allocated, 19,072 MB over.
    wl = {"name": "mem", "kind": "constant", "ram_avg": 0.9}
    vms = [{"id": "a", "count": 40, "vcpu": 1, "ram_gb": 2, "host": "h1", "profile": "mem"}]
    r = simulate(make_plan(vms, workloads=[wl]), HV, days=1, step_minutes=60)
    ram = r.hosts[0].ram
    cap = 63 * 1024
    assert ram.allocated_mb == 40 * (2048 + 32)
    active = 40 * (2048 * 0.9 + 32)
    assert ram.peak == pytest.approx(active)
    assert ram.swapped_peak_mb == pytest.approx(active - cap)
    assert ram.ballooned_peak_mb == pytest.approx(ram.allocated_mb - cap - (active - cap))


def test_cpu_in_mhz_when_the_plan_uses_cpu_mhz():
    vms = [
        {"id": "a", "count": 2, "vcpu": 1, "ram_gb": 1, "cpu_mhz": 1000, "host": "h1"},
        {"id": "b", "vcpu": 2, "ram_gb": 1, "host": "h1"},
    ]
    plan = make_plan(vms, workloads=[CONST])
    plan = plan.model_copy(
        update={"vms": [v.model_copy(update={"profile": "flat"}) for v in plan.vms]}
    )
    r = simulate(plan, HV, days=1, step_minutes=60)
    cpu = r.hosts[0].cpu
    assert r.cpu_unit == cpu.unit == "MHz"
    assert cpu.capacity == 8 * 2500  # physical cores × clock
    # cpu_mhz is the peak, as in sizing: 2 × 1000 MHz; vCPUs count busy × clock: 2 × 0.5 × 2500
    assert cpu.peak == pytest.approx(2000 + 2500)


def test_cpu_mhz_is_the_peak_of_a_shaped_profile():
    wl = {"name": "day", "kind": "diurnal", "cpu_avg": 0.2, "cpu_peak": 0.5}
    vms = [{"id": "a", "count": 4, "vcpu": 1, "ram_gb": 1, "cpu_mhz": 1500, "host": "h1"}]
    plan = make_plan(vms, workloads=[wl])
    plan = plan.model_copy(
        update={"vms": [v.model_copy(update={"profile": "day"}) for v in plan.vms]}
    )
    sim = Simulator(plan, HV, days=1, step_minutes=5)
    cpu = sim.host_series("h1")[0]
    assert cpu.max() == pytest.approx(4 * 1500)
    # the shape is the profile's: mean ÷ peak of the fractions
    assert cpu.mean() == pytest.approx(4 * 1500 * 0.2 / 0.5)


def test_the_p2v_sample_peaks_at_its_hosts_mhz():
    # Sizing puts 128 × 1,000 MHz on 8 hosts of 16,000 MHz; the simulation must agree.
    from hvplanner.formats.planfile import load_plan
    from hvplanner.paths import samples_dir

    plan = load_plan(samples_dir() / "p2v-128-old-servers.hvplan.json")
    r = simulate(plan, load_catalog().get(plan.hypervisor), days=1, step_minutes=60)
    assert r.cpu_unit == "MHz"
    assert r.cluster.cpu.capacity == 8 * 16_000
    assert r.cluster.cpu.peak == pytest.approx(128 * 1000)
    assert r.cluster.cpu.peak_pct == pytest.approx(100)
    assert all(h.cpu.capacity == 16_000 for h in r.hosts)


def test_unplaced_vms_are_reported_not_simulated():
    vms = [
        {"id": "a", "count": 4, "vcpu": 1, "ram_gb": 1, "host": "h1"},
        {"id": "b", "count": 3, "vcpu": 1, "ram_gb": 1},
    ]
    r = simulate(make_plan(vms), HV, days=1, step_minutes=60)
    assert [(u.vm, u.instances) for u in r.unplaced] == [("b", 3)]
    assert r.cluster.vms == 4
    assert any("3 VM instance(s) have no host" in w for w in r.warnings)


def _mixed_plan():
    kinds = ["constant", "diurnal", "nightly-batch", "bursty"]
    vms = [
        {
            "id": f"v{i}",
            "count": 1 + i % 3,
            "vcpu": 1 + i % 4,
            "ram_gb": 1 + i % 5,
            "nic_mbps": 10 * i,
            "host": f"h{i % 4}",
            "profile": kinds[i % 4],
        }
        for i in range(24)
    ]
    return make_plan(vms, hosts=[f"h{i}" for i in range(4)])


def test_move_recomputes_the_same_as_a_full_run():
    plan = _mixed_plan()
    sim = Simulator(plan, HV, days=2, step_minutes=15)
    sim.move("v5", "h3")
    sim.move("v6", None)
    moved = plan.model_copy(
        update={
            "vms": [
                v.model_copy(update={"host": {"v5": "h3", "v6": None}.get(v.id, v.host)})
                for v in plan.vms
            ]
        }
    )
    fresh = Simulator(moved, HV, days=2, step_minutes=15)
    assert np.allclose(sim.series, fresh.series, rtol=1e-12, atol=1e-9)
    a, b = sim.result(), fresh.result()
    assert [h.vms for h in a.hosts] == [h.vms for h in b.hosts]
    for x, y in zip([*a.hosts, a.cluster], [*b.hosts, b.cluster], strict=True):
        assert x.cpu.peak == pytest.approx(y.cpu.peak)
        assert x.ram.p95 == pytest.approx(y.ram.p95)
        assert x.nic.minutes_over_capacity == y.nic.minutes_over_capacity
    assert a.unplaced == b.unplaced


def test_failover_conserves_every_vm():
    plan = _mixed_plan()
    sim = Simulator(plan, HV, days=1, step_minutes=30)
    r = sim.fail(["h0", "h2"], at_minute=600)
    f = r.failover
    assert f is not None and f.failed_hosts == ["h0", "h2"] and f.at_minute == 600
    on_failed = {v.id: v.count for v in plan.vms if v.host in ("h0", "h2")}
    moved: dict[str, int] = {}
    for p in f.restarted + f.unplaced:
        assert p.from_host in ("h0", "h2")
        assert p.to_host in (None, "h1", "h3")
        moved[p.vm] = moved.get(p.vm, 0) + p.instances
    assert moved == on_failed  # no VM lost, none counted twice
    assert f.held == (not f.unplaced)
    assert r.hosts[0].failed_at_minute == 600 and r.hosts[1].failed_at_minute is None
    assert r.cluster.cpu.capacity == 4 * 16


def test_failover_of_everything_on_a_lone_host_leaves_vms_unplaced():
    vms = [{"id": "a", "count": 6, "vcpu": 2, "ram_gb": 16, "host": "h1", "profile": "flat"}]
    plan = make_plan(vms, workloads=[CONST], failover_hosts=1)
    sim = Simulator(plan, HV, days=1, step_minutes=60)
    r = sim.fail(["h1"], at_minute=0)
    f = r.failover
    assert f is not None
    # h2 has 63 GB usable: three 16 GB VMs (+ 32 MB overhead each) fit, three do not.
    assert [(p.to_host, p.instances) for p in f.restarted] == [("h2", 3)]
    assert [(p.vm, p.instances) for p in f.unplaced] == [("a", 3)]
    assert not f.held and f.failover_hosts_planned == 1
    assert r.hosts[1].cpu.peak == pytest.approx(3 * 2 * 0.5)
    assert r.hosts[0].cpu.peak == 0
    assert r.cluster.cpu.peak == pytest.approx(3.0)


def test_failover_spike_shows_on_the_survivor():
    vms = [
        {"id": "a", "count": 4, "vcpu": 2, "ram_gb": 4, "host": "h1", "profile": "flat"},
        {"id": "b", "count": 4, "vcpu": 2, "ram_gb": 4, "host": "h2", "profile": "flat"},
    ]
    sim = Simulator(make_plan(vms, workloads=[CONST]), HV, days=1, step_minutes=60)
    r = sim.fail(["h1"], at_minute=12 * 60)
    assert r.failover is not None and r.failover.held
    survivor = r.hosts[1].cpu
    assert survivor.peak == 8.0 and survivor.mean == pytest.approx(6.0)
    assert r.cluster.cpu.mean == pytest.approx(8.0)  # demand conserved across the failure
    assert r.cluster.cpu.peak_pct == pytest.approx(50.0)  # 8 busy on the 16 LPs left


def test_failed_host_figures_and_percentages_cover_the_same_steps():
    # h1 peaks at 8 busy LPs at 14:00 and fails at 16:00: a third of the day it is down.
    wl = {"name": "day", "kind": "diurnal", "cpu_avg": 0.3, "cpu_peak": 1.0}
    vms = [
        {"id": "a", "count": 8, "vcpu": 1, "ram_gb": 2, "host": "h1", "profile": "day"},
        {"id": "b", "count": 2, "vcpu": 1, "ram_gb": 2, "host": "h2", "profile": "day"},
    ]
    sim = Simulator(make_plan(vms, workloads=[wl]), HV, days=1, step_minutes=15)
    r = sim.fail(["h1"], at_minute=16 * 60)
    failed = r.hosts[0]
    for s in (failed.cpu, failed.ram):
        assert s.capacity is not None and s.peak_pct is not None and s.p95_pct is not None
        assert s.p95 / s.capacity * 100 == pytest.approx(s.p95_pct)
        assert s.peak / s.capacity * 100 == pytest.approx(s.peak_pct)
        assert s.capacity_after is None
    # the cluster's percentages are of 32 LPs before and 16 after: both are reported
    cluster = r.cluster.cpu
    assert cluster.capacity == 32 and cluster.capacity_after == 16
    assert cluster.peak / 32 * 100 < cluster.peak_pct <= cluster.peak / 16 * 100
    assert r.hosts[1].cpu.capacity_after is None
    assert sim.result().cluster.cpu.capacity_after is None
