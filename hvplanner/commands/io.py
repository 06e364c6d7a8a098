"""`hvplanner import` (a VM inventory CSV or RVTools vInfo → plan) and `hvplanner export`
(a plan → JSON with its results, PDF, or its VMs as an inventory CSV). Heavy modules load
only when a command runs; the GUI's File menu calls the same functions."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from hvplanner.commands.args import examples

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hvplanner.engine.consolidation import Consolidation
    from hvplanner.engine.simulation.profiles import MeasuredSeries
    from hvplanner.formats.inventory import ImportResult
    from hvplanner.model.plan import Plan
    from hvplanner.model.report import Report

PDF_MODULE = "hvplanner.formats.pdf_report"
"""The PDF writer, when this build has one: `render_pdf(report, path) -> pages`. It imports Qt."""

MAX_LISTED = 200


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "import",
        epilog=examples("hvplanner import RVTools_tabvInfo.csv -o plan.hvplan.json"),
        help="make a plan from a VM inventory: RVTools, Hyper-V/PowerCLI CSV, Proxmox, "
        "libvirt, Azure Migrate or a plain CSV",
        description="The format is read from the content: an RVTools workbook (vInfo, vHost, "
        "vDisk, vCPU, vMemory tabs) or its CSV exports; PowerShell Export-Csv of Hyper-V's or "
        "PowerCLI's Get-VM; Azure Migrate's import template; Proxmox `pvesh get "
        "/cluster/resources --output-format json`; libvirt `virsh dumpxml` (a file or a "
        "folder) or `virsh domstats --raw`; or a CSV with VM/Name, vCPUs, RAM GB/Memory MB "
        "columns. The plan's hypervisor follows the source unless --hypervisor names one.",
    )
    p.add_argument("file", metavar="FILE", help="the inventory ('-': standard input)")
    p.add_argument(
        "-o",
        "--output",
        metavar="PLAN.hvplan.json",
        help="write the plan here ('-': standard output); without it nothing is written",
    )
    p.add_argument("--json", action="store_true", help="print the import summary as JSON")
    p.add_argument(
        "--series",
        metavar="DIR",
        help="Performance Monitor CSVs (relog -f csv), one per VM: each becomes that VM's "
        "measured workload (needs -o FILE: the series are written beside the plan)",
    )
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
        "--appendix",
        action="store_true",
        help="PDF: add the generic diagrams of virtualization concepts as an appendix",
    )
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


def _source_line(where: str, r: ImportResult) -> str:
    from hvplanner.formats.inventory import separator_name
    from hvplanner.text import plural

    parts = [r.label]
    if r.delimiter:
        parts.append(f"{separator_name(r.delimiter)}-separated")
    parts.append(plural(r.rows, r.row_word if r.row_word != "line" else "row"))
    return f"{where}: {', '.join(parts)}"


def _summary(where: str, r: ImportResult, cons: Consolidation | None = None) -> list[str]:
    from hvplanner.text import plural

    word = r.row_word
    out = [_source_line(where, r)]
    if len(r.tabs) > 1:
        out.append(f"  tabs       {', '.join(r.tabs)}")
    instances = sum(v.count for v in r.vms)
    vms = plural(r.imported, "row")
    vms += f" ({plural(instances, 'VM')})" if instances != r.imported else ""
    out.append(f"  imported   {vms}")
    if r.containers:
        out.append(f"  containers {r.containers} (OS-level guests, marked '(container)')")
    if r.powered_off:
        if r.powered_off_included:
            out.append(f"  included   {r.powered_off} powered off")
        else:
            out.append(
                f"  skipped    {r.powered_off} powered off (--include-powered-off imports them)"
            )
    if r.templates:
        out.append(f"  skipped    {r.templates} template{'s' * (r.templates != 1)}")
    if r.measured:
        out.append(
            f"  measured   {plural(r.measured, 'VM')} with the source's utilisation "
            f"({plural(len(r.workloads), 'workload')})"
        )
    if r.hosts:
        out.append(
            f"  hosts      {plural(len(r.hosts), 'current host')} "
            f"({plural(len(r.host_models), 'host model')}); VMs on their current host"
        )
    if r.renamed:
        out.append(f"  renamed    {len(r.renamed)} (ids must be unique and hold no '#'):")
        out += [f"    {word} {s.line}: {s.name!r} → {s.vm!r}" for s in r.renamed[:MAX_LISTED]]
        if len(r.renamed) > MAX_LISTED:
            out.append(f"    … and {len(r.renamed) - MAX_LISTED} more")
    if r.rejected:
        out.append(f"  rejected   {len(r.rejected)}:")
        out += [f"    {word} {x.line}: {x.reason}" for x in r.rejected[:MAX_LISTED]]
        if len(r.rejected) > MAX_LISTED:
            out.append(f"    … and {len(r.rejected) - MAX_LISTED} more")
    out += [f"  ! {w}" for w in r.warnings]
    if cons is not None:
        from hvplanner.engine.consolidation import consolidation_lines

        out += consolidation_lines(cons)
    return out


def summary_json(
    where: str, r: ImportResult, cons: Consolidation | None, output: str | None
) -> dict[str, Any]:
    return {
        "file": where,
        "format": r.format,
        "format_label": r.label,
        "tab": r.tab,
        "tabs": r.tabs,
        "delimiter": r.delimiter or None,
        "columns": r.columns,
        "row_word": r.row_word,
        "rows": r.rows,
        "imported": r.imported,
        "vms": sum(v.count for v in r.vms),
        "skipped": {
            "powered_off": 0 if r.powered_off_included else r.powered_off,
            "templates": r.templates,
        },
        "powered_off": r.powered_off,
        "powered_off_included": r.powered_off_included,
        "rejected": [{r.row_word: x.line, "reason": x.reason} for x in r.rejected],
        "renamed": [{r.row_word: s.line, "name": s.name, "id": s.vm} for s in r.renamed],
        "containers": r.containers,
        "measured": r.measured,
        "hosts_created": len(r.hosts),
        "host_models": [m.model_dump(mode="json") for m in r.host_models],
        "hypervisor": None,  # filled by the caller: the plan's, after --hypervisor
        "hypervisor_reason": r.hypervisor_reason,
        "warnings": r.warnings,
        "consolidation": None
        if cons is None
        else {
            "current_hosts": cons.current_hosts,
            "host_model": cons.model.id,
            "needed": {n.hypervisor: n.hosts for n in cons.needed},
        },
        "output": output,
    }


def _same_file(a: str, b: str) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:  # either one missing: not the same file; reading reports a missing input
        return False


def read_stdin_inventory(include_powered_off: bool, disk: str) -> ImportResult:
    import sys

    from hvplanner.errors import InputError
    from hvplanner.formats.inventory import MAX_INVENTORY_BYTES, parse_inventory

    raw = sys.stdin.buffer.read(MAX_INVENTORY_BYTES + 1)
    if len(raw) > MAX_INVENTORY_BYTES:
        raise InputError("-: standard input is larger than an inventory can be")
    return parse_inventory(raw, "-", include_powered_off=include_powered_off, disk=disk)


def run_import(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from hvplanner.catalog import load_catalog
    from hvplanner.engine.consolidation import consolidation
    from hvplanner.errors import InputError
    from hvplanner.formats.inventory import plan_from_import, read_inventory
    from hvplanner.formats.planstream import plan_chunks, save_plan_streamed, write_chunks
    from hvplanner.text import plural

    out = args.output
    if out == "":
        raise InputError("--output: an empty file name")
    if out and out != "-" and args.file != "-" and _same_file(args.file, out):
        raise InputError(f"--output: {out} is the inventory being imported")
    catalog = load_catalog()
    hypervisor = catalog.get(args.hypervisor).key if args.hypervisor else None
    if args.file == "-":
        result = read_stdin_inventory(args.include_powered_off, args.disk)
    else:
        result = read_inventory(
            args.file, include_powered_off=args.include_powered_off, disk=args.disk
        )
    where = "standard input" if args.file == "-" else args.file
    if not result.vms:
        hint = ""
        if result.powered_off and not result.powered_off_included:
            hint = f", {result.powered_off} powered off (--include-powered-off imports them)"
        raise InputError(
            f"{args.file}: nothing to import: {len(result.rejected)} of "
            f"{plural(result.rows, 'row' if result.row_word == 'line' else result.row_word)} "
            f"rejected{hint}"
        )
    stem = "standard input" if args.file == "-" else Path(args.file).name
    plan = plan_from_import(
        result, name=args.name or f"Imported from {stem}", hypervisor=hypervisor
    )
    series_notes: list[str] = []
    if args.series:
        from hvplanner.formats.perfmon import attach_series

        if not out or out == "-":
            raise InputError("--series: give -o PLAN.hvplan.json (the series go beside it)")
        plan, series_notes = attach_series(plan, Path(args.series), Path(out))
    cons = consolidation(plan, catalog.newest())
    why = f"--hypervisor {args.hypervisor}" if hypervisor else result.hypervisor_reason
    say = sys.stderr if out == "-" else sys.stdout
    if args.json:
        doc = summary_json(where, result, cons, out)
        doc["hypervisor"] = plan.hypervisor
        doc["hypervisor_reason"] = why
        doc["series"] = series_notes
        print(json.dumps(doc, indent=1, ensure_ascii=False), file=say)
    else:
        print("\n".join(_summary(where, result, cons)), file=say)
        for note in series_notes:
            print(f"  series     {note}", file=say)
    if out == "-":
        write_chunks(sys.stdout, plan_chunks(plan))
    elif out:
        try:
            save_plan_streamed(plan, out)
        except OSError as exc:
            raise InputError(f"{out}: cannot write ({exc.strerror or exc})") from exc
    if args.json:
        return 0
    on = f"on {plural(len(plan.hosts), 'current host')}" if plan.hosts else "on no host"
    hosts = len(result.source_hosts)
    named = f" (the file names {plural(hosts, 'host')})" if hosts and not plan.hosts else ""
    target = f"wrote {out}" if out and out != "-" else ("plan on standard output" if out else "")
    head = f"{target}: " if target else "not written (give -o PLAN.hvplan.json): "
    print(
        f"{head}{plural(plan.vm_count, 'VM')} {on}{named}, hypervisor {plan.hypervisor} ({why})",
        file=say,
    )
    return 0


def build_export(
    plan_path: str, *, placement: bool = True, time_limit: float | None = None
) -> Report:
    """The plan with its sizing and, when it has host models, its placement."""
    from hvplanner.formats.measured import load_plan_series
    from hvplanner.formats.planfile import load_plan

    plan = load_plan(plan_path)
    measured = load_plan_series(plan, plan_path)
    return report_for(plan, placement=placement, time_limit=time_limit, measured=measured)


def report_for(
    plan: Plan,
    *,
    placement: bool = True,
    time_limit: float | None = None,
    measured: Mapping[str, MeasuredSeries] | None = None,
) -> Report:
    """The one Report that the JSON, the PDF and the summary render (`engine.report`)."""
    from hvplanner.engine.report import full_report

    return full_report(
        plan,
        place=placement,
        time_limit=time_limit,
        measured=measured,
        notes=[] if placement else ["placement: left out on request"],
    )


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
            extra = {"appendix": True} if getattr(args, "appendix", False) else {}
            pdf.render_pdf(report, args.pdf, **extra)
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
