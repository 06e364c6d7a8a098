"""The plan as laid out, for paper: tray, host cards and chips, drawn as the canvas draws them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPicture

from hvplanner.engine.hostload import HostBars
from hvplanner.model.plan import Host, Plan
from hvplanner.painting.cards import HostCardLook, TrayLook, paint_host_card, paint_tray, tray_hint
from hvplanner.painting.chips import paint_chip
from hvplanner.painting.layout import HOST_EMPTY_H, PlanLayout, Rect, grid_width, layout_plan
from hvplanner.painting.style import Colours

PaintFn = Callable[[QPainter, QRectF], None]


def _rect(r: Rect) -> QRectF:
    return QRectF(*r)


def paint_tray_part(p: QPainter, plan: Plan, lay: PlanLayout, colours: Colours) -> None:
    """The unplaced tray and its chips, at the layout's own coordinates (canvas pixels)."""
    tray = TrayLook(
        count=sum(vm.count for vm, _ in lay.tray.chips),
        chip_top=lay.tray.chip_top,
        has_chips=bool(lay.tray.chips),
        hint=tray_hint(len(plan.vms), len(plan.hosts), print_mode=True),
    )
    paint_tray(p, _rect(lay.tray.rect), tray, colours=colours)
    for vm, r in lay.tray.chips:
        paint_chip(p, _rect(r), vm, colours=colours)


def paint_cards(
    p: QPainter,
    plan: Plan,
    hosts: Sequence[Host],
    lay: PlanLayout,
    loads: Mapping[str, HostBars],
    colours: Colours,
    sparks: Mapping[str, npt.NDArray[np.float64]],
) -> None:
    """Host cards and their chips, on paper: no drag-and-drop hints, each card's
    sparklines from `sparks` (host id → (2, n) CPU and RAM %)."""
    for host in hosts:
        box = lay.hosts[host.id]
        look = HostCardLook(
            host=host,
            model=plan.host_model(host.model),
            load=loads[host.id],
            chip_top=box.chip_top,
            empty_h=HOST_EMPTY_H,
            has_chips=bool(box.chips),
            sparks=sparks.get(host.id),
            print_mode=True,
        )
        paint_host_card(p, _rect(box.rect), look, colours=colours)
        for vm, r in box.chips:
            paint_chip(p, _rect(r), vm, colours=colours)


def _recorded(paint: Callable[[QPainter], None]) -> QPicture:
    picture = QPicture()
    recorder = QPainter(picture)
    paint(recorder)
    recorder.end()
    return picture


def _fitted(picture: QPicture, source: QRectF, width: float) -> PaintFn:
    """Replays `picture` (its `source` part) into a rectangle, `width` canvas pixels across
    the rectangle's width at most: a row of one card is drawn at the size of a row of two."""

    def paint(p: QPainter, rect: QRectF) -> None:
        if source.isEmpty():
            return
        scale = min(rect.width() / max(width, source.width()), rect.height() / source.height())
        # drawPicture replays at the target's resolution: undo that, keep only the fit.
        device = p.device()
        dpi = picture.logicalDpiX() / device.logicalDpiX() if device is not None else 1.0
        p.save()
        p.translate(rect.x(), rect.y())
        p.scale(scale, scale)
        p.translate(-source.x(), -source.y())
        p.scale(dpi, dpi)
        p.drawPicture(0, 0, picture)
        p.restore()

    return paint


def plan_pictures(
    plan: Plan,
    loads: Mapping[str, HostBars],
    colours: Colours,
    *,
    sparks: Mapping[str, npt.NDArray[np.float64]] | None = None,
    per_row: int = 2,
    aspect: float = 0.0,
) -> list[tuple[str, PaintFn]]:
    """The plan as laid out, cut for paper: the unplaced tray when it holds VMs, then the
    host cards `per_row` at a time, each (title, painter) filling one rectangle.

    Recorded at screen resolution, then replayed scaled: fonts given in points keep their
    size relative to the cards instead of growing with a printer's 300 dpi. Every row is
    drawn at the scale of a full row, so cards keep one size from page to page; rows
    share a picture while they fit its `aspect` (height ÷ width; 0: a row each).
    """
    found = sparks or {}
    lay = layout_plan(plan, {h: len(b.dims) for h, b in loads.items()}, columns=per_row)
    full = grid_width(per_row)
    out: list[tuple[str, PaintFn]] = []
    if lay.tray.chips:
        n = sum(vm.count for vm, _ in lay.tray.chips)
        tray = _recorded(lambda p: paint_tray_part(p, plan, lay, colours))
        out.append((f"Unplaced VMs ({n})", _fitted(tray, _rect(lay.tray.rect), full)))
    rows = [plan.hosts[i : i + per_row] for i in range(0, len(plan.hosts), per_row)]
    groups: list[list[Host]] = []
    box = QRectF()
    for row in rows:
        row_box = _rect(lay.hosts[row[0].id].rect)
        for h in row[1:]:
            row_box = row_box.united(_rect(lay.hosts[h.id].rect))
        joined = box.united(row_box)
        if groups and joined.height() <= aspect * full:
            groups[-1] += row
            box = joined
        else:
            groups.append(list(row))
            box = row_box
    for group in groups:
        box = _rect(lay.hosts[group[0].id].rect)
        for h in group[1:]:
            box = box.united(_rect(lay.hosts[h.id].rect))
        cards = _recorded(
            partial(paint_cards, plan=plan, hosts=group, lay=lay, loads=loads, colours=colours,
                    sparks=found)
        )  # fmt: skip
        names = ", ".join(h.name or h.id for h in group)
        out.append((f"The plan as laid out: {names}", _fitted(cards, box, full)))
    return out
