"""A utilization chart: CPU, RAM and NIC in % of capacity over the simulated days.

The series come ready from the engine (`model.report.Chart`, already cut to peaks); this
only draws them, so it prints sharply at any zoom.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen, QPolygonF

from hvplanner.model.report import Chart
from hvplanner.painting.style import Colours


def paint_chart(p: QPainter, rect: QRectF, chart: Chart, *, colours: Colours) -> None:
    lines = [np.nan_to_num(np.asarray(s.percent, dtype=float)) for s in chart.series]
    days, headroom_pct = chart.days, chart.headroom_pct
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
        band = QRectF(plot.left(), band_top, plot.width(), y_of(100.0 - headroom_pct) - band_top)
        p.fillRect(band, colours.headroom_band)
    grid = QPen(colours.grid, max(0.5, unit * 0.08))
    for v in range(0, int(ymax) + 1, 25):
        p.setPen(grid)
        p.drawLine(QPointF(plot.left(), y_of(v)), QPointF(plot.right(), y_of(v)))
        p.setPen(colours.axis_text)
        p.drawText(
            QRectF(rect.left(), y_of(v) - 2 * unit, 8 * unit, 4 * unit),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"{v} %",
        )
    p.setPen(QPen(colours.full_line, max(0.6, unit * 0.12), Qt.PenStyle.DashLine))
    p.drawLine(QPointF(plot.left(), y_of(100)), QPointF(plot.right(), y_of(100)))
    for d in range(max(int(days), 1)):
        x = plot.left() + plot.width() * d / max(days, 1e-9)
        if x > plot.right() + 1:
            break
        p.setPen(grid)
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        p.setPen(colours.axis_text)
        p.drawText(
            QRectF(x - 5 * unit, plot.bottom() + unit, 10 * unit, 3 * unit),
            Qt.AlignmentFlag.AlignCenter,
            f"day {d + 1}",
        )
    for s, line in zip(chart.series, lines, strict=True):
        if len(line) < 2:
            continue
        xs = np.linspace(plot.left(), plot.right(), len(line))
        poly = QPolygonF([QPointF(float(x), y_of(float(v))) for x, v in zip(xs, line, strict=True)])
        p.setPen(QPen(colours.series.get(s.name, colours.text), max(0.8, unit * 0.18)))
        p.drawPolyline(poly)
    lx = plot.left()
    for s in chart.series:
        colour = colours.series.get(s.name, colours.text)
        p.fillRect(QRectF(lx, rect.bottom() - 3.5 * unit, 3 * unit, 1.2 * unit), colour)
        p.setPen(colours.text)
        p.drawText(
            QRectF(lx + 3.6 * unit, rect.bottom() - 4.6 * unit, 20 * unit, 3.4 * unit),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{s.name} %",
        )
        lx += 14 * unit
    key = "red line: 100 % of capacity"
    if headroom_pct > 0:
        key = f"red line: 100 % · band: {headroom_pct:g} % headroom"
    box = QRectF(lx, rect.bottom() - 4.6 * unit, right - lx, 3.4 * unit)
    # The key takes a size down to 4/5 rather than run past the chart's edge, then is cut.
    wide = QFontMetricsF(p.font()).horizontalAdvance(key)
    if wide > box.width() > 0:
        small = QFont(p.font())
        small.setPixelSize(max(4, int(font.pixelSize() * max(0.8, box.width() / wide))))
        p.setFont(small)
        key = QFontMetricsF(small).elidedText(key, Qt.TextElideMode.ElideRight, box.width())
    p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, key)
    p.restore()
