"""The PDF report: QTextDocument for the text and tables, QPainter for the vector pictures.

Written beside the target and renamed into place, so a failed or cancelled export never
leaves half a PDF. Imports Qt, so only the GUI and `hvplanner export --pdf` load it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
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
from hvplanner.formats.atomic import replace_into, save_target, temp_beside
from hvplanner.formats.page_breaks import headings_in
from hvplanner.formats.pdf_outline import Bookmark, add_outline
from hvplanner.formats.pdf_pages import Pages, paginate
from hvplanner.formats.report_html import (
    LAYOUT_PICTURE_MAX_HOSTS,
    ReportInputs,
    Section,
    page_html,
    sections,
)
from hvplanner.model.plan import Plan
from hvplanner.model.report import Chart, ReadinessRow, Report
from hvplanner.painting import diagrams
from hvplanner.painting.chart import paint_chart
from hvplanner.painting.plan import plan_pictures
from hvplanner.painting.style import LIGHT

PageName = Literal["A4", "Letter"]
Progress = Callable[[int, int], bool]
"""progress(done, total) → False to cancel."""

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
DPI = 300
MARGIN_MM = 15.0
BAND_MM = 8.0
"""The running header's and the footer's height."""
PICTURE_TITLE_MM = 14.0
"""Of a half page, what a picture's title and the space under it take."""

# Paper is white whatever the desktop's theme: the report always draws with the light set.
PAPER = LIGHT


class ExportCancelledError(Exception):
    pass


@dataclass(frozen=True)
class Picture:
    """A vector page: a title and a function that paints into the given rectangle."""

    title: str
    paint: Callable[[QPainter, QRectF], None]
    bookmark: str = ""
    """Set on the first picture of a group: its entry in the PDF's outline."""


def ensure_gui_app() -> None:
    """Fonts need a QGuiApplication; the CLI has none. No widgets are drawn."""
    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication(["hvplanner"])


def default_pictures() -> list[Picture]:
    def painter_for(d: diagrams.Diagram) -> Callable[[QPainter, QRectF], None]:
        return lambda p, r: diagrams.paint(p, r, d, colours=PAPER)

    return [
        Picture(d.title, painter_for(d), "Appendix: how virtualization works" if not i else "")
        for i, d in enumerate(diagrams.ALL)
    ]


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


def _slot_aspect(page: PageName) -> float:
    """Height ÷ width of the rectangle a picture is painted in (see `_render`)."""
    size = QPageSize(PAGE_SIZES[page]).size(QPageSize.Unit.Millimeter)
    width = size.width() - 2 * MARGIN_MM
    half = (size.height() - 2 * MARGIN_MM - 2 * BAND_MM) / 2
    return (half - PICTURE_TITLE_MM) / width


def report_pictures(
    report: Report, catalog: Catalog, appendix: bool = False, page: PageName = "A4"
) -> list[Picture]:
    """The plan as laid out, the utilization charts, then (with `appendix`) the generic
    concept diagrams, which explain virtualization rather than this plan."""
    plan = report.plan
    pictures = []
    # Two host cards to a half page keep their text legible; past the limit the pictures
    # would run to pages, and the placement section's tables show every host instead.
    if plan.hosts and len(plan.hosts) <= LAYOUT_PICTURE_MAX_HOSTS:
        loads = plan_loads(plan, catalog.get(plan.hypervisor))
        sparks = {h: np.asarray(s, dtype=float) for h, s in report.results.sparks.items()}
        found = plan_pictures(plan, loads, PAPER, sparks=sparks, aspect=_slot_aspect(page))
        for i, (title, paint) in enumerate(found):
            pictures.append(Picture(title, paint, "The plan as laid out" if not i else ""))
    for i, chart in enumerate(report.results.charts):
        pictures.append(
            Picture(chart.title, _chart_painter(chart), "Utilization charts" if not i else "")
        )
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
        parts = sections(inputs_from(self.report, catalog, self.author, self.extra))
        pictures = self.pictures
        if pictures is None:
            pictures = report_pictures(self.report, catalog, self.appendix, self.page)
        target = save_target(self.target)
        fd, tmp = temp_beside(target)
        os.close(fd)
        try:
            for done, total in _render(
                self.report.plan, parts, pictures, tmp, self.page, self.progress
            ):
                self.pages = total
                yield done, total
            replace_into(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _bookmarks(parts: Sequence[Section]) -> list[tuple[str, int]]:
    """(title, index of the section's first heading) of every section that has a heading,
    but the title block: page 1 opens with it."""
    out, seen = [], 0
    for part in parts:
        n = headings_in(part.html)
        if n and part.id != "title":
            out.append((part.title, seen))
        seen += n
    return out


def _render(
    plan: Plan,
    parts: Sequence[Section],
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
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    mm = DPI / 25.4
    width, height = float(writer.width()), float(writer.height())
    header_h, footer_h = BAND_MM * mm, BAND_MM * mm
    body_h = height - header_h - footer_h

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setPageSize(QSizeF(width, body_h))
    for _ in paginate(doc, page_html(parts), body_h):
        # Each layout is one turn of the caller's loop: the window stays responsive.
        yield 0, doc.pageCount() + (len(pictures) + 1) // 2
    text_pages = doc.pageCount()
    laid = Pages(doc, body_h)
    marks = [Bookmark(title, laid.section_page(k)) for title, k in _bookmarks(parts)]
    for i, pic in enumerate(pictures):
        if pic.bookmark:
            marks.append(Bookmark(pic.bookmark, text_pages + i // 2))
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
                    pic.paint(painter, QRectF(0, top + 9 * mm, width, half - PICTURE_TITLE_MM * mm))
            yield i + 1, total
        if progress is not None:
            progress(total, total)
    finally:
        painter.end()
    add_outline(out, marks)
