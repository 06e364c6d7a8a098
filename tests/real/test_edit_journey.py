"""Journeys 1, 2 and 4 in one sitting, as a person works: drag, undo, redo, save, reopen.

Every edit is made with the real pointer, every undo and redo with Ctrl+Z and
Ctrl+Shift+Z, the save with Save As to a new file; the window is closed with Ctrl+Q and
opened again on that file, and the reopened plan must be the one that was saved.
"""

from __future__ import annotations

from hvplanner.formats.planfile import load_plan
from tests.real.plans import MODELS, TEMPLATES, journey_plan


def _hosts_of(state: dict) -> dict[str, str | None]:
    return dict(state["vms"])


def _undo_redo(app, before: dict, after: dict, what: str) -> None:
    """Ctrl+Z brings `before` back, Ctrl+Shift+Z `after` again (VMs and hosts)."""

    def key(s: dict) -> tuple:
        return (s["vms"], s["hosts"])

    app.key("ctrl+z")
    app.wait(lambda s: key(s) == key(before), f"undo of {what}")
    app.key("ctrl+shift+z")
    app.wait(lambda s: key(s) == key(after), f"redo of {what}")


def test_drag_edits_undo_redo_save_as_and_reopen(launch, tmp_path) -> None:
    app = launch(journey_plan())

    # 1. A palette template, over empty canvas, onto the empty host h1.
    before = app.state()
    row = app.palette_row(TEMPLATES, "2 vCPU · 4 GB")
    app.drag(row, app.centre(before["cards"]["h1"]), via=app.empty_canvas())
    after = app.wait(lambda s: list(s["vms"].values()).count("h1") == 1, "a new VM on h1")
    assert len(after["vms"]) == len(before["vms"]) + 1
    _undo_redo(app, before, after, "the template drop")

    # 2a. A palette host model onto the canvas: a new host.
    before = app.settle()
    row = app.palette_row(MODELS, "2 × 8-core, 256 GB")
    app.drag(row, app.empty_canvas(), via=app.empty_canvas())
    after = app.wait(lambda s: len(s["hosts"]) == 4, "a fourth host")
    new_host = after["hosts"][-1]
    _undo_redo(app, before, after, "the host model drop")

    # 2b. One chip from h2 to h1.
    before = app.settle()
    app.drag(app.centre(before["chips"]["web1"]), app.centre(before["cards"]["h1"]))
    after = app.wait(lambda s: s["vms"]["web1"] == "h1", "web1 on h1")
    _undo_redo(app, before, after, "the chip move")

    # 2c. Two chips selected (click, Ctrl+click) and dragged together onto the new host.
    state = app.settle()
    app.click(*app.centre(state["chips"]["web2"]))
    app.click(*app.centre(state["chips"]["db1"]), modifiers="ctrl")
    before = app.wait(lambda s: sorted(s["selected"]) == ["db1", "web2"], "two chips selected")
    app.drag(app.centre(before["chips"]["web2"]), app.centre(before["cards"][new_host]))
    after = app.wait(
        lambda s: s["vms"]["web2"] == new_host and s["vms"]["db1"] == new_host,
        "both chips on the new host",
    )
    assert after["undo"][0] == before["undo"][0] + 1  # one step for the two
    _undo_redo(app, before, after, "the two-chip move")

    # 4. Save As to a new file, close, reopen: the same plan.
    target = tmp_path / "saved-as.hvplan.json"
    app.key("ctrl+shift+s")
    app.wait(lambda s: s["modal"] is not None, "the Save As dialog")
    app.key("ctrl+a")
    app.type(str(target))
    app.key("Return")
    saved_state = app.wait(lambda s: s["path"] == str(target) and not s["modified"], "the save")
    saved = load_plan(target)
    assert {v.id: v.host for v in saved.vms} == saved_state["vms"]
    assert [h.id for h in saved.hosts] == saved_state["hosts"] == ["h1", "h2", "h3", new_host]
    assert saved_state["vms"]["web1"] == "h1"
    assert saved_state["vms"]["web2"] == saved_state["vms"]["db1"] == new_host
    assert list(saved_state["vms"].values()).count("h1") == 2
    app.close()
    assert app.proc.returncode == 0, app.log_text()

    again = launch(target)
    reopened = again.state()
    assert reopened["vms"] == saved_state["vms"]
    assert reopened["hosts"] == saved_state["hosts"]
    assert not reopened["modified"]
    assert again.save() == saved  # written back unchanged: nothing was lost or altered
