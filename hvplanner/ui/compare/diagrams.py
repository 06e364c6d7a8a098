"""A concept diagram as a widget; `painting.diagrams` holds the pictures and draws them."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from hvplanner.painting.diagrams import GRID_H, GRID_W, Diagram, paint
from hvplanner.ui.i18n import painted
from hvplanner.ui.theme import colours


class DiagramWidget(QWidget):
    def __init__(self, diagram: Diagram, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diagram = diagram
        self.setMinimumSize(240, 144)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setToolTip(painted(diagram.title))

    def sizeHint(self) -> QSize:
        return QSize(500, 300)

    def heightForWidth(self, width: int) -> int:
        return int(width * GRID_H / GRID_W)

    def hasHeightForWidth(self) -> bool:
        return True

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        c = colours()
        p.fillRect(self.rect(), c.diagram_back)
        paint(p, QRectF(self.rect()).adjusted(4, 4, -4, -4), self.diagram, colours=c, words=painted)
        p.end()
