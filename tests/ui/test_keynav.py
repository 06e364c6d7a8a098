"""Arrow keys move the selection between host cards and VM chips on the canvas."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hvplanner.ui.canvas.cards import HostCard
from hvplanner.ui.canvas.chips import VMChip
from hvplanner.ui.mainwindow import MainWindow


def _key(window: MainWindow, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.canvas, key, mods)
    window.editor.flush_selection()


def _selected(window: MainWindow) -> list[str]:
    out = []
    for item in window.scene.selectedItems():
        if isinstance(item, HostCard):
            out.append(f"host:{item.host_id}")
        elif isinstance(item, VMChip):
            out.append(f"vm:{item.vm.id}")
    return sorted(out)


def test_arrows_walk_cards_and_chips(window: MainWindow) -> None:
    window.scene.clearSelection()
    window.canvas.setFocus()
    cards = window.scene.cards
    # The grid: h1 and h2 side by side or one above the other, depending on the width.
    h1, h2 = cards["h1"].sceneBoundingRect(), cards["h2"].sceneBoundingRect()
    towards_h2 = Qt.Key.Key_Right if h2.left() >= h1.right() else Qt.Key.Key_Down
    back = Qt.Key.Key_Left if towards_h2 == Qt.Key.Key_Right else Qt.Key.Key_Up
    _key(window, Qt.Key.Key_Right)  # nothing selected: the first host card
    assert _selected(window) == ["host:h1"]
    _key(window, towards_h2)
    assert _selected(window) == ["host:h2"]
    _key(window, back)
    assert _selected(window) == ["host:h1"]
    _key(window, Qt.Key.Key_Return)  # into the card: its first VM
    assert _selected(window) == ["vm:a"]
    _key(window, Qt.Key.Key_Right)  # the next chip in the card
    assert _selected(window) == ["vm:b"]
    _key(window, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)  # Shift: extend
    assert _selected(window) == ["vm:a", "vm:b"]
    _key(window, Qt.Key.Key_Escape)  # back out to the card
    assert _selected(window) == ["host:h1"]
    # The inspector follows: a host card shows the host page.
    assert window.inspector.currentWidget() is window.inspector.host_page


def test_arrow_from_a_chip_reaches_a_chip_in_another_box(window: MainWindow) -> None:
    window.scene.clearSelection()
    window.scene.chip("big").setSelected(True)  # in the tray, above the host cards
    window.canvas.setFocus()
    _key(window, Qt.Key.Key_Down)
    sel = _selected(window)
    assert len(sel) == 1 and sel[0] in ("vm:a", "vm:b", "vm:c")
    # Keys with Ctrl are not navigation (Ctrl+M and the like stay shortcuts).
    before = _selected(window)
    QTest.keyClick(window.canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    window.editor.flush_selection()
    assert _selected(window) == before
