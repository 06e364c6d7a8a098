"""A VM chip: name, size and count; selectable, and dragged to other hosts or the tray."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from hvplanner.engine.numbers import fmt
from hvplanner.model.plan import VM
from hvplanner.painting import style
from hvplanner.painting.chips import chip_name, paint_chip

if TYPE_CHECKING:
    from hvplanner.ui.canvas.scene import PlanScene


class VMChip(QGraphicsItem):
    def __init__(self, vm: VM, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton | Qt.MouseButton.RightButton)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        tip = f"{vm.label} ({vm.id})\n{vm.count} × {vm.vcpu} vCPU, {fmt(vm.ram_gb)} GB RAM"
        if vm.cpu_mhz is not None:
            tip += f", {fmt(vm.cpu_mhz)} MHz peak"
        if vm.pinned:
            tip += "\npinned to its host"
        self.setToolTip(tip)
        self._press_pos: tuple[float, float] | None = None

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, style.CHIP_W, style.CHIP_H)

    def name_text(self, width: float) -> str:
        return chip_name(self.vm, width)

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_chip(p, self.boundingRect(), self.vm, self.isSelected())

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            pos = event.screenPos()
            self._press_pos = (pos.x(), pos.y())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._press_pos is None:
            return
        pos = event.screenPos()
        dist = abs(pos.x() - self._press_pos[0]) + abs(pos.y() - self._press_pos[1])
        if dist < QApplication.startDragDistance():
            return
        self._press_pos = None
        scene: PlanScene = self.scene()  # type: ignore[assignment]
        scene.start_chip_drag(self, event.widget())

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._press_pos = None
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        scene: PlanScene = self.scene()  # type: ignore[assignment]
        scene.edit_requested.emit("vm", self.vm.id)
