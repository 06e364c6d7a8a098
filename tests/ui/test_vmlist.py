"""The VMs tab: a sortable, filterable table of the plan's VM entries, sharing the canvas's
selection, with bulk edit as one undo step."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from hvplanner.model.plan import VM, Host, HostModel, Plan
from hvplanner.ui.bulkedit import BulkEditCommand
from hvplanner.ui.mainwindow import MainWindow
from hvplanner.ui.vmlist import VMList
from hvplanner.ui.vmtable import COLUMNS, VMTableModel
from tests.ui.conftest import big_plan, small_plan


def _col(title: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.title == title)


def _names(model: VMTableModel) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _vm(window: MainWindow, vm_id: str) -> VM:
    return next(v for v in window.doc.plan.vms if v.id == vm_id)


def _select_rows(vl: VMList, ids: list[str]) -> None:
    sm = vl.table.selectionModel()
    sm.clearSelection()
    for vm_id in ids:
        row = vl.model.row_of(vm_id)
        assert row is not None
        sm.select(
            vl.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_model_passes_the_model_tester(qtmodeltester) -> None:
    model = VMTableModel(small_plan())
    qtmodeltester.check(model)
    model.sort(_col("vCPUs"), Qt.SortOrder.DescendingOrder)
    model.set_filter("h1")
    qtmodeltester.check(model)


def test_columns_sort_and_filter(qtmodeltester) -> None:
    model = VMTableModel(small_plan())
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(9)] == [
        "Name", "Count", "vCPUs", "RAM (GB)", "Disk (GB)", "NIC (Mbps)", "Host", "Workload",
        "Guest OS",
    ]  # fmt: skip
    assert _names(model) == ["a", "b", "c", "big", "grp"]
    row = [model.index(3, c).data() for c in range(9)]
    assert row == ["big", "1", "4", "50", "0", "none", "(unplaced)", "constant", "Other"]
    model.sort(_col("RAM (GB)"), Qt.SortOrder.DescendingOrder)
    assert _names(model) == ["big", "a", "b", "c", "grp"]
    model.sort(_col("Host"), Qt.SortOrder.AscendingOrder)
    assert _names(model)[-2:] == ["big", "grp"]  # unplaced last
    model.set_filter("H1")
    assert sorted(_names(model)) == ["a", "b"]
    model.set_filter("unplaced gr")  # every word must match
    assert _names(model) == ["grp"]
    model.set_filter("")
    assert model.rowCount() == 5
    qtmodeltester.check(model)


def test_ten_thousand_entries_filter_and_sort(qtmodeltester) -> None:
    plan = big_plan(hosts=200, vms=10_000)
    model = VMTableModel(plan)
    assert model.rowCount() == 10_000 and model.total() == 10_000
    model.set_filter("sql-cluster-node")
    assert model.rowCount() == 2_000
    assert all("sql-cluster-node" in n for n in _names(model))
    model.sort(_col("vCPUs"), Qt.SortOrder.DescendingOrder)
    assert {model.index(r, 2).data() for r in range(model.rowCount())} <= {"4", "2", "1"}
    values = [int(model.index(r, 2).data()) for r in range(model.rowCount())]
    assert values == sorted(values, reverse=True)
    qtmodeltester.check(model)


def test_selection_is_shared_with_the_canvas(window: MainWindow) -> None:
    window.show_view("vms")
    vl = window.vm_list
    _select_rows(vl, ["a", "c"])
    window.editor.flush_selection()
    assert sorted(window.scene.selected_vm_ids()) == ["a", "c"]
    assert window.editor.act_move_host.isEnabled()
    window.scene.clearSelection()
    window.scene.chip("big").setSelected(True)
    window.editor.flush_selection()
    assert vl.selected_ids() == ["big"]
    # Sorting keeps the selected VMs selected where they land.
    vl.table.sortByColumn(_col("RAM (GB)"), Qt.SortOrder.AscendingOrder)
    assert vl.selected_ids() == ["big"]
    assert vl.model.row_of("big") == 4


def test_bulk_edit_vcpu_is_one_undo_step(window: MainWindow) -> None:
    window.show_view("vms")
    vl = window.vm_list
    _select_rows(vl, ["a", "b", "grp"])
    vl.bulk_field.setCurrentIndex(vl.bulk_field.findData("vcpu"))
    vl.bulk_vcpu.setValue(3)
    steps = window.doc.undo_stack.count()
    assert vl.apply_bulk()
    assert window.doc.undo_stack.count() == steps + 1
    assert [_vm(window, i).vcpu for i in ("a", "b", "grp", "c")] == [3, 3, 3, 1]
    assert window.doc.undo_stack.undoText() == "Set vCPUs to 3 on 3 VM entries"
    window.doc.undo_stack.undo()
    assert [_vm(window, i).vcpu for i in ("a", "b", "grp")] == [2, 1, 1]
    window.doc.undo_stack.redo()
    assert [_vm(window, i).vcpu for i in ("a", "b", "grp")] == [3, 3, 3]
    assert vl.model.index(vl.model.row_of("a"), _col("vCPUs")).data() == "3"


def test_bulk_edit_ram_profile_os_and_host(window: MainWindow) -> None:
    window.show_view("vms")
    vl = window.vm_list
    _select_rows(vl, ["b", "c"])

    def apply(field: str, setter: Callable[[], None]) -> None:
        vl.bulk_field.setCurrentIndex(vl.bulk_field.findData(field))
        setter()
        assert vl.apply_bulk()

    apply("ram_gb", lambda: vl.bulk_ram.setValue(6))
    assert (_vm(window, "b").ram_gb, _vm(window, "c").ram_gb) == (6, 6)
    apply("profile", lambda: vl.bulk_profile.setCurrentIndex(vl.bulk_profile.findData("diurnal")))
    assert (_vm(window, "b").profile, _vm(window, "c").profile) == ("diurnal", "diurnal")
    apply("os", lambda: vl.bulk_os.setCurrentIndex(vl.bulk_os.findData("linux")))
    assert (_vm(window, "b").os, _vm(window, "c").os) == ("linux", "linux")
    apply("host", lambda: vl.bulk_host.setCurrentIndex(vl.bulk_host.findData("h2")))
    assert (_vm(window, "b").host, _vm(window, "c").host) == ("h2", "h2")
    stack = window.doc.undo_stack
    for _ in range(4):
        stack.undo()
    assert (_vm(window, "b").ram_gb, _vm(window, "b").os, _vm(window, "b").host) == (
        4,
        "other",
        "h1",
    )


def test_bulk_edit_refused_when_a_host_would_break(window: MainWindow) -> None:
    window.show_view("vms")
    vl = window.vm_list
    _select_rows(vl, ["a", "b"])  # both on h1 (64 GB)
    vl.bulk_field.setCurrentIndex(vl.bulk_field.findData("ram_gb"))
    vl.bulk_ram.setValue(40)
    before = window.doc.plan
    assert not vl.apply_bulk()
    assert window.doc.plan is before
    assert vl.bulk_error.isVisibleTo(vl) and vl.bulk_error.text().startswith("Refused: h1: RAM")
    assert window.statusBar().currentMessage().startswith("Refused: h1: RAM")


def test_a_hidden_table_catches_up_when_shown(window: MainWindow) -> None:
    vl = window.vm_list
    assert not vl.isVisible()  # the Layout tab is in front
    window.doc.push(BulkEditCommand(window.doc, ["a"], "vcpu", 7))
    window.scene.clearSelection()
    window.scene.chip("c").setSelected(True)
    window.editor.flush_selection()
    window.show_view("vms")
    assert vl.model.index(vl.model.row_of("a"), _col("vCPUs")).data() == "7"
    assert vl.selected_ids() == ["c"]


def test_bulk_command_do_undo_redo(window: MainWindow) -> None:
    doc = window.doc
    doc.push(BulkEditCommand(doc, ["big", "grp"], "os", "windows-server"))
    assert {_vm(window, "big").os, _vm(window, "grp").os} == {"windows-server"}
    doc.undo_stack.undo()
    assert {_vm(window, "big").os, _vm(window, "grp").os} == {"other"}
    doc.undo_stack.redo()
    assert {_vm(window, "big").os, _vm(window, "grp").os} == {"windows-server"}


def test_filter_by_keyboard_and_empty_states(qtbot: QtBot, window: MainWindow) -> None:
    window.show_view("vms")
    vl = window.vm_list
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    vl.table.setFocus()
    QTest.keyClick(vl.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert vl.filter.hasFocus()
    QTest.keyClicks(vl.filter, "nothing-like-this")
    assert vl.model.rowCount() == 0
    assert vl.empty.isVisible() and "No VM entry matches" in vl.empty.text()
    assert vl.count.text() == "0 of 5 VM entries shown"
    vl.filter.clear()
    assert vl.table.isVisible() and vl.count.text() == "5 VM entries (8 VMs)"


def test_switching_to_the_tab_keeps_ctrl_z_for_the_plan(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.canvas.setFocus()
    window.doc.push(BulkEditCommand(window.doc, ["a"], "vcpu", 7))
    window.show_view("vms")
    assert window.focusWidget() is window.vm_list.table
    QTest.keyClick(window.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _vm(window, "a").vcpu == 2  # the plan's undo ran


def test_empty_plan_says_how_to_start(make_window: Callable[..., MainWindow]) -> None:
    model = HostModel(id="m", sockets=1, cores_per_socket=4, ghz=2, ram_gb=16)
    window = make_window(Plan(host_models=[model], hosts=[Host(id="h1", model="m")]))
    window.show_view("vms")
    assert window.vm_list.empty.isVisible()
    assert "No VMs in the plan yet" in window.vm_list.empty.text()
