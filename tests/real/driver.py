"""One running hvplanner window, and the X pointer and keyboard that drive it (xdotool)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from hvplanner.formats.planfile import load_plan
from hvplanner.model.plan import Plan

SCREEN = (1280, 800)


class App:
    """One running hvplanner window and the pointer and keyboard of its X server."""

    def __init__(
        self, display: str, home: Path, plan: Path | None, *, first_modal: str | None = None
    ) -> None:
        """`first_modal`: the title of a question the window asks as it opens; the start
        is over when it shows (the window cannot be active behind it)."""
        self.display = display
        self.home = home
        self.probe_path = home / "probe.json"
        self.plan_path = plan
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("QT_", "XDG_", "DESKTOP_", "WAYLAND", "HVPLANNER_"))
        }
        env |= {
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            # Settings, autosave and recent files of this run only.
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_RUNTIME_DIR": str(home / "run"),
            "HVPLANNER_PROBE": str(self.probe_path),
        }
        (home / "run").mkdir(mode=0o700, parents=True, exist_ok=True)
        self.log = home / "app.log"
        args = [sys.executable, "-m", "hvplanner", "gui", "--size", f"{SCREEN[0]}x{SCREEN[1]}"]
        if plan is not None:
            args.insert(4, str(plan))
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.window = self._find_window()
        if first_modal is not None:
            self.wait(lambda s: s.get("modal") == first_modal, first_modal, timeout=40)
            return
        self.wait(
            lambda s: bool(s.get("cards")) and s.get("tab") == "Layout", "the canvas", timeout=40
        )
        self.focus()

    # --- the X side --------------------------------------------------------------------

    def xdo(self, *args: object) -> str:
        done = subprocess.run(
            ["xdotool", *map(str, args)],
            env={**os.environ, "DISPLAY": self.display},
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"xdotool {args}: {done.stderr.strip()}\n{self.log_text()}")
        return done.stdout

    def _find_window(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"hvplanner exited with {self.proc.returncode}:\n{self.log_text()}"
                )
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--pid", str(self.proc.pid)],
                env={**os.environ, "DISPLAY": self.display},
                capture_output=True,
                text=True,
                check=False,
            ).stdout.split()
            if found:
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"no hvplanner window within 60 s\n{self.log_text()}")

    def focus(self) -> None:
        # No window manager: the keyboard goes where the focus is set, and a closed dialog
        # gives it back to no one.
        self.xdo("windowfocus", "--sync", self.window)
        self.wait(lambda s: s.get("active") is True, "the window to be active")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    # --- what the window shows ----------------------------------------------------------

    def state(self) -> dict:
        for _ in range(50):
            try:
                return json.loads(self.probe_path.read_text())
            except (OSError, ValueError):
                time.sleep(0.05)
        raise AssertionError("the window wrote no probe file")

    def wait(self, ok: Callable[[dict], bool], what: str, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        state: dict = {}
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"hvplanner exited while waiting for {what}:\n{self.log_text()}"
                )
            try:
                state = json.loads(self.probe_path.read_text())
            except (OSError, ValueError):
                state = {}
            if state and ok(state):
                return state
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; last state: {state}")

    def settle(self) -> dict:
        """The state once a probe written after this call is in."""
        now = time.time()
        return self.wait(lambda s: s["time"] > now + 0.05, "a fresh probe")

    @staticmethod
    def middle(rect: list[int]) -> tuple[int, int]:
        x, y, w, h = rect
        return x + w // 2, y + h // 2

    def centre(self, rect: list[int]) -> tuple[int, int]:
        """The centre of the part of a card or chip that the canvas shows (it may scroll)."""
        x, y, w, h = rect
        cx, cy, cw, ch = self.state()["canvas"]
        left, top = max(x, cx), max(y, cy)
        right, bottom = min(x + w, cx + cw), min(y + h, cy + ch)
        assert right - left > 4 and bottom - top > 4, f"{rect} is not in view ({cx, cy, cw, ch})"
        return (left + right) // 2, (top + bottom) // 2

    def palette_row(self, section: str, text: str | None = None) -> tuple[int, int]:
        rows = [r for r in self.state()["palette"] if r["section"] == section]
        if text is not None:
            rows = [r for r in rows if r["text"] == text]
        assert rows, f"no palette row {text!r} under {section!r}: {self.state()['palette']}"
        x, y, _w, h = rows[0]["rect"]
        return x + 40, y + h // 2

    def empty_canvas(self) -> tuple[int, int]:
        """A point of the canvas with no card or tray under it."""
        s = self.state()
        cx, cy, cw, ch = s["canvas"]
        boxes = [s["tray"], *s["cards"].values()]
        for y in range(cy + 5, cy + ch - 5, 7):
            for x in range(cx + 5, cx + cw - 5, 7):
                if not any(
                    bx - 4 <= x <= bx + bw + 4 and by - 4 <= y <= by + bh + 4
                    for bx, by, bw, bh in boxes
                ):
                    return x, y
        raise AssertionError(f"no empty canvas in {s['canvas']}")

    # --- the pointer and the keyboard ---------------------------------------------------

    def move(self, x: int, y: int) -> None:
        self.xdo("mousemove", "--sync", x, y)

    def drag(
        self,
        start: tuple[int, int],
        end: tuple[int, int],
        via: tuple[int, int] | None = None,
        steps: int = 12,
        modifiers: str | None = None,
    ) -> None:
        """Press, move in small steps (through `via` if given), release: as a hand does."""
        self.move(*start)
        time.sleep(0.05)
        if modifiers:
            self.xdo("keydown", modifiers)
        self.xdo("mousedown", 1)
        time.sleep(0.05)
        points = [start, via, end] if via else [start, end]
        for a, b in itertools.pairwise(points):
            for i in range(1, steps + 1):
                t = i / steps
                self.xdo(
                    "mousemove", round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t)
                )
                time.sleep(0.03)
        time.sleep(0.15)
        self.xdo("mouseup", 1)
        if modifiers:
            self.xdo("keyup", modifiers)
        time.sleep(0.1)

    def click(self, x: int, y: int, modifiers: str | None = None) -> None:
        self.move(x, y)
        if modifiers:
            self.xdo("keydown", modifiers)
        self.xdo("click", 1)
        if modifiers:
            self.xdo("keyup", modifiers)
        time.sleep(0.05)

    def key(self, *keys: str) -> None:
        for k in keys:
            self.xdo("key", "--clearmodifiers", k)
            time.sleep(0.08)

    def type(self, text: str) -> None:
        self.xdo("type", "--delay", 5, text)

    # --- files --------------------------------------------------------------------------

    def save(self) -> Plan:
        """Ctrl+S, then the plan as written to its file."""
        assert self.plan_path is not None
        stamp = self.plan_path.stat().st_mtime_ns if self.plan_path.exists() else 0
        self.key("ctrl+s")
        self.wait(
            lambda s: not s["modified"] and self.plan_path.stat().st_mtime_ns != stamp,
            "the plan to be saved",
        )
        return load_plan(self.plan_path)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.focus()
            self.key("ctrl+q")
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
                raise AssertionError(
                    f"hvplanner did not quit on Ctrl+Q\n{self.log_text()}"
                ) from None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
