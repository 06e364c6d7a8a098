from __future__ import annotations

from hvplanner.commands.output import table


def test_no_trailing_blanks_and_no_rule_under_an_empty_header():
    text = table(["host", "VMs", ""], [["h1", "3", ""], ["h22", "10", "warn"]], right={1})
    lines = text.splitlines()
    assert all(line == line.rstrip() for line in lines), lines
    assert lines[1] == "----  ---"
    assert lines[3] == "h22    10  warn"


def test_empty_flags_column_leaves_no_stray_rule():
    text = table(["host", ""], [["h1", ""]])
    assert text.splitlines() == ["host", "----", "h1"]
