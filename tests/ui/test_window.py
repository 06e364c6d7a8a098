"""Window actions: delete, duplicate, pin, context menus, inspector edits, toolbar."""

from __future__ import annotations

from PySide6.QtCore import SIGNAL, Qt
from PySide6.QtWidgets import QToolBar

from hvplanner.model.plan import VM, HostModel
from hvplanner.ui.canvas.view import MIN_FIT_ZOOM
from hvplanner.ui.commands import MoveVMsCommand
from tests.ui.conftest import big_plan


def select(window, *vm_ids: str, hosts: tuple[str, ...] = ()) -> None:
    window.scene.clearSelection()
    for vid in vm_ids:
        window.scene.chip(vid).setSelected(True)
    for hid in hosts:
        window.scene.cards[hid].setSelected(True)
    window.editor.flush_selection()


def test_context_menus_match_the_item(window) -> None:
    chip = window.scene.chip("a")
    assert window.scene.select_for_menu(chip) is chip
    texts = [a.text() for a in window.editor.build_context_menu(chip).actions() if a.text()]
    assert "&Pin to Host" in texts and "&Delete" in texts
    card = window.scene.cards["h1"]
    texts = [a.text() for a in window.editor.build_context_menu(card).actions() if a.text()]
    assert "D&uplicate" in texts and "&Pin to Host" not in texts
    texts = [a.text() for a in window.editor.build_context_menu(None).actions() if a.text()]
    assert "Add Host" in texts and "&Auto-place" in texts


def test_inspector_edit_updates_bars_and_refuses_breaks(window) -> None:
    select(window, "c")
    form = window.inspector.vm_form
    assert window.inspector.currentWidget() is window.inspector.vm_page
    form.editors["vcpu"].setValue(3)
    form.edited.emit()
    assert window.scene.cards["h2"].load.dim("vcpus").used == 3
    form.editors["ram_gb"].setValue(500)
    form.edited.emit()
    assert "RAM" in form.error.text()
    assert next(v for v in window.doc.plan.vms if v.id == "c").ram_gb == 4
    form.editors["id"].setText("bad#id")
    form.edited.emit()
    assert "id" in form.error.text()


def test_inspector_says_counts_and_empty_values_as_people_do(window) -> None:
    select(window, "a")
    editors = window.inspector.vm_form.editors
    assert editors["count"].text() == "1 VM"
    assert editors["vcpu"].text() == "2 vCPUs"
    assert editors["ram_gb"].text() == "8 GB"
    assert editors["nic_mbps"].text() == "none"
    select(window, "grp")
    assert editors["count"].text() == "4 VMs"
    assert editors["vcpu"].text() == "1 vCPU"
    select(window, hosts=("h1",))
    details = window.inspector.host_details.text()
    assert "Disk: shared storage" in details and "unknown" not in details
    select(window)
    assert window.inspector.plan_form.editors["headroom_pct"].text() == "0 %"


def test_inspector_counts_and_sizes_take_typed_values(qtbot, window) -> None:
    select(window, "a")
    editors = window.inspector.vm_form.editors
    for name, typed, shown in (("count", "3", "3 VMs"), ("ram_gb", "6.5", "6.5 GB")):
        editor = editors[name]
        editor.setFocus()
        editor.selectAll()
        qtbot.keyClicks(editor, typed)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        assert editor.text() == shown
    vm = next(v for v in window.doc.plan.vms if v.id == "a")
    assert (vm.count, vm.ram_gb) == (3, 6.5)


def test_inspector_plan_policy_and_host(window) -> None:
    select(window)
    form = window.inspector.plan_form
    form.editors["headroom_pct"].setValue(25)
    form.edited.emit()
    assert window.doc.plan.policy.headroom_pct == 25
    line = window.scene.cards["h1"].load.dim("vcpus").line
    assert line is not None and line < window.scene.cards["h1"].load.dim("vcpus").capacity
    select(window, hosts=("h1",))
    hform = window.inspector.host_form
    hform.editors["name"].setText("primary")
    hform.edited.emit()
    assert window.doc.plan.hosts[0].name == "primary"


def test_hypervisor_selector_and_hosts_needed(window) -> None:
    combo = window.hv_combo
    i = combo.findData("kvm@rhel9")
    combo.setCurrentIndex(i)
    combo.activated.emit(i)
    assert window.doc.plan.hypervisor == "kvm@rhel9"
    window.doc.undo_stack.undo()
    assert combo.currentData() == window.doc.plan.hypervisor
    n = len(window.doc.plan.hosts)
    window.editor.act_hosts_needed.trigger()
    assert len(window.doc.plan.hosts) >= n


def test_new_host_model_and_template_dialog_results(window, asker) -> None:
    asker.model = HostModel(id="added", sockets=1, cores_per_socket=2, ghz=2, ram_gb=8)
    window.editor.act_new_model.trigger()
    assert any(m.id == "added" for m in window.doc.plan.host_models)
    asker.template = VM(id="mine", vcpu=2, ram_gb=3)
    window.editor.act_new_template.trigger()
    assert window.palette.user_templates[-1].id == "mine"
    assert window.settings.value("templates")


def test_palette_drag_payload(window) -> None:
    from hvplanner.ui.canvas import mime

    tree = window.palette.tree
    model_item = tree.topLevelItem(0).child(0)
    data = tree.mimeData([model_item])
    assert mime.read_host_model(data) == window.doc.plan.host_models[0]
    template_item = tree.topLevelItem(1).child(0)
    assert mime.read_template(tree.mimeData([template_item])) is not None


def test_palette_names_plan_templates_by_size_with_their_count(window) -> None:
    window.palette.refresh(window.doc.plan)
    section = window.palette.tree.topLevelItem(1)
    assert section.text(0) == "VM templates in this plan"
    rows = [(section.child(i).text(0), section.child(i).text(1)) for i in range(4)]
    assert rows == [
        ("2 vCPU · 8 GB", "×1"),
        ("1 vCPU · 4 GB", "×2"),
        ("4 vCPU · 50 GB", "×1"),
        ("1 vCPU · 1 GB", "×4"),
    ]
    assert "2 VMs: b, c" in section.child(1).toolTip(0)
    assert "4 VMs: grp ×4" in section.child(3).toolTip(0)


def test_palette_tells_templates_of_one_size_apart(window) -> None:
    from hvplanner.model.edits import rebuild

    plan = window.doc.plan
    vms = [*plan.vms, VM(id="d", vcpu=1, ram_gb=4, disk_gb=200)]
    window.palette.refresh(rebuild(plan, vms=vms))
    section = window.palette.tree.topLevelItem(1)
    texts = [section.child(i).text(0) for i in range(section.childCount())]
    assert "1 vCPU · 4 GB · 0 GB disk" in texts
    assert "1 vCPU · 4 GB · 200 GB disk" in texts


def test_new_dialogs_validate(qtbot) -> None:
    from hvplanner.ui.forms import HOST_MODEL_FIELDS, ModelDialog, build_host_model

    dialog = ModelDialog(
        "x", HOST_MODEL_FIELDS, build_host_model, {"id": "", "ghz": 2, "ram_gb": 8}
    )
    qtbot.addWidget(dialog)
    assert dialog.result_model is None and "id" in dialog.form.error.text()
    dialog.form.editors["id"].setText("ok")
    assert dialog.result_model is not None and dialog.result_model.id == "ok"


def test_select_all_refreshes_the_inspector_once(qtbot, make_window, monkeypatch) -> None:
    window = make_window(big_plan())
    calls: list[int] = []
    show = window.inspector.show_selection
    monkeypatch.setattr(
        window.inspector, "show_selection", lambda v, h: (calls.append(len(v)), show(v, h))
    )
    window.editor.act_select_all.trigger()
    qtbot.waitUntil(lambda: bool(calls))
    qtbot.wait(20)
    assert calls == [800]
    window.scene.clearSelection()
    for chip in window.scene.cards["h1"].chips:
        chip.setSelected(True)  # one signal per chip, still one refresh
    qtbot.waitUntil(lambda: len(calls) > 1)
    qtbot.wait(20)
    assert calls[1:] == [len(window.scene.cards["h1"].chips)]


def test_fit_fills_the_width_and_the_canvas_gets_the_room(qtbot, make_window) -> None:
    window = make_window(big_plan(), (1600, 1000))
    qtbot.wait(50)
    window.editor.act_fit.trigger()
    view = window.canvas
    shown = view.scene().sceneRect().width() * view.zoom()
    assert shown >= 0.85 * view.viewport().width()
    assert view.zoom() >= MIN_FIT_ZOOM - 1e-6
    assert window.summary_dock.height() <= 0.3 * window.height()
    assert view.height() >= 0.5 * window.height()
    # A wider window gets more columns, and a fitted view refits.
    cols = window.scene._columns
    window.resize(2400, 1000)
    qtbot.waitUntil(lambda: window.scene._columns > cols)
    assert view.fitted()


def _on_screen(window, item) -> bool:
    view = window.canvas
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    return shown.contains(item.sceneBoundingRect())


def test_new_items_are_selected_and_on_screen(qtbot, make_window) -> None:
    window = make_window(big_plan(), (1600, 1000))
    window.editor.act_fit.trigger()
    select(window, hosts=("h1",))
    window.editor.act_duplicate.trigger()
    qtbot.wait(10)
    assert window.scene.selected_host_ids() == ["h1-2"]
    assert _on_screen(window, window.scene.cards["h1-2"])
    window.editor.act_hosts_needed.trigger()
    qtbot.wait(10)
    last = window.doc.plan.hosts[-1].id
    assert _on_screen(window, window.scene.cards[last])


def test_the_view_stays_put_when_the_layout_changes(qtbot, make_window) -> None:

    window = make_window(big_plan(), (1600, 1000))
    window.editor.act_fit.trigger()
    card = window.scene.cards["h13"]
    window.canvas.centerOn(card)
    qtbot.wait(10)
    before = window.canvas.mapFromScene(card.scenePos())
    unplaced = [v.id for v in window.doc.plan.vms if v.host is None]
    window.session.try_push(lambda: MoveVMsCommand(window.doc, unplaced, "h40"))  # the tray shrinks
    qtbot.wait(10)
    assert window.canvas.mapFromScene(card.scenePos()) == before


def test_edits_add_no_connections_to_toolbar_actions(window) -> None:
    # Qt 6.11's toolbar buttons connect to their action again on every change of it;
    # nothing in the toolbar may change with each edit, or the connections pile up.
    toolbar = window.findChild(QToolBar)
    changed = SIGNAL("changed()")
    before = {a.text(): a.receivers(changed) for a in toolbar.actions()}
    for _ in range(20):
        window.session.try_push(lambda: MoveVMsCommand(window.doc, ["big"], "h2"))
        window.doc.undo_stack.undo()
    assert {a.text(): a.receivers(changed) for a in toolbar.actions()} == before


def test_toolbar_undo_keeps_its_label_and_names_the_command(window) -> None:
    button = window.undo_button
    assert button.text() == "Undo" and not button.isEnabled()
    combo = window.hv_combo
    i = combo.findData("esxi@8.0")
    combo.setCurrentIndex(i)
    combo.activated.emit(i)
    assert button.text() == "Undo" and button.isEnabled()
    assert button.toolTip() == f"Undo: Switch to {combo.itemText(i)}"
    assert "esxi@" not in window.doc.undo_stack.undoText()
    button.click()
    assert window.redo_button.isEnabled() and not button.isEnabled()
    assert window.redo_button.toolTip().startswith("Redo: Switch to")
