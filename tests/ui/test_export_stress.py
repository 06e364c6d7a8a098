"""50 PDF exports from the window while other windows are created and destroyed.

The deadlock this guards against: a worker building Qt objects (it once built the canvas
scene) took Qt's signal-slot mutex while holding the GIL, as the GUI thread destroyed a
window and, inside that mutex, waited for the GIL. Now the worker only computes; this
interleaves exports with window churn to keep it so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from hvplanner.ui.autosave import Autosave
from hvplanner.ui.canvas.scene import PlanScene
from hvplanner.ui.canvas.view import PlanView
from hvplanner.ui.document import PlanDocument
from hvplanner.ui.mainwindow import MainWindow
from tests.qt_guard import leftovers
from tests.ui.conftest import FakeAsker, small_plan

EXPORTS = 50
FULL_WINDOW_EVERY = 10


def _window(tmp_path: Path, asker: FakeAsker, name: str) -> MainWindow:
    settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    return MainWindow(
        small_plan(),
        None,
        asker=asker,  # type: ignore[arg-type]
        autosave=Autosave(tmp_path / f"autosave-{name}"),
        settings=settings,
    )


@pytest.mark.slow
def test_pdf_exports_while_windows_come_and_go(qtbot, tmp_path: Path) -> None:
    asker = FakeAsker()
    window = _window(tmp_path, asker, "main")
    qtbot.addWidget(window)
    window.show()
    task = window.exchange.task
    for i in range(EXPORTS):
        target = tmp_path / f"report-{i}.pdf"
        asker.export_to = {"pdf": target}
        window.exchange.export_pdf()
        assert task.running
        while task.running:
            # Made and destroyed on the GUI thread while the export runs, as a user opening
            # and closing plans would (destroying a window takes Qt's signal-slot mutex).
            # Canvas windows mostly (the scene is what the worker once built); now and then
            # a whole main window, which costs a second or so to build.
            if i % FULL_WINDOW_EVERY == 0:
                other = _window(tmp_path, asker, f"other-{i}")
                other.show()
                QApplication.processEvents()
                other.doc.undo_stack.setClean()
                other.close()
                shiboken6.delete(other)
            else:
                doc = PlanDocument(small_plan())
                view = PlanView(PlanScene(doc))
                view.show()
                QApplication.processEvents()
                shiboken6.delete(view)
                shiboken6.delete(doc)
            qtbot.wait(1)
        assert asker.errors == [], asker.errors
        assert target.read_bytes().startswith(b"%PDF"), i
    window.doc.undo_stack.setClean()
    assert leftovers() == ([], [])
