from __future__ import annotations

import numpy as np
import pytest

from hvplanner.catalog import load_catalog
from hvplanner.engine.livemove import estimate_moves, gbps_to_mb_s, move_note
from hvplanner.engine.simulation.live import (
    CLUSTER,
    LiveSimulation,
    Playback,
    downsample_peak,
    moved_vms,
    rebuild_after,
)
from hvplanner.engine.simulation.simulate import Simulator
from hvplanner.model import edits
from hvplanner.model.plan import VM, Plan

HV = load_catalog().get("hyper-v@2008r2")


def plan(**policy: object) -> Plan:
    return Plan.model_validate(
        {
            "hypervisor": "hyper-v@2008r2",
            "policy": {"vm_overhead_mb": 0, "host_reserve_mb": 0, "headroom_pct": 20, **policy},
            "host_models": [
                {
                    "id": "m",
                    "sockets": 1,
                    "cores_per_socket": 8,
                    "ghz": 2.0,
                    "ram_gb": 64,
                    "nics": [{"count": 2, "gbps": 10}],
                },
                {"id": "slow", "sockets": 1, "cores_per_socket": 8, "ghz": 2.0, "ram_gb": 64},
            ],
            "hosts": [
                {"id": "h1", "model": "m"},
                {"id": "h2", "model": "m"},
                {"id": "h3", "model": "slow"},
            ],
            "vms": [
                {"id": "a", "count": 2, "vcpu": 2, "ram_gb": 8, "host": "h1", "profile": "flat"},
                {"id": "b", "vcpu": 2, "ram_gb": 4, "host": "h2", "profile": "flat"},
                {"id": "c", "vcpu": 1, "ram_gb": 4, "host": None, "profile": "flat"},
            ],
            "workloads": [{"name": "flat", "kind": "constant", "cpu_avg": 0.5, "ram_avg": 0.5}],
        }
    )


def test_moved_vms_sees_only_moves() -> None:
    p = plan()
    moved = edits.move_vms(p, ["a"], "h2")
    assert moved_vms(p, moved) == {"a": "h2"}
    assert moved_vms(p, edits.move_vms(p, ["c"], "h3")) == {"c": "h3"}
    pinned = p.model_copy(
        update={"vms": [p.vms[0].model_copy(update={"pinned": True}), *p.vms[1:]]}
    )
    assert moved_vms(p, pinned) == {}
    bigger = p.model_copy(update={"vms": [p.vms[0].model_copy(update={"vcpu": 4}), *p.vms[1:]]})
    assert moved_vms(p, bigger) is None
    assert moved_vms(p, plan(headroom_pct=30)) is None


def test_update_by_moves_matches_a_fresh_simulation() -> None:
    live = LiveSimulation(plan(), HV, days=1, step_minutes=60)
    sim = live.sim
    after = edits.move_vms(plan(), ["a"], "h3")
    assert live.update(after, HV) == frozenset({"h1", "h3"})
    assert live.sim is sim
    fresh = Simulator(after, HV, days=1, step_minutes=60)
    assert np.allclose(live.sim.series, fresh.series)
    assert live.update(plan(headroom_pct=10), HV) is None
    assert live.sim is not sim


def test_the_cluster_total_kept_by_moves_is_the_sum_of_the_hosts() -> None:
    live = LiveSimulation(plan(), HV, days=1, step_minutes=60)
    for vm, host in [("a", "h3"), ("c", "h1"), ("b", None), ("a", "h2"), ("c", None)]:
        p = edits.move_vms(live.plan, [vm], host)
        live.update(p, HV)
        assert np.allclose(live.sim.total, live.sim.series.sum(axis=1))
    fresh = Simulator(live.plan, HV, days=1, step_minutes=60)
    assert np.allclose(live.sim.total, fresh.total)
    assert live.sim.result().cluster == fresh.result().cluster
    assert np.allclose(
        live.percent(CLUSTER),
        LiveSimulation(live.plan, HV, days=1, step_minutes=60).percent(CLUSTER),
        equal_nan=True,
    )


def test_moves_at_once_equal_a_fresh_simulation() -> None:
    sim = Simulator(plan(), HV, days=1, step_minutes=60)
    moves = {"a": "h3", "b": "h1", "c": "h2"}
    sim.move_many(moves)
    fresh = Simulator(
        edits.move_vms(
            edits.move_vms(edits.move_vms(plan(), ["a"], "h3"), ["b"], "h1"), ["c"], "h2"
        ),
        HV,
        days=1,
        step_minutes=60,
    )
    assert np.allclose(sim.series, fresh.series) and np.allclose(sim.total, fresh.total)
    assert np.allclose(sim.allocated, fresh.allocated)
    assert sim.host_rows() == fresh.host_rows()


def test_many_moves_build_anew_with_the_same_result() -> None:
    extra = [
        VM(id=f"v{i}", vcpu=1, ram_gb=1, host="h1", profile="flat") for i in range(rebuild_after(0))
    ]
    before = edits.rebuild(plan(), vms=[*plan().vms, *extra])
    live = LiveSimulation(before, HV, days=1, step_minutes=60)
    sim = live.sim
    after = edits.move_vms(before, ["a", *(v.id for v in extra)], "h2")
    assert live.update(after, HV) is None
    assert live.sim is not sim
    fresh = Simulator(after, HV, days=1, step_minutes=60)
    assert np.allclose(live.sim.series, fresh.series)


def test_percent_of_host_and_cluster() -> None:
    live = LiveSimulation(plan(), HV, days=1, step_minutes=60)
    h1 = live.percent("h1")
    assert h1.shape == (3, 24)
    assert h1[0] == pytest.approx(np.full(24, 25.0))  # 2 × 2 × 0.5 busy vCPUs of 8 LPs
    assert live.headroom_pct("h1")[0] == pytest.approx(80.0)
    # The cluster is the hosts in use: h1 and h2 (h3 is empty), 3 busy vCPUs of 16 LPs.
    cluster = live.percent(CLUSTER)
    assert live.hosts_in_use() == 2
    assert cluster[0] == pytest.approx(np.full(24, 100 * 3 / 16))
    assert np.isnan(live.percent("h3")[2]).all()  # no NICs listed


def test_empty_hosts_do_not_dilute_the_cluster() -> None:
    # Twelve VMs' worth of load on h1 alone: the cluster reads h1's figure, not a third of it.
    busy = edits.move_vms(plan(), ["b"], "h1")
    live = LiveSimulation(busy, HV, days=1, step_minutes=60)
    assert live.hosts_in_use() == 1
    assert live.percent(CLUSTER)[0] == pytest.approx(live.percent("h1")[0])
    assert live.headroom_pct(CLUSTER)[0] == pytest.approx(80.0)
    empty = edits.rebuild(plan(), vms=[])
    live = LiveSimulation(empty, HV, days=1, step_minutes=60)
    assert live.hosts_in_use() == 0
    assert live.percent(CLUSTER)[0] == pytest.approx(np.zeros(24))  # 0 %, not "unknown"


def test_failure_drops_the_host_and_lifts_the_cluster() -> None:
    live = LiveSimulation(plan(), HV, days=1, step_minutes=60)
    live.set_failure(["h1"], 600)
    h1, h2, cl = live.percent("h1"), live.percent("h2"), live.percent(CLUSTER)
    assert h1[0, :10] == pytest.approx(25.0) and (h1[0, 10:] == 0).all()
    assert h2[0, 10:].min() > h2[0, :10].max()  # the spike on a survivor
    assert cl[0, 10:].min() > cl[0, :10].max()  # same demand on less capacity
    assert live.failed_at("h1") == 600
    f = live.failover
    assert f is not None and f.held and f.failed_hosts == ["h1"]
    # The what-if survives an edit and is recomputed on the new placement.
    assert live.update(edits.move_vms(live.plan, ["c"], "h3"), HV) is None
    assert live.failover is not None
    live.clear_failure(["h1"])
    assert live.failover is None and live.failed_at("h1") is None
    with pytest.raises(ValueError):
        live.set_failure(["h1", "h2", "h3"], 0)


def test_sparks_keep_peaks() -> None:
    x = np.zeros((2, 2016))
    x[0, 1000] = 90.0
    small = downsample_peak(x, 60)
    assert small.shape == (2, 60) and small[0].max() == 90.0
    assert downsample_peak(np.ones(10), 60).shape == (10,)
    live = LiveSimulation(plan(), HV)
    sparks = live.sparks()
    assert set(sparks) == {"h1", "h2", "h3"} and sparks["h1"].shape == (2, 60)


def test_playback_loops_and_seeks() -> None:
    pb = Playback(period_minutes=1440.0, minute=1430.0, speed=1000)
    assert pb.advance(1.0) == 1430.0  # paused
    pb.playing = True
    assert pb.advance(1.2) == pytest.approx(10.0)  # 20 simulated minutes, wrapped
    assert pb.seek(5000) == 1440.0


def test_move_note_uses_the_slower_link_and_says_its_assumption() -> None:
    p = plan()
    fast = estimate_moves(p, ["b"], "h1")
    assert len(fast) == 1 and fast[0].gbps == 10
    assert fast[0].estimate.link_mb_s == pytest.approx(gbps_to_mb_s(10))
    slow = estimate_moves(p, ["b"], "h3")[0]
    assert slow.gbps == 1  # h3 lists no NICs: the plan's default 1 GbE
    assert slow.estimate.total_seconds > fast[0].estimate.total_seconds
    text = move_note([slow])
    assert text.startswith("A live migration of this VM would take ~")
    assert "ms pause" in text and "assumed dirty rate 5 MB/s per GB" in text
    assert "Microsoft Hyper-V publishes no pre-copy model; Xen's stop rules assumed" in text
    assert estimate_moves(p, ["c"], "h1") == []  # from the tray: nothing migrates
    assert "these 2 VMs" in move_note(estimate_moves(p, ["a"], "h2"))


def test_move_note_on_kvm_names_its_assumptions() -> None:
    kvm = load_catalog().get("kvm@rhel9")
    moves = estimate_moves(plan(), ["b"], "h1", kvm)
    assert moves[0].estimate.stop_reason == "downtime-limit"
    note = move_note(moves)
    assert "lifted by libvirt" in note  # QEMU's 128 MB/s default does not apply
    assert "writable working set assumed" in note
    assert "Xen's assumed" not in note  # QEMU's own rules, nothing borrowed


def test_moved_vms_stops_past_its_limit() -> None:
    p = plan()
    both = edits.move_vms(edits.move_vms(p, ["a"], "h2"), ["c"], "h3")
    assert moved_vms(p, both) == {"a": "h2", "c": "h3"}
    assert moved_vms(p, both, limit=2) == {"a": "h2", "c": "h3"}
    assert moved_vms(p, both, limit=1) is None


def test_a_retired_simulation_is_shrunk_follows_no_move_and_rebuilds_on_update() -> None:
    p = plan()
    live = LiveSimulation(p, HV)
    before = {h: live.percent(h) for h in ("h1", "h2", CLUSTER)}
    with pytest.raises(ValueError, match="retired"):
        live.shrink()  # a simulation that still follows edits keeps its float64 series
    live.retire()
    live.shrink()
    assert live.sim.series.dtype == np.float32
    # What the views draw from it stays the same to float32's precision.
    for h, pct in before.items():
        np.testing.assert_allclose(live.percent(h), pct, rtol=1e-6, equal_nan=True)
    moved = edits.move_vms(p, ["a"], "h2")
    assert live.moves_to(moved) is None  # no move is added to the halved series
    assert live.update(moved, HV) is None  # an edit builds it anew, at full precision
    assert not live.retired and live.sim.series.dtype == np.float64
    fresh = LiveSimulation(moved, HV)
    np.testing.assert_array_equal(live.sim.series, fresh.sim.series)
