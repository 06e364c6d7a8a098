"""The real window on a real X server, driven by a real pointer and keyboard.

An Xvfb server runs for the whole layer; each test starts the application as a user does
(`python -m hvplanner gui PLAN`, Qt's xcb platform, no offscreen), and xdotool presses,
moves and releases the X pointer and types keys. Nothing is sent to Qt directly: what
happens is what a person at the screen would get.

To aim, the tests read the screen geometry of palette rows, cards and chips that the
application writes when HVPLANNER_PROBE names a file (hvplanner/ui/probe.py); they check
results in the saved plan file, and the status bar's text where a person reads a message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hvplanner.formats.planfile import save_plan
from hvplanner.model.plan import Plan
from tests.real.driver import SCREEN, App

TOOLS = ("Xvfb", "xdotool")
# `make test` installs the tools and sets this: there a missing tool is a failure, not a skip.
REQUIRED = os.environ.get("HVPLANNER_REAL_TESTS") == "required"


def _missing() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    missing = _missing()
    if missing:
        message = f"real-window tests need {', '.join(missing)} (Debian: xvfb, xdotool)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    read, write = os.pipe()
    # -displayfd: the server picks a free display number and tells it on this pipe.
    server = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write),
            "-screen",
            "0",
            f"{SCREEN[0]}x{SCREEN[1]}x24",
            "-nolisten",
            "tcp",
            # No reset when the last client leaves: the next test's window would otherwise
            # race the server's reset and find no display.
            "-noreset",
        ],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    number = b""
    with os.fdopen(read, "rb") as pipe:
        while not number.endswith(b"\n"):
            chunk = pipe.read(1)
            if not chunk:
                break
            number += chunk
    if not number.strip():
        server.kill()
        pytest.fail("Xvfb did not start")
    try:
        yield f":{number.decode().strip()}"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def launch(display: str, tmp_path: Path) -> Iterator[Callable[[Plan | Path | None], App]]:
    """Starts the application on a plan (written to a file first) and stops it afterwards."""
    apps: list[App] = []

    def start(plan: Plan | Path | None) -> App:
        path: Path | None
        if isinstance(plan, Plan):
            path = tmp_path / "plan.hvplan.json"
            save_plan(plan, path)
        else:
            path = plan
        home = tmp_path / f"home{len(apps)}"
        home.mkdir()
        app = App(display, home, path)
        apps.append(app)
        return app

    yield start
    for app in apps:
        app.kill()
