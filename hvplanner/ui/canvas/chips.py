"""A VM chip: name, size and count. It draws (with `painting.chips`) and is selectable; the
scene starts its drags (to other hosts or the tray) and its edit on double click.

Chips exist only where they can be seen or are selected (`cards.ChipBox`): a box far from
the view holds its VMs as plain data, and a chip is handed from one VM to another when a
box's contents change rather than destroyed and built again."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from hvplanner.model.plan import VM
from hvplanner.painting import style
from hvplanner.painting.chips import chip_name, paint_chip
from hvplanner.ui.i18n import fmt, translate
from hvplanner.ui.plaintext import tip as plain_tip
from hvplanner.ui.theme import colours

CHIP_RECT = QRectF(0, 0, style.CHIP_W, style.CHIP_H)
# Chips and boxes are rect items without a pen, so that their bounding rect is their rect,
# read by Qt in C++: it asks several times per paint and per move of each item.
NO_PEN = QPen(Qt.PenStyle.NoPen)
# Combined once: each `|` of Qt's flags runs Python's enum code (a few µs), and Auto-place
# builds a chip for every slot that comes into sight.
CHIP_BUTTONS = Qt.MouseButton.LeftButton | Qt.MouseButton.RightButton
# Looked up once as well: reading an enum member runs Python's enum code too, and placing a
# plan from the tray builds hundreds of chips at once.
SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
OPEN_HAND = Qt.CursorShape.OpenHandCursor


class VMChip(QGraphicsRectItem):
    def __init__(self, vm: VM, parent: QGraphicsItem | None = None) -> None:
        super().__init__(CHIP_RECT, parent)
        self.setPen(NO_PEN)
        self.setFlag(SELECTABLE)
        self.setAcceptedMouseButtons(CHIP_BUTTONS)
        self.setCursor(OPEN_HAND)
        self.slot = 0  # its place in the box, counted in chips
        self.corner: tuple[float, float] | None = None  # where the box last put it
        self.set_vm(vm)

    def set_vm(self, vm: VM, repaint: bool = True) -> None:
        """`repaint` False: its box repaints itself whole, which paints the chip too."""
        self.vm = vm
        # Written when first asked for (the scene asks before Qt shows it): formatting the
        # figures for every chip that scrolls by would cost more than building the chip.
        self._tip_stale = True
        if repaint:
            self.update()

    def toolTip(self) -> str:
        if self._tip_stale:
            vm = self.vm
            tip = translate("VMChip", "{name} ({id})\n{count} × {vcpus} vCPU, {ram} GB RAM").format(
                name=vm.label, id=vm.id, count=fmt(vm.count), vcpus=fmt(vm.vcpu), ram=fmt(vm.ram_gb)
            )
            if vm.cpu_mhz is not None:
                tip += translate("VMChip", ", {mhz} MHz peak").format(mhz=fmt(vm.cpu_mhz))
            if vm.pinned:
                tip += "\n" + translate("VMChip", "pinned to its host")
            self.setToolTip(plain_tip(tip))
            self._tip_stale = False
        return super().toolTip()

    def name_text(self, width: float) -> str:
        return chip_name(self.vm, width)

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_chip(p, CHIP_RECT, self.vm, self.isSelected(), colours=colours())
