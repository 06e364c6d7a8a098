"""`hvplanner simulate`: utilization of every host over days, and the host-failure what-if."""

from __future__ import annotations

import argparse
import re
from typing import Any

from hvplanner.commands.args import about, examples
from hvplanner.commands.output import print_json
from hvplanner.commands.series import add_flag
from hvplanner.errors import InputError
from hvplanner.text import clock, duration, parse_fail

MAX_DAYS = 366
MAX_STEPS = 1_000_000
_STEP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")
_UNIT_MINUTES = {"s": 1 / 60, "m": 1.0, "": 1.0, "h": 60.0}


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "simulate",
        epilog=examples("hvplanner simulate plan.hvplan.json --days 7 --step 5m --fail h1@10:00"),
        help="simulate CPU, RAM and NIC load of every host over time; fail hosts",
        description="Simulate the plan's placement (each VM's host) with the VMs' workload "
        "profiles: peak and p95 per host and for the cluster, time over the headroom line "
        "and over 100 %, and the restart of failed hosts' VMs.",
    )
    p.add_argument("plan", help="a *.hvplan.json plan")
    p.add_argument("--days", default="7", help="simulated days (default 7)")
    p.add_argument("--step", default="5m", help="time step: 30s, 5m, 1h (default 5m)")
    p.add_argument(
        "--fail",
        action="append",
        default=[],
        metavar="HOST@TIME",
        help="fail a host at TIME (HH:MM on day 1, or dN-HH:MM); repeat for k hosts",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_flag(p)
    p.set_defaults(handler=run)


def parse_days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        raise InputError(f"--days: {text!r} is not a number") from None
    if not 0 < days <= MAX_DAYS:
        raise InputError(f"--days: {text} must be > 0 and ≤ {MAX_DAYS}")
    return days


def parse_step(text: str) -> float:
    """'5m' → 5.0 minutes; a bare number is minutes."""
    m = _STEP.match(text)
    if not m:
        raise InputError(f"--step: {text!r} is not a duration like 30s, 5m or 1h")
    minutes = float(m.group(1)) * _UNIT_MINUTES[m.group(2)]
    if minutes <= 0:
        raise InputError(f"--step: {text} must be longer than 0")
    if minutes > 1440:
        raise InputError(f"--step: {text} is longer than a day")
    return minutes


def _num(x: float | None, scale: float = 1.0) -> str:
    from hvplanner.text import fmt

    return "–" if x is None else fmt(x / scale, 1)


def render(result: Any) -> str:
    from hvplanner.commands.output import table
    from hvplanner.model.simulation import HostSimulation, SimulationResult
    from hvplanner.text import fmt, plural

    r: SimulationResult = result
    head = (
        f"{r.plan}: {r.hypervisor}, {plural(r.days, 'day')} at {fmt(r.step_minutes)}-minute "
        f"steps ({plural(r.steps, 'step')}); "
        f"CPU in {'MHz' if r.cpu_unit == 'MHz' else 'logical processors'}"
    )
    rows: list[list[str]] = []

    def add(h: HostSimulation) -> None:
        failed = h.failed_at_minute
        name = h.label + (f" (failed {clock(failed)})" if failed is not None else "")
        cpu, ram, nic = h.cpu, h.ram, h.nic
        cpu_note = (
            f"contention ≤ {cpu.contention_peak_pct:.0f} % (mean {cpu.contention_mean_pct:.1f} %)"
            if cpu.contention_peak_pct > 0
            else ""
        )
        ram_note = ", ".join(
            s
            for s in (
                f"ballooned ≤ {_num(ram.ballooned_peak_mb, 1024)} GB"
                if ram.ballooned_peak_mb > 0
                else "",
                f"swapped ≤ {_num(ram.swapped_peak_mb, 1024)} GB"
                if ram.swapped_peak_mb > 0
                else "",
            )
            if s
        )
        nic_note = (
            f"saturated {duration(nic.minutes_over_capacity)}"
            if nic.minutes_over_capacity
            else ("capacity unknown" if nic.capacity is None else "")
        )
        metrics = [
            ("CPU", cpu.unit, 1.0, cpu, cpu_note),
            ("RAM", "GB", 1024.0, ram, ram_note),
            ("NIC", "Mbps", 1.0, nic, nic_note),
        ]
        for i, (label, unit, scale, s, note) in enumerate(metrics):
            rows.append(
                [
                    name if i == 0 else "",
                    fmt(h.vms) if i == 0 else "",
                    f"{label} {unit}",
                    _num(s.capacity, scale)
                    + (f" → {_num(s.capacity_after, scale)}" if s.capacity_after else ""),
                    _num(s.peak, scale),
                    _num(s.p95, scale),
                    _num(s.peak_pct),
                    _num(s.p95_pct),
                    duration(s.minutes_over_headroom),
                    duration(s.minutes_over_capacity),
                    note,
                ]
            )

    for h in r.hosts:
        add(h)
    add(r.cluster)
    out = [
        head,
        "",
        table(
            [
                "host",
                "VMs",
                "metric",
                "capacity",
                "peak",
                "p95",
                "peak %",
                "p95 %",
                "> headroom",
                "> 100 %",
                "",
            ],
            rows,
            right={1, 3, 4, 5, 6, 7, 8, 9},
        ),
    ]
    if r.host_reserve_mb > 0:
        out += [
            "",
            f"RAM capacity and % are of the RAM left for VMs: the host's RAM less the "
            f"{_num(r.host_reserve_mb, 1024)} GB host reserve (the canvas bars scale to the "
            "full RAM and show the reserve as a segment).",
        ]
    if r.failover is not None:
        out += [
            "",
            "A failed host's figures cover the steps before it failed. Capacity A → B: before "
            "→ after the failure; percentages are of the capacity at each step.",
        ]
    if r.unplaced:
        out += ["", "Unplaced (no host, not simulated): "]
        out[-1] += ", ".join(f"{u.vm} ×{u.instances}" for u in r.unplaced)
    f = r.failover
    if f is not None:
        restarted = sum(p.instances for p in f.restarted)
        left = sum(p.instances for p in f.unplaced)
        k = len(f.failed_hosts)
        verdict = "held" if f.held else "did NOT hold"
        out += [
            "",
            f"Failure of {', '.join(f.failed_hosts)} at {clock(f.at_minute)}: "
            f"{plural(restarted, 'VM instance')} restarted, {fmt(left)} left unplaced: "
            f"N+{k} {verdict} "
            f"(the policy plans N+{f.failover_hosts_planned}).",
            f"  rule: {f.rule}",
        ]
        out += [
            f"  restarted: {p.vm} ×{p.instances} {p.from_host} → {p.to_host}" for p in f.restarted
        ]
        out += [f"  unplaced:  {p.vm} ×{p.instances} (from {p.from_host})" for p in f.unplaced]
        if f.overloaded_hosts:
            out.append(
                f"  over 100 % CPU or RAM after the failure: {', '.join(f.overloaded_hosts)}"
            )
    out += [f"! {w}" for w in r.warnings]
    return "\n".join(out)


def place_first(plan: Any, where: str) -> Any:
    """A plan with host models but no hosts is placed first, as Auto-place does, and the
    user is told (on standard error, so --json output stays parseable)."""
    import sys

    from hvplanner.engine.placement import place
    from hvplanner.engine.placement.apply import apply_placement
    from hvplanner.text import plural

    if not plan.host_models:
        raise InputError(
            f"{where}: hosts: the plan has no hosts and no host model to place the VMs on "
            "(add a host model; `hvplanner place` then finds how many hosts it needs)"
        )
    with about(where):
        result = place(plan)
    placed = apply_placement(plan, result)
    print(
        f"{where}: the plan has no hosts: placed first, as Auto-place does: "
        f"{plural(result.host_count, 'host')} "
        f"({', '.join(f'{n} × {m}' for m, n in result.per_model.items())})",
        file=sys.stderr,
    )
    return placed


def run(args: argparse.Namespace) -> int:
    from hvplanner.catalog import load_catalog
    from hvplanner.commands.series import plan_series
    from hvplanner.engine.simulation.simulate import simulate
    from hvplanner.formats.planfile import known_hypervisor, load_plan

    days = parse_days(args.days)
    step = parse_step(args.step)
    if days * 1440 / step > MAX_STEPS:
        raise InputError(f"--step: {args.step} over {days:g} days is more than {MAX_STEPS:,} steps")
    plan = known_hypervisor(load_plan(args.plan), args.plan)
    if not plan.vms:
        raise InputError(f"{args.plan}: vms: the plan has no VMs to simulate")
    if not plan.hosts:
        plan = place_first(plan, args.plan)
    hosts = [h.id for h in plan.hosts]
    fails = [parse_fail(text, hosts, days) for text in args.fail]
    times = {t for _, t in fails}
    if len(times) > 1:
        raise InputError("--fail: every failed host must fail at the same TIME")
    if len({h for h, _ in fails}) < len(fails):
        raise InputError("--fail: a host is named twice")
    if fails and len(fails) == len(hosts):
        raise InputError("--fail: no host would survive")
    with about(args.plan):
        result = simulate(
            plan,
            load_catalog().get(plan.hypervisor),
            days=days,
            step_minutes=step,
            fail=[h for h, _ in fails],
            at_minute=fails[0][1] if fails else 0.0,
            measured=plan_series(plan, args.plan, args),
        )
    if args.json:
        print_json(result.model_dump(mode="json"))
    else:
        print(render(result))
    return 0
