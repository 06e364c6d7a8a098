"""Drag and drop on the canvas, through Qt's own drag events."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt

from hvplanner.model.plan import VM, HostModel, NicGroup
from hvplanner.ui.canvas import mime
from tests.ui.conftest import drag_drop, item_view_pos


def host_of(window, vm_id: str) -> str | None:
    return next(v.host for v in window.doc.plan.vms if v.id == vm_id)


def test_cards_and_chips_follow_the_plan(window) -> None:
    scene = window.scene
    assert list(scene.cards) == ["h1", "h2"]
    assert {c.vm.id for c in scene.cards["h1"].chips} == {"a", "b"}
    assert {c.vm.id for c in scene.tray.chips} == {"big", "grp"}
    load = scene.cards["h1"].load
    assert load.dim("vcpus").used == 3
    assert load.dim("vms").used == 2


def test_drag_chip_to_other_host_then_undo_redo(window) -> None:
    scene = window.scene
    card = scene.cards["h2"]
    assert drag_drop(window, mime.vm_ids_mime(["a"]), item_view_pos(window, card))
    assert host_of(window, "a") == "h2"
    assert {c.vm.id for c in scene.cards["h2"].chips} == {"a", "c"}
    assert scene.cards["h2"].load.dim("vcpus").used == 3
    assert scene.cards["h1"].load.dim("vcpus").used == 1
    assert window.isWindowModified()
    window.doc.undo_stack.undo()
    assert host_of(window, "a") == "h1"
    assert scene.cards["h1"].load.dim("vcpus").used == 3
    assert not window.isWindowModified()
    window.doc.undo_stack.redo()
    assert host_of(window, "a") == "h2"


def test_multi_select_moves_together_in_one_step(window) -> None:
    scene = window.scene
    for vid in ("a", "b"):
        scene.chip(vid).setSelected(True)
    ids = scene.drag_ids_for(scene.chip("a"))
    assert sorted(ids) == ["a", "b"]
    assert drag_drop(window, mime.vm_ids_mime(ids), item_view_pos(window, scene.tray))
    assert host_of(window, "a") is None and host_of(window, "b") is None
    assert sorted(scene.selected_vm_ids()) == ["a", "b"]
    assert window.doc.undo_stack.count() == 1
    window.doc.undo_stack.undo()
    assert host_of(window, "a") == "h1" and host_of(window, "b") == "h1"


def test_rubber_band_selects_chips(window, qtbot) -> None:
    scene = window.scene
    card = scene.cards["h1"]
    first, last = card.chips[0], card.chips[-1]
    start = item_view_pos(window, first, QPointF(-4, -4))
    end = item_view_pos(window, last, last.boundingRect().bottomRight() + QPointF(4, 4))
    viewport = window.canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, start + (end - start) / 2)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    assert sorted(scene.selected_vm_ids()) == ["a", "b"]


def test_ctrl_click_adds_to_selection(window, qtbot) -> None:
    scene = window.scene
    viewport = window.canvas.viewport()
    qtbot.mouseClick(
        viewport, Qt.MouseButton.LeftButton, pos=item_view_pos(window, scene.chip("a"))
    )
    qtbot.mouseClick(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        item_view_pos(window, scene.chip("c")),
    )
    assert sorted(scene.selected_vm_ids()) == ["a", "c"]


def test_drop_breaking_ram_is_refused_with_reason(window, qtbot) -> None:
    scene = window.scene
    # h1 has 64 GB less the reserve; 'big' asks 50 GB on top of the 12 GB already there.
    pos = item_view_pos(window, scene.cards["h1"])
    with qtbot.waitSignal(window.scene.status) as status:
        accepted = drag_drop(window, mime.vm_ids_mime(["big"]), pos)
    assert not accepted
    assert "RAM" in status.args[0] and "Refused" in status.args[0]
    assert host_of(window, "big") is None
    assert window.doc.undo_stack.count() == 0
    assert "RAM" in window.statusBar().currentMessage()


def test_hover_previews_the_load_after_the_drop(window) -> None:
    scene = window.scene
    card = scene.cards["h2"]
    assert drag_drop(window, mime.vm_ids_mime(["a"]), item_view_pos(window, card), drop=False)
    assert card.drop_state == "ok"
    assert card.preview is not None and card.preview.dim("vcpus").used == 3
    assert card.load.dim("vcpus").used == 1  # nothing changed yet
    big = drag_drop(
        window, mime.vm_ids_mime(["big"]), item_view_pos(window, scene.cards["h1"]), drop=False
    )
    assert not big
    assert scene.cards["h1"].drop_state == "refused"
    assert card.drop_state is None


def test_template_drop_creates_vm_on_host_and_tray(window) -> None:
    template = VM(id="web", name="Web", vcpu=1, ram_gb=2)
    assert drag_drop(
        window, mime.template_mime(template), item_view_pos(window, window.scene.cards["h2"])
    )
    new = [v for v in window.doc.plan.vms if v.name == "Web"]
    assert len(new) == 1 and new[0].host == "h2" and new[0].count == 1
    assert drag_drop(window, mime.template_mime(template), item_view_pos(window, window.scene.tray))
    assert [v.host for v in window.doc.plan.vms if v.name == "Web"] == ["h2", None]
    assert len({v.id for v in window.doc.plan.vms}) == len(window.doc.plan.vms)


def test_shift_drop_asks_for_count(window, asker) -> None:
    template = VM(id="web", vcpu=1, ram_gb=1)
    asker.count_answer = 5
    pos = item_view_pos(window, window.scene.cards["h2"])
    assert drag_drop(window, mime.template_mime(template), pos, Qt.KeyboardModifier.ShiftModifier)
    assert [v.count for v in window.doc.plan.vms if v.id.startswith("web")] == [5]
    asker.count_answer = None
    assert not drag_drop(
        window, mime.template_mime(template), pos, Qt.KeyboardModifier.ShiftModifier
    )
    assert len([v for v in window.doc.plan.vms if v.id.startswith("web")]) == 1


def test_host_model_drop_adds_host_and_reflows(window) -> None:
    preset = HostModel(
        id="p", sockets=1, cores_per_socket=8, ghz=3, ram_gb=32, nics=[NicGroup(count=1, gbps=1)]
    )
    before = [c.pos() for c in window.scene.cards.values()]
    assert drag_drop(window, mime.host_model_mime(preset), item_view_pos(window, window.scene.tray))
    plan = window.doc.plan
    assert len(plan.hosts) == 3 and plan.hosts[-1].model == "p"
    assert any(m.id == "p" for m in plan.host_models)
    cards = list(window.scene.cards.values())
    assert len(cards) == 3
    assert [c.pos() for c in cards[:2]] == before or len({c.pos().y() for c in cards}) >= 1
    window.doc.undo_stack.undo()
    assert len(window.doc.plan.hosts) == 2 and all(m.id != "p" for m in window.doc.plan.host_models)
    assert len(window.scene.cards) == 2


def test_foreign_drop_is_ignored(window) -> None:
    from PySide6.QtCore import QMimeData

    data = QMimeData()
    data.setText("hello")
    assert not drag_drop(window, data, item_view_pos(window, window.scene.cards["h1"]))
    assert window.doc.undo_stack.count() == 0


def test_chip_names_are_cut_where_they_differ(qtbot) -> None:
    from hvplanner.ui.canvas.chips import VMChip

    def shown(name: str, width: float = 90) -> str:
        return VMChip(VM(id="x", name=name, vcpu=1, ram_gb=1)).name_text(width)

    # A name that reads from the start keeps its start.
    desktop = shown("Windows 7 desktop")
    assert desktop.startswith("Windows") and desktop.endswith("…")
    assert shown("Windows 7 desktop", 400) == "Windows 7 desktop"
    # Numbered names keep their number.
    assert shown("Web front ends 12").endswith("12")
    assert "…" in shown("srv-sql-cluster-node-0007")
    # DNS names keep the host part, and its number when the host part is long.
    assert shown("web01.corp.example.com").startswith("web01.")
    fqdn = shown("srv-sql-cluster-node-0007.corp.example.com")
    assert "…" in fqdn and fqdn.endswith("0007") and "corp" not in fqdn


def test_long_names_keep_their_ends_and_the_host_id(window) -> None:
    from hvplanner.model.plan import Host
    from hvplanner.ui.canvas.cards import HostCard
    from hvplanner.ui.canvas.chips import VMChip

    chip = VMChip(VM(id="n7", name="srv-sql-cluster-node-0007", vcpu=1, ram_gb=1))
    shown = chip.name_text(90)
    assert "…" in shown and shown.endswith("0007")
    card = window.scene.cards["h1"]
    long = HostCard(
        Host(id="h12", model="m", name="esx-rack01-node07.corp.example.com"),
        card.model,
        card.load,
    )
    title = long.title_text(300)
    assert title.endswith("(h12)") and title.startswith("esx-rack01-node07.…")
    assert long.title_text(120).endswith("(h12)")
