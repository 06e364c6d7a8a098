"""Where the main window opens: where the user left it, or within the screen it is on.

The geometry and the dock layout are saved on close (`QSettings`, Qt's own
saveGeometry/saveState) and restored on the next start, unless the screen has since
shrunk (a laptop undocked, a smaller monitor): then the window opens at the default
size, cut to the screen's available area, and centred on it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

DEFAULT_SIZE = QSize(1600, 1000)
# Share of the screen's free area a first window may take: the desktop's panels and the
# window frame need the rest.
SCREEN_SHARE = 0.92
# Bumped when the docks change, so that a layout saved by an older version is not applied.
LAYOUT_VERSION = 1
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"


def available_area(window: QMainWindow) -> QRect:
    """The free area (without panels and docks of the desktop) of the window's screen."""
    screen = QGuiApplication.screenAt(window.geometry().center()) or window.screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fits(window: QMainWindow) -> bool:
    area = available_area(window)
    geometry = window.geometry()
    return (
        geometry.width() <= area.width()
        and geometry.height() <= area.height()
        and area.contains(geometry.center())
    )


def default_geometry(window: QMainWindow) -> None:
    """The default size, cut to the screen's free area, centred on it."""
    area = available_area(window)
    width = min(DEFAULT_SIZE.width(), int(area.width() * SCREEN_SHARE))
    height = min(DEFAULT_SIZE.height(), int(area.height() * SCREEN_SHARE))
    window.resize(width, height)
    window.move(area.center() - QPoint(width // 2, height // 2))


def restore(window: QMainWindow, settings: QSettings) -> str:
    """Restores the saved geometry and docks: "saved" if they were used, "refitted" if they
    were saved on a larger screen (the default size is used), "default" if none were."""
    geometry = settings.value(GEOMETRY_KEY)
    state = settings.value(STATE_KEY)
    if not isinstance(geometry, QByteArray):
        default_geometry(window)
        return "default"
    if window.restoreGeometry(geometry) and fits(window):
        if isinstance(state, QByteArray):
            window.restoreState(state, LAYOUT_VERSION)
        return "saved"
    default_geometry(window)
    return "refitted"


def save(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState(LAYOUT_VERSION))
    settings.sync()
