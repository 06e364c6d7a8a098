"""Vector pictures for the PDF report: the canvas as laid out and the utilization charts.

Both paint straight into the PDF's QPainter, so they print sharply at any zoom.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPicture, QPolygonF

from hvplanner.engine.simulation.simulate import Simulator
from hvplanner.model.plan import Plan

PaintFn = Callable[[QPainter, QRectF], None]

SERIES_COLOURS = (("CPU", "#2f6fb3"), ("RAM", "#1b7f3b"), ("NIC", "#b0660f"))
MAX_POINTS = 400


def canvas_picture(plan: Plan) -> PaintFn:
    """The plan's host cards and VM chips, drawn by the window's own scene."""
    from hvplanner.ui.canvas.scene import PlanScene
    from hvplanner.ui.document import PlanDocument

    doc = PlanDocument(plan)
    scene = PlanScene(doc, print_mode=True)

    source = scene.itemsBoundingRect()
    # Recorded at screen resolution, then replayed scaled: fonts given in points keep their
    # size relative to the cards instead of growing with the PDF's 300 dpi.
    picture = QPicture()
    recorder = QPainter(picture)
    scene.render(recorder, QRectF(0, 0, source.width(), source.height()), source)
    recorder.end()
    del scene, doc

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


def _peaks(values: np.ndarray, points: int = MAX_POINTS) -> np.ndarray:
    """Downsample by bucket maxima: a chart must never hide a peak."""
    if len(values) <= points:
        return values
    edges = np.linspace(0, len(values), points + 1).astype(int)
    return np.maximum.reduceat(values, edges[:-1])


def utilization_chart(
    percent: Sequence[np.ndarray],
    days: float,
    headroom_pct: float,
) -> PaintFn:
    """Lines of CPU, RAM and NIC in % of capacity over the simulated days."""
    lines = [_peaks(np.nan_to_num(np.asarray(s, dtype=float))) for s in percent]

    def paint(p: QPainter, rect: QRectF) -> None:
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        unit = rect.height() / 60.0
        font = QFont(p.font())
        font.setPixelSize(max(6, round(2.2 * unit)))
        p.setFont(font)
        left, bottom = rect.left() + 9 * unit, rect.bottom() - 8 * unit
        top, right = rect.top() + 5 * unit, rect.right() - 2 * unit
        plot = QRectF(QPointF(left, top), QPointF(right, bottom))
        ymax = max(120.0, *(float(line.max(initial=0.0)) * 1.05 for line in lines))

        def y_of(v: float) -> float:
            return plot.bottom() - plot.height() * v / ymax

        if headroom_pct > 0:
            band_top = y_of(100.0)
            band = QRectF(
                plot.left(), band_top, plot.width(), y_of(100.0 - headroom_pct) - band_top
            )
            p.fillRect(band, QColor(250, 204, 21, 50))
        grid = QPen(QColor("#d1d5db"), max(0.5, unit * 0.08))
        for v in range(0, int(ymax) + 1, 25):
            p.setPen(grid)
            p.drawLine(QPointF(plot.left(), y_of(v)), QPointF(plot.right(), y_of(v)))
            p.setPen(QColor("#4b5563"))
            p.drawText(
                QRectF(rect.left(), y_of(v) - 2 * unit, 8 * unit, 4 * unit),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{v} %",
            )
        p.setPen(QPen(QColor("#b42318"), max(0.6, unit * 0.12), Qt.PenStyle.DashLine))
        p.drawLine(QPointF(plot.left(), y_of(100)), QPointF(plot.right(), y_of(100)))
        whole_days = max(int(days), 1)
        for d in range(whole_days):
            x = plot.left() + plot.width() * d / max(days, 1e-9)
            if x > plot.right() + 1:
                break
            p.setPen(grid)
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(QColor("#4b5563"))
            p.drawText(
                QRectF(x - 5 * unit, plot.bottom() + unit, 10 * unit, 3 * unit),
                Qt.AlignmentFlag.AlignCenter,
                f"day {d + 1}",
            )
        for (_, colour), line in zip(SERIES_COLOURS, lines, strict=False):
            if len(line) < 2:
                continue
            xs = np.linspace(plot.left(), plot.right(), len(line))
            poly = QPolygonF(
                [QPointF(float(x), y_of(float(v))) for x, v in zip(xs, line, strict=True)]
            )
            p.setPen(QPen(QColor(colour), max(0.8, unit * 0.18)))
            p.drawPolyline(poly)
        lx = plot.left()
        for name, colour in SERIES_COLOURS:
            p.fillRect(QRectF(lx, rect.bottom() - 3.5 * unit, 3 * unit, 1.2 * unit), QColor(colour))
            p.setPen(QColor("#111827"))
            p.drawText(
                QRectF(lx + 3.6 * unit, rect.bottom() - 4.6 * unit, 20 * unit, 3.4 * unit),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{name} %",
            )
            lx += 16 * unit
        key = "dashed line: 100 % of capacity"
        if headroom_pct > 0:
            key += f" · band: the {headroom_pct:g} % headroom"
        p.drawText(
            QRectF(lx, rect.bottom() - 4.6 * unit, right - lx, 3.4 * unit),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            key,
        )
        p.restore()

    return paint


def charts(sim: Simulator, busiest: int = 3) -> list[tuple[str, PaintFn]]:
    """The cluster's chart and the busiest hosts' (by CPU peak), as (title, painter)."""
    result = sim.result()
    headroom = sim.assumptions.headroom * 100

    def percent(series: np.ndarray, caps: Sequence[float | None]) -> list[np.ndarray]:
        out = []
        for m in range(3):
            cap = caps[m]
            out.append(series[m] / cap * 100 if cap else np.zeros(series.shape[1]))
        return out

    def caps_of(row: object) -> list[float | None]:
        return [row.cpu.capacity, row.ram.capacity, row.nic.capacity]  # type: ignore[attr-defined]

    pictures: list[tuple[str, PaintFn]] = []
    total = sim.series.sum(axis=1)
    n = len(result.hosts)
    title = f"Cluster: {n} host{'s' if n != 1 else ''}, CPU, RAM and NIC in % of capacity"
    pictures.append(
        (
            title,
            utilization_chart(percent(total, caps_of(result.cluster)), sim.axis.days, headroom),
        )
    )
    # With one host its chart is the cluster's: drawn once.
    ranked = sorted(result.hosts, key=lambda h: -(h.cpu.peak_pct or 0))[:busiest] if n > 1 else []
    for row in ranked:
        t = f"Host {row.label}: {row.vms} VM{'s' if row.vms != 1 else ''} (busiest by CPU peak)"
        series = sim.host_series(row.host)
        pictures.append(
            (t, utilization_chart(percent(series, caps_of(row)), sim.axis.days, headroom))
        )
    return pictures
