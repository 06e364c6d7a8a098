"""One per-host sum: the canvas bars and the placement's loads agree because they share it."""

from __future__ import annotations

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.engine.hostload import LoadCalculator, plan_loads, vms_by_host
from hvplanner.engine.hostsums import HostSums, claim, claim_key, host_sums, sums_by_host
from hvplanner.engine.placement import check_hosts, host_loads
from hvplanner.engine.placement.place import assumptions_for
from hvplanner.engine.placement.problem import demand
from hvplanner.formats.planfile import load_plan
from hvplanner.model.plan import VM, Host, Plan
from hvplanner.paths import samples_dir
from tests.engine.placement_helpers import plan_of

SAMPLES = sorted(samples_dir().glob("*.hvplan.json"))


def _mixed() -> Plan:
    return plan_of(
        [
            VM(id="a", count=3, vcpu=2, ram_gb=8, disk_gb=40, host="h1", anti_affinity="g"),
            VM(id="b", vcpu=4, ram_gb=16, nic_mbps=100, cpu_mhz=1500, host="h1"),
            VM(id="c", vcpu=2, ram_gb=4, host="h2", anti_affinity="g"),
            VM(id="loose", vcpu=1, ram_gb=1),
        ],
        hosts=[Host(id=f"h{i}", model="m") for i in (1, 2, 3)],
        vm_overhead_mb=48.0,
        ram_overcommit=1.5,
        headroom_pct=20.0,
    )


def _plans() -> list[Plan]:
    return [_mixed(), *(load_plan(p) for p in SAMPLES)]


@pytest.mark.parametrize("plan", _plans(), ids=lambda p: p.name or "mixed")
def test_bars_and_placement_loads_read_the_same_sums(plan: Plan) -> None:
    profile = load_catalog().get(plan.hypervisor)
    bars = plan_loads(plan, profile)
    loads = host_loads(plan, assumptions_for(plan))
    reserve = LoadCalculator(plan, profile).assumptions.host_reserve.value
    assert set(bars) == set(loads) == {h.id for h in plan.hosts}
    for hid, load in loads.items():
        bar = bars[hid]
        ram = bar.dim("ram")
        assert ram is not None
        assert ram.used - reserve == pytest.approx(load.ram_gb * 1024)
        assert bar.dim("vcpus").used == pytest.approx(load.vcpus)
        assert bar.dim("vms").used == load.vms
        assert bar.dim("nic").used == pytest.approx(load.nic_mbps)
        assert bar.dim("disk").used == pytest.approx(load.disk_gb)
        # The placement's capacity is the bar's headroom line: both call the same host over.
        over = {"vcpus": "cpu", "ram": "ram", "nic": "nic", "disk": "disk", "vms": "vms"}
        for key, name in over.items():
            dim = bar.dim(key)  # type: ignore[arg-type]
            assert dim is not None
            assert (dim.state == "over") == (name in load.over), (hid, key)


def test_sums_split_ram_and_count_groups_and_mhz() -> None:
    plan = _mixed()
    a = assumptions_for(plan)
    sums = sums_by_host(plan, a)
    h1 = sums["h1"]
    assert h1.instances == 4
    assert h1.vcpus == 10
    assert h1.vm_ram_mb == pytest.approx((3 * 8 + 16) * 1024 / 1.5)
    assert h1.overhead_mb == 4 * 48
    assert h1.disk_gb == 120 and h1.nic_mbps == 100
    assert h1.mhz == 1500 and h1.mhz_instances == 1
    assert h1.groups == {"g": 3}
    assert sums["h3"].instances == 0 and sums["h3"].mhz_instances == 0
    # The bars show a CPU (MHz) bar only where a VM states its MHz.
    bars = plan_loads(plan, load_catalog().get(plan.hypervisor))
    assert bars["h1"].dim("mhz") is not None and bars["h2"].dim("mhz") is None


def test_one_host_or_many_the_sums_are_the_same() -> None:
    plan = _mixed()
    a = assumptions_for(plan)
    by_host = vms_by_host(plan)
    every = sums_by_host(plan, a)
    assert set(sums_by_host(plan, a, ["h2", "nope"])) == {"h2"}
    for hid in every:
        assert host_sums(by_host[hid], a) == every[hid]
        assert sums_by_host(plan, a, [hid])[hid] == every[hid]


def test_placement_demand_is_the_claim() -> None:
    plan = _mixed()
    a = assumptions_for(plan)
    for vm in plan.vms:
        c = claim(vm, a)
        assert demand(vm, a) == (c.vcpus, a.vm_ram_mb(vm), c.disk_gb, c.nic_mbps, c.mhz or 0, 1)


def test_claim_key_holds_every_field_the_claim_reads() -> None:
    """VMs equal in `claim_key` claim the same (placement works each key out once), and a
    change to any field of the key changes the claim."""
    a = assumptions_for(_mixed())
    base = VM(id="a", vcpu=2, ram_gb=8, disk_gb=40, nic_mbps=100, cpu_mhz=2000)
    others = {
        "id": "b",
        "name": "other",
        "count": 3,
        "host": "h1",
        "pinned": True,
        "anti_affinity": "g",
        "profile": "bursty",
        "os": "windows-7",
    }
    for field, value in others.items():
        twin = base.model_copy(update={field: value})
        assert claim_key(twin) == claim_key(base)
        assert claim(twin, a) == claim(base, a), field
    for field, value in {"vcpu": 4, "ram_gb": 16.0, "disk_gb": 80.0, "nic_mbps": 50.0}.items():
        changed = base.model_copy(update={field: value})
        assert claim_key(changed) != claim_key(base)
        assert claim(changed, a) != claim(base, a), field
    no_mhz = base.model_copy(update={"cpu_mhz": None})
    assert claim_key(no_mhz) != claim_key(base) and claim(no_mhz, a) != claim(base, a)
    assert set(VM.model_fields) == {*others, "vcpu", "ram_gb", "disk_gb", "nic_mbps", "cpu_mhz"}


def test_a_move_and_back_gives_the_same_loads() -> None:
    plan = _mixed()
    a = assumptions_for(plan)
    before = host_loads(plan, a)
    vms = [v.model_copy(update={"host": "h3"}) if v.id == "b" else v for v in plan.vms]
    moved = check_hosts(plan.model_copy(update={"vms": vms}), ["h1", "h3"], a)
    assert moved["h3"].mhz == 1500 and moved["h1"].mhz == 0
    assert check_hosts(plan, ["h1", "h3"], a) == {h: before[h] for h in ("h1", "h3")}


def test_host_sums_of_many_same_sized_vms_are_the_vm_by_vm_sums() -> None:
    # host_sums makes one claim per size; adding each VM's own claim in turn is the rule.
    vms = [
        VM(id=f"v{i}", count=1 + i % 3, vcpu=1 + i % 2, ram_gb=0.1 * (1 + i % 3), nic_mbps=0.1)
        for i in range(60)
    ] + [VM(id="m", vcpu=1, ram_gb=0.1, nic_mbps=0.1, cpu_mhz=700)]
    a = assumptions_for(_mixed())
    one_by_one = HostSums()
    for vm in vms:
        one_by_one.add(vm, a)
    assert host_sums(vms, a) == one_by_one
