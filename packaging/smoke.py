"""Run an installed or bundled hvplanner as a user would, from a folder outside the source.

    python packaging/smoke.py [--desktop-entry] [--gui-script PATH] -- COMMAND...

COMMAND is how to start hvplanner: `/tmp/venv/bin/hvplanner` for a wheel install,
`dist/hvplanner/hvplanner` for the bundle. It runs `--version` (and reads the licence and
third-party notices where it says they are), `size … --json`, `check --json`,
`place … --json`, `completion bash` and `gui --screenshot` (offscreen) and checks what
they print. A command
that the source tree beside this script does not have yet (check, gui) is reported as
"not available yet" instead of failing; once it lands, the installed copy must run it.

Only the standard library: it runs under any Python ≥ 3.11.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP_ID = "io.github.hvplanner.HvPlanner"
TIMEOUT_S = 180


class SmokeError(Exception):
    pass


def source_version() -> str:
    text = (REPO / "hvplanner" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SmokeError("no __version__ in hvplanner/__init__.py")
    return match.group(1)


def source_commands() -> set[str]:
    """Subcommands the source tree defines: what an install of it must offer."""
    sys.path.insert(0, str(REPO))
    try:
        from hvplanner.commands.parser import build_parser
    finally:
        sys.path.pop(0)
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


class Runner:
    def __init__(self, command: Sequence[str], cwd: Path, name: str = "hvplanner") -> None:
        self.name = name
        program, *rest = command
        if os.sep in program:  # relative to where we were started, not to cwd
            program = str(Path(program).absolute())
        self.command = [program, *rest]
        self.cwd = cwd
        self.env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HVPLANNER_DEBUG="1")
        # The installed copy must not see the source tree.
        self.env.pop("PYTHONPATH", None)

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        argv = [*self.command, *args]
        start = time.monotonic()
        done = subprocess.run(
            argv,
            cwd=self.cwd,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
        took = time.monotonic() - start
        print(f"  $ {shlex.join([self.name, *args])}  → exit {done.returncode}, {took:.1f} s")
        return done

    def expect_ok(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = self.run(*args, env=env)
        if done.returncode != 0:
            raise SmokeError(f"{shlex.join(args)} exited {done.returncode}:\n{done.stderr}")
        return done.stdout


def check_version(r: Runner) -> None:
    out = r.expect_ok("--version").strip()
    first, *rest = out.splitlines()
    if first != f"hvplanner {source_version()}":
        raise SmokeError(f"--version printed {out!r}")
    check_notices(rest)


def check_notices(lines: list[str]) -> None:
    """The licence and the third-party notices, read where the installed copy says they are."""
    where = {k: v for k, _, v in (line.partition(": ") for line in lines)}
    notices = Path(where.get("Third-party notices", ""))
    # The installed copy's own, not the source tree's (an editable install would show those).
    if not notices.is_file() or notices.is_relative_to(REPO / "resources"):
        raise SmokeError(f"--version names no installed third-party notices: {lines}")
    text = notices.read_text(encoding="utf-8")
    named = set(re.findall(r"`([^`\n]+\.(?:txt|md)|LICENSE)`", text))
    missing = sorted(n for n in named if not (notices.parent / n).is_file())
    if "## Qt for Python" not in text or "LGPL-3.0.txt" not in named or missing:
        raise SmokeError(f"{notices}: Qt's notice or licence files missing: {missing}")
    gpl = (notices.parent / "LICENSE").read_text(encoding="utf-8")
    if "GNU GENERAL PUBLIC LICENSE" not in gpl or "Version 3" not in gpl:
        raise SmokeError(f"{notices.parent / 'LICENSE'} is not the GPL-3.0 text")
    print(f"    licence and {len(named)} notice files in {notices.parent}")


def check_completion(r: Runner) -> None:
    script = r.expect_ok("completion", "bash")
    missing = sorted(
        c for c in source_commands() if f"{c}|" not in script and f"|{c})" not in script
    )
    if "complete -o default -F _hvplanner hvplanner" not in script or missing:
        raise SmokeError(f"completion bash: no complete line, or commands missing: {missing}")


def check_size(r: Runner) -> None:
    out = r.expect_ok("size", "--vms", "10", "--vcpu", "2", "--ram-gb", "4", "--json")
    results = json.loads(out)["results"]
    first = results[0]
    if (first["vms"], first["vcpus"]) != (10, 20) or first["hosts"] < 1:
        raise SmokeError(f"size --json gave an unexpected result: {first}")
    # Figures cite catalog sources: proof that the catalog came along as package data.
    if not any(step.get("source") for result in results for step in result["steps"]):
        raise SmokeError("size --json cites no catalog source")


def check_check(r: Runner) -> None:
    report = json.loads(r.expect_ok("check", "--json"))
    if not isinstance(report, dict) or not report:
        raise SmokeError(f"check --json printed {type(report).__name__}, not a report")
    print(f"    report keys: {', '.join(sorted(report))}")


def check_place(r: Runner) -> None:
    # The largest sample: column generation with HiGHS, NumPy underneath.
    plan = max(
        (REPO / "resources" / "samples").glob("*.hvplan.json"), key=lambda p: p.stat().st_size
    )
    result = json.loads(r.expect_ok("place", str(plan), "--json"))
    if result["hosts"] < 1 or result["lower_bound"] > result["hosts"]:
        raise SmokeError(
            f"place --json gave {result['hosts']} hosts, bound {result['lower_bound']}"
        )
    print(f"    {plan.name}: {result['hosts']} hosts, lower bound {result['lower_bound']}")


def check_import(r: Runner) -> None:
    # An RVTools workbook: python-calamine must be installed (or bundled) with hvplanner.
    book = REPO / "tests" / "formats" / "data" / "sources" / "rvtools.xlsx"
    summary = json.loads(r.expect_ok("import", str(book), "--json"))
    if summary["format"] != "rvtools-xlsx" or summary["hosts_created"] != 3:
        raise SmokeError(
            f"import --json read {summary['format']}, {summary['hosts_created']} hosts"
        )
    print(f"    {book.name}: {summary['imported']} VMs, hypervisor {summary['hypervisor']}")


def check_gui(r: Runner) -> None:
    png = r.cwd / "screenshot.png"
    r.expect_ok("gui", "--screenshot", str(png), "--size", "1280x800")
    data = png.read_bytes() if png.is_file() else b""
    if len(data) < 1000 or data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SmokeError(f"gui --screenshot wrote no PNG ({len(data)} bytes)")
    print(f"    screenshot: {len(data)} bytes")


def check_desktop_entry(r: Runner) -> None:
    home = r.cwd / "xdg-data"
    env = {"XDG_DATA_HOME": str(home)}
    r.expect_ok("--install-desktop-entry", env=env)
    entry = home / "applications" / f"{APP_ID}.desktop"
    icon = home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    metainfo = home / "metainfo" / f"{APP_ID}.metainfo.xml"
    for path in (entry, icon, metainfo, home / "mime" / "packages" / f"{APP_ID}.xml"):
        if not path.is_file():
            raise SmokeError(f"--install-desktop-entry did not write {path}")
    exec_line = next(x for x in entry.read_text().splitlines() if x.startswith("Exec="))
    program = shlex.split(exec_line.removeprefix("Exec=").replace("\\\\", "\\"))[0]
    if not os.access(program, os.X_OK):
        raise SmokeError(f"the menu entry runs {program}, which is not an executable")
    print(f"    {exec_line}")
    r.expect_ok("--uninstall-desktop-entry", env=env)
    if entry.exists() or icon.exists():
        raise SmokeError("--uninstall-desktop-entry left files behind")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--desktop-entry", action="store_true", help="also install/uninstall")
    parser.add_argument("--gui-script", help="the hvplanner-gui launcher to check too")
    parser.add_argument("command", nargs="+", help="how to start hvplanner")
    args = parser.parse_args(argv)
    available = source_commands()
    gui_ready = (REPO / "hvplanner" / "ui" / "app.py").is_file()
    steps = [("version", check_version), ("size", check_size)]
    skipped = []
    if "check" in available:
        steps.append(("check", check_check))
    else:
        skipped.append(("check", "the source tree has no `hvplanner check`"))
    if "place" in available:
        steps.append(("place", check_place))
    if "completion" in available:
        steps.append(("completion", check_completion))
    if "import" in available:
        steps.append(("import", check_import))
    if gui_ready:
        steps.append(("gui", check_gui))
    else:
        skipped.append(("gui", "hvplanner/ui/app.py is not in the source tree"))
    if args.desktop_entry:
        steps.append(("desktop entry", check_desktop_entry))
    with tempfile.TemporaryDirectory(prefix="hvplanner-smoke-") as tmp:
        runner = Runner(args.command, Path(tmp))
        try:
            for name, step in steps:
                print(f"{name}:")
                step(runner)
            if args.gui_script:
                print("gui script:")
                Runner([args.gui_script], Path(tmp), "hvplanner-gui").expect_ok("--help")
        except (SmokeError, OSError, subprocess.TimeoutExpired, LookupError, ValueError) as exc:
            print(f"FAILED: {exc}", file=sys.stderr)
            return 1
    for name, why in skipped:
        print(f"{name}: not available yet ({why}): skipped")
    print(f"smoke: {len(steps)} passed, 0 failed, {len(skipped)} skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
