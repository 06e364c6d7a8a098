"""The outline of a host card that is not there yet: where a dragged host model will land."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from hvplanner.painting import style
from hvplanner.ui.theme import colours


class LandingGhost(QGraphicsItem):
    """A dashed card with the model's name, drawn above the cards while a drag hovers."""

    def __init__(self) -> None:
        super().__init__()
        self.rect = QRectF()
        self.text = ""
        self.setZValue(10)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptDrops(False)
        self.hide()

    def show_at(self, rect: QRectF, text: str) -> None:
        self.prepareGeometryChange()
        self.rect = QRectF(rect)
        self.text = text
        self.show()
        self.update()

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-2, -2, 2, 2)

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        c = colours()
        p.setPen(QPen(c.drop_ok, 2.5, Qt.PenStyle.DashLine))
        back = c.drop_ok.darker(250) if c.dark else c.drop_ok.lighter(190)
        back.setAlpha(150)
        p.setBrush(QBrush(back))
        p.drawRoundedRect(self.rect, 6, 6)
        p.setPen(c.text)
        p.setFont(style.font(10, bold=True))
        p.drawText(
            self.rect.adjusted(style.PAD, style.PAD, -style.PAD, -style.PAD),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            self.text,
        )
