"""Opening and recovering a plan in a test: both read off the GUI thread, so the test
waits for the window to settle."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from hvplanner.ui.mainwindow import MainWindow


def settle(window: MainWindow, start: Callable[[], bool], timeout_ms: int = 60_000) -> bool:
    """True when `start` began a read and the plan was then replaced.

    It waits in one turn of an event loop, as the application does, rather than polling:
    each poll would take the interpreter lock back from the worker many times."""
    ends: list[bool] = []
    loop = QEventLoop()

    def ended(replaced: bool) -> None:
        ends.append(replaced)
        loop.quit()

    window.files.settled.connect(ended)
    try:
        if not start():
            return False
        if not ends:
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
    finally:
        window.files.settled.disconnect(ended)
    assert ends, "the read did not end in time"
    return ends[0]


def open_plan(qtbot, window: MainWindow, path: Path, ask: bool = True) -> bool:
    return settle(window, lambda: window.files.open_path(path, ask=ask))


def recover(qtbot, window: MainWindow) -> bool:
    return settle(window, window.files.offer_recovery)
