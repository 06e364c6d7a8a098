"""Applying a placement: VMs that stay are shared, moved ones are plain copies, and the
new plan's layout bounds are the engine's own (Auto-place reads them instead of working
them out again)."""

from __future__ import annotations

import pytest

from hvplanner.engine.assumptions import Assumptions
from hvplanner.engine.placement.apply import apply_placement
from hvplanner.engine.placement.layout import lower_bounds, placed_bounds, remember_bounds
from hvplanner.model.edits import on_host
from hvplanner.model.plan import VM, Host, Plan
from tests.engine.placement_helpers import host_model, placed, plan_of


def _plans() -> list[Plan]:
    mixed = [VM(id=f"v{i}", vcpu=1 + i % 4, ram_gb=2 + i % 9, host=f"h{i % 3}") for i in range(40)]
    hosts = [Host(id=f"h{i}", model="m") for i in range(3)]
    return [
        plan_of(mixed, hosts=hosts),
        plan_of(mixed, hosts=hosts, failover_hosts=2),
        plan_of(
            [
                VM(id="p", vcpu=6, ram_gb=8, host="h1", pinned=True),
                VM(id="q", vcpu=6, ram_gb=8, host="h1"),
                VM(id="rep", count=5, vcpu=1, ram_gb=1, anti_affinity="quorum"),
                VM(id="big", count=7, vcpu=5, ram_gb=40),
                VM(id="free", count=3, vcpu=2, ram_gb=4),
            ],
            hosts=[Host(id="h1", model="m")],
        ),
        plan_of(
            [VM(id=f"w{i}", vcpu=2, ram_gb=30) for i in range(9)],
            models=[host_model("m"), host_model("big", cores=32, ram_gb=258)],
            failover_hosts=1,
        ),
    ]


@pytest.mark.parametrize("plan", _plans())
def test_placed_bounds_equal_the_applied_plans_own(plan: Plan) -> None:
    result, a = placed(plan)
    after = apply_placement(plan, result)
    assert placed_bounds(result) == lower_bounds(after, a)


def test_remembered_bounds_are_read_for_that_plan_and_those_assumptions_only() -> None:
    plan = _plans()[1]
    result, a = placed(plan)
    after = apply_placement(plan, result)
    worked_out = lower_bounds(after, a)
    marked = worked_out.model_copy(update={"tight": ["marker"]})
    remember_bounds(after, a, marked)
    assert lower_bounds(after, a) is marked
    assert lower_bounds(plan, a) == lower_bounds(plan, a) != marked  # another plan
    other = Assumptions(
        **{**a.__dict__, "policy": plan.policy.model_copy(update={"failover_hosts": 0})}
    )
    assert lower_bounds(after, other) is not marked


def test_vms_that_stay_are_shared_and_moved_ones_equal_a_model_copy() -> None:
    stayed = moved = 0
    plan = _plans()[0]
    for _ in range(2):  # placed again, the packed plan keeps VMs where they are
        result, _a = placed(plan)
        after = apply_placement(plan, result)
        for old, new in zip(plan.vms, after.vms, strict=True):
            assert new.host == result.assignment[old.id]
            if old.host == new.host:
                assert new is old
                stayed += 1
            else:
                assert new == old.model_copy(update={"host": new.host})
                moved += 1
        plan = after
    assert stayed and moved


def test_on_host_is_model_copy() -> None:
    vm = VM(id="a", count=3, vcpu=2, ram_gb=4, host="h1", pinned=True, anti_affinity="g")
    for host in ("h2", None):
        copy, fast = vm.model_copy(update={"host": host}), on_host(vm, host)
        assert fast == copy and fast.model_fields_set == copy.model_fields_set
        assert fast.model_dump() == copy.model_dump() and vm.host == "h1"
        with pytest.raises(ValueError):
            fast.host = "h3"  # type: ignore[misc]


def test_same_but_is_model_copy_equality() -> None:
    from hvplanner.model.edits import same_but

    vm = VM(id="a", count=3, vcpu=2, ram_gb=4, host="h1", pinned=True, anti_affinity="g")
    others = [
        vm,
        vm.model_copy(update={"host": "h2"}),
        vm.model_copy(update={"host": None, "pinned": False}),
        vm.model_copy(update={"vcpu": 3}),
        vm.model_copy(update={"host": "h2", "ram_gb": 8.0}),
        VM(id="a", count=3, vcpu=2, ram_gb=4, host="h1", pinned=True, anti_affinity="g"),
    ]
    for fields in (("host",), ("host", "pinned"), ()):
        for b in others:
            copy = vm.model_copy(update={f: getattr(b, f) for f in fields})
            assert same_but(vm, b, fields) == (copy == b), (fields, b)
