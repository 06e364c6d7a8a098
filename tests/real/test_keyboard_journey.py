"""Journey 5: keyboard only. Select a VM, Move to Host… (Ctrl+M), pick a host, Enter.

No pointer at all: Ctrl+Tab to the VMs tab, Tab into its table, the VM's name typed to
select its row; Ctrl+M opens the host list, the host is chosen by
typing its name, Enter moves. Undo and redo by keys, and Ctrl+S writes the result.
"""

from __future__ import annotations

from tests.real.plans import journey_plan


def test_move_a_vm_to_a_host_with_the_keyboard_only(launch) -> None:
    app = launch(journey_plan())
    app.key("ctrl+Tab")
    app.wait(lambda s: s["tab"] == "VMs", "the VMs tab")
    app.key("Tab")
    app.wait(lambda s: s["focus"] == "QTableView", "the table")
    app.type("db1")  # an item view jumps to the row that starts with what is typed
    app.wait(lambda s: s["selected"] == ["db1"], "db1 selected")

    app.key("ctrl+m")
    app.wait(lambda s: (s["modal"] or "").startswith("Move"), "the Move to Host dialog")
    app.type("h1")  # a host is picked by typing its name, as in any list
    app.key("Return")
    moved = app.wait(lambda s: s["modal"] is None and s["vms"]["db1"] == "h1", "db1 on h1")
    assert moved["undo"][0] == 1
    app.focus()
    app.key("ctrl+z")
    app.wait(lambda s: s["vms"]["db1"] == "h2", "the move undone")
    app.key("ctrl+shift+z")
    app.wait(lambda s: s["vms"]["db1"] == "h1", "the move redone")
    saved = app.save()
    assert next(v.host for v in saved.vms if v.id == "db1") == "h1"
    assert {v.id: v.host for v in saved.vms if v.id != "db1"} == {
        "web1": "h2",
        "web2": "h2",
        "spare": None,
    }
