"""`hvplanner import`: a VM inventory (RVTools, PowerShell, Proxmox, libvirt, Azure Migrate or a
plain CSV) → a plan. Heavy modules load only when the command runs; the window's File ▸
Import VMs reads through the same functions."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from hvplanner.commands.args import about, examples
from hvplanner.commands.output import print_json, same_file

if TYPE_CHECKING:
    from hvplanner.engine.consolidation import Consolidation
    from hvplanner.formats.inventory import ImportResult
    from hvplanner.formats.inventory_rows import VmRows

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
    instances = r.vms.instances
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
        "vms": r.vms.instances,
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


def read_stdin_inventory(include_powered_off: bool, disk: str) -> ImportResult:
    import sys

    from hvplanner.errors import InputError
    from hvplanner.formats.inventory import MAX_INVENTORY_BYTES, parse_inventory

    raw = sys.stdin.buffer.read(MAX_INVENTORY_BYTES + 1)
    if len(raw) > MAX_INVENTORY_BYTES:
        raise InputError("-: standard input is larger than an inventory can be")
    return parse_inventory(raw, "-", include_powered_off=include_powered_off, disk=disk)


def run_import(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from hvplanner.catalog import load_catalog
    from hvplanner.engine.consolidation import consolidation
    from hvplanner.errors import InputError
    from hvplanner.formats.inventory import (
        import_consolidation,
        plan_from_import,
        plan_head_from_import,
        read_inventory,
    )
    from hvplanner.formats.planstream import plan_chunks, save_plan_streamed, write_chunks
    from hvplanner.text import plural

    out = args.output
    if out == "":
        raise InputError("--output: an empty file name")
    if out and out != "-" and args.file != "-" and same_file(args.file, out):
        raise InputError(f"--output: {out} is the inventory being imported")
    catalog = load_catalog()
    hypervisor = None
    if args.hypervisor:
        with about("--hypervisor"):
            hypervisor = catalog.get(args.hypervisor).key
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
    name = args.name or f"Imported from {stem}"
    series_notes: list[str] = []
    # Without --series the VMs stay rows of plain values: the plan is written from them, so
    # a million-row inventory never becomes a million `VM` models.
    rows: VmRows | None = result.vms
    if args.series:
        from hvplanner.formats.perfmon import attach_series

        plan = plan_from_import(result, name=name, hypervisor=hypervisor)
        if not out or out == "-":
            raise InputError("--series: give -o PLAN.hvplan.json (the series go beside it)")
        plan, series_notes = attach_series(plan, Path(args.series), Path(out))
        rows = None
        cons = consolidation(plan, catalog.newest())
        vm_count = plan.vm_count
    else:
        plan = plan_head_from_import(result, name=name, hypervisor=hypervisor)
        cons = import_consolidation(plan, result.vms, catalog.newest())
        vm_count = result.vms.instances
    why = f"--hypervisor {args.hypervisor}" if hypervisor else result.hypervisor_reason
    say = sys.stderr if out == "-" else sys.stdout
    if args.json:
        doc = summary_json(where, result, cons, out)
        doc["hypervisor"] = plan.hypervisor
        doc["hypervisor_reason"] = why
        doc["series"] = series_notes
        print_json(doc, say)
    else:
        print("\n".join(_summary(where, result, cons)), file=say)
        for note in series_notes:
            print(f"  series     {note}", file=say)
    if out == "-":
        write_chunks(sys.stdout, plan_chunks(plan, rows))
    elif out:
        try:
            save_plan_streamed(plan, out, rows)
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
        f"{head}{plural(vm_count, 'VM')} {on}{named}, hypervisor {plan.hypervisor} ({why})",
        file=say,
    )
    return 0
