"""The window as a person meets it: where it opens, what it remembers, how it asks and quits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from hvplanner.ui.autosave import Autosave
from hvplanner.ui.mainwindow import MainWindow
from tests.ui.conftest import FakeAsker, small_plan


def new_window(qtbot, tmp_path: Path, asker: FakeAsker, settings: QSettings) -> MainWindow:
    win = MainWindow(
        small_plan(),
        None,
        asker=asker,  # type: ignore[arg-type]
        autosave=Autosave(tmp_path / "autosave"),
        settings=settings,
    )
    qtbot.addWidget(win)
    return win


def ini(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


# Opens the window on an offscreen screen of a given size, optionally resizes it and hides
# the palette, prints where it is, and closes it (which saves the layout).
DRIVER = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
app.setOrganizationName("hvplanner"); app.setApplicationName("hvplanner")
from hvplanner.ui.mainwindow import MainWindow
from tests.ui.conftest import small_plan
win = MainWindow(small_plan())
win.show()
app.processEvents()
if len(sys.argv) > 2:
    win.resize(int(sys.argv[1]), int(sys.argv[2]))
    win.palette_dock.hide()
    app.processEvents()
area = win.screen().availableGeometry()
g = win.geometry()
print(json.dumps({"w": g.width(), "h": g.height(), "cx": g.center().x(), "cy": g.center().y(),
    "aw": area.width(), "ah": area.height(), "palette": win.palette_dock.isVisible(),
    "status": win.statusBar().currentMessage(),
    "status_bottom": win.statusBar().mapToGlobal(win.statusBar().rect().bottomLeft()).y()}))
win.close()
"""


def open_window(tmp_path: Path, screen: tuple[int, int], *size: int) -> dict[str, Any]:
    config = tmp_path / f"screen-{screen[0]}x{screen[1]}.json"
    config.write_text(
        json.dumps(
            {"screens": [{"name": "s", "x": 0, "y": 0, "width": screen[0], "height": screen[1]}]}
        )
    )
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path))
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    res = subprocess.run(
        [sys.executable, "-c", DRIVER, *map(str, size)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def inside(seen: dict[str, Any]) -> bool:
    return (
        seen["w"] <= seen["aw"]
        and seen["h"] <= seen["ah"]
        and 0 <= seen["cx"] <= seen["aw"]
        and seen["status_bottom"] <= seen["ah"]
    )


def test_the_window_opens_within_a_1280x800_screen(tmp_path: Path) -> None:
    seen = open_window(tmp_path, (1280, 800))
    assert (seen["aw"], seen["ah"]) == (1280, 800)
    assert inside(seen), seen


def test_no_tab_widens_the_window_past_a_1280_screen(window) -> None:
    """Each view's own minimum width (a long unwrapped label, a wide table) adds up with the
    docks'; a 1280-pixel screen needs the whole to stay under it with room for the frame."""
    widest = {
        window.views.tabText(i): window.views.widget(i).minimumSizeHint().width()
        for i in range(window.views.count())
    }
    assert window.minimumSizeHint().width() <= 1240, widest


def test_size_and_docks_are_remembered_and_cut_when_the_screen_shrinks(tmp_path: Path) -> None:
    open_window(tmp_path, (1920, 1080), 1500, 900)
    again = open_window(tmp_path, (1920, 1080))
    assert (again["w"], again["h"]) == (1500, 900) and not again["palette"]
    # The same settings on a smaller screen: the default size within it, not 1500 × 900.
    smaller = open_window(tmp_path, (1280, 800))
    assert inside(smaller), smaller
    assert "fitted to it" in smaller["status"]


# `hvplanner gui` as a person quits it: one edit, File ▸ Quit, "Discard".
QUIT_DRIVER = """
import argparse, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from hvplanner.ui import app as gui
from hvplanner.ui.dialogs import Asker
from hvplanner.ui.mainwindow import MainWindow
from hvplanner.ui.commands import PinCommand

Asker.save_changes = lambda self, name: "discard"

def quit_after_an_edit():
    win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    vm = next(v for v in win.doc.plan.vms if v.host)
    win.doc.push(PinCommand(win.doc, [vm.id], True))
    print(f"QUIT {time.time():.3f}", flush=True)
    win.act_quit.trigger()

app = QApplication(sys.argv[:1])
QTimer.singleShot(300, quit_after_an_edit)
args = argparse.Namespace(plan=None, screenshot=None, size=None, view="canvas", select=[], fail=[])
sys.exit(gui.run_gui(args))
"""


def test_quit_with_discard_ends_cleanly(tmp_path: Path) -> None:
    import time

    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path))
    env["QT_QPA_PLATFORM"] = "offscreen"
    res = subprocess.run(
        [sys.executable, "-c", QUIT_DRIVER],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    ended = time.time()
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr and "already deleted" not in res.stderr, res.stderr
    quit_at = float(next(ln for ln in res.stdout.splitlines() if ln.startswith("QUIT")).split()[1])
    print(f"quit -> process gone: {ended - quit_at:.3f} s")
    # Nothing is left behind for a recovery prompt at the next start.
    assert not list((tmp_path / ".local").rglob("*.hvplan.json"))


def test_the_save_prompt_has_mnemonics_and_cancel_is_the_default(qtbot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMessageBox

    from hvplanner.ui.dialogs import save_changes_box

    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return):
        box = save_changes_box("Plan A")
        qtbot.addWidget(box)
        texts = {box.buttonRole(b): b.text() for b in box.buttons()}
        assert texts == {
            QMessageBox.ButtonRole.AcceptRole: "&Save",
            QMessageBox.ButtonRole.DestructiveRole: "&Discard",
            QMessageBox.ButtonRole.RejectRole: "&Cancel",
        }
        assert box.defaultButton().text() == "&Cancel"
        assert box.escapeButton().text() == "&Cancel"
        box.open()
        qtbot.waitExposed(box)
        qtbot.keyClick(box, key)
        qtbot.waitUntil(lambda b=box: not b.isVisible(), timeout=2000)
        assert box.clickedButton().text() == "&Cancel"
    box = save_changes_box("Plan A")
    qtbot.addWidget(box)
    box.open()
    qtbot.waitExposed(box)
    box.activateWindow()
    qtbot.waitActive(box)
    # Through the window system, as a keyboard types it: mnemonics are shortcuts.
    QTest.keyClick(box.windowHandle(), Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=2000)
    assert box.clickedButton().text() == "&Discard"


def test_a_discarded_window_is_destroyed_without_errors(qtbot, tmp_path: Path, asker) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    from hvplanner.ui.commands import PinCommand

    win = MainWindow(
        small_plan(),
        None,
        asker=asker,  # type: ignore[arg-type]
        autosave=Autosave(tmp_path / "autosave"),
        settings=ini(tmp_path),
    )
    win.show()
    qtbot.waitExposed(win)
    win.doc.push(PinCommand(win.doc, ["a"], True))
    asker.answer = "discard"
    assert win.close()
    # What the application does after Quit: the window and everything in it are deleted.
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(10)
