"""Arrow keys on the canvas: move the selection between host cards and between VM chips.

From a host card the arrows go to the nearest card in that direction; Enter goes into the
card (its first VM chip). From a chip the arrows go to the nearest chip in that direction,
in this box or the next; Escape goes back out to the chip's host card. Shift+arrow adds
the item reached to the selection. With nothing selected, an arrow selects the first host
card (or the first unplaced VM when there is no host).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGraphicsItem

from hvplanner.ui.canvas.cards import HostCard
from hvplanner.ui.canvas.chips import VMChip
from hvplanner.ui.canvas.scene import PlanScene

ARROWS: dict[int, tuple[float, float]] = {
    Qt.Key.Key_Left: (-1.0, 0.0),
    Qt.Key.Key_Right: (1.0, 0.0),
    Qt.Key.Key_Up: (0.0, -1.0),
    Qt.Key.Key_Down: (0.0, 1.0),
}
# Off-axis distance counts this much more than distance along the arrow: the item straight
# ahead wins over a nearer one off to the side.
SIDEWAYS = 3.0


def _centre(item: QGraphicsItem) -> QPointF:
    return item.sceneBoundingRect().center()


def nearest(
    origin: QGraphicsItem, candidates: Iterable[QGraphicsItem], dx: float, dy: float
) -> QGraphicsItem | None:
    """The candidate nearest to `origin` in the direction (dx, dy), or None."""
    o = _centre(origin)
    best: tuple[float, QGraphicsItem] | None = None
    for item in candidates:
        if item is origin:
            continue
        c = _centre(item)
        ahead = (c.x() - o.x()) * dx + (c.y() - o.y()) * dy
        if ahead <= 1.0:
            continue
        side = abs((c.x() - o.x()) * dy) + abs((c.y() - o.y()) * dx)
        score = ahead + SIDEWAYS * side
        if best is None or score < best[0]:
            best = (score, item)
    return None if best is None else best[1]


def chips(scene: PlanScene) -> list[VMChip]:
    return [c for box in [scene.tray, *scene.cards.values()] for c in box.chips]


class KeyNavigator:
    """Remembers the item the keyboard is on, so that Shift+arrows extend from it."""

    def __init__(self, scene: PlanScene) -> None:
        self.scene = scene
        self.current: QGraphicsItem | None = None

    def _current(self) -> QGraphicsItem | None:
        selected = self.scene.selectedItems()
        if self.current is not None and self.current in selected:
            return self.current
        found = [i for i in selected if isinstance(i, VMChip)] or [
            i for i in selected if isinstance(i, HostCard)
        ]
        return found[0] if found else None

    def handle(self, event: QKeyEvent) -> QGraphicsItem | None:
        """Moves the selection for an arrow, Enter or Escape; the item reached, or None
        when the key is not one of these (the view then handles it)."""
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        extend = mods == Qt.KeyboardModifier.ShiftModifier
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            return None
        current = self._current()
        target: QGraphicsItem | None = None
        if key in ARROWS:
            dx, dy = ARROWS[key]
            if current is None:
                cards = list(self.scene.cards.values())
                target = cards[0] if cards else next(iter(chips(self.scene)), None)
            elif isinstance(current, HostCard):
                target = nearest(current, self.scene.cards.values(), dx, dy)
            else:
                target = nearest(current, chips(self.scene), dx, dy)
            if target is None:
                return current  # at the edge: the key is used, nothing moves
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(current, HostCard):
            first = current.drawn[0].id if current.drawn else None
            target = None if first is None else current.chip_for(first)
        elif key == Qt.Key.Key_Escape and isinstance(current, VMChip):
            box = current.parentItem()
            target = box if isinstance(box, HostCard) else None
        else:
            return None
        if target is None:
            return current
        if not extend:
            self.scene.clearSelection()
        target.setSelected(True)
        self.current = target
        return target
