"""Random edits through the window's commands, with undo and redo checked at every step.

Edits come in bursts without returning to the event loop (as scripted or queued edits
do), some through `push_and_show` so the canvas has items to reveal when the next edit
removes them. Undoing everything gives the first plan back; redoing it all, the last.
"""

from __future__ import annotations

import random

import pytest

from hvplanner.model.plan import VM, HostModel, Policy
from hvplanner.ui import commands as c

pytestmark = pytest.mark.fuzz
MODEL = HostModel(id="fz", sockets=1, cores_per_socket=4, ghz=3, ram_gb=16)
NAMES = ["<b>x</b>", "\x1b[2J", "é🙂", "x" * 150, "plain"]


def _edit(rng: random.Random, doc):
    plan = doc.plan
    vms = [v.id for v in plan.vms]
    hosts = [h.id for h in plan.hosts]
    some_vms = rng.sample(vms, k=min(len(vms), rng.randint(1, 3))) if vms else []
    pick = rng.randrange(10)
    if pick == 0 and some_vms:
        return lambda: c.MoveVMsCommand(doc, some_vms, rng.choice([*hosts, None]))
    if pick == 1:
        vm = VM(id="fz", name=rng.choice(NAMES), vcpu=rng.randint(1, 4), ram_gb=1)
        return lambda: c.AddVMCommand(doc, vm, rng.choice([*hosts, None]), rng.randint(1, 3))
    if pick == 2:
        return lambda: c.AddHostCommand(doc, MODEL, rng.randint(1, 2))
    if pick == 3 and (some_vms or hosts):
        gone = rng.sample(hosts, k=min(len(hosts), 1)) if rng.random() < 0.4 else []
        return lambda: c.RemoveCommand(doc, some_vms, gone)
    if pick == 4 and some_vms:
        return lambda: c.DuplicateCommand(doc, some_vms, [])
    if pick == 5 and some_vms:
        return lambda: c.PinCommand(doc, some_vms, rng.random() < 0.5)
    if pick == 6:
        return lambda: c.RenamePlanCommand(doc, rng.choice(NAMES))
    if pick == 7:
        return lambda: c.SetPolicyCommand(doc, Policy(headroom_pct=rng.choice([0, 10, 40])))
    if pick == 8 and vms:
        return lambda: c.ExpandGroupCommand(doc, rng.choice(vms))
    return None


@pytest.mark.parametrize("seed", range(3))
def test_random_edits_undo_and_redo_exactly(window, qtbot, seed: int) -> None:
    rng = random.Random(seed)
    doc, editor = window.doc, window.editor
    doc.undo_stack.clear()
    first = doc.plan
    plans = [first]
    for _ in range(30):
        make = _edit(rng, doc)
        if make is None:
            continue
        pushed = editor.push_and_show(make) if rng.random() < 0.5 else doc.try_push(make)
        if pushed:
            plans.append(doc.plan)
        if rng.random() < 0.2 and doc.undo_stack.canUndo():
            doc.undo_stack.undo()
            plans.pop()
            assert doc.plan == plans[-1]
        if rng.random() < 0.3:
            qtbot.wait(0)  # the canvas settles between some bursts, not all
    qtbot.wait(10)
    last, end = doc.plan, doc.undo_stack.index()
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert doc.plan == first
    while doc.undo_stack.index() < end:  # the edits undone inside the burst stay undone
        doc.undo_stack.redo()
    assert doc.plan == last
    qtbot.wait(10)
    assert set(window.scene.cards) == {h.id for h in last.hosts}
