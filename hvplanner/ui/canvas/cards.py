"""Host cards and the unplaced tray: the boxes VM chips live in."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from hvplanner.engine.hostload import HostBars
from hvplanner.engine.numbers import fmt
from hvplanner.model.plan import VM, Host, HostModel
from hvplanner.ui.canvas import style
from hvplanner.ui.canvas.bars import paint_bar
from hvplanner.ui.canvas.chips import VMChip
from hvplanner.ui.canvas.sparks import SPARK_H, paint_sparks

HEADER_H = 60.0
TRAY_HEADER_H = 30.0
TITLE_PT = 10.5


def hardware_text(model: HostModel) -> str:
    threads = f" × {model.threads_per_core} threads" if model.threads_per_core > 1 else ""
    nics = ", ".join(f"{g.count} × {fmt(g.gbps)} GbE" for g in model.nics) or "no NICs"
    return (
        f"{model.sockets} × {model.cores_per_socket} cores{threads} @ {fmt(model.ghz)} GHz · "
        f"{fmt(model.ram_gb)} GB · {nics}"
    )


class ChipBox(QGraphicsItem):
    """A box that lays its VM chips out in rows under a header."""

    header_h = HEADER_H

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width
        self.chips: list[VMChip] = []
        self.drop_state: str | None = None  # "ok" / "refused" while a drag hovers
        self._height = self.header_h + style.PAD

    def chip_top(self) -> float:
        return self.header_h

    def set_vms(self, vms: Sequence[VM]) -> None:
        # Chips whose VM object is unchanged are kept: a move rebuilds only the moved chip.
        scene = self.scene()
        old = {id(c.vm): c for c in self.chips}
        chips: list[VMChip] = []
        for vm in vms:
            chip = old.pop(id(vm), None)
            chips.append(chip if chip is not None and chip.vm is vm else VMChip(vm, self))
        for chip in old.values():
            chip.setParentItem(None)
            if scene is not None:
                scene.removeItem(chip)
        self.chips = chips
        per_row = max(
            1, int((self.width - style.PAD * 2 + style.CHIP_GAP) // (style.CHIP_W + style.CHIP_GAP))
        )
        top = self.chip_top()
        for i, chip in enumerate(self.chips):
            r, c = divmod(i, per_row)
            chip.setPos(
                style.PAD + c * (style.CHIP_W + style.CHIP_GAP),
                top + r * (style.CHIP_H + style.CHIP_GAP),
            )
        rows = (len(self.chips) + per_row - 1) // per_row
        chips_h = rows * (style.CHIP_H + style.CHIP_GAP) if rows else self.empty_h()
        self.prepareGeometryChange()
        self._height = top + chips_h + style.PAD

    def empty_h(self) -> float:
        return 26.0

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width, self._height)

    def set_drop_state(self, state: str | None) -> None:
        if state != self.drop_state:
            self.drop_state = state
            self.update()

    def border_pen(self) -> QPen:
        if self.drop_state == "ok":
            return QPen(style.DROP_OK, 3)
        if self.drop_state == "refused":
            return QPen(style.DROP_REFUSED, 3, Qt.PenStyle.DashLine)
        if self.isSelected():
            return QPen(style.CARD_SELECTED, 2.5)
        return QPen(style.CARD_BORDER, 1)

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
        # The sparkline row is there before the first simulation, so that a card's height
        # does not change (and the canvas does not relayout) when the series arrive.
        return HEADER_H + len(self.load.dims) * style.BAR_ROW + SPARK_H + 8

    def title_text(self, width: float) -> str:
        """The name, then the id. The id always shows; a long DNS name loses its domain,
        any other long name its middle (names that differ only at the end stay apart)."""
        fm = QFontMetricsF(style.font(TITLE_PT, True))
        ident = f"  ({self.host.id})" if self.host.name else ""
        name_w = max(width - fm.horizontalAdvance(ident), width * 0.4)
        name = self.host.name or self.host.id
        if fm.horizontalAdvance(name) > name_w and "." in name.strip("."):
            # A DNS name: the host part identifies it, the domain repeats on every card.
            name = name.split(".", 1)[0] + ".…"
        name = fm.elidedText(name, Qt.TextElideMode.ElideMiddle, name_w)
        return fm.elidedText(name + ident, Qt.TextElideMode.ElideRight, width)

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
        self.set_data(self.host, self.model, self.load, [c.vm for c in self.chips])

    def set_data(self, host: Host, model: HostModel, load: HostBars, vms: Sequence[VM]) -> None:
        self.host, self.model, self.load = host, model, load
        self.preview = None
        tip = [f"{host.name or host.id} ({host.id}) · model {model.label}"]
        tip += [f"Over a hard limit: {v}" for v in load.violations()]
        if self.overload_tip:
            tip.append(f"Simulated overload: {self.overload_tip}")
        tip += [
            "Bars: allocated, i.e. the VMs' full sizes plus overhead and the host reserve,",
            "against what the host and the hypervisor allow (the line: the headroom).",
            "CPU / RAM lines: simulated use over the whole period, with its peak; VMs",
            "rarely use all they are given, so the peak is usually below the bar.",
            "The RAM line is a share of the RAM left for VMs (less the host reserve).",
        ]
        self.setToolTip("\n".join(tip))
        self.set_vms(vms)
        self.update()

    def set_preview(self, load: HostBars | None, state: str | None) -> None:
        self.preview = load
        self.set_drop_state(state)
        self.update()

    def empty_h(self) -> float:
        return 22.0

    def border_pen(self) -> QPen:
        if self.failed_text and self.drop_state is None and not self.isSelected():
            return QPen(style.STATE_COLORS["over"], 2, Qt.PenStyle.DashLine)
        return super().border_pen()

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        r = self.boundingRect().adjusted(1, 1, -1, -1)
        load = self.preview or self.load
        p.setPen(self.border_pen())
        p.setBrush(style.CARD_BACK)
        p.drawRoundedRect(r, 7, 7)
        state = load.worst_state
        if state in ("near", "over"):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(style.STATE_COLORS[state])
            p.drawRoundedRect(QRectF(r.left() + 1, r.top() + 1, 5, HEADER_H - 8), 2, 2)
        inner = r.width() - 2 * style.PAD
        title_w = inner
        badge = self.failed_text or self.overload_text
        if badge:
            title_w = self._paint_failed_badge(p, r, inner, badge)
        p.setFont(style.font(TITLE_PT, True))
        p.setPen(style.TEXT)
        p.drawText(
            QRectF(r.left() + style.PAD, r.top() + 6, title_w, 18),
            Qt.AlignmentFlag.AlignVCenter,
            self.title_text(title_w),
        )
        small = style.font(8)
        sfm = QFontMetricsF(small)
        p.setFont(small)
        p.setPen(style.MUTED)
        p.drawText(
            QRectF(r.left() + style.PAD, r.top() + 24, inner, 15),
            Qt.AlignmentFlag.AlignVCenter,
            sfm.elidedText(self.model.label, Qt.TextElideMode.ElideRight, inner),
        )
        p.drawText(
            QRectF(r.left() + style.PAD, r.top() + 39, inner, 15),
            Qt.AlignmentFlag.AlignVCenter,
            sfm.elidedText(hardware_text(self.model), Qt.TextElideMode.ElideRight, inner),
        )
        binding = load.binding
        y = r.top() + HEADER_H
        for dim in load.dims:
            row = QRectF(r.left() + style.PAD, y, inner, style.BAR_ROW)
            paint_bar(p, row, dim, dim.key == binding)
            y += style.BAR_ROW
        paint_sparks(p, QRectF(r.left() + style.PAD, y, inner, SPARK_H), self.sparks)
        if not self.chips:
            p.setFont(style.font(8))
            p.setPen(style.MUTED)
            p.drawText(
                QRectF(r.left() + style.PAD, self.chip_top(), inner, self.empty_h()),
                Qt.AlignmentFlag.AlignVCenter,
                "No VMs" if self.print_mode else "No VMs: drop VMs or VM presets here",
            )

    def _paint_failed_badge(self, p: QPainter, r: QRectF, inner: float, text: str) -> float:
        """The what-if's or the overload's mark at the top right; returns the width left
        for the title."""
        font = style.font(8, True)
        fm = QFontMetricsF(font)
        w = min(fm.horizontalAdvance(text) + 12, inner * 0.6)
        badge = QRectF(r.right() - style.PAD - w, r.top() + 7, w, 17)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(style.STATE_COLORS["over"])
        p.drawRoundedRect(badge, 4, 4)
        p.setFont(font)
        p.setPen(style.CARD_BACK)
        p.drawText(
            badge,
            Qt.AlignmentFlag.AlignCenter,
            fm.elidedText(text, Qt.TextElideMode.ElideRight, w - 8),
        )
        return inner - w - 6


class TrayCard(ChipBox):
    """The unplaced VMs. It is always there, so there is always somewhere to drop VMs."""

    header_h = TRAY_HEADER_H

    def __init__(self, width: float) -> None:
        super().__init__(width)
        self.count = 0
        self.plan_vms = 0
        self.plan_hosts = 0
        # Printed pages get no "drop here" hints: nobody can drop onto paper.
        self.print_mode = False

    def empty_h(self) -> float:
        return 40.0  # two lines of hint

    def hint(self) -> str:
        """The line an empty tray shows."""
        if self.print_mode:
            return "Every VM is on a host." if self.plan_vms else "The plan has no VMs."
        if not self.plan_vms and not self.plan_hosts:
            return (
                "Empty plan: drag a server preset from the Palette onto the canvas, "
                "then VM presets onto the host."
            )
        if not self.plan_vms:
            return "No VMs yet: drag VM presets from the Palette onto a host or here."
        return "Every VM is on a host. Drop VMs here to unplace them."

    def set_width(self, width: float, vms: Sequence[VM]) -> None:
        self.width = width
        self.set_vms(vms)

    def set_vms(self, vms: Sequence[VM]) -> None:
        self.count = sum(v.count for v in vms)
        super().set_vms(vms)

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        r = self.boundingRect().adjusted(1, 1, -1, -1)
        pen = self.border_pen()
        if self.drop_state is None:
            pen = QPen(style.CARD_BORDER, 1, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(style.TRAY_BACK)
        p.drawRoundedRect(r, 7, 7)
        p.setFont(style.font(10, True))
        p.setPen(style.TEXT)
        title = f"Unplaced ({self.count} VM{'s' if self.count != 1 else ''})"
        p.drawText(
            QRectF(r.left() + style.PAD, r.top() + 6, r.width() - 2 * style.PAD, 18),
            Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        if not self.chips:
            p.setFont(style.font(8))
            p.setPen(style.MUTED)
            p.drawText(
                QRectF(r.left() + style.PAD, self.chip_top(), r.width() - 2 * style.PAD, 36),
                Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                self.hint(),
            )
