"""`hvplanner compare`: the catalog side by side, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from hvplanner.commands.args import about, examples
from hvplanner.commands.output import print_json, table
from hvplanner.errors import InputError
from hvplanner.text import fmt

# The catalog and the engine load when the command runs, not when the parser is built.
if TYPE_CHECKING:
    from hvplanner.model.report import PlanFit


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "compare",
        epilog=examples("hvplanner compare --plan plan.hvplan.json --csv > compare.csv"),
        help="the hypervisor catalog side by side",
    )
    p.add_argument("--plan", help="add the 'on this plan' rows for this plan")
    p.add_argument(
        "--older-than",
        type=int,
        metavar="MONTHS",
        help="list the figures whose source was read at least MONTHS months ago",
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    p.set_defaults(handler=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    from hvplanner.catalog import load_catalog
    from hvplanner.engine.compare import KINDS, OS_LEVEL_NOTE, differs, matrix, plan_fit
    from hvplanner.formats.planfile import load_plan
    from hvplanner.model.hypervisor import APPROACH_LABELS

    if getattr(args, "older_than", None) is not None:
        return _run_stale(args)
    catalog = load_catalog()
    profiles = catalog.ordered()
    rows = matrix(profiles)
    fits = []
    if args.plan:
        plan = load_plan(args.plan)
        with about(args.plan):
            fits = plan_fit(plan, profiles)
    plan_rows = _plan_rows(fits)
    if args.json:
        payload = {
            "hypervisors": [{"key": p.key, "title": p.title, "family": p.family} for p in profiles],
            "rows": [
                {
                    "id": row.id,
                    "group": row.group,
                    "label": row.label,
                    "differs": differs(cells),
                    "cells": {
                        p.key: {"text": c.text, "kind": c.kind, "source": c.source, "note": c.note}
                        for p, c in zip(profiles, cells, strict=True)
                    },
                }
                for row, cells in rows
            ],
            "sources": {k: s.model_dump() for k, s in catalog.sources.items()},
            "kinds": [
                {
                    "approach": k.approach,
                    "label": APPROACH_LABELS[k.approach],
                    "how": k.how,
                    "examples": k.examples,
                    "source": k.source,
                }
                for k in KINDS
            ],
            "os_level_note": OS_LEVEL_NOTE,
            "on_this_plan": {
                f.key: {
                    "hosts": f.hosts,
                    "binding": f.binding,
                    "ram_overhead_gb": f.ram_overhead_gb,
                    "logical_processors": f.logical_processors,
                    "vcpu_per_lp": f.vcpu_per_lp,
                    "ratio_basis": f.ratio_basis,
                    "ratio_origin": f.ratio_origin,
                    "limits_exceeded": f.limits_exceeded,
                    "status": f.status,
                    "verdict": f.verdict,
                }
                for f in fits
            }
            if args.plan
            else None,
        }
        print_json(payload)
        return 0
    if args.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["group", "row", *(p.key for p in profiles)])
        for label, values in plan_rows:
            w.writerow(["On this plan", label, *values])
        for row, cells in rows:
            w.writerow([row.group, row.label, *(c.text for c in cells)])
        print(buf.getvalue(), end="")
        return 0
    group = ""
    out_rows: list[list[str]] = []
    if plan_rows:
        out_rows.append(["[On this plan]", *([""] * len(profiles))])
        out_rows += [[label, *(_short(v) for v in values)] for label, values in plan_rows]
    for row, cells in rows:
        if row.group != group:
            group = row.group
            out_rows.append([f"[{group}]", *([""] * len(profiles))])
        out_rows.append([row.label, *(_short(c.text) for c in cells)])
    print(table(["", *(p.key for p in profiles)], out_rows))
    print()
    print("Kinds of virtualization:")
    for k in KINDS:
        print(f"  {APPROACH_LABELS[k.approach]}: {k.how}. Examples: {k.examples} [{k.source}]")
    print(f"  {OS_LEVEL_NOTE}")
    return 0


def _run_stale(args: argparse.Namespace) -> int:
    from hvplanner.catalog import load_catalog
    from hvplanner.catalog.freshness import stale_figures

    months = args.older_than
    if months < 0:
        raise InputError("--older-than: months must be 0 or more")
    stale = stale_figures(load_catalog(), months, dt.date.today())
    if args.json:
        rows = [
            {
                "hypervisor": s.hypervisor,
                "field": s.field,
                "source": s.source,
                "read": s.read,
                "age_months": s.age_months,
            }
            for s in stale
        ]
        print_json({"older_than_months": months, "figures": rows})
        return 0
    if args.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["hypervisor", "field", "source", "read", "age_months"])
        w.writerows([s.hypervisor, s.field, s.source, s.read, s.age_months] for s in stale)
        print(buf.getvalue(), end="")
        return 0
    if not stale:
        print(f"No figure rests on a source read {months} or more months ago.")
        return 0
    print(
        table(
            ["hypervisor", "field", "source", "read", "months"],
            [[s.hypervisor, s.field, s.source, s.read, str(s.age_months)] for s in stale],
        )
    )
    print(f"{len(stale)} figures rest on sources read {months} or more months ago.")
    return 0


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _plan_rows(fits: list[PlanFit]) -> list[tuple[str, list[str]]]:
    from hvplanner.engine.compare import ratio_text

    if not fits:
        return []
    return [
        ("Hosts needed", [str(f.hosts) for f in fits]),
        ("Binding constraint", [f.binding for f in fits]),
        (
            "Total RAM overhead",
            [
                "unknown" if f.ram_overhead_gb is None else f"{fmt(f.ram_overhead_gb)} GB"
                for f in fits
            ],
        ),
        ("LPs needed", [str(f.logical_processors) for f in fits]),
        ("vCPU:LP ratio used", [ratio_text(f) for f in fits]),
        ("Ratio basis", [f.ratio_basis for f in fits]),
        ("Limit exceeded", ["yes" if f.limits_exceeded else "no" for f in fits]),
        ("Verdict", [f.verdict for f in fits]),
    ]
