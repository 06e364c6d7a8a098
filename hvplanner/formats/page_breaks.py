"""Page breaks written into the report's HTML: before the k-th heading, or a table cut before
one of its rows and continued on the next page under its own header rows.

QTextDocument repeats a table's header rows on every page the table spans, but it lets a
row's cells run across a page break and leaves a heading at the foot of a page when the
table under it moves on. The PDF writer lays the document out, finds the first such place
and asks for a break here; these functions only edit the HTML. No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

HEADING = re.compile(r"<h[1-6]\b[^>]*>")
TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
ROW = re.compile(r"<tr\b.*?</tr>", re.S)
BREAK = "page-break-before: always"


def headings_in(html: str) -> int:
    return len(HEADING.findall(html))


def _with_break(tag: str) -> str | None:
    """The opening tag with a page break before it; None when it has one already."""
    if "page-break-before" in tag:
        return None
    if 'style="' in tag:
        return tag.replace('style="', f'style="{BREAK}; ', 1)
    return tag[:-1].rstrip() + f' style="{BREAK}">'


def break_before_heading(html: str, k: int) -> str | None:
    """The HTML with a page break before its k-th heading (0-based, <h1>…<h6> in order)."""
    found = list(HEADING.finditer(html))
    if not 0 <= k < len(found):
        return None
    m = found[k]
    tag = _with_break(m.group(0))
    return None if tag is None else html[: m.start()] + tag + html[m.end() :]


def with_widths(thead: str, widths: Sequence[float]) -> str:
    """The header rows with the last one's cells at these widths (% of the table): the two
    parts of a cut table then keep the columns the whole table had."""
    rows = list(ROW.finditer(thead))
    if not rows or not widths:
        return thead
    last = rows[-1]
    cells = re.findall(r"<th\b[^>]*>", last.group(0))
    if cells and all(" width=" in c for c in cells):
        # Widths given (or kept at an earlier cut): measuring them again would let the
        # columns drift a little at every cut.
        return thead
    given = iter(widths)

    def sized(m: re.Match[str]) -> str:
        w = next(given, None)
        tag = re.sub(r'\swidth="[^"]*"', "", m.group(0))
        return tag if w is None else f'{tag[:-1]} width="{w:.2f}%">'

    row = re.sub(r"<th\b[^>]*>", sized, last.group(0))
    return thead[: last.start()] + row + thead[last.end() :]


def break_table(html: str, k: int, body_row: int, widths: Sequence[float] = ()) -> str | None:
    """The HTML with its k-th table (0-based, in order) continued on a new page from body
    row `body_row` (0: the whole table moves), under a copy of its header rows; `widths`
    (% of the table, one a column) keep both parts' columns where the whole table had them."""
    found = list(TABLE.finditer(html))
    if not 0 <= k < len(found):
        return None
    m = found[k]
    whole = m.group(0)
    opening = whole[: whole.index(">") + 1]
    if body_row == 0:
        tag = _with_break(opening)
        return None if tag is None else html[: m.start()] + tag + html[m.start() + len(opening) :]
    head = re.search(r"<thead>.*?</thead>", whole, re.S)
    body = re.search(r"<tbody>(.*)</tbody>", whole, re.S)
    if body is None:
        return None
    rows = ROW.findall(body.group(1))
    if not 0 < body_row < len(rows):
        return None
    thead = with_widths(head.group(0), widths) if head else ""
    rest = _with_break(opening.replace(BREAK + "; ", "").replace(f' style="{BREAK}"', ""))
    if rest is None:
        return None
    first = f"{opening}{thead}<tbody>{''.join(rows[:body_row])}</tbody></table>"
    second = f"{rest}{thead}<tbody>{''.join(rows[body_row:])}</tbody></table>"
    return html[: m.start()] + first + second + html[m.end() :]
