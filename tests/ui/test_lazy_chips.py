"""Chips are items only near what the canvas shows: a big plan costs the screen, not the plan.

Far boxes hold their VMs as data; scrolling builds the chips that come near and drops the
ones left far behind; a selected VM keeps its chip wherever it is; Auto-place's new plan
rebuilds only the chips near the view.
"""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hvplanner.model.plan import Plan
from hvplanner.ui.canvas.chips import VMChip
from hvplanner.ui.commands import ReplacePlanCommand
from hvplanner.ui.mainwindow import MainWindow
from tests.ui.conftest import big_plan

HOSTS, VMS = 300, 6000


def _chips(window: MainWindow) -> list[VMChip]:
    return [i for i in window.scene.items() if isinstance(i, VMChip)]


def _on_screen(window: MainWindow) -> list[str]:
    view = window.canvas
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    return [h for h, c in window.scene.cards.items() if c.sceneBoundingRect().intersects(shown)]


def _check_built(window: MainWindow) -> None:
    """Every card on screen has a chip for each VM it draws, each in its VM's slot."""
    for host_id in _on_screen(window):
        card = window.scene.cards[host_id]
        assert [c.vm.id for c in card.chips] == [v.id for v in card.drawn], host_id
        assert f"({host_id}) · model" in card.toolTip() and "State: " in card.toolTip()
        for chip in card.chips:
            assert chip.pos().toTuple() == card.slot_corner(chip.slot)
            assert chip.vm is card.drawn[chip.slot]


def _scroll_to_bottom(window: MainWindow) -> None:
    bar = window.canvas.verticalScrollBar()
    bar.setValue(bar.maximum())
    window.canvas.viewport().grab()  # the paint that follows a scroll


def test_a_big_plan_builds_the_chips_on_screen_only(make_window) -> None:
    window = make_window(big_plan(HOSTS, VMS))
    window.canvas.viewport().grab()
    _check_built(window)
    first = len(_chips(window))
    assert 0 < first < VMS // 4
    top = _on_screen(window)

    _scroll_to_bottom(window)
    _check_built(window)
    assert set(_on_screen(window)).isdisjoint(top)
    # The cards left far behind let go of theirs: the count follows the screen.
    assert all(not window.scene.cards[h].chips for h in top)
    assert len(_chips(window)) < VMS // 4


def test_a_far_selected_chip_stays_and_far_chips_are_built_on_demand(make_window) -> None:
    window = make_window(big_plan(HOSTS, VMS))
    scene = window.scene
    window.canvas.viewport().grab()
    scene.clearSelection()
    scene.chip("vm1").setSelected(True)  # on h2, at the top
    _scroll_to_bottom(window)
    assert scene.selected_vm_ids() == ["vm1"]
    assert [c.vm.id for c in scene.cards["h2"].chips] == ["vm1"]

    # A chip asked for by id on a far card is built in its slot (the inspector, Edit, the
    # VMs tab's selection all ask this way).
    chip = scene.chip("vm3")
    assert chip is not None and chip.parentItem() is scene.cards["h4"]
    assert chip.pos().toTuple() == scene.cards["h4"].slot_corner(chip.slot)

    # The VMs tab selects VMs whose cards are far off; the canvas follows.
    window.editor.select("vm", "vm5")
    window.editor.flush_selection()
    assert scene.selected_vm_ids() == ["vm5"]


def test_select_all_reaches_every_vm_and_moving_keeps_the_selection(make_window) -> None:
    window = make_window(big_plan(HOSTS, VMS))
    scene = window.scene
    window.editor.select_all()
    placed = [v.id for v in window.doc.plan.vms if v.host is not None]
    unplaced = [v.id for v in window.doc.plan.vms if v.host is None]
    drawn_in_tray = len(scene.tray.drawn)
    assert len(scene.selected_vm_ids()) == len(placed) + drawn_in_tray
    scene.clearSelection()
    _scroll_to_bottom(window)
    assert len(_chips(window)) < VMS // 4  # unselected far chips went with the scroll
    _check_built(window)
    assert unplaced  # the tray draws some and counts the rest


def _shuffled(plan: Plan, seed: int) -> Plan:
    """`plan` with every VM on a host drawn at random, as an Auto-place may leave it."""
    hosts = [h.id for h in plan.hosts]
    rng = random.Random(seed)
    return plan.model_copy(
        update={"vms": [v.model_copy(update={"host": rng.choice(hosts)}) for v in plan.vms]}
    )


def test_auto_place_rebuilds_only_the_chips_near_the_view(make_window) -> None:
    window = make_window(big_plan(HOSTS, VMS))
    window.canvas.viewport().grab()
    doc, scene = window.doc, window.scene
    scene.clearSelection()
    scene.chip("vm0").setSelected(True)
    shuffled = _shuffled(doc.plan, seed=7)
    doc.push(ReplacePlanCommand(doc, "Auto-place", shuffled))
    window.canvas.viewport().grab()
    _check_built(window)
    assert len(_chips(window)) < VMS // 4
    assert scene.selected_vm_ids() == ["vm0"]  # the selection followed its VM
    chip = scene.chip("vm0")
    assert chip is not None and chip.parentItem() is scene.cards[shuffled.vms[0].host or ""]
    doc.undo_stack.undo()
    window.canvas.viewport().grab()
    _check_built(window)
    assert scene.selected_vm_ids() == ["vm0"]


def test_cards_far_from_the_view_show_auto_places_plan_when_scrolled_to(
    make_window, qtbot, monkeypatch
) -> None:
    # Far cards get no repaint request when their VMs change: the view paints them when
    # they come into sight, with what they hold then.
    from hvplanner.ui.canvas.cards import HostCard

    window = make_window(big_plan(HOSTS, VMS))
    window.canvas.viewport().grab()
    doc = window.doc
    shuffled = _shuffled(doc.plan, seed=11)
    doc.push(ReplacePlanCommand(doc, "Auto-place", shuffled))
    window.canvas.viewport().grab()
    painted: dict[str, int] = {}
    paint = HostCard.paint

    def recorded(card: HostCard, *args: object) -> None:
        painted[card.host_id] = len(card.vms)
        paint(card, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(HostCard, "paint", recorded)
    bar = window.canvas.verticalScrollBar()
    bar.setValue(bar.maximum())  # the event loop paints what the scroll shows
    qtbot.waitUntil(lambda: set(_on_screen(window)) <= painted.keys(), timeout=5000)
    counts = {h.id: 0 for h in shuffled.hosts}
    for vm in shuffled.vms:
        counts[vm.host or ""] = counts.get(vm.host or "", 0) + 1
    for host_id in _on_screen(window):
        assert painted[host_id] == counts[host_id], host_id


def test_arrow_keys_walk_into_cards_built_as_they_come_near(make_window) -> None:
    window = make_window(big_plan(HOSTS, VMS))
    scene = window.scene
    window.canvas.viewport().grab()
    scene.clearSelection()
    scene.chip("vm0").setSelected(True)
    window.canvas.setFocus()
    # Down through the grid, far past the first screen: each step lands on a chip.
    last = None
    for _ in range(60):
        QTest.keyClick(window.canvas, Qt.Key.Key_Down)
        window.canvas.viewport().grab()
        ids = scene.selected_vm_ids()
        assert len(ids) == 1
        last = ids[0]
    chip = scene.chip(last or "")
    assert chip is not None
    assert chip.sceneBoundingRect().top() > 3 * window.canvas.viewport().height()
    _check_built(window)


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip, offscreen
def test_hovering_a_chip_shows_its_vm_not_the_card(make_window, qtbot) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from tests.ui.conftest import item_view_pos

    window = make_window(big_plan(HOSTS, VMS))
    window.canvas.viewport().grab()
    chip = window.scene.chip("vm1")
    assert chip is not None
    port = window.canvas.viewport()
    pos = item_view_pos(window, chip)
    QApplication.sendEvent(port, QHelpEvent(QEvent.Type.ToolTip, pos, port.mapToGlobal(pos)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert "srv-app-0001 (vm1)" in QToolTip.text() and "vCPU" in QToolTip.text()
    QToolTip.hideText()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip, offscreen
def test_hovering_a_card_far_down_shows_its_host(make_window, qtbot) -> None:
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from tests.ui.conftest import item_view_pos

    window = make_window(big_plan(HOSTS, VMS))
    _scroll_to_bottom(window)
    card = window.scene.cards[_on_screen(window)[-1]]
    port = window.canvas.viewport()
    pos = item_view_pos(window, card, QPointF(20, 10))  # the header, not a chip
    QApplication.sendEvent(port, QHelpEvent(QEvent.Type.ToolTip, pos, port.mapToGlobal(pos)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert f"({card.host_id}) · model" in QToolTip.text() and "State: " in QToolTip.text()
    QToolTip.hideText()
