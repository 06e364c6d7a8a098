"""Page breaks written into the report's HTML (no Qt): what the PDF writer asks for."""

from __future__ import annotations

import re

from hvplanner.formats.page_breaks import break_before_heading, break_table, headings_in
from hvplanner.formats.report_html import table

HTML = "<h2>One</h2><p>x</p>" + table(["A", "B"], [["1", "2"], ["3", "4"], ["5", "6"], ["7", "8"]])


def test_a_heading_gets_one_break() -> None:
    once = break_before_heading(HTML, 0)
    assert once is not None and '<h2 style="page-break-before: always">One</h2>' in once
    assert break_before_heading(once, 0) is None  # already starts a page
    assert break_before_heading(HTML, 1) is None  # no second heading
    assert headings_in(once) == headings_in(HTML) == 1


def test_a_table_cut_before_a_row_repeats_its_header_with_the_same_widths() -> None:
    cut = break_table(HTML, 0, 2, widths=(30.0, 70.0))
    assert cut is not None
    parts = re.findall(r"<table\b.*?</table>", cut, re.S)
    assert len(parts) == 2
    first, second = parts
    assert "page-break-before" not in first and "page-break-before: always" in second
    for part in parts:
        assert '<th width="30.00%">A</th><th width="70.00%">B</th>' in part
    assert "<td>3</td>" in first and "<td>5</td>" not in first
    assert "<td>5</td>" in second and "<td>3</td>" not in second
    # Cut again: the widths given stay, not measured anew (no drift from cut to cut).
    again = break_table(cut, 1, 1, widths=(10.0, 90.0))
    assert again is not None and "30.00%" in again and "10.00%" not in again


def test_row_zero_moves_the_whole_table_and_out_of_range_asks_nothing() -> None:
    moved = break_table(HTML, 0, 0)
    assert moved is not None and moved.count("<table") == 1
    assert "page-break-before: always" in moved
    assert break_table(HTML, 0, 4) is None
    assert break_table(HTML, 1, 1) is None
