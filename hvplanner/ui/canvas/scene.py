"""The canvas scene: draws the document's plan and turns drops into undo commands.

It never changes what it shows by itself: every change goes through the document,
and the scene redraws the hosts the document says were touched.

VM chips are items only in the boxes in or near what the view shows (and for selected
VMs): the view reports its region (`show_region`) and the boxes that come near it build
their chips, the ones far from it drop them. Everything else about a VM is looked up in
the plan, so the window's cost follows the screen, not the size of the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from PySide6.QtCore import QMimeData, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QCursor, QDrag
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QWidget,
)

from hvplanner.engine.hostload import host_bar_counts, vms_by_host
from hvplanner.engine.planindex import vms_by_id
from hvplanner.engine.refusal import EditRefusedError
from hvplanner.model.plan import VM
from hvplanner.painting import layout, style
from hvplanner.ui.canvas import mime
from hvplanner.ui.canvas.cards import ChipBox, HostCard, TrayCard
from hvplanner.ui.canvas.chips import VMChip
from hvplanner.ui.canvas.landing import LandingGhost
from hvplanner.ui.commands import AddHostCommand, AddVMCommand, MoveVMsCommand, PlanCommand
from hvplanner.ui.document import TRAY, PlanDocument, Touched
from hvplanner.ui.i18n import fmt, plural, translate
from hvplanner.ui.theme import colours, theme

MARGIN = 40.0
# What counts as shown until a view says: the top left of the scene, a large window's worth.
FIRST_REGION = QRectF(-MARGIN, -MARGIN, 2000.0, 1400.0)
# Boxes within this many region sizes of the shown region have chips (so that a scroll or
# an arrow key finds them built); boxes farther than FAR drop them again.
NEAR = 0.25
FAR = 1.0

AskCount = Callable[[VM], "int | None"]


class PlanScene(QGraphicsScene):
    """Signals:
    status(str): a message for the status bar (drop previews, refusals).
    edit_requested(str, str): kind ("vm" or "host") and id of an item to edit.
    layout_about_to_change(): cards are about to move (the view notes what it shows).
    layout_changed(): cards moved or resized (the view may refit).
    vms_moved(object, object, str): VMs dropped onto a host: the plan before the move,
        the VM ids and the host id.
    """

    status = Signal(str)
    edit_requested = Signal(str, str)
    layout_about_to_change = Signal()
    layout_changed = Signal()
    vms_moved = Signal(object, object, str)

    def __init__(
        self, doc: PlanDocument, ask_count: AskCount | None = None, print_mode: bool = False
    ) -> None:
        super().__init__()
        self.doc = doc
        # For a printed page: the same drawing without the hints about dragging and dropping.
        self.print_mode = print_mode
        self.ask_count = ask_count
        self.setBackgroundBrush(colours().scene_back)
        theme().changed.connect(self._theme_changed)
        self.cards: dict[str, HostCard] = {}
        self.tray = TrayCard(style.CARD_WIDTH)
        self.tray.print_mode = print_mode
        self.addItem(self.tray)
        self._columns = 0
        self._placed: dict[QGraphicsItem, tuple[float, float]] = {}  # where relayout put a card
        self._preferred = 0  # the column count chosen for the view; fewer while fewer cards
        self._viewport: tuple[int, int, float] | None = None
        self._hover: tuple[ChipBox | None, PlanCommand | None, str] | None = None
        self._press: tuple[VMChip, QPoint] | None = None  # a chip pressed: a drag may start
        self.ghost = LandingGhost()
        self.addItem(self.ghost)
        self._region: QRectF | None = None  # what the view shows, in scene coordinates
        self._live_for: tuple[float, float, float, float, int] | None = None
        self._layouts = 0  # counts relayouts: the near boxes are found again after one
        doc.plan_changed.connect(self.sync)
        self.sync(None)

    # --- model → items -------------------------------------------------------------

    def _theme_changed(self) -> None:
        self.setBackgroundBrush(colours().scene_back)
        self.update()

    def select_items(self, items: Iterable[QGraphicsItem | None], clear: bool = True) -> None:
        """Selects `items` (None skipped), the rest first cleared unless not `clear`, with
        one selectionChanged for the lot instead of one per item."""
        blocked = self.blockSignals(True)
        try:
            if clear:
                self.clearSelection()
            for item in items:
                if item is not None:
                    item.setSelected(True)
        finally:
            self.blockSignals(blocked)
        self.selectionChanged.emit()

    def selected_vm_ids(self) -> list[str]:
        return [i.vm.id for i in self.selectedItems() if isinstance(i, VMChip)]

    def selected_host_ids(self) -> list[str]:
        return [i.host_id for i in self.selectedItems() if isinstance(i, HostCard)]

    def box_of(self, vm_id: str) -> ChipBox | None:
        """The box that holds a VM of the current plan (None for an unknown id)."""
        vm = vms_by_id(self.doc.plan).get(vm_id)
        if vm is None:
            return None
        return self.tray if vm.host is None else self.cards.get(vm.host)

    def chip(self, vm_id: str) -> VMChip | None:
        """The VM's chip, built if its box is far from the view; None past "+N more"."""
        box = self.box_of(vm_id)
        return None if box is None else box.chip_for(vm_id)

    def every_chip(self) -> list[VMChip]:
        """A chip for every drawn VM, built where missing: Select All asks for the lot."""
        return [c for box in [self.tray, *self.cards.values()] for c in box.all_chips()]

    # --- which boxes have chips ----------------------------------------------------------

    def show_region(self, rect: QRectF) -> None:
        """The view shows `rect` (scene coordinates): boxes near it get chips, far ones not."""
        self._region = QRectF(rect)
        self._update_near()

    def _update_near(self) -> None:
        r = self._region if self._region is not None else FIRST_REGION
        key = (r.x(), r.y(), r.width(), r.height(), self._layouts)
        if key == self._live_for:
            return
        self._live_for = key
        w, h = r.width(), r.height()
        near = (
            r.left() - NEAR * w,
            r.top() - NEAR * h,
            r.right() + NEAR * w,
            r.bottom() + NEAR * h,
        )
        far = (r.left() - FAR * w, r.top() - FAR * h, r.right() + FAR * w, r.bottom() + FAR * h)

        def meets(
            area: tuple[float, float, float, float], box: ChipBox, x: float, y: float
        ) -> bool:
            bottom = y + box.height
            return x < area[2] and x + box.width > area[0] and y < area[3] and bottom > area[1]

        boxes: list[tuple[ChipBox, tuple[float, float] | None]] = [(self.tray, (0.0, 0.0))]
        boxes += [(card, self._placed.get(card)) for card in self.cards.values()]
        for box, at in boxes:
            if at is None:
                continue  # not laid out yet: the relayout that places it comes back here
            if meets(near, box, *at):
                box.set_near(True)
            elif box.near and not meets(far, box, *at):
                box.set_near(False)
            else:
                # Chips built for a far box (selected, or asked for by id) go once the
                # view has moved on and they are not selected.
                box.drop_idle()

    def sync(self, touched: Touched) -> None:
        plan = self.doc.plan
        keep_vms = set(self.selected_vm_ids())
        keep_hosts = set(self.selected_host_ids())
        self._clear_hover()
        by_host = vms_by_host(plan)
        bar_rows = host_bar_counts(plan)
        ids = [h.id for h in plan.hosts]
        relayout = False
        for hid in list(self.cards):
            if hid not in by_host:
                gone = self.cards.pop(hid)
                self._placed.pop(gone, None)
                self.removeItem(gone)
                relayout = True
        cards, load_of = self.cards, self.doc.load_of
        models = {m.id: m for m in plan.host_models}
        for host in plan.hosts:
            hid = host.id
            card = cards.get(hid)
            if card is not None and touched is not None and hid not in touched:
                continue
            model = models[host.model]
            # Added up when the card is first drawn: cards far from the view never are.
            load = partial(load_of, hid)
            if card is None:
                card = HostCard(host, model, load)
                card.print_mode = self.print_mode
                self.addItem(card)
                cards[hid] = card
                relayout = True
            old_h = card.height
            card.set_data(host, model, load, by_host[hid], bar_rows(hid))
            relayout |= card.height != old_h
        if list(self.cards) != ids:
            self.cards = {hid: self.cards[hid] for hid in ids}
            relayout = True
        counts = (len(plan.vms), len(plan.hosts))
        if counts != (self.tray.plan_vms, self.tray.plan_hosts):
            self.tray.plan_vms, self.tray.plan_hosts = counts
            self.tray.update()
        if touched is None or TRAY in touched:
            old_h = self.tray.height
            self.tray.set_vms(by_host[None])
            relayout |= self.tray.height != old_h
        if relayout or touched is None:
            self.relayout()
        self._restore_selection(keep_vms, keep_hosts)

    def _restore_selection(self, vms: set[str], hosts: set[str]) -> None:
        # A selected VM that moved to another box has a new chip there: select it.
        for vm_id in vms:
            chip = self.chip(vm_id)
            if chip is not None and not chip.isSelected():
                chip.setSelected(True)
        for host_id in hosts:
            card = self.cards.get(host_id)
            if card is not None and not card.isSelected():
                card.setSelected(True)

    def set_viewport(self, width: float, height: float, min_zoom: float) -> bool:
        """The view's size in pixels and the smallest zoom it fits at; True if the grid changed.

        The grid's column count follows the view's shape, so that Fit fills the width.
        """
        shape = (round(width), round(height), min_zoom)
        if width <= 0 or height <= 0:
            return False
        self._viewport = shape
        if self.columns_for(len(self.cards)) == self._preferred:
            return False
        self.relayout(regrid=True)
        return True

    def _tray_height(self, width: float) -> float:
        return layout.box_height(
            self.tray.slots(), width, self.tray.chip_top(), self.tray.empty_h()
        )

    def _grid_size(self, cols: int, heights: list[float]) -> tuple[float, float]:
        width = layout.grid_width(cols)
        height = self._tray_height(width)
        for start in range(0, len(heights), cols):
            height += style.GAP + max(heights[start : start + cols])
        return width + 2 * MARGIN, height + 2 * MARGIN

    def columns_for(self, n: int) -> int:
        if n <= 1 or self._viewport is None:
            return layout.default_columns(n)
        vw, vh, min_zoom = self._viewport
        heights = [c.height for c in self.cards.values()]
        best, best_zoom = 1, 0.0
        for cols in range(1, n + 1):
            # More columns only make the grid wider: once its width alone zooms out past
            # the best so far, or past the smallest readable zoom, no later count wins.
            width_zoom = vw / (layout.grid_width(cols) + 2 * MARGIN)
            if width_zoom <= best_zoom + 1e-9 or width_zoom < min_zoom:
                break
            w, h = self._grid_size(cols, heights)
            zoom = min(vw / w, vh / h)
            if zoom > best_zoom + 1e-9:
                best, best_zoom = cols, zoom
        if best_zoom >= min_zoom:
            return best
        # Too many to fit readably: as many columns as fit the width, and scroll down.
        fitting = int((vw / min_zoom - 2 * MARGIN + style.GAP) // (style.CARD_WIDTH + style.GAP))
        return max(1, min(n, fitting))

    def relayout(self, regrid: bool = False) -> None:
        """Places the cards; the column count changes only with `regrid` (or with no view),
        so that an edit does not reshuffle the grid under the user."""
        self.layout_about_to_change.emit()
        cards = list(self.cards.values())
        if regrid or self._viewport is None or self._preferred == 0:
            self._preferred = self.columns_for(len(cards))
        cols = max(1, min(self._preferred, len(cards)))
        self._columns = cols
        width = layout.grid_width(cols)
        if self.tray.width != width:
            self.tray.set_width(width, self.tray.vms)
        self.tray.setPos(0, 0)
        top = self.tray.height + style.GAP
        heights = [c.height for c in cards]
        corners, bottom = layout.card_positions(heights, cols, top)
        # Only the cards whose place changed are moved: an edit usually shifts a few rows.
        placed = self._placed
        for card, corner in zip(cards, corners, strict=True):
            if placed.get(card) != corner:
                card.setPos(*corner)
                placed[card] = corner
        if not cards:
            bottom = top - style.GAP
        self.setSceneRect(-MARGIN, -MARGIN, width + 2 * MARGIN, bottom + 2 * MARGIN)
        self._layouts += 1
        self._update_near()
        self.layout_changed.emit()

    def select_for_menu(self, item: QGraphicsItem | None) -> QGraphicsItem | None:
        """The chip or card a context menu is for, selected the way the menu will act on."""
        while item is not None and not isinstance(item, (VMChip, ChipBox)):
            item = item.parentItem()
        if isinstance(item, (VMChip, HostCard)) and not item.isSelected():
            self.clearSelection()
            item.setSelected(True)
        elif item is None:
            self.clearSelection()
        return item

    # --- drags out of the canvas -------------------------------------------------------

    def drag_ids_for(self, chip: VMChip) -> list[str]:
        if chip.isSelected():
            return self.selected_vm_ids()
        return [chip.vm.id]

    def chip_at(self, pos: QPointF) -> VMChip | None:
        for item in self.items(pos):
            found: QGraphicsItem | None = item
            while found is not None and not isinstance(found, VMChip):
                found = found.parentItem()
            if isinstance(found, VMChip):
                return found
        return None

    # The scene starts drags and edits; chips only draw themselves and select.
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._press = None
        if event.button() == Qt.MouseButton.LeftButton:
            chip = self.chip_at(event.scenePos())
            if chip is not None:
                self._press = (chip, event.screenPos())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            chip, at = self._press
            pos = event.screenPos()
            if abs(pos.x() - at.x()) + abs(pos.y() - at.y()) >= QApplication.startDragDistance():
                self._press = None
                if chip.scene() is self:
                    self.start_chip_drag(chip, event.widget())
                return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        chip = self.chip_at(event.scenePos())
        if chip is not None and event.button() == Qt.MouseButton.LeftButton:
            self.edit_requested.emit("vm", chip.vm.id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def start_chip_drag(self, chip: VMChip, source: QWidget | None) -> None:
        ids = self.drag_ids_for(chip)
        if not chip.isSelected():
            self.clearSelection()
            chip.setSelected(True)
        drag = QDrag(source or chip.scene().views()[0])
        drag.setMimeData(mime.vm_ids_mime(ids))
        drag.exec(Qt.DropAction.MoveAction)

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        # Chips and cards write their tooltip when first asked for, and Qt reads it on the
        # C++ side: ask for it here first, or an unwritten one would show nothing.
        for item in self.items(event.scenePos()):
            if isinstance(item, (VMChip, HostCard)):
                item.toolTip()
        super().helpEvent(event)

    # --- drops ----------------------------------------------------------------------

    def box_at(self, pos: QPointF) -> ChipBox | None:
        for item in self.items(pos):
            box: QGraphicsItem | None = item
            while box is not None and not isinstance(box, ChipBox):
                box = box.parentItem()
            if isinstance(box, ChipBox):
                return box
        return None

    def _command_for(
        self, data: QMimeData, box: ChipBox | None, count: int = 1
    ) -> tuple[PlanCommand | None, str]:
        """The command a drop here would push, or None and the reason it would not."""
        host = box.host_id if isinstance(box, HostCard) else None
        where = (
            translate("PlanScene", "host {host}").format(host=box.host_id)
            if isinstance(box, HostCard)
            else translate("PlanScene", "the unplaced tray")
        )
        try:
            ids = mime.read_vm_ids(data)
            if ids is not None:
                if box is None:
                    return None, translate(
                        "PlanScene", "Drop VMs onto a host or onto the unplaced tray"
                    )
                known = vms_by_id(self.doc.plan)
                ids = [i for i in ids if i in known]
                if not ids:
                    return None, translate("PlanScene", "Those VMs are no longer in the plan")
                cmd: PlanCommand = MoveVMsCommand(self.doc, ids, host)
                n = sum(known[i].count for i in set(ids))
                vms = plural(n, translate("PlanScene", "VM"), translate("PlanScene", "VMs"))
                return cmd, translate("PlanScene", "Move {vms} to {where}").format(
                    vms=vms, where=where
                )
            template = mime.read_template(data)
            if template is not None:
                if box is None:
                    return None, translate(
                        "PlanScene", "Drop a VM template onto a host or onto the unplaced tray"
                    )
                cmd = AddVMCommand(self.doc, template, host, count)
                return cmd, translate(
                    "PlanScene", "Add {count} × {template} to {where} (Shift: choose how many)"
                ).format(count=fmt(count), template=template.label, where=where)
            model = mime.read_host_model(data)
            if model is not None:
                return AddHostCommand(self.doc, model), translate(
                    "PlanScene", "Add a host of model {model}"
                ).format(model=model.label)
        except EditRefusedError as exc:
            return None, str(exc)
        except ValueError as exc:
            return None, translate("PlanDocument", "Refused: {reason}").format(reason=exc)
        return None, ""

    @staticmethod
    def _ours(data: QMimeData) -> bool:
        return any(data.hasFormat(f) for f in (mime.VM_IDS, mime.VM_TEMPLATE, mime.HOST_MODEL))

    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        if not self._ours(event.mimeData()):
            event.ignore()
            return
        # Accepted wherever it enters, even over empty canvas: a hand passes there on its
        # way to a card, and a view that turns the first drag event down gets no more.
        self._hover_at(event)
        event.setDropAction(self._drop_action(event.mimeData()))
        event.accept()

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        data = event.mimeData()
        if not self._ours(data):
            event.ignore()
            return
        if self._hover_at(event) is None:
            event.ignore()  # no drop here; the drag goes on
        else:
            event.setDropAction(self._drop_action(data))
            event.accept()

    @staticmethod
    def _drop_action(data: QMimeData) -> Qt.DropAction:
        moving = data.hasFormat(mime.VM_IDS)
        return Qt.DropAction.MoveAction if moving else Qt.DropAction.CopyAction

    def _hover_at(self, event: QGraphicsSceneDragDropEvent) -> PlanCommand | None:
        """Previews the drop under the pointer (card, tray or new host's place) and says it
        in the status bar; returns the command a drop here would push, if any."""
        box = self.box_at(event.scenePos())
        if self._hover is None or self._hover[0] is not box:
            self._clear_hover()
            cmd, message = self._command_for(event.mimeData(), box)
            self._hover = (box, cmd, message)
            self._show_preview(box, cmd)
            self.status.emit(self._preview_message(box, cmd, message))
        return self._hover[1]

    def _preview_message(self, box: ChipBox | None, cmd: PlanCommand | None, message: str) -> str:
        if isinstance(cmd, AddHostCommand):
            return translate("PlanScene", "{message} (it goes where the outline shows)").format(
                message=message
            )
        if cmd is None or not isinstance(box, HostCard):
            return message
        load = self.doc.host_load(box.host_id, cmd.after)
        parts = [d for d in load.dims if d.capacity]
        figures = ", ".join(
            translate("PlanScene", "{dimension} {percent} %").format(
                dimension=d.label, percent=fmt(100 * d.used / (d.capacity or 1))
            )
            for d in parts
        )
        return f"{message}: {figures}"

    def _show_preview(self, box: ChipBox | None, cmd: PlanCommand | None) -> None:
        if isinstance(cmd, AddHostCommand):
            # A new host goes after the others, wherever it is dropped: show that place.
            self.ghost.show_at(self.landing_rect(), cmd.text())
            return
        if box is None:
            return
        if cmd is None:
            if isinstance(box, HostCard):
                box.set_preview(None, "refused")
            else:
                box.set_drop_state("refused")
            return
        if isinstance(box, HostCard) and box.host_id in {h.id for h in cmd.after.hosts}:
            box.set_preview(self.doc.host_load(box.host_id, cmd.after), "ok")
        else:
            box.set_drop_state("ok")

    def landing_rect(self) -> QRectF:
        """Where a host added now would be laid out: after the last card, as relayout does."""
        heights = [c.height for c in self.cards.values()]
        new_h = min(heights) if heights else style.CARD_WIDTH / 2
        heights.append(new_h)
        cols = max(1, min(self._preferred or self.columns_for(len(heights)), len(heights)))
        y = self.tray.height + style.GAP
        last = len(heights) - 1
        for start in range(0, len(heights), cols):
            row = heights[start : start + cols]
            if start + len(row) > last:
                x = (last - start) * (style.CARD_WIDTH + style.GAP)
                return QRectF(x, y, style.CARD_WIDTH, new_h)
            y += max(row) + style.GAP
        return QRectF(0, y, style.CARD_WIDTH, new_h)

    def _clear_hover(self) -> None:
        self.ghost.hide()
        if self._hover is not None:
            box = self._hover[0]
            if isinstance(box, HostCard):
                box.set_preview(None, None)
            elif box is not None:
                box.set_drop_state(None)
        self._hover = None

    def dragLeaveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        hover = self._hover
        self._clear_hover()
        event.accept()
        port = event.widget()
        if port is None and self.views():
            port = self.views()[0].viewport()
        released_here = port is not None and port.rect().contains(port.mapFromGlobal(QCursor.pos()))
        if hover is not None and hover[1] is None and released_here:
            # Released where it cannot land: Qt sends a leave, not a drop. The reason stays
            # in the status bar, where the person who let go will look for it.
            box, _, message = hover
            if box is not None:
                self.doc.refused.emit(message)
            else:
                self.status.emit(message)
            return
        self.status.emit("")

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        data = event.mimeData()
        box = self.box_at(event.scenePos())
        self._clear_hover()
        count = 1
        template = mime.read_template(data)
        if template is not None and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            asked = self.ask_count(template) if self.ask_count else None
            if asked is None:
                self.status.emit(translate("PlanScene", "Drop cancelled"))
                event.ignore()
                return
            count = asked
        cmd, message = self._command_for(data, box, count)
        if cmd is None:
            self.status.emit(message)
            self.doc.refused.emit(message)
            event.ignore()
            return
        moved = mime.read_vm_ids(data)
        self.doc.push(cmd)
        self.status.emit(cmd.text())
        if moved and isinstance(box, HostCard):
            self.vms_moved.emit(cmd.before, list(moved), box.host_id)
        if moved:
            self.clearSelection()
            for vid in moved:
                chip = self.chip(vid)
                if chip is not None:
                    chip.setSelected(True)
        event.setDropAction(Qt.DropAction.MoveAction if moved else Qt.DropAction.CopyAction)
        event.accept()
