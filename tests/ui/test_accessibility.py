"""Every control a person can reach has a name a screen reader can say.

The names are read through QAccessible, as assistive technology reads them (AT-SPI on Linux,
UI Automation on Windows): a button's text, a field's buddy label or an explicit name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QGraphicsView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from hvplanner.formats.inventory import parse_inventory
from hvplanner.ui.exchange_dialogs import ImportPreviewDialog, PdfOptionsDialog
from hvplanner.ui.failtime import FailTimeDialog
from hvplanner.ui.forms import HOST_MODEL_FIELDS, VM_FIELDS, ModelDialog
from hvplanner.ui.help import ManualWindow, ShortcutsDialog
from hvplanner.ui.movehost import MoveToHostDialog

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractSlider,
    QAbstractItemView,
    QGraphicsView,
    QTabBar,
    QTextEdit,
    QPlainTextEdit,
)
RVTOOLS = Path(__file__).parents[1] / "formats" / "data" / "rvtools_vinfo.csv"


def _qt_part(w: QWidget) -> bool:
    """Pieces Qt makes and names itself (a combo's popup list, a spin box's editor, the
    toolbar's overflow arrow, a line edit's clear button)."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox)) or (
            isinstance(parent, QLineEdit) and isinstance(w, QAbstractButton)
        ):
            return True
        parent = parent.parentWidget()
    return w.objectName().startswith("qt_")


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for w in [root, *root.findChildren(QWidget)]:
        if not isinstance(w, INTERACTIVE) or _qt_part(w):
            continue
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(w, QAbstractButton):
            continue
        iface = QAccessible.queryAccessibleInterface(w)
        name = iface.text(QAccessible.Text.Name) if iface is not None else ""
        if not name.strip():
            where = type(w.parentWidget()).__name__ if w.parentWidget() else "-"
            missing.append(f"{type(w).__name__} {w.objectName()!r} in {where}")
    return missing


def test_every_control_of_the_window_and_its_docks_has_a_name(window):
    window.show()
    for view in window.view_names:
        window.show_view(view)
    assert window.findChildren(QWidget)
    assert unnamed(window) == []


def test_the_checker_finds_a_control_without_a_name(qtbot):
    """The walk above can fail: an unlabelled field is reported."""
    box = QWidget()
    qtbot.addWidget(box)
    QLineEdit(box)
    assert unnamed(box) == ["QLineEdit '' in QWidget"]


def _dialogs(window):
    parse = lambda include: parse_inventory(  # noqa: E731
        RVTOOLS.read_bytes(), RVTOOLS.name, include_powered_off=include
    )
    vm = window.doc.plan.vms[0].id
    host_initial = {"id": "m", "name": "", "sockets": 2, "cores_per_socket": 8}
    host_initial |= {"threads_per_core": 2, "ghz": 2.4, "ram_gb": 256, "nic_count": 2}
    host_initial |= {"nic_gbps": 10, "disk_gb": 0}
    vm_initial = {"id": "t", "name": "", "count": 1, "vcpu": 2, "ram_gb": 4}
    vm_initial |= {"disk_gb": 60, "nic_mbps": 100, "cpu_mhz": None}
    vm_initial |= {"profile": "constant", "os": "other", "anti_affinity": ""}
    return [
        MoveToHostDialog(window.doc, [vm], window),
        FailTimeDialog("h1", 7, 600.0, window),
        PdfOptionsDialog("A4", "", window),
        ImportPreviewDialog(RVTOOLS.name, parse(False), parse, window),
        ShortcutsDialog(window.menuBar(), window),
        ManualWindow(window),
        ModelDialog("New host model", HOST_MODEL_FIELDS, lambda v: v, host_initial, window),
        ModelDialog("New VM template", VM_FIELDS, lambda v: v, vm_initial, window),
    ]


def test_every_control_of_every_dialog_has_a_name(window, qtbot):
    for dialog in _dialogs(window):
        dialog.show()
        qtbot.waitExposed(dialog)
        assert unnamed(dialog) == [], type(dialog).__name__
        dialog.close()


@pytest.mark.parametrize("name", ["canvas", "vms", "hosts", "utilization", "compare", "readiness"])
def test_each_view_has_a_described_name(window, name):
    view = window.view(name)
    assert view is not None
    assert view.accessibleName()
    assert view.accessibleDescription()


def test_hosts_tab_says_in_words_what_the_cards_show_by_colour(window, qtbot):
    """The canvas's accessible twin: every host, its load per resource and its state."""
    window.show_view("hosts")
    table = window.host_table.table
    plan = window.doc.plan
    assert table.rowCount() == len(plan.hosts)
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    for row, host in enumerate(plan.hosts):
        load = window.doc.host_load(host.id)
        texts = dict(
            zip(headers, (table.item(row, c).text() for c in range(len(headers))), strict=True)
        )
        assert host.id in texts["Host"]
        ram = load.dim("ram")
        assert texts["RAM"].startswith(ram.describe())
        assert any(w in texts["State"] for w in ("comfortable", "near", "over", "unknown"))


def test_hosts_tab_selection_is_the_canvas_selection(window, qtbot):
    window.show_view("hosts")
    table = window.host_table.table
    host = window.doc.plan.hosts[-1].id
    table.selectRow(len(window.doc.plan.hosts) - 1)
    assert window.scene.selected_host_ids() == [host]
    first = window.doc.plan.hosts[0].id
    window.scene.clearSelection()
    window.scene.cards[first].setSelected(True)
    window.editor.flush_selection()
    assert window.host_table.selected_ids() == [first]


def test_hosts_tab_follows_edits(window, qtbot):
    window.show_view("hosts")
    before = window.host_table.table.rowCount()
    window.editor.act_duplicate.setEnabled(True)
    host = window.doc.plan.hosts[0].id
    window.scene.cards[host].setSelected(True)
    window.editor.flush_selection()
    window.editor.act_duplicate.trigger()
    qtbot.waitUntil(lambda: window.host_table.table.rowCount() == before + 1)


def test_every_control_is_reachable_by_keyboard(window):
    """Tab reaches every control; a toolbar button (Qt never tabs to one) has its action in
    a menu too, where the keyboard reaches it."""
    from PySide6.QtWidgets import QScrollBar, QToolBar, QToolButton

    window.show()
    in_menus = {
        a.text().replace("&", "")
        for m in window.menuBar().actions()
        for a in _all_actions(m.menu())
    }
    unreachable = []
    for w in window.findChildren(QWidget):
        if not isinstance(w, INTERACTIVE) or _qt_part(w) or isinstance(w, QScrollBar):
            continue
        if not w.isVisibleTo(window) or w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        toolbar_button = isinstance(w, QToolButton) and isinstance(w.parentWidget(), QToolBar)
        if toolbar_button and w.text().replace("&", "") in in_menus:
            continue
        name = w.accessibleName() or w.objectName() or w.text()
        unreachable.append(f"{type(w).__name__} {name!r} in {type(w.parentWidget()).__name__}")
    assert unreachable == []


def _all_actions(menu):
    for a in menu.actions():
        yield a
        if a.menu() is not None:
            yield from _all_actions(a.menu())


def test_tab_from_the_view_tabs_goes_into_the_canvas(window, qtbot):
    """Focus order: the tab bar, then the view it shows, where arrow keys move on."""
    window.show()
    qtbot.waitExposed(window)
    window.show_view("canvas")
    bar = window.views.tabBar()
    bar.setFocus()
    qtbot.waitUntil(bar.hasFocus)
    for _ in range(3):
        if window.canvas.hasFocus():
            break
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    assert window.canvas.hasFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    assert window.scene.selectedItems(), "arrow keys select a card on the focused canvas"


def test_a_cards_state_is_said_in_words_not_only_by_colour(window):
    for host_id, card in window.scene.cards.items():
        load = window.doc.host_load(host_id)
        words = {"comfortable", "near the headroom line", "over the headroom line"}
        state = next(line for line in card.toolTip().splitlines() if line.startswith("State: "))
        assert any(w in state for w in words | {"limit unknown"})
        if load.worst_state == "near":
            assert "near the headroom line" in state
