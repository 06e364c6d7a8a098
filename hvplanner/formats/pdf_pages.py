"""The report's text cut into pages the way a reader expects: no table row split across
two pages, no heading left at the foot of a page with what it introduces on the next one,
and each section's first page for the bookmarks.

QTextDocument lays the HTML out; where it breaks badly, `page_breaks` writes a break into
the HTML and the same break is made in the laid-out document, which Qt lays out again
from there on only, until nothing is left to fix. QTextDocument is a QObject: GUI thread
only.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtGui import (
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextTable,
)

from hvplanner.formats.page_breaks import TABLE, break_before_heading, break_table

# Up to this many paragraphs of up to this many lines right under a heading introduce
# what follows (the table under "Sizing"): they go to the next page with their heading.
INTRO_PARAGRAPHS = 2
INTRO_LINES = 3
# A row taller than this share of a page is left to run on: moved whole, it would still
# not fit, and the page it left would end half empty.
TALL = 0.8
HAIR = 0.5
"""% of a table's width."""


@dataclass(frozen=True)
class _Span:
    first: int
    last: int
    """The pages of the first and the last line."""


class Pages:
    """Where each line of a laid-out document falls, in pages `body_h` tall."""

    def __init__(self, doc: QTextDocument, body_h: float) -> None:
        self.doc = doc
        self.body_h = body_h
        self.lay = doc.documentLayout()
        self._headings: list[QTextBlock] | None = None
        self._tables: list[QTextTable] | None = None

    def forget(self) -> None:
        """The document was edited: its headings and tables are looked up again."""
        self._headings = self._tables = None

    def page(self, y: float) -> int:
        return int(y // self.body_h)

    def span(self, block: QTextBlock) -> _Span:
        top = self.lay.blockBoundingRect(block).top()
        lines = block.layout()
        if lines.lineCount() == 0:
            p = self.page(top)
            return _Span(p, p)
        pages = [
            self.page(top + lines.lineAt(i).y() + lines.lineAt(i).height() / 2)
            for i in range(lines.lineCount())
        ]
        return _Span(min(pages), max(pages))

    def headings(self) -> list[QTextBlock]:
        if self._headings is None:
            out = []
            b = self.doc.begin()
            while b.isValid():
                if b.blockFormat().headingLevel() > 0:
                    out.append(b)
                b = b.next()
            self._headings = out
        return self._headings

    def tables(self) -> list[QTextTable]:
        if self._tables is None:
            self._tables = self._walk_tables()
        return self._tables

    def _walk_tables(self) -> list[QTextTable]:
        def walk(frame: QTextFrame) -> Iterator[QTextTable]:
            for child in frame.childFrames():
                if isinstance(child, QTextTable):
                    yield child
                yield from walk(child)

        return sorted(walk(self.doc.rootFrame()), key=lambda t: t.firstPosition())

    def row_span(self, table: QTextTable, row: int) -> _Span:
        first, last = 1 << 30, -1
        for c in range(table.columns()):
            cell = table.cellAt(row, c)
            b = cell.firstCursorPosition().block()
            end = cell.lastCursorPosition().block().blockNumber()
            while b.isValid() and b.blockNumber() <= end:
                s = self.span(b)
                first, last = min(first, s.first), max(last, s.last)
                b = b.next()
        return _Span(first, max(first, last))

    def row_top(self, table: QTextTable, row: int) -> float:
        """Where the row's text starts, in its highest cell (a cell's text may sit lower,
        aligned to the middle): every line of the row lies between this and the next
        row's top."""
        return min(
            self.lay.blockBoundingRect(table.cellAt(row, c).firstCursorPosition().block()).top()
            for c in range(table.columns())
        )

    def row_height(self, table: QTextTable, row: int) -> float:
        """The row's height were it on one page: its tallest cell's lines."""
        tallest = 0.0
        for c in range(table.columns()):
            cell = table.cellAt(row, c)
            b = cell.firstCursorPosition().block()
            end = cell.lastCursorPosition().block().blockNumber()
            h = 0.0
            while b.isValid() and b.blockNumber() <= end:
                lines = b.layout()
                h += sum(lines.lineAt(i).height() for i in range(lines.lineCount()))
                b = b.next()
            tallest = max(tallest, h)
        return tallest

    def widths(self, table: QTextTable) -> tuple[float, ...]:
        """Each column's share of the table's width in %, from where its cells' text starts."""
        frame = self.lay.frameBoundingRect(table)
        row = table.rows() - 1
        lefts = [
            self.lay.blockBoundingRect(table.cellAt(row, c).firstCursorPosition().block()).left()
            for c in range(table.columns())
        ]
        edges = [frame.left(), *lefts[1:], frame.right()]
        if frame.width() <= 0 or any(b <= a for a, b in itertools.pairwise(edges)):
            return ()
        shares = [(b - a) / frame.width() * 100 for a, b in itertools.pairwise(edges)]
        # Qt fits a column to its longest word exactly and the measure loses a pixel: give
        # each column a hair more, taken from the widest, or that word breaks at the cut.
        widest = shares.index(max(shares))
        spare = [s + (HAIR if i != widest else 0.0) for i, s in enumerate(shares)]
        spare[widest] -= HAIR * (len(shares) - 1)
        return tuple(spare)

    def section_page(self, heading: int) -> int:
        return self.span(self.headings()[heading]).first


@dataclass(frozen=True)
class Fix:
    """Where a break goes: before heading `heading`, or in table `table` before body row
    `row` (0: before the whole table). Indices count in document order from 0."""

    heading: int = -1
    table: int = -1
    row: int = 0
    widths: tuple[float, ...] = ()
    """The table's column widths, % of its width, as laid out whole."""

    def apply(self, html: str) -> str | None:
        if self.heading >= 0:
            return break_before_heading(html, self.heading)
        return break_table(html, self.table, self.row, self.widths)


def _table_at(tables: list[QTextTable], block: QTextBlock) -> int:
    t = QTextCursor(block).currentTable()
    if t is None:
        return -1
    for i, x in enumerate(tables):
        if x.firstPosition() == t.firstPosition():
            return i
    return -1


def _first_body_row(pages: Pages, table: QTextTable) -> _Span:
    header = table.format().headerRowCount()
    return pages.row_span(table, min(header, table.rows() - 1))


def _forced(block: QTextBlock, table: QTextTable | None) -> bool:
    """The block (or the table it opens) starts a page of its own: nothing is stranded."""
    fmt = table.format() if table is not None else block.blockFormat()
    return bool(fmt.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)


def _stranded(pages: Pages, heading: QTextBlock, tables: list[QTextTable]) -> bool:
    """A heading (with the headings right under it) at the foot of a page while what it
    introduces starts on the next: the first table row, the first line of the text, or
    the table that a short introduction leads to."""
    page = pages.span(heading).first

    def table_of(b: QTextBlock) -> QTextTable | None:
        t = _table_at(tables, b)
        return tables[t] if t >= 0 else None

    b = heading.next()
    while b.isValid() and b.blockFormat().headingLevel() > 0 and not _forced(b, None):
        if pages.span(b).last > page:
            return True
        b = b.next()
    if not b.isValid() or _forced(b, table_of(b)):
        return False
    t = table_of(b)
    if t is not None:
        return _first_body_row(pages, t).last > page
    for _ in range(INTRO_PARAGRAPHS):
        s = pages.span(b)
        if s.first > page:
            return True
        n = b.next()
        if s.last > page or b.layout().lineCount() > INTRO_LINES or not n.isValid():
            return False
        t = table_of(n)
        if _forced(n, t) or n.blockFormat().headingLevel() > 0:
            return False
        if t is not None:
            return _first_body_row(pages, t).last > page
        b = n
    return False


Problem = tuple[str, int, str]
"""What is wrong, on which page, at which text: a problem seen again after its fix is left."""


def first_fix(pages: Pages, tried: set[Problem], floor: float = 0.0) -> tuple[Problem, Fix] | None:
    """The earliest bad break below `floor` (above it the document was checked already),
    and the break that mends it."""
    tables = pages.tables()
    heads = pages.headings()
    items: list[tuple[int, int, bool]] = [(h.position(), k, True) for k, h in enumerate(heads)]
    items += [(t.firstPosition(), k, False) for k, t in enumerate(tables)]
    for _, k, is_heading in sorted(items):
        if is_heading:
            h = heads[k]
            if pages.lay.blockBoundingRect(h).bottom() < floor:
                continue
            problem = ("heading", pages.span(h).first, h.text())
            if problem not in tried and _stranded(pages, h, tables):
                return problem, Fix(heading=k)
            continue
        t = tables[k]
        frame = pages.lay.frameBoundingRect(t)
        if frame.bottom() < floor or pages.page(frame.top()) == pages.page(frame.bottom()):
            continue  # checked already, or on one page: no row of it is cut
        header = t.format().headerRowCount()
        tops = [pages.row_top(t, r) for r in range(header, t.rows())] + [frame.bottom()]
        for r in range(header, t.rows()):
            if pages.page(tops[r - header]) == pages.page(tops[r - header + 1]):
                continue  # it starts and the next row starts on one page: it is whole
            s = pages.row_span(t, r)
            if s.first == s.last or pages.row_height(t, r) > TALL * pages.body_h:
                continue
            first = t.cellAt(r, 0).firstCursorPosition()
            problem = ("row", s.first, first.block().text())
            if problem not in tried:
                return problem, Fix(table=k, row=r - header, widths=pages.widths(t))
    return None


def _mend(doc: QTextDocument, pages: Pages, fix: Fix, html: str, mended: str) -> None:
    """Makes in `doc`, laid out from `html`, the break that `mended` has. Editing the
    document rather than setting it anew spares the parse, and Qt lays out again only from
    the edit on: the pages before it stay as they were."""
    always = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    if fix.heading >= 0:
        block = pages.headings()[fix.heading]
        fmt = block.blockFormat()
        fmt.setPageBreakPolicy(fmt.pageBreakPolicy() | always)
        QTextCursor(block).setBlockFormat(fmt)
        return
    table = pages.tables()[fix.table]
    if fix.row == 0:
        tfmt = table.format()
        tfmt.setPageBreakPolicy(tfmt.pageBreakPolicy() | always)
        table.setFormat(tfmt)
        return
    # The table becomes the two tables `mended` has in its place, parsed with the page's
    # style sheet; one edit block, so Qt lays the document out once for the whole change.
    parts = list(TABLE.finditer(mended))[fix.table : fix.table + 2]
    head = html[: html.index("<body>") + len("<body>")] if "<body>" in html else ""
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    cursor.setPosition(table.firstPosition() - 1)
    cursor.setPosition(table.lastPosition() + 1, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertHtml(f"{head}{''.join(m.group(0) for m in parts)}</body></html>")
    cursor.endEditBlock()


def paginate(doc: QTextDocument, html: str, body_h: float) -> Iterator[str]:
    """Lays `html` out in `doc` and mends its breaks one at a time, yielding the HTML after
    each layout (`doc` holds it, laid out). Every fix only moves content later, so the
    earliest bad break is final once mended. A problem that comes back after its fix (a row
    taller than a page, a heading already at the top of one) is left as it is."""
    doc.setHtml(html)
    yield html
    tried: set[Problem] = set()
    pages = Pages(doc, body_h)
    rounds = 4 * doc.pageCount() + 20
    floor = 0.0
    while rounds and (found := first_fix(pages, tried, floor)) is not None:
        rounds -= 1
        problem, fix = found
        tried.add(problem)
        # What lies on the pages before the problem's does not move.
        floor = max(0, problem[1] - 1) * body_h
        mended = fix.apply(html)
        if mended is None:
            continue
        _mend(doc, pages, fix, html, mended)
        pages.forget()
        html = mended
        yield html
