"""Every undo command: do → undo → redo gives the plan before and after, exactly."""

from __future__ import annotations

import pytest

from hvplanner.model.plan import VM, Host, HostModel, Plan, Policy
from hvplanner.ui import commands as c
from hvplanner.ui.document import EditRefusedError, PlanDocument
from tests.ui.conftest import small_plan

MODEL = HostModel(id="new", sockets=1, cores_per_socket=4, ghz=3, ram_gb=16)
CASES = {
    "move": lambda d: c.MoveVMsCommand(d, ["a", "b"], "h2"),
    "unplace": lambda d: c.MoveVMsCommand(d, ["a"], None),
    "add-vm": lambda d: c.AddVMCommand(d, VM(id="a", vcpu=1, ram_gb=1), "h2", 2),
    "add-host": lambda d: c.AddHostCommand(d, MODEL, 2),
    "add-host-known-model": lambda d: c.AddHostCommand(d, d.plan.host_models[0]),
    "remove": lambda d: c.RemoveCommand(d, ["c"], ["h1"]),
    "edit-vm": lambda d: c.EditVMCommand(d, "a", VM(id="a2", vcpu=3, ram_gb=2, host="h1")),
    "edit-host": lambda d: c.EditHostCommand(d, "h1", Host(id="hx", model="m", name="x")),
    "add-model": lambda d: c.AddHostModelCommand(d, MODEL),
    "edit-model": lambda d: c.EditHostModelCommand(
        d, "m", d.plan.host_models[0].model_copy(update={"ram_gb": 128.0})
    ),
    "duplicate": lambda d: c.DuplicateCommand(d, ["a"], ["h2"]),
    "pin": lambda d: c.PinCommand(d, ["a", "big"], True),
    "expand": lambda d: c.ExpandGroupCommand(d, "grp"),
    "hypervisor": lambda d: c.SetHypervisorCommand(d, "kvm@rhel9"),
    "policy": lambda d: c.SetPolicyCommand(d, Policy(headroom_pct=20)),
    "rename": lambda d: c.RenamePlanCommand(d, "Renamed"),
    "replace": lambda d: c.ReplacePlanCommand(d, "Auto-place", small_plan().model_copy()),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_do_undo_redo(qtbot, name: str) -> None:
    doc = PlanDocument(small_plan())
    before = doc.plan
    cmd = CASES[name](doc)
    with qtbot.waitSignal(doc.plan_changed):
        doc.push(cmd)
    after = doc.plan
    assert after == cmd.after
    assert not doc.undo_stack.isClean()
    doc.undo_stack.undo()
    assert doc.plan == before
    assert doc.undo_stack.isClean()
    doc.undo_stack.redo()
    assert doc.plan == after


def test_specific_results(qtbot) -> None:
    doc = PlanDocument(small_plan())
    doc.push(c.RemoveCommand(doc, host_ids=["h1"]))
    assert {v.id: v.host for v in doc.plan.vms}["a"] is None  # a removed host's VMs stay
    doc.push(c.ExpandGroupCommand(doc, "grp"))
    assert [v.count for v in doc.plan.vms if v.id.startswith("grp")] == [1, 1, 1, 1]
    doc.push(c.PinCommand(doc, ["c"], True))
    doc.push(c.MoveVMsCommand(doc, ["c"], None))
    c_vm = next(v for v in doc.plan.vms if v.id == "c")
    assert c_vm.host is None and not c_vm.pinned


def test_hard_limits_refuse_vcpu_and_running_vms(qtbot) -> None:
    doc = PlanDocument(small_plan())  # Hyper-V 2008 R2: 512 vCPUs and 384 running VMs per host
    with pytest.raises(EditRefusedError, match="VMs"):
        c.AddVMCommand(doc, VM(id="tiny", vcpu=1, ram_gb=0.01), "h2", 400)
    with pytest.raises(EditRefusedError, match="vCPUs"):
        c.EditVMCommand(doc, "c", VM(id="c", vcpu=4, ram_gb=0.01, count=200, host="h2"))
    assert doc.undo_stack.count() == 0


def test_switching_hypervisor_re_evaluates_every_host(qtbot) -> None:
    doc = PlanDocument(small_plan())
    hv = doc.host_load("h1").dim("vms")
    assert hv is not None and hv.capacity == 384
    with qtbot.waitSignal(doc.plan_changed) as sig:
        doc.push(c.SetHypervisorCommand(doc, "kvm@rhel9"))
    assert sig.args == [None]
    kvm = doc.host_load("h1").dim("vms")
    assert kvm is not None and kvm.capacity is None  # not published for KVM


def _plans_held(cmd: object) -> list[Plan]:
    """The plans the command's attributes refer to (directly or in a tuple)."""
    found: list[Plan] = []
    for value in vars(cmd).values():
        for x in value if isinstance(value, (tuple, list)) else (value,):
            if isinstance(x, Plan):
                found.append(x)
    return found


def test_a_done_move_keeps_the_moved_vms_not_the_plans(qtbot) -> None:
    doc = PlanDocument(small_plan())
    start = doc.plan
    first = c.MoveVMsCommand(doc, ["a", "b"], "h2")
    assert first.after.vms != start.vms and first.before is start  # not done yet: both
    doc.push(first)
    moved = doc.plan
    second = c.MoveVMsCommand(doc, ["c"], "h1")
    doc.push(second)
    # The history holds no plan (each has its own list of every VM), only what moved.
    assert _plans_held(first) == [] and _plans_held(second) == []
    assert second.before == moved and second.after == doc.plan
    doc.undo_stack.undo()
    assert doc.plan == moved
    assert first.before == start and first.after == moved
    doc.undo_stack.undo()
    assert doc.plan == start
    # The VMs that did not move are the same objects: the plan is rebuilt, not copied.
    assert all(x is y for x, y in zip(doc.plan.vms, start.vms, strict=True))
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert [(v.id, v.host) for v in doc.plan.vms][:3] != [(v.id, v.host) for v in start.vms][:3]
    assert doc.plan == second.after
    assert next(v for v in doc.plan.vms if v.id == "c").host == "h1"
