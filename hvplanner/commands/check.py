"""`hvplanner check`: the readiness report on the command line.

hvplanner.commands.registry adds it with `add_parser(subparsers)`; `run(args)` returns the exit
status: 0 whenever the check ran (a blocked verdict is an answer, not an error),
2 for bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hvplanner.commands.args import examples
from hvplanner.text import plural


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        epilog=examples("hvplanner check --save-snapshot this-host"),
        help="can this machine run each hypervisor? (VT-x/AMD-V, firmware, SLAT, KVM, IOMMU…)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--root", metavar="DIR", help="read a snapshot folder as if it were /")
    p.add_argument(
        "--save-snapshot", metavar="DIR", help="also write what was read into DIR, to send"
    )
    p.set_defaults(handler=run)
    return p


def run(args: argparse.Namespace) -> int:
    # Imported here: every other subcommand builds this parser and need not load them.
    from hvplanner.commands.output import print_json
    from hvplanner.readiness.report import render_text
    from hvplanner.readiness.run import analyse_inputs, probe, report_from
    from hvplanner.readiness.snapshot import save_snapshot

    given = getattr(args, "root", None)
    # An empty --root is a mistake (an unset variable), not a request to check this machine.
    if given is not None and not given.strip():
        print("hvplanner check: --root: empty; give a snapshot folder", file=sys.stderr)
        return 2
    root = Path(given) if given is not None else None
    if root is not None and not root.is_dir():
        what = "not a folder" if root.exists() else "no such folder"
        print(f"hvplanner check: --root {root}: {what}", file=sys.stderr)
        return 2
    given_save = getattr(args, "save_snapshot", None)
    if given_save is not None and not given_save.strip():
        print("hvplanner check: --save-snapshot: empty; give a folder", file=sys.stderr)
        return 2
    save = Path(given_save) if given_save is not None else None
    if save is not None and save.exists() and not save.is_dir():
        print(f"hvplanner check: --save-snapshot {save}: not a folder", file=sys.stderr)
        return 2
    inputs = probe(root)
    report = report_from(analyse_inputs(inputs))
    if save is not None and inputs is not None:
        try:
            written = save_snapshot(inputs, save)
        except OSError as exc:
            print(
                f"hvplanner check: --save-snapshot {save}: {exc.strerror or exc}", file=sys.stderr
            )
            return 2
        print(f"snapshot: {plural(len(written), 'file')} written to {save}", file=sys.stderr)
    if getattr(args, "json", False):
        print_json(report.model_dump(mode="json"))
    else:
        sys.stdout.write(render_text(report))
    return 0
