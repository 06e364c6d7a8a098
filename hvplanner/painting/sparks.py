"""Paints a host card's sparklines: simulated CPU and RAM over the whole period."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QByteArray, QDataStream, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QPolygonF

from hvplanner.painting import style
from hvplanner.painting.style import Colours
from hvplanner.painting.words import QT_TRANSLATE_NOOP, Words, english

SPARK_H = 22.0
NAMES = ("CPU", "RAM")
NAME_W = 28.0
PEAK_W = 66.0


def polyline(xs: npt.NDArray[np.float64], ys: npt.NDArray[np.float64]) -> QPolygonF:
    """The points (xs[i], ys[i]) as a polygon, read from QPolygonF's stream format (a
    big-endian 32-bit count, then each point as two big-endian doubles): the same points
    as one QPointF built per point in Python, at a sixth of the cost."""
    data = np.empty((len(xs), 2), ">f8")
    data[:, 0] = xs
    data[:, 1] = ys
    poly = QPolygonF()
    QDataStream(QByteArray(len(xs).to_bytes(4, "big") + data.tobytes())) >> poly
    return poly


def paint_sparks(
    p: QPainter,
    row: QRectF,
    sparks: npt.NDArray[np.float64] | None,
    *,
    colours: Colours,
    words: Words = english,
    empty: str = "",
) -> None:
    """`sparks` (2, n): CPU and RAM percent; None before the first simulation. With no
    series and an `empty` text, the text takes the row: on paper an empty box would read
    as a host at 0 %."""
    p.setFont(style.font(7.5))
    if empty and (sparks is None or sparks.shape[-1] < 2):
        p.setPen(colours.muted)
        p.drawText(row, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, empty)
        return
    half = row.width() / 2.0
    # Both series at once: which have a value, with NaN as 0, and their peaks.
    values: npt.NDArray[np.float64] | None = None
    shown: list[bool] = []
    peaks: list[float] = []
    if sparks is not None and sparks.shape[-1] >= 2:
        finite = np.isfinite(sparks)
        shown = (finite.sum(axis=-1) > 0).tolist()
        values = sparks if finite.all() else np.nan_to_num(sparks, nan=0.0)
        peaks = values.max(axis=-1).tolist()
    for k, name in enumerate(NAMES):
        cell = QRectF(row.left() + k * half, row.top(), half - 6, row.height())
        p.setPen(colours.muted)
        p.drawText(
            QRectF(cell.left(), cell.top(), NAME_W, cell.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            name,
        )
        chart = QRectF(
            cell.left() + NAME_W, cell.top() + 3, cell.width() - NAME_W - PEAK_W, cell.height() - 6
        )
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colours.bar_back)
        p.drawRect(chart)
        if values is None or not shown[k]:
            continue
        y = values[k]
        peak = float(peaks[k])
        # 100 % at the top unless the host goes past it; then the red line marks 100 %.
        top = max(100.0, peak)
        if top > 100.0:
            ly = chart.bottom() - 100.0 / top * chart.height()
            p.setPen(QPen(colours.full_line, 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(chart.left(), ly), QPointF(chart.right(), ly))
        xs = np.linspace(chart.left(), chart.right(), len(y))
        ys = chart.bottom() - y / top * chart.height()
        p.setPen(QPen(colours.spark[k], 1.2))
        p.drawPolyline(polyline(xs, ys))
        p.setPen(colours.full_line if peak > 100.0 else colours.text)
        p.drawText(
            QRectF(chart.right() + 4, cell.top(), PEAK_W - 4, cell.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            words(QT_TRANSLATE_NOOP("painting", "peak {percent} %")).format(percent=f"{peak:.0f}"),
        )
