"""The canvas path: a move re-validates the two hosts involved, and agrees with a recount."""

from __future__ import annotations

import pytest

from hvplanner.engine.placement import check_hosts, host_loads
from hvplanner.engine.placement.place import assumptions_for
from hvplanner.model.placement import HostLoad
from hvplanner.model.plan import VM, Host, Plan
from tests.engine.placement_helpers import plan_of


def _plan() -> Plan:
    return plan_of(
        [
            VM(id="a", count=2, vcpu=2, ram_gb=8, host="h1", anti_affinity="g"),
            VM(id="b", vcpu=4, ram_gb=16, host="h1"),
            VM(id="c", vcpu=2, ram_gb=4, host="h2", anti_affinity="g"),
            VM(id="loose", vcpu=1, ram_gb=1),
        ],
        hosts=[Host(id=f"h{i}", model="m") for i in (1, 2, 3)],
    )


def _same(x: HostLoad, y: HostLoad) -> None:
    assert x.vms == y.vms
    assert x.vcpus == pytest.approx(y.vcpus)
    assert x.ram_gb == pytest.approx(y.ram_gb)
    assert x.over == y.over
    assert x.groups == y.groups
    assert x.conflicts == y.conflicts


def test_host_loads_read_the_plan() -> None:
    plan = _plan()
    loads = host_loads(plan, assumptions_for(plan))
    assert set(loads) == {"h1", "h2", "h3"}
    assert loads["h1"].vcpus == 8
    assert loads["h1"].conflicts == ["g"]  # two members of g on h1
    assert not loads["h1"].ok
    assert loads["h3"].vms == 0 and loads["h3"].binding is None


def _moved(plan: Plan, vm_id: str, host: str | None) -> Plan:
    vms = [v.model_copy(update={"host": host}) if v.id == vm_id else v for v in plan.vms]
    return plan.model_copy(update={"vms": vms})


def test_a_move_rechecks_source_and_target_as_a_recount() -> None:
    plan = _plan()
    a = assumptions_for(plan)
    moved = _moved(plan, "b", "h3")
    touched = check_hosts(moved, ["h1", "h3"], a)
    assert set(touched) == {"h1", "h3"}
    recount = host_loads(moved, a)
    for h in touched:
        _same(touched[h], recount[h])
    assert touched["h3"].vcpus == 4 and touched["h1"].vcpus == 4


def test_overload_and_conflict_appear_and_clear() -> None:
    plan = _moved(_plan(), "c", "h1")  # h1: 10 vCPUs on 8 and three members of g
    a = assumptions_for(plan)
    h1 = check_hosts(plan, ["h1"], a)["h1"]
    assert h1.over == ["cpu"]
    assert h1.conflicts == ["g"]
    plan = _moved(plan, "a", "h3")
    loads = check_hosts(plan, ["h1", "h3"], a)
    assert loads["h1"].ok
    assert loads["h3"].conflicts == ["g"]


def test_too_wide_vm_is_flagged() -> None:
    plan = plan_of(
        [VM(id="w", vcpu=10, ram_gb=1, host="h")],
        hosts=[Host(id="h", model="m")],
        vcpu_per_lp=4.0,
    )
    loads = host_loads(plan, assumptions_for(plan))
    assert loads["h"].too_wide == ["w"]
    assert not loads["h"].over
