"""`hvplanner place PLAN`: pack a plan's VMs onto the fewest (or cheapest) hosts.

Listed in `commands.registry` by `add_parser(subparsers)`; `run(args)` returns 0 when the
plan is placed, whether or not N+k holds (the result says which: a "no" is an answer, not
a failure). Bad input raises InputError, which the CLI reports as one line and exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from hvplanner.commands.args import about, examples, positive_float, positive_int
from hvplanner.commands.output import print_json, table
from hvplanner.engine.timelimit import DEFAULT_TIME_LIMIT
from hvplanner.errors import InputError
from hvplanner.text import fmt, plural

if TYPE_CHECKING:
    from hvplanner.model.placement import PlacementResult


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = cast(
        argparse.ArgumentParser,
        subparsers.add_parser(
            "place",
            epilog=examples("hvplanner place plan.hvplan.json --time-limit 30 --json"),
            help="pack the plan's VMs onto the fewest hosts, with lower bound and N+k check",
            description=(
                "Place every VM instance of PLAN on hosts: the fewest hosts (or the cheapest, "
                "when every host model has a cost), a lower bound that proves how close that "
                "is, and the failover check. Hosts the plan lists are used first."
            ),
        ),
    )
    p.add_argument("plan", type=Path, help="a *.hvplan.json file")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT.hvplan.json",
        help="write the plan with the hosts chosen and each VM on its host ('-': standard "
        "output; the summary then goes to standard error)",
    )
    p.add_argument(
        "--time-limit",
        type=positive_float,
        default=DEFAULT_TIME_LIMIT,
        metavar="S",
        help=f"upper limit on optimization time in seconds (default {DEFAULT_TIME_LIMIT:g})",
    )
    p.add_argument(
        "--max-hosts", type=positive_int, metavar="N", help="refuse plans needing more hosts"
    )
    p.set_defaults(handler=run)
    return p


def to_json(r: PlacementResult) -> dict[str, Any]:
    return {
        "hosts": r.host_count,
        "lower_bound": r.lower_bound,
        "ratio": round(r.ratio, 6),
        "optimal": r.optimal,
        "cost": r.cost,
        "cost_lower_bound": r.cost_lower_bound,
        "bounds": r.bounds.model_dump(),
        "algorithm": r.algorithm,
        "per_model": r.per_model,
        "assignment": r.assignment,
        "unused_hosts": r.unused_hosts,
        "moved": r.moved,
        "hosts_detail": [
            {
                "id": h.id,
                "model": h.model,
                "new": h.new,
                "spare": h.spare,
                "vms": h.instances,
                "vcpus": h.load.vcpus,
                "ram_gb": round(h.load.ram_gb, 6),
                "disk_gb": h.load.disk_gb,
                "nic_mbps": h.load.nic_mbps,
                "utilization": {k: round(v, 6) for k, v in h.load.utilization.items()},
                "binding": h.load.binding,
            }
            for h in r.hosts
        ],
        "failover": {
            "k": r.failover.k,
            "holds": r.failover.holds,
            "method": r.failover.method,
            "formula": r.failover.formula,
            "spare_hosts": r.failover.spare_hosts,
            "reserve": r.failover.reserve,
            "reserve_fraction": r.failover.reserve_fraction,
        },
        "warnings": r.warnings,
        "stopped": r.stopped,
        "seconds": round(r.seconds, 4),
    }


def summary(r: PlacementResult, moves: bool = False) -> str:
    """`moves`: say how many VMs change host (a plan with VMs on hosts already)."""
    lines = [
        f"{plural(r.host_count, 'host')} "
        f"({', '.join(f'{fmt(n)} × {m}' for m, n in r.per_model.items())})"
        + (f", cost {fmt(r.cost)}" if r.cost is not None else "")
        + (f", {plural(r.moved, 'VM')} {'moves' if r.moved == 1 else 'move'}" if moves else ""),
        f"lower bound {r.lower_bound} (tight: {', '.join(r.bounds.tight) or '-'}), "
        f"ratio {r.ratio:.3f}" + (", proven optimal" if r.optimal else ""),
    ]
    if r.cost is not None and r.cost_lower_bound:
        lines.append(
            f"cost lower bound {fmt(r.cost_lower_bound)} (ratio {r.cost / r.cost_lower_bound:.3f})"
        )
    lines.append(f"algorithm {r.algorithm}, {r.seconds:.2f} s")
    if r.stopped:
        gap = r.host_count - r.lower_bound
        lines.append(
            f"stopped early: {'; '.join(r.stopped)}; {plural(gap, 'host')} above the bound "
            "(a larger --time-limit gives the optimizer more work)"
        )
    lines.append(f"failover: {'holds' if r.failover.holds else 'NOT established'}")
    lines.append(f"  {r.failover.formula}")
    if r.failover.reserve_fraction:
        free = ", ".join(f"{k} {v:.1%}" for k, v in r.failover.reserve_fraction.items())
        lines.append(f"  free capacity held in reserve: {free}")
    lines.append("")
    rows = [
        [
            h.id,
            h.model,
            fmt(h.load.vms),
            fmt(h.load.vcpus),
            f"{h.load.utilization.get('ram', 0.0):.1%}",
            h.load.binding or ("spare" if h.spare else "-"),
        ]
        for h in r.hosts
    ]
    lines.append(table(["host", "model", "VMs", "vCPU", "RAM %", "binding"], rows, {2, 3, 4}))
    if r.unused_hosts:
        lines.append(f"unused listed hosts: {', '.join(r.unused_hosts)}")
    lines.extend(f"warning: {w}" for w in r.warnings)
    return "\n".join(lines)


def _same_file(a: Path, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    from hvplanner.engine.placement import place
    from hvplanner.formats.planfile import known_hypervisor, load_plan

    out: str | None = args.output
    if out == "":
        raise InputError("--output: an empty file name")
    if out and out != "-" and _same_file(args.plan, out):
        raise InputError(f"--output: {out} is the plan being placed; name another file")
    plan = known_hypervisor(load_plan(args.plan), args.plan)
    if not plan.vms:
        raise InputError(f"{args.plan}: vms: the plan has no VMs to place")
    with about(args.plan):
        result = place(plan, time_limit=args.time_limit, max_hosts=args.max_hosts)
    say = sys.stderr if out == "-" else sys.stdout
    if args.json:
        print_json(to_json(result), say)
    else:
        placed_now = any(v.host is not None and not v.pinned for v in plan.vms)
        print(summary(result, moves=placed_now), file=say)
    if out:
        from hvplanner.engine.placement.apply import apply_placement
        from hvplanner.formats.planstream import plan_chunks, save_plan_streamed, write_chunks

        placed = apply_placement(plan, result)
        if out == "-":
            write_chunks(sys.stdout, plan_chunks(placed))
        else:
            try:
                save_plan_streamed(placed, out)
            except OSError as exc:
                raise InputError(f"{out}: cannot write ({exc.strerror or exc})") from exc
            on = len({v.host for v in placed.vms if v.host})
            print(f"wrote {out}: {plural(placed.vm_count, 'VM')} on {plural(on, 'host')}", file=say)
    return 0
