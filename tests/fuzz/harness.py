"""Run hvplanner's commands on generated inputs in this process and classify the outcome.

A command passes when it exits 0, or exits 2 with one line on stderr that is short and
printable. Exit 1 (an internal error), more than one line, raw control characters, an
overlong message or running past the time limit are failures. In-process rather than a
subprocess per run: 10,000 plans at half a second of interpreter start each would take
hours on two cores.
"""

from __future__ import annotations

import contextlib
import io
import random
import resource
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hvplanner.cli import main
from tests.fuzz import gen

HANG_S = 20.0
MAX_MESSAGE = 4200  # cli.MAX_MESSAGE plus the prefix


class Hang(BaseException):
    """Raised by the alarm: a BaseException so the CLI's own handlers do not catch it."""


@dataclass(frozen=True)
class Outcome:
    argv: tuple[str, ...]
    code: int | None  # None: still running after HANG_S
    seconds: float
    problem: str  # empty when the outcome is acceptable

    @property
    def ok(self) -> bool:
        return not self.problem


def _on_alarm(signum: int, frame: object) -> None:
    raise Hang


def run(argv: list[str], hang_s: float = HANG_S, about: str = "") -> Outcome:
    """`about`: the input file (or folder) every exit-2 message must name."""
    out, err = io.StringIO(), io.StringIO()
    timed = threading.current_thread() is threading.main_thread()
    if timed:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, hang_s)
    start = time.perf_counter()
    code: int | None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except Hang:
        code = None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    seconds = time.perf_counter() - start
    return Outcome(tuple(argv), code, seconds, judge(code, err.getvalue(), seconds, about))


def judge(code: int | None, err: str, seconds: float, about: str = "") -> str:
    if code is None:
        return f"hang: still running after {HANG_S:g} s"
    if code == 1:
        return f"exit 1: {err[:300]!r}"
    if code not in (0, 2):
        return f"exit {code}: {err[:300]!r}"
    if code == 2:
        if err.count("\n") != 1 or not err.endswith("\n"):
            return f"exit 2 with {err.count(chr(10))} lines: {err[:300]!r}"
        if len(err) > MAX_MESSAGE:
            return f"exit 2 with a {len(err):,}-character message"
        if any(not c.isprintable() for c in err[:-1]):
            return f"exit 2 with control characters: {err[:300]!r}"
        if about and about not in err:
            return f"exit 2 without naming {about}: {err[:300]!r}"
    return ""


def plan_case(seed: int) -> list[Outcome]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="hvfuzz-") as tmp:
        folder = Path(tmp)
        p = str(gen.write_plan_case(rng, folder))
        runs = [
            ["place", p, "--time-limit", "2", "--json"],
            ["simulate", p, "--days", "1", "--step", "1h"],
            [
                "export",
                p,
                "--no-placement",
                "--json",
                str(folder / "r.json"),
                "--csv",
                str(folder / "r.csv"),
            ],
        ]
        if rng.random() < 0.2:
            runs.append(["export", p, "--csv", p])
        # The options are valid: whatever is refused is the plan (or a file it names).
        return [run(argv, about=Path(p).name) for argv in runs]


def inventory_case(seed: int) -> list[Outcome]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="hvfuzz-") as tmp:
        name, raw = gen.inventory_case(rng)
        src = Path(tmp) / name
        src.write_bytes(raw)
        argv = ["import", str(src), "-o", str(Path(tmp) / "out.hvplan.json")]
        return [run(argv, about=src.name)]


def snapshot_case(seed: int) -> list[Outcome]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="hvfuzz-") as tmp:
        root = Path(tmp) / "snap"
        root.mkdir()
        outside = Path(tmp) / "outside-secret.txt"
        outside.write_text("OUTSIDE-SECRET\n")
        gen.snapshot_case(rng, root, outside)
        got = run(["check", "--root", str(root), "--json"], about=str(root))
        return [got]


CASES = {"plan": plan_case, "inventory": inventory_case, "snapshot": snapshot_case}


# A worker that goes past this much address space fails with MemoryError (exit 1) instead
# of taking the shared machine down; peak RSS is measured and bounded separately.
ADDRESS_SPACE = 3 * 1024**3
RSS_BOUND_MB = 1024


def init_worker() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def one_case(task: tuple[str, int]) -> dict[str, Any]:
    kind, seed = task
    outcomes = CASES[kind](seed)
    return {
        "kind": kind,
        "seed": seed,
        "codes": [o.code for o in outcomes],
        "slowest": max(o.seconds for o in outcomes),
        "problems": [f"{' '.join(o.argv[:1])}: {o.problem}" for o in outcomes if o.problem],
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
