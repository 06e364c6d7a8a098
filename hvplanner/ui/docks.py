"""The docks around the central views: the palette and inspector beside the layout, the
summary and the utilization plots below it.

The palette, inspector and plots serve the layout (the Utilization tab shows the plots
large); the other tabs get the whole width. What the user had open comes back with the
layout, and that is also what the window saves.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

from hvplanner.ui.i18n import translate

# The bottom docks' share of the window's height: the canvas gets the most room.
BOTTOM_SHARE = 0.27
SUMMARY_H = 170


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    bar = area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(widget.minimumSizeHint().width() + bar)
    return area


class WindowDocks:
    def __init__(
        self,
        window: QMainWindow,
        palette: QWidget,
        inspector: QWidget,
        summary: QWidget,
        utilization: QWidget,
    ) -> None:
        self.window = window
        area = Qt.DockWidgetArea
        self.palette = self._dock(
            "palette", translate("WindowDocks", "Palette"), palette, area.LeftDockWidgetArea
        )
        # The inspector's forms are taller than a 1280×800 screen leaves beside the bottom
        # docks: it scrolls rather than pushing the window off the screen.
        self.inspector = self._dock(
            "inspector",
            translate("WindowDocks", "Inspector"),
            scrolled(inspector),
            area.RightDockWidgetArea,
        )
        self.summary = self._dock(
            "summary", translate("WindowDocks", "Summary"), summary, area.BottomDockWidgetArea
        )
        self.utilization = self._dock(
            "utilization",
            translate("WindowDocks", "Utilization"),
            utilization,
            area.BottomDockWidgetArea,
        )
        window.splitDockWidget(self.summary, self.utilization, Qt.Orientation.Horizontal)
        horizontal = Qt.Orientation.Horizontal
        window.resizeDocks([self.summary, self.utilization], [700, 900], horizontal)
        window.resizeDocks([self.palette, self.inspector], [260, 300], horizontal)
        self._shown: dict[QDockWidget, bool] | None = None  # while another tab is current

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)  # the key of its place in the saved layout, in any language
        dock.setWidget(widget)
        self.window.addDockWidget(area, dock)
        return dock

    def all(self) -> list[QDockWidget]:
        return [self.palette, self.inspector, self.summary, self.utilization]

    def _layout_docks(self) -> list[QDockWidget]:
        return [self.palette, self.inspector, self.utilization]

    def size_bottom(self) -> None:
        """The summary row's height for the layout view (once the window's size is known)."""
        height = max(SUMMARY_H, int(self.window.height() * BOTTOM_SHARE))
        self.window.resizeDocks([self.summary], [height], Qt.Orientation.Vertical)

    def follow_view(self, on_layout: bool) -> None:
        if not on_layout and self._shown is None:
            self._shown = {d: d.isVisible() for d in self._layout_docks()}
            for dock in self._layout_docks():
                dock.hide()
            self.window.resizeDocks([self.summary], [SUMMARY_H], Qt.Orientation.Vertical)
        elif on_layout and self._shown is not None:
            self.restore()
            self.size_bottom()

    def restore(self) -> None:
        """Shows the docks as the layout view had them."""
        if self._shown is not None:
            for dock, shown in self._shown.items():
                dock.setVisible(shown)
            self._shown = None
