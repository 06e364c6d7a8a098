"""The watchdog ends a run whose test blocks in C while holding the GIL, with the stacks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

HANG = """
import ctypes

def test_blocks_holding_the_gil():
    # PyDLL keeps the GIL across the call: no Python thread (pytest-timeout's) can run.
    ctypes.PyDLL(None).sleep(120)
"""


def test_a_gil_holding_hang_is_ended_with_every_stack(tmp_path: Path) -> None:
    (tmp_path / "test_hang.py").write_text(HANG)
    env = {**os.environ, "HVPLANNER_TEST_LIMIT": "3", "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "tests.watchdog", "-q", "-c", os.devnull),
            *("-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path / "test_hang.py")),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=100,
        env=env,
        cwd=tmp_path,
    )
    assert time.monotonic() - started < 60
    assert done.returncode != 0
    assert "Timeout" in done.stderr and "test_blocks_holding_the_gil" in done.stderr
