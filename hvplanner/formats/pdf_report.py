"""The PDF report: QTextDocument for the text and tables, QPainter for the vector pictures.

Written beside the target and renamed into place, so a failed or cancelled export never
leaves half a PDF. Imports Qt, so only the GUI and `hvplanner export --pdf` load it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
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
from hvplanner.engine.hostload import plan_loads
from hvplanner.engine.report import ReportCancelledError, full_report
from hvplanner.engine.simulation.profiles import MeasuredSeries
from hvplanner.formats.planfile import replace_into
from hvplanner.formats.report_html import ReportInputs, Section, document
from hvplanner.model.plan import Plan
from hvplanner.model.report import Chart, ReadinessRow, Report
from hvplanner.painting import diagrams
from hvplanner.painting.chart import paint_chart
from hvplanner.painting.plan import plan_picture
from hvplanner.painting.style import LIGHT

PageName = Literal["A4", "Letter"]
Progress = Callable[[int, int], bool]
"""progress(done, total) → False to cancel."""

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
DPI = 300
LAYOUT_PICTURE_MAX_HOSTS = 4

# Paper is white whatever the desktop's theme: the report always draws with the light set.
PAPER = LIGHT


class ExportCancelledError(Exception):
    pass


@dataclass(frozen=True)
class Picture:
    """A vector page: a title and a function that paints into the given rectangle."""

    title: str
    paint: Callable[[QPainter, QRectF], None]


def ensure_gui_app() -> None:
    """Fonts need a QGuiApplication; the CLI has none. No widgets are drawn."""
    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication(["hvplanner"])


def default_pictures() -> list[Picture]:
    def painter_for(d: diagrams.Diagram) -> Callable[[QPainter, QRectF], None]:
        return lambda p, r: diagrams.paint(p, r, d, colours=PAPER)

    return [Picture(d.title, painter_for(d)) for d in diagrams.ALL]


def write_pdf(
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    page: PageName = "A4",
    author: str = "",
    catalog: Catalog | None = None,
    measured: Mapping[str, MeasuredSeries] | None = None,
    readiness: Sequence[ReadinessRow] = (),
    failure: tuple[Sequence[str], float] | None = None,
    progress: Progress | None = None,
    appendix: bool = False,
) -> int:
    """Assembles the plan's Report and writes it; returns the number of pages."""
    try:
        report = full_report(
            plan, catalog=catalog, measured=measured, readiness=readiness, failure=failure
        )
    except ReportCancelledError:
        raise ExportCancelledError from None
    return render_pdf(
        report, path, page=page, author=author, catalog=catalog, progress=progress,
        appendix=appendix,
    )  # fmt: skip


def render_pdf(
    report: Report,
    path: str | os.PathLike[str],
    *,
    page: PageName = "A4",
    author: str = "",
    catalog: Catalog | None = None,
    extra_sections: Sequence[Section] = (),
    pictures: Sequence[Picture] | None = None,
    progress: Progress | None = None,
    appendix: bool = False,
) -> int:
    """Writes the Report as a PDF; returns the number of pages. Call it on the GUI thread
    (or in a program without one): QPdfWriter and QTextDocument are QObjects. `appendix`
    adds the generic concept diagrams after the plan's own pictures."""
    steps = PdfSteps(
        report,
        path,
        page=page,
        author=author,
        catalog=catalog,
        extra_sections=extra_sections,
        pictures=pictures,
        progress=progress,
        appendix=appendix,
    )
    for _ in steps:
        pass
    return steps.pages


def inputs_from(
    report: Report, catalog: Catalog, author: str = "", extra: Sequence[Section] = ()
) -> ReportInputs:
    r = report.results
    assert r.sizing is not None
    return ReportInputs(
        plan=report.plan,
        sizing=r.sizing,
        catalog=catalog,
        fits=list(r.fits),
        author=author,
        generated=r.generated,
        extra=list(extra),
        loads={load.host: load for load in r.loads},
        bounds=r.bounds,
        simulation=r.simulation,
        placement=r.placement,
        readiness=[(x.hypervisor, x.status, x.reasons) for x in r.readiness],
        cost=r.cost,
    )


def report_pictures(report: Report, catalog: Catalog, appendix: bool = False) -> list[Picture]:
    """The plan as laid out, the utilization charts, then (with `appendix`) the generic
    concept diagrams, which explain virtualization rather than this plan."""
    plan = report.plan
    pictures = []
    # Half a page holds this many host cards at a legible size; beyond it the placement
    # section's per-host tables say the same, readably.
    if plan.hosts and len(plan.hosts) <= LAYOUT_PICTURE_MAX_HOSTS:
        loads = plan_loads(plan, catalog.get(plan.hypervisor))
        pictures.append(Picture("The plan as laid out", plan_picture(plan, loads, PAPER)))
    for chart in report.results.charts:
        pictures.append(Picture(chart.title, _chart_painter(chart)))
    return pictures + (default_pictures() if appendix else [])


def _chart_painter(chart: Chart) -> Callable[[QPainter, QRectF], None]:
    return lambda p, r: paint_chart(p, r, chart, colours=PAPER)


class PdfSteps:
    """The PDF written one page at a time: iterating yields (pages done, total).

    The window runs one step per turn of its event loop, so it stays responsive and
    Cancel (closing the iterator) takes effect between any two pages. Whatever stops
    the iteration early, the temporary file is removed and the target left as it was.
    """

    def __init__(
        self,
        report: Report,
        path: str | os.PathLike[str],
        *,
        page: PageName = "A4",
        author: str = "",
        catalog: Catalog | None = None,
        extra_sections: Sequence[Section] = (),
        pictures: Sequence[Picture] | None = None,
        progress: Progress | None = None,
        appendix: bool = False,
    ) -> None:
        self.report = report
        self.target = Path(path)
        self.page: PageName = page
        self.author = author
        self.catalog = catalog
        self.extra = extra_sections
        self.pictures = pictures
        self.progress = progress
        self.appendix = appendix
        self.pages = 0

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return self._run()

    def _run(self) -> Iterator[tuple[int, int]]:
        ensure_gui_app()
        catalog = self.catalog or load_catalog()
        html = document(inputs_from(self.report, catalog, self.author, self.extra))
        pictures = self.pictures
        if pictures is None:
            pictures = report_pictures(self.report, catalog, self.appendix)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent
        )
        os.close(fd)
        try:
            for done, total in _render(
                self.report.plan, html, pictures, tmp, self.page, self.progress
            ):
                self.pages = total
                yield done, total
            replace_into(tmp, self.target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _render(
    plan: Plan,
    html: str,
    pictures: Sequence[Picture],
    out: str,
    page: PageName,
    progress: Progress | None,
) -> Iterator[tuple[int, int]]:
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
    yield 0, total

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
            yield i + 1, total
        if progress is not None:
            progress(total, total)
    finally:
        painter.end()
