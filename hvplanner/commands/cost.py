"""`hvplanner cost PLAN`: what the plan costs on a hypervisor, or on every one compared.

Bad input (an unknown product, years out of range) raises InputError: one line, exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from hvplanner.commands.args import about, examples
from hvplanner.commands.output import print_json, table

if TYPE_CHECKING:
    from hvplanner.model.cost import CostResult, HypervisorCost


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = cast(
        argparse.ArgumentParser,
        subparsers.add_parser(
            "cost",
            epilog=examples(
                "hvplanner cost plan.hvplan.json --all",
                "hvplanner cost plan.hvplan.json --hypervisor esxi --years 3 --json",
            ),
            help="licences, Windows Server guests, hardware and totals per hypervisor",
            description=(
                "Count the licences PLAN's hosts need on a hypervisor (the catalog's rules: "
                "cores with per-CPU and per-order minimums, sockets, socket pairs), the "
                "Windows Server guest licences per host (Standard stacks or Datacenter, the "
                "cheaper), the hardware, and the totals over the horizon and per VM. A "
                "product without a price is shown as 'needs a price' and left out of totals."
            ),
        ),
    )
    p.add_argument("plan", type=Path, help="a *.hvplan.json file")
    p.add_argument("--years", type=int, metavar="N", help="horizon in years (default: the plan's)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--hypervisor", metavar="ID", help="id or id@version (default: the plan's)")
    which.add_argument(
        "--all", action="store_true", help="the plan's hypervisor and the newest of every other"
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=run)
    return p


def compute(plan_path: Path, years: int | None, hypervisor: str | None, every: bool) -> CostResult:
    from hvplanner.catalog import load_catalog
    from hvplanner.engine.compare import with_plan_hypervisor
    from hvplanner.engine.cost import cost_plan
    from hvplanner.formats.planfile import known_hypervisor, load_plan

    plan = load_plan(plan_path)
    if hypervisor is None:
        known_hypervisor(plan, plan_path)
    catalog = load_catalog()
    if every:
        profiles = with_plan_hypervisor(plan, catalog.newest(), catalog.ordered())
    else:
        with about("--hypervisor" if hypervisor else str(plan_path)):
            profiles = [catalog.get(hypervisor or plan.hypervisor)]
    with about(str(plan_path)):
        return cost_plan(plan, profiles, catalog, years)


def to_json(result: CostResult) -> dict[str, Any]:
    return {
        "horizon_years": result.horizon_years,
        "currency": result.currency,
        "vms": result.vms,
        "warnings": result.warnings,
        "hypervisors": {
            h.key: {
                "title": h.title,
                "hosts": h.hosts,
                "hosts_origin": h.hosts_origin,
                "licences": [ln.model_dump() for ln in h.licences],
                "windows_hosts": [w.model_dump() for w in h.windows],
                "hardware": [ln.model_dump() for ln in h.hardware],
                "totals": {t.id: t.model_dump() for t in h.totals},
                "needs_price": h.needs_price,
                "warnings": h.warnings,
            }
            for h in result.hypervisors
        },
    }


def run(args: argparse.Namespace) -> int:
    from hvplanner.errors import InputError
    from hvplanner.model.plan import MAX_HORIZON_YEARS

    if args.years is not None and not 1 <= args.years <= MAX_HORIZON_YEARS:
        raise InputError(f"--years: {args.years} is outside 1 to {MAX_HORIZON_YEARS}")
    result = compute(args.plan, args.years, args.hypervisor, args.all)
    if args.json:
        print_json(to_json(result))
        return 0
    cur = result.currency
    print(f"Cost over {result.horizon_years} years, {result.vms} VMs, in {cur}")
    for w in result.warnings:
        print(f"warning: {w}")
    for h in result.hypervisors:
        _print_one(h, cur)
    return 0


def _print_one(h: HypervisorCost, cur: str) -> None:
    from hvplanner.engine.cost import money
    from hvplanner.text import fmt

    origin = "the plan's" if h.hosts_origin == "plan" else "sized"
    print(f"\n{h.title} ({h.key}): {h.hosts} hosts ({origin})")
    rows = [
        [
            ln.name,
            ln.metric,
            "unknown" if ln.units is None else fmt(ln.units),
            "—" if ln.unit_price is None else fmt(ln.unit_price),
            ln.period or "",
            money(ln.cost, cur) if ln.status != "unknown" else "unknown",
        ]
        for ln in (*h.licences, *h.hardware)
    ]
    print(table(["item", "metric", "units", "unit price", "per", "cost"], rows))
    for ln in (*h.licences, *h.hardware):
        print(f"  {ln.name}: {ln.formula} = {ln.values}")
    for win in h.windows:
        print(f"  Windows Server on {win.host}: {win.choice or 'undecided'} ({win.reason})")
    for t in h.totals:
        print(f"  {t.title}: {money(t.amount, cur, t.complete)}")
    for w in h.warnings:
        print(f"  warning: {w}")
