"""Bookmarks for a written PDF: an outline appended as an incremental update.

QPdfWriter has no outline API, so the report's sections are added after Qt has written the
file: new objects, a catalog that points at them, and a cross-reference section chained to
Qt's own (PDF 1.7, 7.5.6). Nothing Qt wrote is rewritten. No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class OutlineError(ValueError):
    """The file is not a PDF laid out as QPdfWriter writes it (plain objects, xref table)."""


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int
    """0-based page index."""


def _text(s: str) -> bytes:
    # UTF-16BE with its byte-order mark, as a hex string: any title, no escaping to get wrong.
    return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"


def _last(pattern: bytes, data: bytes) -> re.Match[bytes]:
    found = list(re.finditer(pattern, data, re.S))
    if not found:
        raise OutlineError(f"no {pattern.decode()!r} in the PDF")
    return found[-1]


def _object(data: bytes, num: int) -> bytes:
    m = re.search(rb"(?m)^%d 0 obj\s*(.*?)\s*endobj" % num, data, re.S)
    if m is None:
        raise OutlineError(f"object {num} not found")
    return m.group(1)


def _pages(data: bytes, pages_obj: int) -> list[int]:
    """Page object numbers in order (a flat page tree, as QPdfWriter writes it)."""
    body = _object(data, pages_obj)
    kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
    if kids is None:
        raise OutlineError("the page tree has no /Kids")
    return [int(n) for n in re.findall(rb"(\d+)\s+0\s+R", kids.group(1))]


def add_outline(path: str | Path, marks: Sequence[Bookmark]) -> None:
    """Appends a flat outline (one entry per mark, in order) and opens the reader with it."""
    if not marks:
        return
    p = Path(path)
    data = p.read_bytes()
    start = int(_last(rb"startxref\s+(\d+)", data).group(1))
    trailer = _last(rb"trailer\s*<<(.*?)>>\s*startxref", data).group(1)
    size_m = re.search(rb"/Size\s+(\d+)", trailer)
    root_m = re.search(rb"/Root\s+(\d+)\s+0\s+R", trailer)
    if size_m is None or root_m is None:
        raise OutlineError("the trailer has no /Size or /Root")
    size, root = int(size_m.group(1)), int(root_m.group(1))
    catalog = _object(data, root)
    pages_m = re.search(rb"/Pages\s+(\d+)\s+0\s+R", catalog)
    if pages_m is None or b"/Outlines" in catalog:
        raise OutlineError("the catalog has no page tree, or already an outline")
    pages = _pages(data, int(pages_m.group(1)))
    for m in marks:
        if not 0 <= m.page < len(pages):
            raise OutlineError(f"bookmark {m.title!r} points past the last page")

    outlines = size
    items = [size + 1 + i for i in range(len(marks))]
    objects: dict[int, bytes] = {
        outlines: b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
        % (items[0], items[-1], len(items))
    }
    for i, (num, m) in enumerate(zip(items, marks, strict=True)):
        links = b"".join(
            [
                b" /Prev %d 0 R" % items[i - 1] if i else b"",
                b" /Next %d 0 R" % items[i + 1] if i + 1 < len(items) else b"",
            ]
        )
        objects[num] = (
            b"<< /Title " + _text(m.title) + b" /Parent %d 0 R" % outlines + links
            + b" /Dest [%d 0 R /XYZ null null null] >>" % pages[m.page]
        )  # fmt: skip
    head = catalog.rstrip()
    if not head.endswith(b">>"):
        raise OutlineError("the catalog is not a dictionary")
    objects[root] = head[:-2].rstrip() + b"\n/Outlines %d 0 R\n/PageMode /UseOutlines\n>>" % (
        outlines
    )

    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    # The free list's head first, as readers that expect a table to start at object 0 want,
    # then subsections of consecutive object numbers: the new catalog, the new objects.
    out += b"xref\n0 1\n0000000000 65535 f \n"
    nums = sorted(offsets)
    runs: list[list[int]] = []
    for n in nums:
        if runs and runs[-1][-1] + 1 == n:
            runs[-1].append(n)
        else:
            runs.append([n])
    for run in runs:
        out += b"%d %d\n" % (run[0], len(run))
        out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in run)
    new_size = max(size, nums[-1] + 1)
    keep = re.sub(rb"/(Size|Prev)\s+\d+\s*", b"", trailer).strip()
    out += b"trailer\n<<\n/Size %d\n/Prev %d\n" % (new_size, start) + keep + b"\n>>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    p.write_bytes(bytes(out))
