"""Breaks mended in the laid-out document give the pages that the mended HTML, laid out
anew, gives: the same lines at the same places."""

from __future__ import annotations

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QTextDocument

from hvplanner.formats.page_breaks import TABLE, headings_in
from hvplanner.formats.pdf_pages import paginate
from hvplanner.formats.report_html import STYLE, table

WIDTH, BODY_H = 600.0, 800.0


def _html() -> str:
    """Headings that fall at page feet, tables moved whole, and a long table cut between
    rows that wrap over several lines."""
    parts = []
    for g in range(40):
        text = " ".join(f"g{g}w{k}" for k in range(4 + 13 * (g % 7)))
        body = [[f"g{g}-{r}", f"x{r} " * (3 + r % 4)] for r in range(2 + g % 4)]
        parts.append(f"<h3>Group {g}</h3><p>{text}</p>" + table(["A", "B"], body))
        tall = [[f"t{g}-{r}", " ".join(f"t{g}w{k}" for k in range(30))] for r in range(2)]
        parts.append(f"<p>{text} {text}</p>" + table(["C", "D"], tall))
    rows = [[f"row{i}", " ".join(f"r{i}w{k}" for k in range(8 + i % 25))] for i in range(70)]
    parts.append("<h2>Long table</h2>" + table(["COLA", "COLB"], rows))
    return f"<html><head><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>"


def _doc() -> QTextDocument:
    doc = QTextDocument()
    doc.setPageSize(QSizeF(WIDTH, BODY_H))
    return doc


def _lines(doc: QTextDocument) -> list[tuple[str, float, int]]:
    """Every line of the document: its block's text, where it is and how many lines."""
    lay = doc.documentLayout()
    out = []
    b = doc.begin()
    while b.isValid():
        top = lay.blockBoundingRect(b).top()
        lines = b.layout()
        for i in range(lines.lineCount()):
            out.append((b.text(), round(top + lines.lineAt(i).y(), 2), lines.lineCount()))
        b = b.next()
    return out


def test_mended_in_place_is_laid_out_as_the_mended_html(qapp: object) -> None:
    html = _html()
    doc = _doc()
    last = list(paginate(doc, html, BODY_H))[-1]
    # Every kind of mend happened: a heading moved, a table moved whole, a table cut.
    assert last.count('<h3 style="page-break-before: always">') >= 1
    assert headings_in(last) == headings_in(html)
    assert len(TABLE.findall(last)) > len(TABLE.findall(html))
    moved_whole = [t for t in TABLE.findall(last) if "page-break-before" in t[: t.index(">")]]
    assert len(moved_whole) > len(TABLE.findall(last)) - len(TABLE.findall(html))

    anew = _doc()
    anew.setHtml(last)
    assert doc.pageCount() == anew.pageCount()
    assert _lines(doc) == _lines(anew)
