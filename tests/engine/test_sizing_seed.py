"""The seed document's worked examples, (a)–(d), as acceptance tests."""

from __future__ import annotations

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.engine.sizing import HostShape, size
from hvplanner.model.plan import VM, HostModel, NicGroup, Policy


@pytest.fixture
def r2():
    return load_catalog().get("hyper-v@2008r2")


def test_a_200_win7_on_one_host(r2):
    vms = [VM(id="win7", count=200, vcpu=1, ram_gb=2, disk_gb=100, nic_mbps=100)]
    policy = Policy(vcpu_per_lp=8, vm_overhead_mb=32, host_reserve_mb=512, rounding="pow2")
    r = size(vms, r2, policy)
    assert r.vcpus == 200
    assert r.logical_processors == 25
    assert r.logical_processors_rounded == 32
    assert r.ram_gb == pytest.approx(406.75)
    assert r.ram_gb_rounded == 512
    assert r.vms_per_nic == 10
    assert r.nics == 20
    assert r.storage_gb == 20_000
    assert r.hosts == 1
    assert not r.limits_exceeded
    # Every figure is explained, and the limits cite their source.
    ids = [s.id for s in r.steps]
    assert ids[:3] == ["vms", "vcpus", "lps"]
    hosts_step = next(s for s in r.steps if s.id == "hosts")
    assert hosts_step.source == "ms-hyperv-2008r2-limits"
    ram_step = next(s for s in r.steps if s.id == "ram")
    assert "416,512 MB" in ram_step.result


def test_a_without_rounding_keeps_raw_figures(r2):
    vms = [VM(id="win7", count=200, vcpu=1, ram_gb=2, disk_gb=100, nic_mbps=100)]
    r = size(vms, r2, Policy(vcpu_per_lp=8, vm_overhead_mb=32, host_reserve_mb=512))
    assert r.logical_processors_rounded == 25
    assert r.ram_gb_rounded == pytest.approx(406.75)


def test_b_16_vms_two_vcpus_need_two_dual_core_cpus(r2):
    vms = [VM(id="app", count=16, vcpu=2, ram_gb=1)]
    r = size(vms, r2, Policy(vcpu_per_lp=8), HostShape(cores_per_socket=2, threads_per_core=1))
    assert r.vcpus == 32
    assert r.logical_processors == 4
    assert r.sockets == 2


def test_c_400_vcpus_fit_the_documented_limits_not_the_seeds_384(r2):
    vms = [VM(id="win7", count=200, vcpu=2, ram_gb=2)]
    r = size(vms, r2, Policy(vcpu_per_lp=8, vm_overhead_mb=32, host_reserve_mb=512))
    assert r.vcpus == 400
    assert r.logical_processors == 50
    by_id = {c.id: c for c in r.constraints}
    assert by_id["running_vms_per_host"].per_host == 384
    assert by_id["vcpus_per_host"].per_host == 512
    assert by_id["lps_per_host"].per_host == 64
    assert r.hosts == 1
    # 400/512 and 50/64 are both 78 %: the binding limit is one of those, not 384 VMs.
    assert r.binding in {"vcpus_per_host", "lps_per_host"}
    assert by_id[r.binding].fill == pytest.approx(400 / 512)


def test_c_past_the_vcpu_limit_needs_a_second_host(r2):
    vms = [VM(id="win7", count=300, vcpu=2, ram_gb=1)]
    r = size(vms, r2, Policy(vcpu_per_lp=8))
    assert r.hosts == 2
    assert r.binding in {"vcpus_per_host", "lps_per_host"}


def test_d_p2v_128_old_servers_onto_8_dual_socket_quad_core_hosts(r2):
    old = [VM(id="old", count=128, vcpu=1, ram_gb=1, cpu_mhz=1000)]
    host = HostModel(
        id="2s4c",
        sockets=2,
        cores_per_socket=4,
        ghz=2.0,
        ram_gb=32,
        nics=[NicGroup(count=2, gbps=1)],
    )
    r = size(old, r2, Policy(vcpu_per_lp=8), HostShape.of_model(host))
    assert r.cpu_mhz == 128_000
    assert r.hosts == 8
    assert r.binding == "cpu_mhz"


def test_failover_growth_and_headroom(r2):
    vms = [VM(id="v", count=100, vcpu=1, ram_gb=4)]
    host = HostModel(id="m", sockets=2, cores_per_socket=8, ghz=2.0, ram_gb=128)
    base = size(vms, r2, Policy(), HostShape.of_model(host))
    grown = size(vms, r2, Policy(growth_pct_per_year=10, growth_years=2), HostShape.of_model(host))
    assert grown.vms == 121  # ⌈100 × 1.1²⌉
    assert any(s.id == "growth" for s in grown.steps)
    spare = size(vms, r2, Policy(failover_hosts=1), HostShape.of_model(host))
    assert spare.hosts == base.hosts + 1
    tight = size(vms, r2, Policy(headroom_pct=50), HostShape.of_model(host))
    assert tight.hosts > base.hosts


def test_per_vm_limits_are_reported(r2):
    r = size([VM(id="big", vcpu=8, ram_gb=128)], r2, Policy())
    assert any("vCPUs per VM" in x for x in r.limits_exceeded)
    assert any("GB per VM" in x for x in r.limits_exceeded)


def test_catalog_overhead_model_is_used_without_override(r2):
    r = size([VM(id="v", count=10, vcpu=1, ram_gb=2)], r2, Policy())
    # Hyper-V 2008 R2: 32 MB for the first GB + 8 MB for the second.
    assert r.vm_overhead_gb * 1024 == pytest.approx(10 * 40)
    step = next(s for s in r.steps if s.id == "overhead")
    assert step.source == "ms-biztalk-hyperv-costs"


def test_unknown_figures_become_warnings_not_guesses(r2):
    unknown = r2.model_copy(
        update={
            "limits": r2.limits.model_copy(
                update={
                    "vcpu_per_lp": r2.limits.vcpu_per_lp.model_copy(update={"value": None}),
                    "running_vms_per_host": r2.limits.running_vms_per_host.model_copy(
                        update={"value": None}
                    ),
                }
            )
        }
    )
    r = size([VM(id="v", count=10, vcpu=2, ram_gb=1)], unknown, Policy())
    assert r.vcpu_per_lp == 1  # the stated default, no overcommit, and said
    assert any("stated default 1:1" in w for w in r.warnings)
    assert "no maximum found" in r.ratio_basis
    assert any("running-VM limit" in w for w in r.warnings)
    assert "running_vms_per_host" not in {c.id for c in r.constraints}


def test_no_vms_no_hosts(r2):
    r = size([], r2, Policy())
    assert r.hosts == 0
    assert r.vms == 0


def test_tiny_nic_demand_does_not_overflow(r2):
    r = size([VM(id="v", count=3, vcpu=1, ram_gb=1, nic_mbps=1e-300)], r2, Policy())
    assert r.nics == 1
    assert r.vms_per_nic == 3


def test_long_sums_are_shortened_in_the_explanation(r2):
    vms = [VM(id=f"v{i}", count=2, vcpu=1, ram_gb=1) for i in range(30)]
    r = size(vms, r2, Policy())
    step = next(s for s in r.steps if s.id == "vcpus")
    assert step.values == "2 × 1 + 2 × 1 + 2 × 1 + … (30 VM entries)"
    assert step.result == "60 vCPUs"


def test_anti_affinity_group_needs_a_host_per_member(r2):
    vms = [
        VM(id="db", count=5, vcpu=1, ram_gb=1, anti_affinity="sql"),
        VM(id="w", vcpu=1, ram_gb=1),
    ]
    r = size(vms, r2, Policy())
    assert r.hosts == 5
    assert r.binding == "anti_affinity"


def test_vm_larger_than_the_host_model_is_reported(r2):
    host = HostModel(id="m", sockets=2, cores_per_socket=8, ghz=2.0, ram_gb=512)
    r = size([VM(id="huge", vcpu=2, ram_gb=600)], r2, Policy(), HostShape.of_model(host))
    assert any("exceeds the" in x and "huge" in x for x in r.limits_exceeded)


def test_p2v_needs_both_sockets_for_its_mhz(r2):
    old = [VM(id="old", count=128, vcpu=1, ram_gb=1, cpu_mhz=1000)]
    host = HostModel(id="2s4c", sockets=2, cores_per_socket=4, ghz=2.0, ram_gb=32)
    r = size(old, r2, Policy(vcpu_per_lp=8), HostShape.of_model(host))
    assert r.hosts == 8
    assert r.sockets == 2  # 16,000 MHz per host ÷ (4 cores × 2,000 MHz)


def test_failover_hosts_are_installed_like_the_others(r2):
    host = HostModel(id="m", sockets=2, cores_per_socket=8, ghz=2.0, ram_gb=128)
    r = size(
        [VM(id="v", count=100, vcpu=1, ram_gb=4)],
        r2,
        Policy(failover_hosts=1),
        HostShape.of_model(host),
    )
    assert r.hosts == r.hosts_before_failover + 1
    assert r.ram_gb_installed == pytest.approx(r.ram_gb_per_host * r.hosts)
    assert r.logical_processors_installed == r.logical_processors_per_host * r.hosts


def test_fastest_nic_group_sets_the_nic_speed(r2):
    host = HostModel(
        id="m",
        sockets=2,
        cores_per_socket=8,
        ghz=2.0,
        ram_gb=512,
        nics=[NicGroup(count=2, gbps=1), NicGroup(count=2, gbps=25)],
    )
    r = size(
        [VM(id="v", count=100, vcpu=1, ram_gb=1, nic_mbps=100)],
        r2,
        Policy(),
        HostShape.of_model(host),
    )
    assert r.nic_gbps == 25
