"""Placement: every result checked by the independent checker; tiny plans against brute force."""

from __future__ import annotations

import pytest

from hvplanner.engine.placement import assumptions_for, place, verify
from hvplanner.errors import InputError, PlacementInputError
from hvplanner.model.plan import VM, Host
from tests.engine.placement_helpers import (
    all_instances,
    brute_force,
    host_model,
    placed,
    plan_of,
)


def test_every_instance_is_placed_and_loads_add_up() -> None:
    plan = plan_of([VM(id="web", count=10, vcpu=2, ram_gb=8), VM(id="db", vcpu=4, ram_gb=32)])
    r, _ = placed(plan)
    assert set(r.assignment) == set(all_instances(plan))
    assert r.host_count == sum(r.per_model.values()) == len(r.hosts)
    # 24 vCPUs over 8 per host: the volume bound is 3, and 3 hosts suffice.
    assert r.lower_bound == 3
    assert r.host_count == 3
    assert r.optimal
    assert "volume" in r.bounds.tight
    for h in r.hosts:
        assert h.load.vms == len(h.instances)
        assert h.load.binding in {"cpu", "ram"}
        assert h.load.ok


def test_binding_dimension_and_utilization() -> None:
    plan = plan_of([VM(id="big", count=2, vcpu=1, ram_gb=32)])
    r, _ = placed(plan)
    assert r.host_count == 1
    h = r.hosts[0]
    assert h.load.binding == "ram"
    assert h.load.utilization["ram"] == pytest.approx(1.0)
    assert h.load.utilization["cpu"] == pytest.approx(2 / 8)


@pytest.mark.parametrize(
    ("vms", "models"),
    [
        # 3-D items that pair badly under a first-fit order.
        (
            [
                VM(id="a", count=3, vcpu=5, ram_gb=10),
                VM(id="b", count=3, vcpu=3, ram_gb=40),
                VM(id="c", count=2, vcpu=2, ram_gb=20),
            ],
            None,
        ),
        (
            [VM(id="a", count=4, vcpu=3, ram_gb=30), VM(id="b", count=3, vcpu=4, ram_gb=20)],
            [host_model("small", cost=1.0), host_model("big", cores=16, ram_gb=130, cost=1.7)],
        ),
        (
            [
                VM(id="a", count=2, vcpu=4, ram_gb=16, anti_affinity="g"),
                VM(id="b", vcpu=2, ram_gb=8, anti_affinity="g"),
                VM(id="c", count=3, vcpu=3, ram_gb=30),
            ],
            None,
        ),
        (
            [VM(id="x", count=7, vcpu=3, ram_gb=21)],
            [host_model("a", cost=2.0), host_model("b", cores=4, ram_gb=34, cost=0.9)],
        ),
    ],
)
def test_tiny_plans_are_optimal(vms: list[VM], models: list | None) -> None:
    plan = plan_of(vms, models)
    r, a = placed(plan)
    best = brute_force(plan, a)
    got = r.cost if r.cost is not None else r.host_count
    assert got == pytest.approx(best)
    assert r.optimal


def test_cost_is_minimised_over_models() -> None:
    # 8 VMs of 4 vCPU: 2 per small host (cost 1) or 4 per big host (cost 1.5).
    plan = plan_of(
        [VM(id="v", count=8, vcpu=4, ram_gb=8)],
        [host_model("small", cost=1.0), host_model("big", cores=16, ram_gb=130, cost=1.5)],
    )
    r, _ = placed(plan)
    assert r.per_model == {"big": 2}
    assert r.cost == pytest.approx(3.0)
    assert r.cost_lower_bound is not None
    assert r.cost <= r.cost_lower_bound * 1.0 + 1e-9 or r.optimal


def test_pinned_vms_stay_and_listed_hosts_come_first() -> None:
    plan = plan_of(
        [
            VM(id="p", vcpu=6, ram_gb=8, host="h1", pinned=True),
            VM(id="q", vcpu=6, ram_gb=8, host="h1"),  # not pinned: may move
            VM(id="free", count=5, vcpu=2, ram_gb=4),
        ],
        hosts=[Host(id="h1", model="m"), Host(id="h2", model="m"), Host(id="idle", model="m")],
    )
    r, _ = placed(plan)
    assert r.assignment["p"] == "h1"
    ids = [h.id for h in r.hosts]
    assert "h1" in ids and "h2" in ids  # listed hosts are used before new ones
    assert all(not h.new for h in r.hosts)  # 22 vCPUs fit the three listed hosts
    assert r.host_count == 3


def test_unused_listed_hosts_are_reported() -> None:
    plan = plan_of(
        [VM(id="v", vcpu=1, ram_gb=1)],
        hosts=[Host(id="a", model="m"), Host(id="b", model="m")],
    )
    r, _ = placed(plan)
    assert r.host_count == 1
    assert r.unused_hosts == ["b"]


def test_anti_affinity_bound_and_spread() -> None:
    plan = plan_of([VM(id="rep", count=5, vcpu=1, ram_gb=1, anti_affinity="quorum")])
    r, _ = placed(plan)
    assert r.bounds.anti_affinity == 5
    assert r.host_count == 5
    assert "anti_affinity" in r.bounds.tight
    assert len(set(r.assignment.values())) == 5


def test_generated_host_ids_do_not_clash() -> None:
    plan = plan_of(
        [VM(id="v", count=3, vcpu=8, ram_gb=1)],
        hosts=[Host(id="m-002", model="m")],
    )
    r, _ = placed(plan)
    assert len({h.id for h in r.hosts}) == 3
    assert r.hosts[0].id == "m-002"


def test_larger_mix_close_to_bound() -> None:
    sizes = [(1, 2), (2, 4), (2, 8), (4, 8), (4, 16), (8, 32), (1, 8), (2, 16)]
    vms = [VM(id=f"s{i}", count=60 + 7 * i, vcpu=c, ram_gb=g) for i, (c, g) in enumerate(sizes)]
    plan = plan_of(
        vms, [host_model("h", cores=32, ram_gb=258)], vcpu_per_lp=4.0
    )  # 128 vCPUs, 256 GB
    r, _ = placed(plan, time_limit=5.0)
    assert r.ratio <= 1.05
    assert r.optimal or r.bounds.lp is not None


def test_headroom_keeps_capacity_free() -> None:
    plan = plan_of([VM(id="v", count=8, vcpu=1, ram_gb=1)], headroom_pct=50)
    r, _ = placed(plan)
    assert r.host_count == 2
    assert all(h.load.vcpus <= 4 for h in r.hosts)


# --- bad input -------------------------------------------------------------------------


def test_vm_larger_than_every_model_names_vm_and_dimension() -> None:
    plan = plan_of([VM(id="huge", vcpu=2, ram_gb=100)], [host_model("a"), host_model("b")])
    with pytest.raises(PlacementInputError, match=r"'huge'.*RAM.*a.*RAM.*b"):
        place(plan)


def test_vm_wider_than_host_processors() -> None:
    plan = plan_of([VM(id="wide", vcpu=12, ram_gb=1)], vcpu_per_lp=4.0)  # 32 vCPUs, 8 LPs
    with pytest.raises(PlacementInputError, match=r"'wide'.*logical processors"):
        place(plan)


def test_group_larger_than_allowed_hosts() -> None:
    plan = plan_of([VM(id="r", count=4, vcpu=1, ram_gb=1, anti_affinity="ha")])
    with pytest.raises(PlacementInputError, match=r"'ha' has 4 members.*at most 3"):
        place(plan, max_hosts=3)
    assert issubclass(PlacementInputError, InputError)


def test_plan_needing_more_than_max_hosts() -> None:
    plan = plan_of([VM(id="v", count=4, vcpu=8, ram_gb=1)])
    with pytest.raises(PlacementInputError, match="needs 4 hosts"):
        place(plan, max_hosts=3)


def test_pinned_overload_is_refused() -> None:
    plan = plan_of(
        [VM(id="p", count=3, vcpu=4, ram_gb=1, host="h", pinned=True)],
        hosts=[Host(id="h", model="m")],
    )
    with pytest.raises(PlacementInputError, match="overload host 'h': vCPUs"):
        place(plan)


def test_pinned_group_members_on_one_host_are_refused() -> None:
    plan = plan_of(
        [
            VM(id="a", vcpu=1, ram_gb=1, host="h", pinned=True, anti_affinity="g"),
            VM(id="b", vcpu=1, ram_gb=1, host="h", pinned=True, anti_affinity="g"),
        ],
        hosts=[Host(id="h", model="m")],
    )
    with pytest.raises(PlacementInputError, match=r"'g'.*pinned to host 'h'"):
        place(plan)


def test_no_host_models() -> None:
    plan = plan_of([VM(id="v", vcpu=1, ram_gb=1)]).model_copy(update={"host_models": []})
    with pytest.raises(PlacementInputError, match="no host models"):
        place(plan)


def test_placement_honours_the_os_conditional_ratio_of_hyper_v_2008_r2() -> None:
    # Hyper-V 2008 R2 supports 12 vCPUs per LP when every guest is Windows 7, else 8:
    # the placement must resolve the ratio with the plan's VMs, as sizing does.
    win7 = VM(id="d", count=96, vcpu=1, ram_gb=0.5, os="windows-7")
    plan = plan_of([win7], vcpu_per_lp=12)
    assert plan.hypervisor == "hyper-v@2008r2"
    a = assumptions_for(plan)
    assert a.ratio.value == 12
    r = place(plan)
    assert verify(plan, r, a) == []
    assert r.host_count == 1  # 96 vCPUs on 8 LPs at 12:1
    mixed = plan.model_copy(
        update={"vms": [win7, VM(id="s", vcpu=1, ram_gb=0.5, os="windows-server")]}
    )
    assert assumptions_for(mixed).ratio.value == 8
    assert place(mixed).host_count == 2  # 97 vCPUs at 8:1: 64 per 8-LP host


def test_the_reports_bound_uses_the_os_conditional_ratio_too() -> None:
    # The Report's lower bound resolves the ratio with the plan's VMs, like placement: 96
    # Windows 7 desktops at 12:1 fit one 8-LP host, so the bound is 1, not the 8:1 figure 2.
    from hvplanner.engine.report import build_report

    win7 = VM(id="d", count=96, vcpu=1, ram_gb=0.5, os="windows-7")
    plan = plan_of([win7], vcpu_per_lp=12)
    host = Host(id="h1", model=plan.host_models[0].id)
    plan = plan.model_copy(update={"hosts": [host]})
    bounds = build_report(plan, layout=True).results.bounds
    assert bounds is not None and bounds.best == 1
