"""The same-run baseline of "before": a snippet run against the hvplanner of an earlier
commit, taken out of git into a temporary folder and imported from there, in a subprocess.

The snippet gets that folder as sys.argv[1] (first on its path) and the caller's arguments
after it; what it prints is returned. None when git or the commit is not at hand (a copy
of the sources without history): the benchmark then prints the baseline as missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The commit before shared burst shapes and shared sizings (issue #19).
PREVIOUS = "a12aa0f"


def run_at(rev: str, script: str, *args: str) -> str | None:
    with tempfile.TemporaryDirectory(prefix="hvplanner-previous-") as tmp:
        try:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", rev, "hvplanner", "resources"],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        except (OSError, subprocess.CalledProcessError):
            return None
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        done = subprocess.run(
            [sys.executable, "-c", f"import sys\nsys.path.insert(0, sys.argv[1])\n{script}",
             tmp, *args],
            check=True,
            capture_output=True,
            text=True,
            cwd=tmp,
            env=env,
        )  # fmt: skip
        return done.stdout.strip()
