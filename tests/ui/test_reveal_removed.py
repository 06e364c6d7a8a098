"""Issue 18 item 10: chips revealed by one edit and removed by the next in the same
event-loop turn must not reach the view's settle step as deleted C++ objects."""

from __future__ import annotations

from hvplanner.model.plan import VM
from hvplanner.ui import commands as c


def test_chips_on_a_host_removed_before_the_view_settles(window, qtbot) -> None:
    editor, doc = window.editor, window.doc
    vm = VM(id="n", vcpu=1, ram_gb=1)
    assert editor.push_and_show(lambda: c.AddVMCommand(doc, vm, "h1", 2))
    doc.push(c.RemoveCommand(doc, [], ["h1"]))  # the card and the chips just revealed go
    qtbot.wait(50)  # the settle step runs here; it raised RuntimeError before the fix
    assert "h1" not in {h.id for h in doc.plan.hosts}
    doc.undo_stack.undo()
    qtbot.wait(50)
    assert "h1" in window.scene.cards


def test_settle_skips_items_deleted_since_they_were_noted(window, qtbot) -> None:
    import shiboken6
    from PySide6.QtCore import QPointF

    editor, doc = window.editor, window.doc
    assert editor.push_and_show(lambda: c.AddVMCommand(doc, VM(id="n", vcpu=1, ram_gb=1), "h1", 2))
    noted = list(window.canvas._reveal)
    assert noted
    window.canvas._anchor = (noted[0], QPointF(0, 0))
    for item in noted:
        shiboken6.delete(item)  # what a later edit in the same turn does to them
    window.canvas._settle()  # RuntimeError: Internal C++ object (VMChip) already deleted
    qtbot.wait(20)
