"""The plan as laid out: tray, host cards and chips, drawn as the canvas draws them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPicture

from hvplanner.engine.hostload import HostBars
from hvplanner.model.plan import Plan
from hvplanner.painting.cards import HostCardLook, TrayLook, paint_host_card, paint_tray, tray_hint
from hvplanner.painting.chips import paint_chip
from hvplanner.painting.layout import HOST_EMPTY_H, PlanLayout, Rect, layout_plan
from hvplanner.painting.style import Colours

PaintFn = Callable[[QPainter, QRectF], None]


def _rect(r: Rect) -> QRectF:
    return QRectF(*r)


def paint_layout(
    p: QPainter,
    plan: Plan,
    lay: PlanLayout,
    loads: Mapping[str, HostBars],
    colours: Colours,
) -> None:
    """Everything at the layout's own coordinates (the canvas's pixels), on paper: light colours
    for paper."""
    p.fillRect(_rect(lay.bounds), colours.scene_back)
    tray = TrayLook(
        count=sum(vm.count for vm, _ in lay.tray.chips),
        chip_top=lay.tray.chip_top,
        has_chips=bool(lay.tray.chips),
        hint=tray_hint(len(plan.vms), len(plan.hosts), print_mode=True),
    )
    paint_tray(p, _rect(lay.tray.rect), tray, colours=colours)
    for vm, r in lay.tray.chips:
        paint_chip(p, _rect(r), vm, colours=colours)
    for host in plan.hosts:
        box = lay.hosts[host.id]
        look = HostCardLook(
            host=host,
            model=plan.host_model(host.model),
            load=loads[host.id],
            chip_top=box.chip_top,
            empty_h=HOST_EMPTY_H,
            has_chips=bool(box.chips),
            print_mode=True,
        )
        paint_host_card(p, _rect(box.rect), look, colours=colours)
        for vm, r in box.chips:
            paint_chip(p, _rect(r), vm, colours=colours)


def plan_picture(plan: Plan, loads: Mapping[str, HostBars], colours: Colours) -> PaintFn:
    """A painter that fits the laid-out plan into a rectangle.

    Recorded at screen resolution, then replayed scaled: fonts given in points keep their
    size relative to the cards instead of growing with a printer's 300 dpi.
    """
    lay = layout_plan(plan, {h: len(b.dims) for h, b in loads.items()})
    source = _rect(lay.bounds)
    picture = QPicture()
    recorder = QPainter(picture)
    paint_layout(recorder, plan, lay, loads, colours)
    recorder.end()

    def paint(p: QPainter, rect: QRectF) -> None:
        if source.isEmpty():
            return
        scale = min(rect.width() / source.width(), rect.height() / source.height())
        # drawPicture replays at the target's resolution: undo that, keep only the fit.
        device = p.device()
        dpi = picture.logicalDpiX() / device.logicalDpiX() if device is not None else 1.0
        p.save()
        p.translate(rect.x(), rect.y())
        p.scale(scale * dpi, scale * dpi)
        p.drawPicture(0, 0, picture)
        p.restore()

    return paint
