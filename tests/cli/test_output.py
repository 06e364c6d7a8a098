from __future__ import annotations

import io
import json
import sys

import pytest

from hvplanner.cli import main
from hvplanner.commands.output import print_json, table
from tests.conftest import HOST_FIXTURES, REPO, SAMPLES


def test_no_trailing_blanks_and_no_rule_under_an_empty_header():
    text = table(["host", "VMs", ""], [["h1", "3", ""], ["h22", "10", "warn"]], right={1})
    lines = text.splitlines()
    assert all(line == line.rstrip() for line in lines), lines
    assert lines[1] == "----  ---"
    assert lines[3] == "h22    10  warn"


def test_empty_flags_column_leaves_no_stray_rule():
    text = table(["host", ""], [["h1", ""]])
    assert text.splitlines() == ["host", "----", "h1"]


INVENTORY = REPO / "tests" / "formats" / "data" / "rvtools_vinfo.csv"
HOST = HOST_FIXTURES / "intel-xeon-e5345-dell-pe2950-vmx-no-ept"
P2V = SAMPLES / "p2v-128-old-servers.hvplan.json"
MIXED = SAMPLES / "mixed-workloads-6-hosts.hvplan.json"
COST = SAMPLES / "windows-linux-licence-cost.hvplan.json"


class _Writes(io.StringIO):
    """Standard output that counts the calls that wrote to it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def write(self, s: str) -> int:
        self.calls += 1
        return super().write(s)


@pytest.mark.parametrize(
    "argv",
    [
        ["size", str(P2V), "--json"],
        ["size", str(P2V), "--all", "--json"],
        ["compare", "--plan", str(P2V), "--json"],
        ["compare", "--older-than", "0", "--json"],
        ["cost", str(COST), "--all", "--json"],
        ["place", str(MIXED), "--json"],
        ["simulate", str(MIXED), "--days", "1", "--json"],
        ["import", str(INVENTORY), "--json"],
        ["check", "--root", str(HOST), "--json"],
    ],
    ids=lambda argv: " ".join(a for a in argv if not a.startswith("/")),
)
def test_every_json_output_is_one_line_in_one_write(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Indented, json writes with its pure-Python encoder; print() writes the newline apart.
    out = _Writes()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(argv) == 0
    text = out.getvalue()
    assert out.calls == 1
    assert text.endswith("\n")
    assert text.count("\n") == 1
    assert isinstance(json.loads(text), dict)


def test_print_json_keeps_text_as_written() -> None:
    out = io.StringIO()
    print_json({"name": "Zürich – DC", "hosts": [1, 2]}, out)
    assert out.getvalue() == '{"name": "Zürich – DC", "hosts": [1, 2]}\n'
