"""Host cards and the unplaced tray: the boxes VM chips live in.

The items hold state and handle the mouse; `hvplanner.painting` draws them and says where
their chips go, the same code that draws the plan in the PDF report.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from hvplanner.engine.hostload import HostBars
from hvplanner.model.plan import VM, Host, HostModel
from hvplanner.painting import layout, style
from hvplanner.painting.bars import state_text
from hvplanner.painting.cards import (
    Frame,
    HostCardLook,
    TrayLook,
    host_title,
    paint_host_card,
    paint_tray,
    tray_hint,
)
from hvplanner.ui.canvas.chips import VMChip
from hvplanner.ui.i18n import fmt, painted, plural, translate
from hvplanner.ui.plaintext import tip as plain_tip
from hvplanner.ui.theme import colours

HEADER_H = layout.HEADER_H

# Chips a box draws at most; past it the last slot says "+N more" (the VMs tab lists them
# all). An imported estate can leave thousands of VMs in the tray or on one host: a chip
# each would cost seconds to build and make the box too tall to see.
MAX_CHIPS = 100


class MoreChip(QGraphicsItem):
    """The last slot of a full box: how many VMs it does not draw."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.count = 0

    def set_count(self, count: int) -> None:
        self.count = count
        vms = plural(count, translate("HostCard", "more VM"), translate("HostCard", "more VMs"))
        self.setToolTip(
            translate(
                "HostCard", "{vms} here, not drawn as chips; the VMs tab lists every VM"
            ).format(vms=vms)
        )
        self.update()

    def text(self) -> str:
        return translate("HostCard", "+{n} more").format(n=fmt(self.count))

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, style.CHIP_W, style.CHIP_H)

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p.setPen(colours().muted)
        p.drawText(self.boundingRect(), Qt.AlignmentFlag.AlignCenter, self.text())


class ChipBox(QGraphicsItem):
    """A box that lays its VM chips out in rows under a header."""

    header_h = HEADER_H

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width
        self.chips: list[VMChip] = []
        self.vms: Sequence[VM] = ()  # all its VMs; `chips` draws the first MAX_CHIPS
        self.more = 0  # VMs past the chips, counted by the "+N more" slot
        self._more_chip: MoreChip | None = None
        self.drop_state: str | None = None  # "ok" / "refused" while a drag hovers
        self._height = self.header_h + style.PAD

    def chip_top(self) -> float:
        return self.header_h

    def set_vms(self, vms: Sequence[VM]) -> None:
        # Chips whose VM object is unchanged are kept: a move rebuilds only the moved chip.
        scene = self.scene()
        self.vms = vms
        self.more = len(vms) - (MAX_CHIPS - 1) if len(vms) > MAX_CHIPS else 0
        drawn = vms[: MAX_CHIPS - 1] if self.more else vms
        old = {id(c.vm): c for c in self.chips}
        chips: list[VMChip] = []
        for vm in drawn:
            chip = old.pop(id(vm), None)
            chips.append(chip if chip is not None and chip.vm is vm else VMChip(vm, self))
        for chip in old.values():
            chip.setParentItem(None)
            if scene is not None:
                scene.removeItem(chip)
        self.chips = chips
        top = self.chip_top()
        slots = layout.chip_positions(self.slots(), self.width, top)
        for chip, (x, y) in zip(chips, slots, strict=False):
            chip.setPos(x, y)
        if self.more:
            if self._more_chip is None:
                self._more_chip = MoreChip(self)
            self._more_chip.set_count(self.more)
            self._more_chip.setPos(*slots[-1])
        elif self._more_chip is not None:
            self._more_chip.setParentItem(None)
            if scene is not None:
                scene.removeItem(self._more_chip)
            self._more_chip = None
        self.prepareGeometryChange()
        self._height = layout.box_height(self.slots(), self.width, top, self.empty_h())

    def slots(self) -> int:
        """Chip places the box shows: its chips, and the "+N more" slot if it has one."""
        return len(self.chips) + (1 if self.more else 0)

    def empty_h(self) -> float:
        return 26.0

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width, self._height)

    def set_drop_state(self, state: str | None) -> None:
        if state != self.drop_state:
            self.drop_state = state
            self.update()

    def frame(self) -> Frame:
        if self.drop_state == "ok":
            return "ok"
        if self.drop_state == "refused":
            return "refused"
        return "selected" if self.isSelected() else "plain"

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        # Only the header selects the card; a press on the body starts a rubber band.
        if event.pos().y() <= self.header_h or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
        else:
            event.ignore()


class HostCard(ChipBox):
    def __init__(self, host: Host, model: HostModel, load: HostBars) -> None:
        super().__init__(style.CARD_WIDTH)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.host = host
        self.model = model
        self.load = load
        self.preview: HostBars | None = None
        self.sparks: npt.NDArray[np.float64] | None = None
        self.failed_text = ""
        # Simulated peak past 100 % or the headroom line (engine.overload): badge and tooltip.
        self.overload_text = ""
        self.overload_tip = ""
        self.print_mode = False

    @property
    def host_id(self) -> str:
        return self.host.id

    def chip_top(self) -> float:
        return layout.host_chip_top(len(self.load.dims))

    def title_text(self, width: float) -> str:
        return host_title(self.host, width)

    def set_live(self, sparks: npt.NDArray[np.float64] | None, failed_text: str = "") -> None:
        """Sparklines (2, n) of CPU and RAM percent; `failed_text` set: failed in the what-if."""
        self.sparks = sparks
        self.failed_text = failed_text
        self.update()

    def set_overload(self, badge: str, tip: str) -> None:
        """The simulated overload's badge ("CPU 120 %") and its description; "" clears it."""
        if (badge, tip) == (self.overload_text, self.overload_tip):
            return
        self.overload_text, self.overload_tip = badge, tip
        self.set_data(self.host, self.model, self.load, self.vms)

    def set_data(self, host: Host, model: HostModel, load: HostBars, vms: Sequence[VM]) -> None:
        self.host, self.model, self.load = host, model, load
        self.preview = None
        tip = [
            translate("HostCard", "{name} ({id}) · model {model}").format(
                name=host.name or host.id, id=host.id, model=model.label
            )
        ]
        tip.append(translate("HostCard", "State: {state}").format(state=state_text(load, painted)))
        tip += [
            translate("HostCard", "Over a hard limit: {limit}").format(limit=v)
            for v in load.violations()
        ]
        if self.overload_tip:
            tip.append(
                translate("HostCard", "Simulated overload: {overload}").format(
                    overload=self.overload_tip
                )
            )
        tip.append(
            translate(
                "HostCard",
                "Bars: allocated, i.e. the VMs' full sizes plus overhead and the host reserve,\n"
                "against what the host and the hypervisor allow (the line: the headroom).\n"
                "CPU / RAM lines: simulated use over the whole period, with its peak; VMs\n"
                "rarely use all they are given, so the peak is usually below the bar.\n"
                "The RAM line is a share of the RAM left for VMs (less the host reserve).",
            )
        )
        self.setToolTip(plain_tip("\n".join(tip)))
        self.set_vms(vms)
        self.update()

    def set_preview(self, load: HostBars | None, state: str | None) -> None:
        self.preview = load
        self.set_drop_state(state)
        self.update()

    def empty_h(self) -> float:
        return layout.HOST_EMPTY_H

    def look(self) -> HostCardLook:
        return HostCardLook(
            host=self.host,
            model=self.model,
            load=self.preview or self.load,
            chip_top=self.chip_top(),
            empty_h=self.empty_h(),
            has_chips=bool(self.chips),
            frame=self.frame(),
            sparks=self.sparks,
            failed_text=self.failed_text,
            overload_text=self.overload_text,
            print_mode=self.print_mode,
        )

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_host_card(p, self.boundingRect(), self.look(), colours=colours(), words=painted)


class TrayCard(ChipBox):
    """The unplaced VMs. It is always there, so there is always somewhere to drop VMs."""

    header_h = layout.TRAY_HEADER_H

    def __init__(self, width: float) -> None:
        super().__init__(width)
        self.count = 0
        self.plan_vms = 0
        self.plan_hosts = 0
        # Printed pages get no "drop here" hints: nobody can drop onto paper.
        self.print_mode = False

    def empty_h(self) -> float:
        return layout.TRAY_EMPTY_H

    def hint(self) -> str:
        """The line an empty tray shows."""
        return tray_hint(self.plan_vms, self.plan_hosts, self.print_mode, painted)

    def set_width(self, width: float, vms: Sequence[VM]) -> None:
        self.width = width
        self.set_vms(vms)

    def set_vms(self, vms: Sequence[VM]) -> None:
        self.count = sum(v.count for v in vms)
        super().set_vms(vms)

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        look = TrayLook(
            count=self.count,
            chip_top=self.chip_top(),
            has_chips=bool(self.chips),
            hint=self.hint(),
            frame=None if self.drop_state is None else self.frame(),
        )
        paint_tray(p, self.boundingRect(), look, colours=colours(), words=painted)
