"""Opening and recovering a plan in a test: both read off the GUI thread, so the test
waits for the window to settle."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hvplanner.ui.mainwindow import MainWindow


def settle(qtbot, window: MainWindow, start: Callable[[], bool]) -> bool:
    """True when `start` began a read and the plan was then replaced."""
    ends: list[bool] = []
    window.files.settled.connect(ends.append)
    try:
        if not start():
            return False
        qtbot.waitUntil(lambda: bool(ends), timeout=60_000)
    finally:
        window.files.settled.disconnect(ends.append)
    return ends[0]


def open_plan(qtbot, window: MainWindow, path: Path, ask: bool = True) -> bool:
    return settle(qtbot, window, lambda: window.files.open_path(path, ask=ask))


def recover(qtbot, window: MainWindow) -> bool:
    return settle(qtbot, window, window.files.offer_recovery)
