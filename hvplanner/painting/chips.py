"""A VM chip: name, size and count in a small rounded box."""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen

from hvplanner.model.plan import VM
from hvplanner.painting import style
from hvplanner.painting.style import Colours
from hvplanner.text import fmt

NAME_PT = 8.0
# A name ending in a number, maybe in brackets: "node-07", "Web servers 3", "db (2)".
_NUMBERED = re.compile(r"\d\)?$")
# Combined once: `|` on Qt's flags runs Python's enum code at every call.
_MIDDLE = Qt.AlignmentFlag.AlignVCenter
_RIGHT_MIDDLE = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def vm_size_text(vm: VM) -> str:
    return size_text(vm.vcpu, vm.ram_gb)


@lru_cache(maxsize=4096)
def size_text(vcpu: int, ram_gb: float) -> str:
    # Kept per size: an estate has few distinct sizes, and every chip draws one at each paint.
    return f"{vcpu} vCPU · {fmt(ram_gb)} GB"


def elide_name(fm: QFontMetricsF, name: str, width: float) -> str:
    """A name cut to `width` where it loses least.

    Numbered names ("srv-sql-cluster-node-07") differ at the end and lose their middle; a
    DNS name keeps its host part, as the domain repeats on every VM; any other name
    ("Windows 7 desktop") reads from the start and is cut at the end.
    """
    if fm.horizontalAdvance(name) <= width:
        return name
    host, dot, domain = name.partition(".")
    if dot and host and domain[-1:].isalpha() and " " not in name:
        cut = fm.elidedText(name, Qt.TextElideMode.ElideRight, width)
        if cut.startswith(host + "."):
            return cut
        name = host + ".…"
        if fm.horizontalAdvance(name) <= width:
            return name
        name = host
    mode = Qt.TextElideMode.ElideMiddle if _NUMBERED.search(name) else Qt.TextElideMode.ElideRight
    return fm.elidedText(name, mode, width)


def chip_name(vm: VM, width: float, font: QFont | None = None) -> str:
    """The name as the chip draws it; `font`: the chip's name font, when made already."""
    return elide_name(QFontMetricsF(font or style.font(NAME_PT, True)), vm.label, width)


def paint_chip(
    p: QPainter, rect: QRectF, vm: VM, selected: bool = False, *, colours: Colours
) -> None:
    """The chip in `rect` (CHIP_W × CHIP_H on the canvas)."""
    r = rect.adjusted(0.5, 0.5, -0.5, -0.5)
    left, top, width = r.left(), r.top(), r.width()
    p.setPen(QPen(colours.card_selected if selected else colours.chip_border, 2 if selected else 1))
    p.setBrush(colours.chip_pinned if vm.pinned else colours.chip_back)
    p.drawRoundedRect(r, 5, 5)
    text_w = width - 10
    count = vm.count
    if count > 1:
        badge_font = style.font(7.5, True)
        badge = f"×{count:,}"
        text_w -= QFontMetricsF(badge_font).horizontalAdvance(badge) + 6
        p.setFont(badge_font)
        p.setPen(colours.card_selected)
        p.drawText(QRectF(left + 5, top + 3, width - 10, 14), _RIGHT_MIDDLE, badge)
    name_font = style.font(NAME_PT, True)
    p.setFont(name_font)
    p.setPen(colours.text)
    p.drawText(QRectF(left + 5, top + 3, text_w, 14), _MIDDLE, chip_name(vm, text_w, name_font))
    p.setFont(style.font(7.5))
    p.setPen(colours.muted)
    p.drawText(QRectF(left + 5, top + 19, width - 10, 14), _MIDDLE, vm_size_text(vm))
    if vm.pinned:
        # A pin: a dot on a short needle in the corner.
        p.setPen(QPen(colours.text, 1.2))
        x, y = r.right() - 9, r.bottom() - 13
        p.drawLine(QLineF(x, y, x - 4, y + 8))
        p.setBrush(colours.state["over"])
        p.drawEllipse(QRectF(x - 3, y - 3, 6, 6))
