"""Help ▸ User Manual (F1), Keyboard Shortcuts and About."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, qVersion
from PySide6.QtTest import QTest

from hvplanner import __version__
from hvplanner.catalog import load_catalog
from hvplanner.ui.help import about_text, manual_path, shortcut_rows


def test_f1_opens_the_bundled_manual(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_F1)
    manual = window.help.manual
    assert manual is not None
    qtbot.waitUntil(manual.isVisible, timeout=2000)
    text = manual.browser.toPlainText()
    for topic in (
        "The canvas",
        "The sizing rules",
        "Auto-place and the lower bound",
        "The simulation and the failure what-if",
        "readiness verdicts",
        "Import and export",
    ):
        assert topic in text
    assert "Logical processors = ⌈vCPUs ÷ vCPU:LP ratio⌉" in text
    manual.close()


def test_the_manual_ships_in_the_package_and_its_links_resolve() -> None:
    page = manual_path().read_text(encoding="utf-8")
    assert "hvplanner/resources" in str(manual_path()) or "resources/manual" in str(manual_path())
    targets = set(re.findall(r'href="#([\w-]+)"', page))
    anchors = set(re.findall(r'id="([\w-]+)"', page))
    assert targets and targets <= anchors


def test_about_names_versions_licence_catalog_date_and_third_parties() -> None:
    text = about_text()
    from PySide6 import __version__ as pyside

    newest = max(s.read for s in load_catalog().sources.values())
    for fact in (__version__, "GPL-3.0-or-later", qVersion(), pyside, newest):
        assert fact in text
    assert "pyqtgraph" in text and "MIT" in text and "pydantic" in text


def test_shortcuts_are_read_from_the_menus(window) -> None:
    rows = {(menu, command): keys for menu, command, keys in shortcut_rows(window.menuBar())}
    assert rows[("File", "Save")] == "Ctrl+S"
    assert rows[("Edit", "Duplicate")] == "Ctrl+D"
    assert rows[("Help", "User Manual")] == "F1"
    dialog = window.help.shortcuts_dialog()
    assert dialog.table.rowCount() > len(rows)  # and the canvas gestures
    cells = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert "Ctrl+Wheel" in cells
    dialog.deleteLater()


def test_about_opens_the_bundled_notices_when_the_installation_has_them(
    window, tmp_path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from hvplanner import paths

    notices = tmp_path / "NOTICES.md"
    notices.write_text("# Notices\n\nPySide6: LGPL-3.0-only\n", encoding="utf-8")
    monkeypatch.setattr(paths, "third_party_notices", lambda: notices, raising=False)
    monkeypatch.setattr(paths, "license_file", lambda: tmp_path / "missing", raising=False)
    about = window.help.about_dialog()
    box = about.findChild(QDialogButtonBox)
    buttons = {b.text(): b for b in box.buttons()}
    assert buttons["Third-party &Notices…"].isEnabled()
    assert not buttons["&Licence…"].isEnabled()
    reader = window.help.text_dialog(notices)
    assert "PySide6: LGPL-3.0-only" in reader.browser.toPlainText()
    reader.deleteLater()
    about.deleteLater()
