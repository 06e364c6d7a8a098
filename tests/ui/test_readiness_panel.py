"""The readiness panel runs the check off the GUI thread and shows the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from hvplanner.model.hypervisor import FAMILIES, FAMILY_LABELS
from hvplanner.ui.readiness_panel import ReadinessPanel, worst_status
from tests.conftest import HOST_FIXTURES

HOSTS = HOST_FIXTURES


@pytest.fixture
def fixture_root() -> Path:
    return HOSTS / "intel-xeon-e5345-dell-pe2950-vmx-no-ept"


def test_runs_against_a_fixture_root(qtbot: QtBot, fixture_root: Path) -> None:
    panel = ReadinessPanel(root=fixture_root)
    qtbot.addWidget(panel)
    assert not panel.copy_button.isEnabled()
    with qtbot.waitSignal(panel.check_finished, timeout=10_000):
        panel.run_button.click()
        assert not panel.run_button.isEnabled()
    qtbot.waitUntil(panel.run_button.isEnabled)
    assert panel.report is not None
    assert panel.verdict_table.rowCount() == len(FAMILIES)
    titles = [panel.verdict_table.item(r, 0).text() for r in range(len(FAMILIES))]
    assert titles == [FAMILY_LABELS[f] for f in FAMILIES]
    hyperv = panel.verdict_table.item(FAMILIES.index("hyper-v"), 1).text()
    assert hyperv == "blocked"  # the icon carries the mark; no glyph repeats it
    groups = [
        panel.checks_tree.topLevelItem(i).text(0)
        for i in range(panel.checks_tree.topLevelItemCount())
    ]
    assert "Processor" in groups and "Firmware" in groups
    proc = panel.checks_tree.topLevelItem(groups.index("Processor"))
    slat = next(
        proc.child(i)
        for i in range(proc.childCount())
        if proc.child(i).text(0).startswith("Second-level")
    )
    assert "without EPT" in slat.text(1)
    assert slat.childCount() >= 1 and slat.child(0).text(0) == "seen"
    # Each group's icon is its worst check's.
    role = Qt.ItemDataRole.UserRole
    for g in range(panel.checks_tree.topLevelItemCount()):
        group = panel.checks_tree.topLevelItem(g)
        children = [group.child(i).data(0, role) for i in range(group.childCount())]
        assert group.data(0, role) == worst_status(children)

    panel.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert "Verdicts" in text and "Hyper-V" in text
    assert panel.wait_idle()


def test_live_check_does_not_freeze(qtbot: QtBot) -> None:
    panel = ReadinessPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.check_finished, timeout=10_000):
        panel.run_check()
    assert panel.verdict_table.rowCount() == len(FAMILIES)
    assert panel.wait_idle()


def test_worst_status_orders_skip_below_pass() -> None:
    assert worst_status(["pass", "skip", "warn"]) == "warn"
    assert worst_status(["skip", "pass"]) == "pass"
    assert worst_status(["skip", "skip"]) == "skip"
    assert worst_status(["unknown", "fail"]) == "fail"
