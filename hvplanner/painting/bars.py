"""Paints one capacity bar: stacked segments, the headroom line, the value as text."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen

from hvplanner.engine.hostload import DimensionBar, HostBars
from hvplanner.painting import style
from hvplanner.painting.style import Colours
from hvplanner.painting.words import QT_TRANSLATE_NOOP, Words, english

NO_LIMIT_TEXT = {
    "disk": QT_TRANSLATE_NOOP("painting", "shared storage"),
    "nic": QT_TRANSLATE_NOOP("painting", "no NICs listed"),
    "vms": QT_TRANSLATE_NOOP("painting", "limit not published"),
    "vcpus": QT_TRANSLATE_NOOP("painting", "limit not published"),
}
NO_LIMIT = QT_TRANSLATE_NOOP("painting", "no limit")
# Combined once: `|` on Qt's flags runs Python's enum code at every call.
_LEFT_MIDDLE = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft

# A bar's state in words: the card shows it by colour, the tooltip and the Hosts tab say it.
STATE_WORDS = {
    "comfortable": QT_TRANSLATE_NOOP("painting", "comfortable"),
    "near": QT_TRANSLATE_NOOP("painting", "near the headroom line"),
    "over": QT_TRANSLATE_NOOP("painting", "over the headroom line"),
    "unknown": QT_TRANSLATE_NOOP("painting", "limit unknown"),
}


def state_text(load: HostBars, words: Words = english) -> str:
    """'near the headroom line · binding: RAM'."""
    binding = load.dim(load.binding) if load.binding else None
    state = load.worst_state
    text = words(STATE_WORDS[state]) if state in STATE_WORDS else state
    if binding is not None:
        text += words(QT_TRANSLATE_NOOP("painting", " · binding: {dimension}")).format(
            dimension=binding.label
        )
    return text


def paint_bar(
    p: QPainter,
    row: QRectF,
    dim: DimensionBar,
    binding: bool,
    *,
    colours: Colours,
    words: Words = english,
) -> None:
    left, top, height = row.left(), row.top(), row.height()
    label = QRectF(left, top, style.LABEL_W, height)
    bar = QRectF(
        left + style.LABEL_W, top + 3, row.width() - style.LABEL_W - style.VALUE_W, height - 6
    )
    bar_left, bar_top, bar_w, bar_h = bar.left(), bar.top(), bar.width(), bar.height()
    bar_right = bar.right()
    value = QRectF(bar_right + 6, top, style.VALUE_W - 6, height)
    p.setPen(colours.text)
    p.setFont(style.font(8, bold=binding))
    text = ("▸ " if binding else "") + dim.label
    p.drawText(label, _LEFT_MIDDLE, text)

    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colours.bar_back)
    p.drawRoundedRect(bar, 2, 2)
    cap = dim.capacity
    if not cap:
        p.setBrush(QBrush(colours.state["unknown"], Qt.BrushStyle.BDiagPattern))
        p.drawRoundedRect(bar, 2, 2)
        p.setPen(colours.muted)
        p.setFont(style.font(7.5))
        note = words(NO_LIMIT_TEXT.get(dim.key, NO_LIMIT))
        p.drawText(value, _LEFT_MIDDLE, note)
        return

    state = dim.state
    color = colours.state[state]
    x = bar_left
    for seg in dim.segments:
        if seg.value <= 0:
            continue
        w = min(seg.value / cap * bar_w, bar_right - x)
        if w <= 0:
            break
        if seg.label == "host reserve":
            brush = colours.reserve
        elif seg.label == "overhead":
            brush = color.darker(135)
        else:
            brush = color
        p.setBrush(brush)
        p.drawRect(QRectF(x, bar_top, w, bar_h))
        x += w
    used = dim.used
    if used > cap:
        # Past full scale: a red end cap says "more than fits", whatever the state colour.
        p.setBrush(colours.state["over"])
        p.drawRect(QRectF(bar_right - 4, bar_top - 2, 4, bar_h + 4))
    if dim.line is not None and dim.line < cap:
        lx = bar_left + dim.line / cap * bar_w
        p.setPen(QPen(colours.headroom_line, 1.5))
        p.drawLine(QLineF(lx, bar_top - 2, lx, bar.bottom() + 2))
    over = state == "over"
    p.setPen(colours.state["over"] if over else colours.text)
    p.setFont(style.font(7.5, bold=over))
    p.drawText(value, _LEFT_MIDDLE, dim.describe())
