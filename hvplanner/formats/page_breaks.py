"""Page breaks written into the report's HTML: before the k-th heading, or a table cut before
one of its rows and continued on the next page under its own header rows.

QTextDocument repeats a table's header rows on every page the table spans, but it lets a
row's cells run across a page break and leaves a heading at the foot of a page when the
table under it moves on. The PDF writer lays the document out, finds the first such place
and asks for a break here; these functions only edit the HTML. No Qt here.
"""

from __future__ import annotations

import re

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


def break_table(html: str, k: int, body_row: int) -> str | None:
    """The HTML with its k-th table (0-based, in order) continued on a new page from body
    row `body_row` (0: the whole table moves), under a copy of its header rows."""
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
    thead = head.group(0) if head else ""
    rest = _with_break(opening.replace(BREAK + "; ", "").replace(f' style="{BREAK}"', ""))
    if rest is None:
        return None
    first = f"{opening}{thead}<tbody>{''.join(rows[:body_row])}</tbody></table>"
    second = f"{rest}{thead}<tbody>{''.join(rows[body_row:])}</tbody></table>"
    return html[: m.start()] + first + second + html[m.end() :]
