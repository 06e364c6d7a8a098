"""The canvas path: a move re-validates the two hosts involved, and agrees with a recount."""

from __future__ import annotations

import pytest

from hvplanner.engine.placement import LoadBook, check_hosts, host_loads, move_delta
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


def test_move_changes_only_source_and_target() -> None:
    plan = _plan()
    a = assumptions_for(plan)
    book = LoadBook(plan, a)
    delta = move_delta(book, "b", "h3")
    assert set(delta) == {"h1", "h3"}
    moved = plan.model_copy(
        update={
            "vms": [v.model_copy(update={"host": "h3"}) if v.id == "b" else v for v in plan.vms]
        }
    )
    fresh = check_hosts(moved, ["h1", "h3"], a)
    assert set(fresh) == {"h1", "h3"}
    for h in delta:
        _same(delta[h], fresh[h])
    assert book.loads["h1"].vcpus == 8  # preview leaves the book alone
    book.apply("b", "h3")
    assert book.loads["h3"].vcpus == 4


def test_overload_and_conflict_appear_and_clear() -> None:
    plan = _plan()
    book = LoadBook(plan, assumptions_for(plan))
    changed = book.apply("c", "h1")  # h1: 10 vCPUs on 8 and three members of g
    assert changed["h1"].over == ["cpu"]
    assert changed["h1"].conflicts == ["g"]
    assert changed["h2"].vms == 0
    changed = book.apply("a", "h3")
    assert changed["h1"].ok
    assert changed["h3"].conflicts == ["g"]


def test_placing_and_unplacing_a_loose_vm() -> None:
    plan = _plan()
    book = LoadBook(plan, assumptions_for(plan))
    assert set(book.apply("loose", "h2")) == {"h2"}
    assert book.loads["h2"].vms == 2
    assert set(book.apply("loose", None)) == {"h2"}
    assert book.loads["h2"].vms == 1
    assert book.preview("loose", None) == {}


def test_too_wide_vm_is_flagged() -> None:
    plan = plan_of(
        [VM(id="w", vcpu=10, ram_gb=1, host="h")],
        hosts=[Host(id="h", model="m")],
        vcpu_per_lp=4.0,
    )
    loads = host_loads(plan, assumptions_for(plan))
    assert loads["h"].too_wide == ["w"]
    assert not loads["h"].over
