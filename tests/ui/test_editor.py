"""The plan editor built from a session, with no window: edits, menus, selection, drags."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from hvplanner.model.plan import VM
from hvplanner.ui.canvas import mime
from hvplanner.ui.canvas.chips import VMChip
from hvplanner.ui.commands import MoveVMsCommand
from hvplanner.ui.editor import PlanEditor
from hvplanner.ui.session import PlanSession
from tests.ui.conftest import drag_drop, item_view_pos


def select(editor: PlanEditor, *vm_ids: str, hosts: tuple[str, ...] = ()) -> None:
    editor.scene.clearSelection()
    for vid in vm_ids:
        editor.scene.chip(vid).setSelected(True)
    for hid in hosts:
        editor.scene.cards[hid].setSelected(True)
    editor.flush_selection()


def test_delete_mixed_selection_is_one_undo_step(editor) -> None:
    select(editor, "c", hosts=("h1",))
    editor.act_delete.trigger()
    plan = editor.doc.plan
    assert [h.id for h in plan.hosts] == ["h2"]
    assert "c" not in {v.id for v in plan.vms}
    assert {v.id: v.host for v in plan.vms}["a"] is None
    assert editor.doc.undo_stack.count() == 1
    editor.doc.undo_stack.undo()
    assert len(editor.doc.plan.hosts) == 2 and len(editor.scene.cards) == 2


def test_duplicate_pin_unplace_expand(editor) -> None:
    select(editor, "a")
    editor.act_duplicate.trigger()
    assert [v.id for v in editor.doc.plan.vms if v.host == "h1"] == ["a", "b", "a-2"]
    select(editor, "a")
    editor.act_pin.trigger()
    assert next(v for v in editor.doc.plan.vms if v.id == "a").pinned
    select(editor, "a")
    assert editor.act_unpin.isEnabled()
    editor.act_to_tray.trigger()
    assert next(v for v in editor.doc.plan.vms if v.id == "a").host is None
    select(editor, "grp")
    assert editor.act_expand.isEnabled()
    editor.act_expand.trigger()
    assert len([c for c in editor.scene.tray.chips if c.vm.id.startswith("grp")]) == 4


def test_zoom_and_fit(editor) -> None:
    z = editor.canvas.zoom()
    editor.act_zoom_in.trigger()
    assert editor.canvas.zoom() > z
    editor.act_fit.trigger()
    assert editor.canvas.zoom() <= 1.5


def test_chips_are_vmchips(editor) -> None:
    assert all(isinstance(c, VMChip) for c in editor.scene.tray.chips)


def test_context_menus_match_the_item(editor) -> None:
    chip = editor.scene.chip("a")
    assert editor.scene.select_for_menu(chip) is chip
    texts = [a.text() for a in editor.build_context_menu(chip).actions() if a.text()]
    assert "&Pin to Host" in texts and "&Delete" in texts
    card = editor.scene.cards["h1"]
    texts = [a.text() for a in editor.build_context_menu(card).actions() if a.text()]
    assert "D&uplicate" in texts and "&Pin to Host" not in texts
    texts = [a.text() for a in editor.build_context_menu(None).actions() if a.text()]
    assert "Add Host" in texts and "Add Hosts &Needed" in texts
    # The window adds its own entries; the editor knows no Auto-place of its own.
    assert "&Auto-place" not in texts


def test_host_menu_hooks_add_entries_for_that_host(editor) -> None:
    seen: list[str] = []
    editor.host_menu_hooks.append(lambda menu, hid: (seen.append(hid), menu.addAction("X")))
    texts = [a.text() for a in editor.build_context_menu(editor.scene.cards["h2"]).actions()]
    assert seen == ["h2"] and "X" in texts


def test_selection_is_reported_once_per_turn(qtbot, editor) -> None:
    got: list[tuple[list[str], list[str]]] = []
    editor.selection_changed.connect(lambda v, h: got.append((v, h)))
    editor.act_select_all.trigger()
    qtbot.waitUntil(lambda: bool(got))
    qtbot.wait(20)
    assert len(got) == 1 and sorted(got[0][0]) == ["a", "b", "big", "c", "grp"]
    assert editor.act_delete.isEnabled() and editor.act_to_tray.isEnabled()


def test_a_refused_edit_pushes_nothing_and_says_why(editor, session: PlanSession) -> None:
    said: list[str] = []
    session.status.connect(lambda text, _ms: said.append(text))
    # "big" needs 50 GB: h1 already carries 12 GB of a 64 GB host, less its reserve.
    pushed = session.try_push(lambda: MoveVMsCommand(session.doc, ["big", "grp"], "h1"))
    assert not pushed and session.doc.undo_stack.count() == 0
    assert said and said[-1].startswith("Refused: h1: RAM")
    assert next(v.host for v in session.plan.vms if v.id == "big") is None


def test_pressing_and_moving_a_chip_makes_the_scene_start_the_drag(
    qtbot, editor, monkeypatch
) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(
        editor.scene,
        "start_chip_drag",
        lambda chip, source: started.append(editor.scene.drag_ids_for(chip)),
    )
    chip = editor.scene.chip("a")
    at = item_view_pos(editor, chip)
    viewport = editor.canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at)
    step = QApplication.startDragDistance() + 2
    qtbot.mouseMove(viewport, at + QPoint(step, 0))
    qtbot.mouseMove(viewport, at + QPoint(2 * step, 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at + QPoint(2 * step, 0))
    assert started == [["a"]]
    assert chip.isSelected()


def test_double_click_on_a_chip_asks_to_edit_it(qtbot, editor) -> None:
    chip = editor.scene.chip("b")
    with qtbot.waitSignal(editor.edit_requested, timeout=1000):
        qtbot.mouseDClick(
            editor.canvas.viewport(), Qt.MouseButton.LeftButton, pos=item_view_pos(editor, chip)
        )
    assert editor.scene.selected_vm_ids() == ["b"]


def test_drops_onto_the_editor_push_one_undo_step(editor, session: PlanSession) -> None:
    card = editor.scene.cards["h2"]
    assert drag_drop(editor, mime.vm_ids_mime(["a"]), item_view_pos(editor, card))
    assert next(v.host for v in session.plan.vms if v.id == "a") == "h2"
    template = VM(id="web", vcpu=1, ram_gb=2)
    assert drag_drop(editor, mime.template_mime(template), item_view_pos(editor, card))
    assert session.doc.undo_stack.count() == 2
    session.doc.undo_stack.undo()
    session.doc.undo_stack.undo()
    assert next(v.host for v in session.plan.vms if v.id == "a") == "h1"


def test_palette_payloads_and_new_templates(editor, asker, session: PlanSession) -> None:
    editor.add_from_palette(VM(id="db", vcpu=2, ram_gb=8))
    assert any(v.id.startswith("db") and v.host is None for v in session.plan.vms)
    made: list[object] = []
    editor.template_created.connect(made.append)
    asker.template = VM(id="t", vcpu=1, ram_gb=1)
    editor.act_new_template.trigger()
    assert made == [asker.template]


def test_one_try_push_reports_limits_and_bad_values_alike(session: PlanSession) -> None:
    from hvplanner.ui.commands import EditVMCommand

    doc = session.doc
    shown: list[str] = []
    refused: list[str] = []
    doc.refused.connect(refused.append)
    bad = {"id": "a", "vcpu": -1, "ram_gb": 8, "host": "h1"}
    assert not doc.try_push(lambda: EditVMCommand(doc, "a", VM(**bad)), shown.append)
    assert shown == refused and "vcpu" in shown[0]
    too_big = VM(id="a", vcpu=2, ram_gb=80, host="h1")
    assert not doc.try_push(lambda: EditVMCommand(doc, "a", too_big), shown.append)
    assert shown[-1].startswith("Refused: h1: RAM") and refused[-1] == shown[-1]
    assert doc.undo_stack.count() == 0
    ok = VM(id="a", vcpu=3, ram_gb=8, host="h1")
    assert doc.try_push(lambda: EditVMCommand(doc, "a", ok), shown.append)
    assert doc.undo_stack.count() == 1 and len(shown) == 2
