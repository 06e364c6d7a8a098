"""Re-placing a plan whose VMs sit on hosts already: VMs stay where the packing allows, and
the result counts those that move."""

from __future__ import annotations

from hvplanner.engine.placement.apply import apply_placement
from hvplanner.model.placement import PlacementResult
from hvplanner.model.plan import VM, Plan
from tests.engine.placement_helpers import listed_hosts, placed, plan_of


def _moves(plan: Plan, r: PlacementResult) -> int:
    """Instances on a host now whose host changes, counted apart from the engine."""
    n = 0
    for vm in plan.vms:
        if vm.host is not None:
            n += sum(r.assignment[i] != vm.host for i in vm.instance_ids())
    return n


def test_vms_already_packed_stay_and_the_plan_comes_back_unchanged() -> None:
    # Two 4-vCPU VMs fill an 8-core host: 3 hosts is the bound, and the plan has them so,
    # in an order the packing would not pick by itself (vm0 on h2, vm1 on h0, …).
    on = ["h2", "h0", "h1", "h2", "h0", "h1"]
    plan = plan_of(
        [VM(id=f"vm{i}", vcpu=4, ram_gb=8, host=h) for i, h in enumerate(on)], hosts=listed_hosts(3)
    )
    r, _a = placed(plan)
    assert r.host_count == 3 and r.optimal
    assert r.moved == 0 == _moves(plan, r)
    assert r.assignment == {f"vm{i}": h for i, h in enumerate(on)}
    assert apply_placement(plan, r) == plan


def test_two_hosts_holding_each_others_contents_stay_put() -> None:
    # 6 + 2 and 5 + 3 vCPUs is the only two-host packing: whichever listed host the packing
    # gives each pair first, both layouts keep every VM where it is.
    for first, second in (("h0", "h1"), ("h1", "h0")):
        plan = plan_of(
            [
                VM(id="a", vcpu=6, ram_gb=8, host=first),
                VM(id="a2", vcpu=2, ram_gb=8, host=first),
                VM(id="b", vcpu=5, ram_gb=8, host=second),
                VM(id="b2", vcpu=3, ram_gb=8, host=second),
            ],
            hosts=listed_hosts(2),
        )
        r, _a = placed(plan)
        assert r.host_count == 2
        assert r.moved == 0 == _moves(plan, r), r.assignment
        assert apply_placement(plan, r) == plan


def test_consolidation_moves_only_what_it_must() -> None:
    # One 4-vCPU VM on each of 4 hosts packs onto 2: two VMs move, two stay.
    plan = plan_of(
        [VM(id=f"vm{i}", vcpu=4, ram_gb=8, host=f"h{i}") for i in range(4)], hosts=listed_hosts(4)
    )
    r, _a = placed(plan)
    assert r.host_count == 2
    assert r.moved == 2 == _moves(plan, r)
    assert sum(r.assignment[f"vm{i}"] == f"h{i}" for i in range(4)) == 2


def test_moves_count_instances_of_entries_with_a_count() -> None:
    # Four 4-vCPU instances on h0 (twice what it holds) and two without a host: h0 keeps two
    # of its own, the other two move; the two new ones are placed, not moved.
    plan = plan_of(
        [
            VM(id="web", count=4, vcpu=4, ram_gb=8, host="h0"),
            VM(id="db", count=2, vcpu=4, ram_gb=8),
        ],
        hosts=listed_hosts(3),
    )
    r, _a = placed(plan)
    assert r.host_count == 3
    assert r.moved == 2 == _moves(plan, r)
    web = plan.vms[0].instance_ids()
    assert sum(r.assignment[i] == "h0" for i in web) == 2


def test_pinned_vms_are_never_counted_as_moves() -> None:
    plan = plan_of(
        [
            VM(id="p", vcpu=4, ram_gb=8, host="h1", pinned=True),
            VM(id="x", vcpu=4, ram_gb=8, host="h1"),
            VM(id="y", vcpu=4, ram_gb=8, host="h0"),
        ],
        hosts=listed_hosts(2),
    )
    r, _a = placed(plan)
    assert r.assignment["p"] == "h1"
    assert r.moved == _moves(plan, r) == 0


def test_a_shuffled_estate_is_placed_the_same_each_time() -> None:
    n_hosts, n_vms = 12, 120
    plan = plan_of(
        [
            VM(id=f"vm{i}", vcpu=1 + i % 3, ram_gb=2 + i % 5, host=f"h{(i * 7) % n_hosts}")
            for i in range(n_vms)
        ],
        hosts=listed_hosts(n_hosts),
    )
    first, _a = placed(plan)
    second, _a = placed(plan)
    assert first.assignment == second.assignment
    assert [h.instances for h in first.hosts] == [h.instances for h in second.hosts]
    assert first.moved == second.moved == _moves(plan, first)
    # Fewer hosts than the plan lists: some VMs must move, and no more than do not fit.
    assert 0 < first.moved < n_vms
