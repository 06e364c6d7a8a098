"""`hvplanner import` (a VM inventory CSV or RVTools vInfo → plan) and `hvplanner export`
(a plan → JSON with its results, PDF, or its VMs as an inventory CSV). Heavy modules load
only when a command runs; the GUI's File menu calls the same functions."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from hvplanner.commands.args import examples

if TYPE_CHECKING:
    from hvplanner.formats.inventory import ImportResult
    from hvplanner.model.plan import Plan
    from hvplanner.model.report import Report

PDF_MODULE = "hvplanner.formats.pdf_report"
"""The PDF writer, when this build has one: `write_pdf(plan, path) -> pages`. It imports Qt."""

MAX_LISTED = 200


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "import",
        epilog=examples("hvplanner import RVTools_tabvInfo.csv -o plan.hvplan.json"),
        help="make a plan from a VM inventory CSV or an RVTools vInfo export",
        description="Columns are matched by name, case-insensitively (VM/Name, vCPUs/CPUs/"
        "cores, RAM GB/Memory MB, disk GB/Provisioned MB, NIC Mbps, host, group, count). "
        "Comma, semicolon or tab separated; UTF-8 with or without BOM.",
    )
    p.add_argument("file", metavar="FILE.csv", help="the inventory")
    p.add_argument("-o", "--output", metavar="PLAN.hvplan.json", required=True)
    p.add_argument("--hypervisor", metavar="ID@VER", help="e.g. kvm, esxi@8.0, hyper-v@2022")
    p.add_argument("--name", help="plan name (default: from the file name)")
    p.add_argument(
        "--include-powered-off",
        action="store_true",
        help="import powered-off and suspended VMs too",
    )
    p.add_argument(
        "--disk",
        choices=["provisioned", "in-use"],
        default="provisioned",
        help="RVTools: size disks by provisioned (default) or in-use space",
    )
    p.set_defaults(handler=run_import)

    e = sub.add_parser(
        "export",
        epilog=examples("hvplanner export plan.hvplan.json --json results.json --pdf report.pdf"),
        help="write a plan with its results as JSON (or PDF, or its VMs as CSV)",
        description='The JSON holds {"plan": …, "results": {sizing, placement, …}}; '
        "importing it reads the plan back and recomputes the results.",
    )
    e.add_argument("plan", metavar="PLAN", help="a *.hvplan.json plan")
    e.add_argument("--json", metavar="OUT.json", help="plan + results as JSON ('-': stdout)")
    e.add_argument("--pdf", metavar="OUT.pdf", help="a printable report")
    e.add_argument(
        "--csv",
        metavar="OUT.csv",
        help="the plan's VMs, one row per VM entry with its host ('hvplanner import' reads it)",
    )
    e.add_argument(
        "--no-placement", action="store_true", help="leave the placement out of the results"
    )
    e.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="S",
        help="placement: upper limit on optimization time in seconds",
    )
    e.set_defaults(handler=run_export)


def _write(path: str, text: str) -> None:
    from hvplanner.errors import InputError
    from hvplanner.formats.planfile import write_atomic

    try:
        write_atomic(path, text)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def _summary(where: str, r: ImportResult) -> list[str]:
    from hvplanner.text import plural

    kind = "RVTools vInfo export" if r.format == "rvtools" else "VM inventory"
    sep = {",": "comma", ";": "semicolon", "\t": "tab"}[r.delimiter]
    out = [f"{where}: {kind}, {sep}-separated, {plural(r.rows, 'row')}"]
    instances = sum(v.count for v in r.vms)
    vms = plural(r.imported, "row")
    vms += f" ({plural(instances, 'VM')})" if instances != r.imported else ""
    out.append(f"  imported   {vms}")
    if r.powered_off:
        if r.powered_off_included:
            out.append(f"  included   {r.powered_off} powered off")
        else:
            out.append(
                f"  skipped    {r.powered_off} powered off (--include-powered-off imports them)"
            )
    if r.templates:
        out.append(f"  skipped    {r.templates} template{'s' * (r.templates != 1)}")
    if r.renamed:
        out.append(f"  renamed    {len(r.renamed)} (ids must be unique and hold no '#'):")
        out += [f"    line {s.line}: {s.name!r} → {s.vm!r}" for s in r.renamed[:MAX_LISTED]]
    if r.rejected:
        out.append(f"  rejected   {len(r.rejected)}:")
        out += [f"    line {x.line}: {x.reason}" for x in r.rejected[:MAX_LISTED]]
        if len(r.rejected) > MAX_LISTED:
            out.append(f"    … and {len(r.rejected) - MAX_LISTED} more")
    out += [f"  ! {w}" for w in r.warnings]
    return out


def _same_file(a: str, b: str) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:  # either one missing: not the same file; reading reports a missing input
        return False


def run_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from hvplanner.catalog import load_catalog
    from hvplanner.errors import InputError
    from hvplanner.formats.inventory import plan_from_import, read_inventory
    from hvplanner.formats.planfile import plan_to_json
    from hvplanner.text import plural

    if _same_file(args.file, args.output):
        raise InputError(f"--output: {args.output} is the inventory being imported")
    hypervisor = load_catalog().get(args.hypervisor).key if args.hypervisor else None
    result = read_inventory(args.file, include_powered_off=args.include_powered_off, disk=args.disk)
    print("\n".join(_summary(args.file, result)))
    if not result.vms:
        hint = ""
        if result.powered_off and not result.powered_off_included:
            hint = f", {result.powered_off} powered off (--include-powered-off imports them)"
        raise InputError(
            f"{args.file}: nothing to import: {len(result.rejected)} of "
            f"{plural(result.rows, 'row')} rejected{hint}"
        )
    name = args.name or f"Imported from {Path(args.file).name}"
    plan = plan_from_import(result, name=name, hypervisor=hypervisor)
    _write(args.output, plan_to_json(plan))
    hosts = len(result.source_hosts)
    named = f" (the file names {plural(hosts, 'host')})" if hosts else ""
    print(
        f"wrote {args.output}: {plural(plan.vm_count, 'VM')} on no host{named}, "
        f"hypervisor {plan.hypervisor}"
    )
    return 0


def build_export(
    plan_path: str, *, placement: bool = True, time_limit: float | None = None
) -> Report:
    """The plan with its sizing and, when it has host models, its placement."""
    from hvplanner.engine.reporting import report_for
    from hvplanner.formats.planfile import load_plan

    return report_for(load_plan(plan_path), placement=placement, time_limit=time_limit)


def run_export(args: argparse.Namespace) -> int:
    import importlib
    import sys

    from hvplanner.errors import InputError
    from hvplanner.formats.exchange import report_to_json

    if not args.json and not args.pdf and not args.csv:
        raise InputError("export: give --json OUT.json, --pdf OUT.pdf or --csv OUT.csv")
    if args.time_limit is not None and not args.time_limit > 0:
        raise InputError(f"--time-limit: {args.time_limit:g} must be > 0")
    pdf: Any = None
    if args.pdf:
        try:
            pdf = importlib.import_module(PDF_MODULE)
        except ImportError as exc:
            raise InputError("PDF export is not available in this build") from exc
    if not args.json and not args.pdf:
        return _export_csv_only(args.plan, args.csv)
    # The PDF shows the plan as laid out; only the JSON carries a fresh placement.
    report = build_export(
        args.plan, placement=bool(args.json) and not args.no_placement, time_limit=args.time_limit
    )
    if args.csv:
        _write_csv(report.plan, args.csv)
    if args.json == "-":
        print(report_to_json(report), end="")
    elif args.json:
        _write(args.json, report_to_json(report))
    if pdf is not None:
        try:
            pdf.write_pdf(report.plan, args.pdf)
        except OSError as exc:
            raise InputError(f"{args.pdf}: cannot write ({exc.strerror or exc})") from exc
    # With the JSON on stdout, the summary goes to stderr so the output stays parseable.
    say = sys.stderr if args.json == "-" else sys.stdout
    r = report.results
    what = f"sized on {r.hypervisor}"
    if r.sizing is not None:
        what += f" ({r.sizing.hosts} host{'s' * (r.sizing.hosts != 1)})"
    if r.placement is not None:
        n = r.placement.host_count
        what += f", placed on {n} host{'s' * (n != 1)}"
    if args.json and args.json != "-":
        print(f"wrote {args.json}: {report.plan.name!r} {what}", file=say)
    if args.pdf:
        used = len({v.host for v in report.plan.vms if v.host is not None})
        laid = f"laid out on {used} host{'s' * (used != 1)}"
        print(f"wrote {args.pdf}: {report.plan.name!r} sized on {r.hypervisor}, {laid}", file=say)
    if args.csv:
        print(_csv_summary(args.csv, report.plan), file=say)
    for note in r.notes:
        if args.json or not note.startswith("placement:"):
            print(f"  note: {note}", file=say)
    return 0


def _write_csv(plan: Plan, path: str) -> None:
    from hvplanner.formats.inventory_export import inventory_file_text

    _write(path, inventory_file_text(plan))


def _csv_summary(path: str, plan: Plan) -> str:
    n = len(plan.vms)
    return f"wrote {path}: {n} VM row{'s' * (n != 1)} of {plan.name!r}"


def _export_csv_only(plan_path: str, out: str) -> int:
    """Only the inventory is asked for: no sizing or placement to compute."""
    from hvplanner.formats.planfile import load_plan

    plan = load_plan(plan_path)
    _write_csv(plan, out)
    print(_csv_summary(out, plan))
    return 0
