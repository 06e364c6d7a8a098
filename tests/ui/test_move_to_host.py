"""'Move to Host…': a keyboard way to put VMs on a chosen host, refused like a drop."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hvplanner.ui.commands import MoveVMsCommand
from hvplanner.ui.dialogs import Asker
from hvplanner.ui.mainwindow import MainWindow
from hvplanner.ui.movehost import MoveToHostDialog
from tests.ui.conftest import FakeAsker


def _host_of(window: MainWindow, vm_id: str) -> str | None:
    return next(v.host for v in window.doc.plan.vms if v.id == vm_id)


def _select(window: MainWindow, *vm_ids: str) -> None:
    window.scene.clearSelection()
    for vm_id in vm_ids:
        chip = window.scene.chip(vm_id)
        assert chip is not None
        chip.setSelected(True)
    window.editor.flush_selection()


def test_dialog_lists_hosts_with_free_capacity_and_enter_accepts(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = MoveToHostDialog(window.doc, ["a"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    rows = [dialog.list.topLevelItem(i) for i in range(dialog.list.topLevelItemCount())]
    assert [r.text(0) for r in rows] == ["(unplaced)", "h1", "h2"]
    # h2 (2 × 4-core, 8 LPs at 8:1 = 64 vCPUs, less 1 of VM c) and 64 GB less c's 4 GB.
    assert rows[2].text(2) == "1" and rows[2].text(3).endswith("vCPUs")
    assert rows[2].text(4).endswith("GB")
    assert dialog.focusWidget() is dialog.list
    assert dialog.current_host() == "h2"  # a sits on h1: the first other host is current
    QTest.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.result() == MoveToHostDialog.DialogCode.Accepted
    assert dialog.chosen == "h2"


def test_a_host_the_move_would_break_is_refused_with_the_reason(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = MoveToHostDialog(window.doc, ["big", "grp"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.current_host() == "h2"  # it opens on the first host they fit on
    dialog.list.setCurrentItem(dialog.list.topLevelItem(1))  # h1: 12 GB taken of 64
    QTest.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.chosen is None
    assert dialog.reason.isVisible()
    assert dialog.reason.text().startswith("Refused: h1: RAM")
    QTest.keyClick(dialog.list, Qt.Key.Key_Down)  # h2 has room
    assert not dialog.reason.isVisible()
    QTest.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.chosen == "h2"


def test_move_action_is_one_undo_step(window: MainWindow, asker: FakeAsker) -> None:
    _select(window, "a", "b")
    assert window.editor.act_move_host.isEnabled()
    asker.host_answer = "h2"
    steps = window.doc.undo_stack.count()
    window.editor.act_move_host.trigger()
    assert [sorted(ids) for ids in asker.asked_host] == [["a", "b"]]
    assert (_host_of(window, "a"), _host_of(window, "b")) == ("h2", "h2")
    assert window.doc.undo_stack.count() == steps + 1
    window.doc.undo_stack.undo()
    assert (_host_of(window, "a"), _host_of(window, "b")) == ("h1", "h1")
    window.doc.undo_stack.redo()
    assert (_host_of(window, "a"), _host_of(window, "b")) == ("h2", "h2")
    asker.host_answer = ""  # back to the tray
    window.editor.act_move_host.trigger()
    assert _host_of(window, "a") is None


def test_move_command_do_undo_redo(window: MainWindow) -> None:
    doc = window.doc
    cmd = MoveVMsCommand(doc, ["big"], "h2")
    doc.push(cmd)
    assert _host_of(window, "big") == "h2"
    doc.undo_stack.undo()
    assert _host_of(window, "big") is None
    doc.undo_stack.redo()
    assert _host_of(window, "big") == "h2"


def test_refused_move_leaves_the_plan_and_says_why(window: MainWindow, asker: FakeAsker) -> None:
    _select(window, "big", "grp")
    asker.host_answer = "h1"
    before = window.doc.plan
    window.editor.act_move_host.trigger()
    assert window.doc.plan is before
    assert window.statusBar().currentMessage().startswith("Refused: h1: RAM")


def test_keyboard_only_ctrl_m_then_enter(
    qtbot: QtBot, window: MainWindow, asker: FakeAsker
) -> None:
    window.editor.asker = Asker(window)  # the real dialog, driven by keys
    _select(window, "c")
    window.canvas.setFocus()
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MoveToHostDialog)
        seen.append(str(dialog.current_host()))
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    QTest.keyClick(window.canvas, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    window.editor.asker = asker  # closing the window must not ask a real question
    assert seen == ["h1"]
    assert _host_of(window, "c") == "h1"


def test_context_menu_and_edit_menu_offer_it(window: MainWindow) -> None:
    chip = window.scene.chip("a")
    menu = window.editor.build_context_menu(chip)
    assert window.editor.act_move_host in menu.actions()
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert window.editor.act_move_host in edit.actions()
    assert window.editor.act_move_host.shortcut().toString() == "Ctrl+M"
    window.scene.clearSelection()
    window.editor.flush_selection()
    assert not window.editor.act_move_host.isEnabled()
