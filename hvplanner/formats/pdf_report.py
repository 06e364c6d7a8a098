"""The PDF report: QTextDocument for the text and tables, QPainter for the vector pictures.

Written beside the target and renamed into place, so a failed or cancelled export never
leaves half a PDF. Imports Qt, so only the GUI and `hvplanner export --pdf` load it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from hvplanner.catalog import Catalog, load_catalog
from hvplanner.engine.assumptions import Assumptions, resolve
from hvplanner.engine.compare import plan_fit
from hvplanner.engine.placement import host_loads
from hvplanner.engine.placement.layout import lower_bounds
from hvplanner.engine.simulation.simulate import Simulator
from hvplanner.engine.sizing import size_plan
from hvplanner.errors import InputError
from hvplanner.formats.planfile import replace_into
from hvplanner.formats.report_html import ReportInputs, Section, document
from hvplanner.formats.report_pictures import canvas_picture, charts
from hvplanner.model.placement import Bounds
from hvplanner.model.plan import Plan

PageName = Literal["A4", "Letter"]
Progress = Callable[[int, int], bool]
"""progress(done, total) → False to cancel."""

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
DPI = 300


class ExportCancelledError(Exception):
    pass


@dataclass(frozen=True)
class Picture:
    """A vector page: a title and a function that paints into the given rectangle."""

    title: str
    paint: Callable[[QPainter, QRectF], None]


def ensure_gui_app() -> None:
    """Fonts need a QGuiApplication and the canvas picture a QApplication; the CLI has none."""
    if QGuiApplication.instance() is None:
        from PySide6.QtWidgets import QApplication

        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QApplication(["hvplanner"])


def default_pictures() -> list[Picture]:
    from hvplanner.ui.compare import diagrams

    def painter_for(d: diagrams.Diagram) -> Callable[[QPainter, QRectF], None]:
        return lambda p, r: diagrams.paint(p, r, d)

    return [Picture(d.title, painter_for(d)) for d in diagrams.ALL]


def write_pdf(
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    page: PageName = "A4",
    author: str = "",
    catalog: Catalog | None = None,
    extra_sections: Sequence[Section] = (),
    pictures: Sequence[Picture] | None = None,
    progress: Progress | None = None,
    readiness: Sequence[tuple[str, str, str]] = (),
    failure: tuple[Sequence[str], float] | None = None,
) -> int:
    """Writes the report; returns the number of pages.

    `readiness`: (hypervisor, verdict, reasons) rows of a workstation check, when one ran;
    `failure`: (hosts, minute) of a host-failure what-if to include.
    """
    ensure_gui_app()
    catalog = catalog or load_catalog()
    profile = catalog.get(plan.hypervisor)
    a = resolve(plan.policy, profile)
    sim = Simulator(plan, profile) if plan.hosts else None
    inputs = ReportInputs(
        plan=plan,
        sizing=size_plan(plan, profile),
        catalog=catalog,
        fits=plan_fit(plan, catalog.newest()),
        author=author,
        extra=list(extra_sections),
        loads=host_loads(plan, a) if plan.hosts else {},
        bounds=_bounds(plan, a),
        simulation=None
        if sim is None
        else (sim.fail(list(failure[0]), failure[1]) if failure else sim.result()),
        readiness=list(readiness),
    )
    html = document(inputs)
    if pictures is None:
        pictures = []
        if plan.hosts:
            pictures.append(Picture("The plan as laid out", canvas_picture(plan)))
        if sim is not None:
            pictures += [Picture(title, fn) for title, fn in charts(sim)]
        pictures += default_pictures()
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        pages = _render(plan, html, pictures, tmp, page, progress)
        replace_into(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return pages


def _bounds(plan: Plan, a: Assumptions) -> Bounds | None:
    try:
        return lower_bounds(plan, a)
    except InputError:  # a VM no host model can hold: the sizing's warnings say so
        return None


def _render(
    plan: Plan,
    html: str,
    pictures: Sequence[Picture],
    out: str,
    page: PageName,
    progress: Progress | None,
) -> int:
    writer = QPdfWriter(out)
    writer.setResolution(DPI)
    writer.setTitle(plan.name)
    writer.setCreator("hvplanner")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE_SIZES[page]),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    mm = DPI / 25.4
    width, height = float(writer.width()), float(writer.height())
    header_h, footer_h = 8 * mm, 8 * mm
    body_h = height - header_h - footer_h

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setPageSize(QSizeF(width, body_h))
    doc.setHtml(html)
    text_pages = doc.pageCount()
    total = text_pages + (len(pictures) + 1) // 2

    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {out}")
    small = QFont("DejaVu Sans")
    small.setPointSizeF(7.5)
    try:
        for i in range(total):
            if i:
                writer.newPage()
            if progress is not None and not progress(i, total):
                raise ExportCancelledError
            painter.setFont(small)
            painter.setPen(QColor("#6b7280"))
            painter.drawText(
                QRectF(0, 0, width, header_h * 0.8),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                f"hvplanner — {plan.name}",
            )
            painter.drawText(
                QRectF(0, height - footer_h * 0.8, width, footer_h * 0.8),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                f"Page {i + 1} of {total}",
            )
            painter.drawLine(0, int(header_h * 0.9), int(width), int(header_h * 0.9))
            if i < text_pages:
                painter.save()
                painter.translate(0, header_h - i * body_h)
                doc.drawContents(painter, QRectF(0, i * body_h, width, body_h))
                painter.restore()
            else:
                k = (i - text_pages) * 2
                half = body_h / 2
                for j, pic in enumerate(pictures[k : k + 2]):
                    top = header_h + j * half
                    title_font = QFont("DejaVu Sans")
                    title_font.setPointSizeF(10)
                    title_font.setBold(True)
                    painter.setFont(title_font)
                    painter.setPen(QColor("#1f3a5f"))
                    painter.drawText(
                        QRectF(0, top, width, 8 * mm),
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                        pic.title,
                    )
                    pic.paint(painter, QRectF(0, top + 9 * mm, width, half - 14 * mm))
        if progress is not None:
            progress(total, total)
    finally:
        painter.end()
    return total
