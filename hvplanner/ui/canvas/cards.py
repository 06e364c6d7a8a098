"""Host cards and the unplaced tray: the boxes VM chips live in.

The items hold state and handle the mouse; `hvplanner.painting` draws them and says where
their chips go, the same code that draws the plan in the PDF report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from hvplanner.engine.hostload import HostBars, bar_count
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
from hvplanner.ui.canvas.chips import CHIP_RECT, NO_PEN, VMChip
from hvplanner.ui.i18n import fmt, painted, plural, translate
from hvplanner.ui.plaintext import tip as plain_tip
from hvplanner.ui.theme import colours

HEADER_H = layout.HEADER_H

# Chips a box draws at most; past it the last slot says "+N more" (the VMs tab lists them
# all). An imported estate can leave thousands of VMs in the tray or on one host: a chip
# each would cost seconds to build and make the box too tall to see.
MAX_CHIPS = 100


class MoreChip(QGraphicsRectItem):
    """The last slot of a full box: how many VMs it does not draw."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(CHIP_RECT, parent)
        self.setPen(NO_PEN)
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

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p.setPen(colours().muted)
        p.drawText(CHIP_RECT, Qt.AlignmentFlag.AlignCenter, self.text())


class ChipBox(QGraphicsRectItem):
    """A box that lays its VM chips out in rows under a header.

    Its VMs are plain data (`vms`, `drawn`); chips are items only while the box is `near`
    (in or near the view, as the scene decides) and for the selected VMs, which keep theirs
    wherever they are. A plan of 30,000 VMs thus costs the window the chips on screen, not
    30,000 items, at open and after an Auto-place.
    """

    header_h = HEADER_H

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width
        self.chips: list[VMChip] = []  # the chips that exist, in slot order
        self.vms: Sequence[VM] = ()  # all its VMs; `drawn` are those with a slot
        self.drawn: Sequence[VM] = ()  # the first MAX_CHIPS (or MAX_CHIPS - 1 and "+N more")
        self.more = 0  # VMs past the chips, counted by the "+N more" slot
        self.near = False
        self._more_chip: MoreChip | None = None
        self.drop_state: str | None = None  # "ok" / "refused" while a drag hovers
        # Read for every card at each relayout and sync: a plain attribute, not a property.
        self.height = self.header_h + style.PAD
        # A rect item without a pen: its bounding rect is the rect, which Qt reads in C++
        # (it asks many times per move of the item, for its index and the view) instead
        # of calling into Python each time.
        self.setRect(0, 0, width, self.height)
        self.setPen(NO_PEN)

    def chip_top(self) -> float:
        return self.header_h

    def set_vms(self, vms: Sequence[VM], repaint: bool = True) -> None:
        """`repaint` False: the box repaints itself whole after this (its chips need not)."""
        self.vms = vms
        n = len(vms)
        more = n - (MAX_CHIPS - 1) if n > MAX_CHIPS else 0
        self.more = more
        self.drawn = vms[: MAX_CHIPS - 1] if more else vms
        if self.near or self.chips:
            self._sync_chips(repaint)
        if more:
            if self._more_chip is None:
                self._more_chip = MoreChip(self)
            self._more_chip.set_count(more)
            self._more_chip.setPos(*self.slot_corner(MAX_CHIPS - 1))
        elif self._more_chip is not None:
            self._drop(self._more_chip)
            self._more_chip = None
        height = layout.box_height(
            MAX_CHIPS if more else n, self.width, self.chip_top(), self.empty_h()
        )
        if height != self.height:
            self.height = height
            self.setRect(0, 0, self.width, height)

    def set_near(self, near: bool) -> None:
        """Near the view (True): a chip for every slot; far from it: the selected ones only."""
        if near != self.near:
            self.near = near
            self._sync_chips()

    def slot_corner(self, slot: int) -> tuple[float, float]:
        n = layout.per_row(self.width)
        row, col = divmod(slot, n)
        return (
            style.PAD + col * (style.CHIP_W + style.CHIP_GAP),
            self.chip_top() + row * (style.CHIP_H + style.CHIP_GAP),
        )

    def _sync_chips(self, repaint: bool = True) -> None:
        """Gives the chips that should exist their VMs and places; drops the rest.

        A chip keeps its VM if the VM is still drawn here (so a move rebuilds only the
        moved chip, and selection stays with it); the others are handed to the VMs that
        have none, and only what is then missing is built. `repaint` False: the box
        repaints itself whole, which paints its chips too.
        """
        drawn = self.drawn
        if not self.near and not self.chips:
            return  # the common case far from the view: nothing to do
        old = {c.vm.id: c for c in self.chips}
        if self.near:
            wanted = list(enumerate(drawn))
        else:
            keep = {vid for vid, c in old.items() if c.isSelected()}
            wanted = [(i, vm) for i, vm in enumerate(drawn) if vm.id in keep] if keep else []
        placed: list[tuple[int, VM, VMChip | None]] = []
        for slot, vm in wanted:
            placed.append((slot, vm, old.pop(vm.id, None)))
        spare = [c for c in old.values() if not c.isSelected()] if self.near else []
        for chip in old.values():
            if chip not in spare:
                self._drop(chip)
        chips: list[VMChip] = []
        for slot, vm, found in placed:
            chip = found
            if chip is None and spare:
                chip = spare.pop()
            if chip is None:
                chip = VMChip(vm, self)
            elif chip.vm is not vm:
                chip.set_vm(vm, repaint)
            self._put(chip, slot)
            chips.append(chip)
        for chip in spare:
            self._drop(chip)
        self.chips = chips

    def _put(self, chip: VMChip, slot: int) -> None:
        chip.slot = slot
        corner = self.slot_corner(slot)
        if chip.corner != corner:
            chip.corner = corner
            chip.setPos(*corner)

    def _drop(self, item: QGraphicsItem) -> None:
        item.setParentItem(None)
        scene = self.scene()
        if scene is not None:
            scene.removeItem(item)

    def chip_for(self, vm_id: str) -> VMChip | None:
        """The chip of one of its VMs, built if the box has none for it yet (a far box);
        None for a VM past the "+N more" slot."""
        for chip in self.chips:
            if chip.vm.id == vm_id:
                return chip
        for slot, vm in enumerate(self.drawn):
            if vm.id == vm_id:
                chip = VMChip(vm, self)
                self._put(chip, slot)
                self.chips = sorted([*self.chips, chip], key=lambda c: c.slot)
                return chip
        return None

    def all_chips(self) -> list[VMChip]:
        """A chip for every slot, built where missing (Select All)."""
        self.set_near(True)
        return self.chips

    def drop_idle(self) -> None:
        """A far box lets go of the chips that are no longer selected."""
        if not self.near and self.chips:
            self._sync_chips()

    def slots(self) -> int:
        """Chip places the box shows: its chips, and the "+N more" slot if it has one."""
        return len(self.drawn) + (1 if self.more else 0)

    def empty_h(self) -> float:
        return 26.0

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


LoadSource = HostBars | Callable[[], HostBars]
"""A card's bars, or how to get them when the card is first drawn (adding up its VMs)."""


class HostCard(ChipBox):
    def __init__(self, host: Host, model: HostModel, load: LoadSource) -> None:
        super().__init__(style.CARD_WIDTH)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.host = host
        self.model = model
        self._take_load(load, ())
        self.preview: HostBars | None = None
        self.sparks: npt.NDArray[np.float64] | None = None
        self.failed_text = ""
        # Simulated peak past 100 % or the headroom line (engine.overload): badge and tooltip.
        self.overload_text = ""
        self.overload_tip = ""
        self._tip_stale = True
        self.print_mode = False

    @property
    def host_id(self) -> str:
        return self.host.id

    @property
    def load(self) -> HostBars:
        """The bars, added up when first needed: a card far from the view is never drawn,
        and after an Auto-place only the cards in sight add up their VMs."""
        if self._load is None:
            assert self._load_of is not None
            self._load = self._load_of()
        return self._load

    def _take_load(self, load: LoadSource, vms: Sequence[VM], rows: int | None = None) -> None:
        if isinstance(load, HostBars):
            self._load, self._load_of, self._rows = load, None, len(load.dims)
        else:
            self._load, self._load_of = None, load
            self._rows = bar_count(vms) if rows is None else rows

    def chip_top(self) -> float:
        return layout.host_chip_top(self._rows)

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
        load = self._load if self._load is not None else self._load_of
        assert load is not None
        self.set_data(self.host, self.model, load, self.vms)

    def set_data(
        self,
        host: Host,
        model: HostModel,
        load: LoadSource,
        vms: Sequence[VM],
        rows: int | None = None,
    ) -> None:
        """`rows`: the bars the card will show (`host_bar_count`), when known already."""
        self.host, self.model = host, model
        if rows is not None and not isinstance(load, HostBars):
            # The common case (every card after Auto-place), without `_take_load`'s call.
            self._load, self._load_of, self._rows = None, load, rows
        else:
            self._take_load(load, vms, rows)
        self.preview = None
        # The tooltip is written when first asked for (the scene asks before Qt shows it):
        # it needs the bars, which a card far from the view never adds up.
        self._tip_stale = True
        self.set_vms(vms, repaint=False)
        # A card far from the view is not on screen: the view draws it afresh when it
        # comes near (no item caches a picture of itself). After Auto-place that spares
        # Qt marking and later sorting out a thousand regions of a plan of 30,000 VMs.
        if self.near:
            self.update()

    def toolTip(self) -> str:
        if self._tip_stale:
            self._write_tip()
        return super().toolTip()

    def _write_tip(self) -> None:
        host, model, load = self.host, self.model, self.load
        self._tip_stale = False
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
            has_chips=bool(self.drawn),
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
        self.setRect(0, 0, width, self.height)
        self.set_vms(vms)

    def set_vms(self, vms: Sequence[VM], repaint: bool = True) -> None:
        self.count = sum(v.count for v in vms)
        super().set_vms(vms, repaint)

    def paint(
        self, p: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        look = TrayLook(
            count=self.count,
            chip_top=self.chip_top(),
            has_chips=bool(self.drawn),
            hint=self.hint(),
            frame=None if self.drop_state is None else self.frame(),
        )
        paint_tray(p, self.boundingRect(), look, colours=colours(), words=painted)
