"""Building the command line is light: --help, completion and every subcommand's parsing
load no engine, no pydantic, no NumPy, no HiGHS and no Qt; each command loads its own."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pydantic", "numpy", "highspy", "PySide6", "pyqtgraph")


def test_building_the_parser_loads_no_engine():
    code = (
        "import sys; from hvplanner.commands.parser import build_parser;"
        "p = build_parser(); p.format_help();"
        f"bad = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}));"
        "assert not bad, bad"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
