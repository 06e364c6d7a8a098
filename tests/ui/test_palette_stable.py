"""Palette rows stay where they are while the user clicks them, and sections stay open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from hvplanner.ui import palette as palette_module
from hvplanner.ui.mainwindow import MainWindow


def _find(window: MainWindow, section: str, prefix: str) -> QTreeWidgetItem:
    tree = window.palette.tree
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top.text(0) == section:
            for j in range(top.childCount()):
                if top.child(j).text(0).startswith(prefix):
                    return top.child(j)
    raise AssertionError(f"no {prefix!r} in {section!r}")


def _double_click(qtbot: QtBot, window: MainWindow, item: QTreeWidgetItem) -> None:
    tree = window.palette.tree
    pos = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_five_double_clicks_on_one_preset_add_five_of_it(qtbot: QtBot, window: MainWindow) -> None:
    tree = window.palette.tree
    presets = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0) == "VM presets"
    )
    presets.setExpanded(True)
    db = _find(window, "VM presets", "Database")
    pos = tree.visualItemRect(db).center()
    before = len(window.doc.plan.vms)
    for _ in range(5):
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.wait(200)  # past the palette's refresh pause: rows would have moved by now
    added = window.doc.plan.vms[before:]
    assert [(v.vcpu, v.ram_gb) for v in added] == [(8, 64.0)] * 5
    # Once the pointer has been still for a while, the new template row appears, and the
    # presets the user opened stay open.
    qtbot.waitUntil(
        lambda: any(
            tree.topLevelItem(1).child(j).text(0).startswith("8 vCPU · 64 GB")
            for j in range(tree.topLevelItem(1).childCount())
        ),
        timeout=palette_module.HOLD_MS + 2000,
    )
    reopened = tree.topLevelItem(tree.topLevelItemCount() - 1)
    assert reopened.text(0) == "VM presets" and reopened.isExpanded()
    row = _find(window, "VM templates in this plan", "8 vCPU · 64 GB")
    assert row.text(1) == "×5"


def test_counts_update_in_place_without_moving_rows(qtbot: QtBot, window: MainWindow) -> None:
    row = _find(window, "VM templates in this plan", "1 vCPU · 4 GB")
    assert row.text(1) == "×2"
    _double_click(qtbot, window, row)
    qtbot.waitUntil(lambda: row.text(1) == "×3", timeout=2000)  # the same item, updated
    assert _find(window, "VM templates in this plan", "1 vCPU · 4 GB") is row


def test_sections_keep_the_users_expansion_across_rebuilds(window: MainWindow) -> None:
    from hvplanner.model.edits import rebuild
    from hvplanner.model.plan import VM

    tree = window.palette.tree
    tree.topLevelItem(0).setExpanded(False)  # host models: closed by the user
    plan = window.doc.plan
    window.palette.refresh(rebuild(plan, vms=[*plan.vms, VM(id="n", vcpu=3, ram_gb=3)]))
    assert not tree.topLevelItem(0).isExpanded()
    assert tree.topLevelItem(1).isExpanded()
