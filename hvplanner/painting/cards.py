"""Host cards and the unplaced tray: the boxes VM chips sit in, with bars and sparklines.

A card is drawn from a `HostCardLook` (what it shows) into a rectangle; the canvas item and
the PDF's picture of the plan both call `paint_host_card`, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen

from hvplanner.engine.hostload import HostBars
from hvplanner.model.plan import Host, HostModel
from hvplanner.painting import style
from hvplanner.painting.bars import paint_bar
from hvplanner.painting.layout import HEADER_H
from hvplanner.painting.sparks import SPARK_H, paint_sparks
from hvplanner.painting.style import Colours
from hvplanner.painting.words import QT_TRANSLATE_NOOP, Words, english
from hvplanner.text import fmt

TITLE_PT = 10.5

Frame = Literal["plain", "selected", "ok", "refused"]
"""The border: as is, selected, or while a drag hovers, a drop that would be taken or refused."""


def hardware_text(model: HostModel, words: Words = english) -> str:
    nics = ", ".join(f"{g.count} × {fmt(g.gbps)} GbE" for g in model.nics) or words(
        QT_TRANSLATE_NOOP("painting", "no NICs")
    )
    text = (
        words(
            QT_TRANSLATE_NOOP(
                "painting",
                "{sockets} × {cores} cores × {threads} threads @ {ghz} GHz · {ram} GB · {nics}",
            )
        )
        if model.threads_per_core > 1
        else words(
            QT_TRANSLATE_NOOP(
                "painting", "{sockets} × {cores} cores @ {ghz} GHz · {ram} GB · {nics}"
            )
        )
    )
    return text.format(
        sockets=model.sockets,
        cores=model.cores_per_socket,
        threads=model.threads_per_core,
        ghz=fmt(model.ghz),
        ram=fmt(model.ram_gb),
        nics=nics,
    )


def host_title(host: Host, width: float, with_id: bool = True) -> str:
    """The name, then the id (on screen: the id is what the plan file and the CLI use).
    A long DNS name loses its domain, any other long name its middle (names that differ
    only at the end stay apart)."""
    fm = QFontMetricsF(style.font(TITLE_PT, True))
    ident = f"  ({host.id})" if host.name and with_id else ""
    name_w = max(width - fm.horizontalAdvance(ident), width * 0.4)
    name = host.name or host.id
    if fm.horizontalAdvance(name) > name_w and "." in name.strip("."):
        # A DNS name: the host part identifies it, the domain repeats on every card.
        name = name.split(".", 1)[0] + ".…"
    name = fm.elidedText(name, Qt.TextElideMode.ElideMiddle, name_w)
    return fm.elidedText(name + ident, Qt.TextElideMode.ElideRight, width)


def frame_pen(frame: Frame, colours: Colours) -> QPen:
    if frame == "ok":
        return QPen(colours.drop_ok, 3)
    if frame == "refused":
        return QPen(colours.drop_refused, 3, Qt.PenStyle.DashLine)
    if frame == "selected":
        return QPen(colours.card_selected, 2.5)
    return QPen(colours.card_border, 1)


@dataclass(frozen=True)
class HostCardLook:
    host: Host
    model: HostModel
    load: HostBars
    chip_top: float
    empty_h: float
    has_chips: bool
    frame: Frame = "plain"
    sparks: npt.NDArray[np.float64] | None = None
    failed_text: str = ""
    """Set: the host failed in the what-if; the badge says so."""
    overload_text: str = ""
    """Set: the simulated peak passes 100 % or the headroom line (engine.overload)."""
    print_mode: bool = False
    """On paper: no hints about dragging and dropping."""


def paint_host_card(
    p: QPainter, rect: QRectF, look: HostCardLook, *, colours: Colours, words: Words = english
) -> None:
    r = rect.adjusted(1, 1, -1, -1)
    load = look.load
    pen = frame_pen(look.frame, colours)
    if look.failed_text and look.frame == "plain":
        pen = QPen(colours.state["over"], 2, Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.setBrush(colours.card_back)
    p.drawRoundedRect(r, 7, 7)
    state = load.worst_state
    if state in ("near", "over"):
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colours.state[state])
        p.drawRoundedRect(QRectF(r.left() + 1, r.top() + 1, 5, HEADER_H - 8), 2, 2)
    inner = r.width() - 2 * style.PAD
    title_w = inner
    badge = look.failed_text or look.overload_text
    if badge:
        title_w = _paint_failed_badge(p, r, inner, badge, colours)
    p.setFont(style.font(TITLE_PT, True))
    p.setPen(colours.text)
    p.drawText(
        QRectF(r.left() + style.PAD, r.top() + 6, title_w, 18),
        Qt.AlignmentFlag.AlignVCenter,
        host_title(look.host, title_w, with_id=not look.print_mode),
    )
    small = style.font(8)
    sfm = QFontMetricsF(small)
    p.setFont(small)
    p.setPen(colours.muted)
    p.drawText(
        QRectF(r.left() + style.PAD, r.top() + 24, inner, 15),
        Qt.AlignmentFlag.AlignVCenter,
        sfm.elidedText(look.model.label, Qt.TextElideMode.ElideRight, inner),
    )
    p.drawText(
        QRectF(r.left() + style.PAD, r.top() + 39, inner, 15),
        Qt.AlignmentFlag.AlignVCenter,
        sfm.elidedText(hardware_text(look.model, words), Qt.TextElideMode.ElideRight, inner),
    )
    binding = load.binding
    y = r.top() + HEADER_H
    for dim in load.dims:
        row = QRectF(r.left() + style.PAD, y, inner, style.BAR_ROW)
        paint_bar(p, row, dim, dim.key == binding, colours=colours, words=words)
        y += style.BAR_ROW
    empty = ""
    if look.print_mode:
        empty = "CPU and RAM: " + ("no VMs to simulate" if not look.has_chips else "not simulated")
    spark_row = QRectF(r.left() + style.PAD, y, inner, SPARK_H)
    paint_sparks(p, spark_row, look.sparks, colours=colours, words=words, empty=empty)
    if not look.has_chips:
        p.setFont(style.font(8))
        p.setPen(colours.muted)
        p.drawText(
            QRectF(r.left() + style.PAD, rect.top() + look.chip_top, inner, look.empty_h),
            Qt.AlignmentFlag.AlignVCenter,
            words(QT_TRANSLATE_NOOP("painting", "No VMs"))
            if look.print_mode
            else words(QT_TRANSLATE_NOOP("painting", "No VMs: drop VMs or VM presets here")),
        )


def _paint_failed_badge(p: QPainter, r: QRectF, inner: float, text: str, colours: Colours) -> float:
    """The what-if's or the overload's mark at the top right; returns the width left for
    the title."""
    font = style.font(8, True)
    fm = QFontMetricsF(font)
    w = min(fm.horizontalAdvance(text) + 12, inner * 0.6)
    badge = QRectF(r.right() - style.PAD - w, r.top() + 7, w, 17)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colours.state["over"])
    p.drawRoundedRect(badge, 4, 4)
    p.setFont(font)
    p.setPen(colours.card_back)
    p.drawText(
        badge,
        Qt.AlignmentFlag.AlignCenter,
        fm.elidedText(text, Qt.TextElideMode.ElideRight, w - 8),
    )
    return inner - w - 6


def tray_hint(plan_vms: int, plan_hosts: int, print_mode: bool, words: Words = english) -> str:
    """The line an empty tray shows."""
    if print_mode:
        return words(
            QT_TRANSLATE_NOOP("painting", "Every VM is on a host.")
            if plan_vms
            else QT_TRANSLATE_NOOP("painting", "The plan has no VMs.")
        )
    if not plan_vms and not plan_hosts:
        return words(
            QT_TRANSLATE_NOOP(
                "painting",
                "Empty plan: drag a server preset from the Palette onto the canvas, "
                "then VM presets onto the host.",
            )
        )
    if not plan_vms:
        return words(
            QT_TRANSLATE_NOOP(
                "painting", "No VMs yet: drag VM presets from the Palette onto a host or here."
            )
        )
    return words(
        QT_TRANSLATE_NOOP("painting", "Every VM is on a host. Drop VMs here to unplace them.")
    )


@dataclass(frozen=True)
class TrayLook:
    count: int
    """VM instances in the tray."""
    chip_top: float
    has_chips: bool
    hint: str
    frame: Frame | None = None
    """None: the tray's own dashed border."""


def paint_tray(
    p: QPainter, rect: QRectF, look: TrayLook, *, colours: Colours, words: Words = english
) -> None:
    r = rect.adjusted(1, 1, -1, -1)
    pen = (
        QPen(colours.card_border, 1, Qt.PenStyle.DashLine)
        if look.frame is None
        else frame_pen(look.frame, colours)
    )
    p.setPen(pen)
    p.setBrush(colours.tray_back)
    p.drawRoundedRect(r, 7, 7)
    p.setFont(style.font(10, True))
    p.setPen(colours.text)
    title = (
        words(QT_TRANSLATE_NOOP("painting", "Unplaced ({n} VM)"))
        if look.count == 1
        else words(QT_TRANSLATE_NOOP("painting", "Unplaced ({n} VMs)"))
    ).format(n=look.count)
    p.drawText(
        QRectF(r.left() + style.PAD, r.top() + 6, r.width() - 2 * style.PAD, 18),
        Qt.AlignmentFlag.AlignVCenter,
        title,
    )
    if not look.has_chips:
        p.setFont(style.font(8))
        p.setPen(colours.muted)
        p.drawText(
            QRectF(r.left() + style.PAD, rect.top() + look.chip_top, r.width() - 2 * style.PAD, 36),
            Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
            look.hint,
        )
