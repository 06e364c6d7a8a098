"""Simulation benchmark: 2,000 VMs on 100 hosts and 20,000 VMs on 1,000 hosts, 7 days at
5-minute steps, mixed profiles and the all-bursty worst case.

Budgets: at 2,000 VMs (issue #6) a full simulation ≤ 0.5 s and re-simulation after
moving one VM ≤ 50 ms; at 20,000 VMs (issue #19) a full simulation ≤ 0.3 s of CPU.
Times are CPU seconds of this process (user + sys), the median of 5 runs.
Baselines measured in the same run: a naive loop that builds every VM's series on its
own (on a slice, extrapolated); the full recompute that a move would cost without the
per-host cache; and, with git at hand, the engine of an earlier commit (`--previous`,
default the one before shared burst shapes) on the same plans, in a subprocess.

Run: python -m bench.simulation [--no-write] [--previous REV]
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.previous import PREVIOUS, run_at
from hvplanner.catalog import load_catalog
from hvplanner.engine.simulation.profiles import ShapeBank, TimeAxis, curves
from hvplanner.engine.simulation.simulate import Simulator
from hvplanner.model.plan import Plan
from hvplanner.text import plural

DAYS = 7
STEP_MINUTES = 5
# (VMs, hosts, full budget, move budget): issue #6's plan, issue #19's.
SIZES = ((2000, 100, 0.5, 0.050), (20000, 1000, 0.3, None))
NAIVE_SLICE = 200
RESULTS = Path(__file__).with_name("RESULTS.md")


def make_plan(kinds: tuple[str, ...], vms: int = 2000, hosts: int = 100) -> Plan:
    return Plan.model_validate(plan_dict(kinds, vms, hosts))


def plan_dict(kinds: tuple[str, ...], vms: int, hosts: int) -> dict[str, object]:
    return {
        "name": f"{vms} VMs on {hosts} hosts",
        "hypervisor": "kvm",
        "host_models": [
            {
                "id": "2s16c",
                "sockets": 2,
                "cores_per_socket": 16,
                "threads_per_core": 2,
                "ghz": 2.5,
                "ram_gb": 768,
                "nics": [{"count": 4, "gbps": 10}],
            }
        ],
        "hosts": [{"id": f"h{i:03d}", "model": "2s16c"} for i in range(hosts)],
        "vms": [
            {
                "id": f"vm{i:04d}",
                "vcpu": 1 + i % 8,
                "ram_gb": 2 + i % 16,
                "nic_mbps": 50 + 10 * (i % 10),
                "host": f"h{i % hosts:03d}",
                "profile": kinds[i % len(kinds)],
            }
            for i in range(vms)
        ],
    }


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """CPU seconds of each call: the machine is shared, wall time is not ours."""
    out = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        out.append(time.process_time() - t)
    return out


_PREVIOUS_RUN = """
import statistics, time
from bench.previous import PREVIOUS, run_at
from hvplanner.catalog import load_catalog
from hvplanner.engine.simulation.simulate import Simulator
from hvplanner.model.plan import Plan
from hvplanner.text import plural
plan = Plan.model_validate_json(open(sys.argv[2], encoding="utf-8").read())
hv = load_catalog().get(plan.hypervisor)
Simulator(plan, hv).result()
runs = []
for _ in range(int(sys.argv[3])):
    t = time.process_time()
    Simulator(plan, hv).result()
    runs.append(time.process_time() - t)
print(statistics.median(runs))
"""


def previous_engine(rev: str, plan: dict[str, object], repeat: int) -> float | None:
    """The full simulation's CPU seconds with the engine of commit `rev` (None: no git)."""
    with tempfile.TemporaryDirectory(prefix="hvplanner-bench-") as tmp:
        path = Path(tmp) / "plan.json"
        path.write_text(json.dumps(plan), encoding="utf-8")
        out = run_at(rev, _PREVIOUS_RUN, str(path), str(repeat))
    return None if out is None else float(out)


def naive(plan: Plan, sim: Simulator, n: int) -> None:
    """Every VM on its own: its series built and added to its host one by one."""
    axis = TimeAxis(DAYS, STEP_MINUTES)
    hosts = {h.id: np.zeros((3, axis.steps)) for h in plan.hosts}
    a = sim.assumptions
    for vm in plan.vms[:n]:
        bank = ShapeBank.new(axis)
        k, lo, hi, spikes = curves(bank, plan.workload(vm.profile), [vm.id], {})
        shapes = bank.matrix()[k[0]] + spikes.dense(axis.steps)
        for _ in range(vm.count):
            frac = lo[0, :, None] + hi[0, :, None] * shapes
            assert vm.host is not None
            h = hosts[vm.host]
            h[0] += vm.vcpu * frac[0]
            h[1] += vm.ram_gb * 1024 * frac[1] + a.vm_overhead_mb(vm.vcpu, vm.ram_gb)
            h[2] += vm.nic_mbps * frac[2]


def measure(
    kinds: tuple[str, ...], vms: int, hosts: int, rng: np.random.Generator, previous: str
) -> dict[str, float]:
    plan = make_plan(kinds, vms, hosts)
    hv = load_catalog().get(plan.hypervisor)

    def full() -> Simulator:
        s = Simulator(plan, hv, days=DAYS, step_minutes=STEP_MINUTES)
        s.result()
        return s

    full()  # warm-up: imports, catalog, NumPy dispatch
    full_s = timed(full, 5)
    sim = full()
    moves = []
    for _ in range(50):
        vm = f"vm{rng.integers(vms):04d}"
        host = f"h{rng.integers(hosts):03d}"
        t = time.process_time()
        sim.move(vm, host)
        sim.result()
        moves.append(time.process_time() - t)
    # The incremental series must equal a fresh full run on the moved plan.
    moved = plan.model_copy(
        update={
            "vms": [
                v.model_copy(update={"host": sim.hosts[int(sim.host_of[i])].id})
                for i, v in enumerate(plan.vms)
            ]
        }
    )
    fresh = Simulator(moved, hv, days=DAYS, step_minutes=STEP_MINUTES)
    assert np.allclose(sim.series, fresh.series, rtol=1e-9, atol=1e-6)
    naive_s = min(timed(lambda: naive(plan, sim, NAIVE_SLICE), 2)) * vms / NAIVE_SLICE
    before = previous_engine(previous, plan_dict(kinds, vms, hosts), 3) if previous else None
    return {
        "full": statistics.median(full_s),
        "move": statistics.median(moves),
        "move_max": max(moves),
        "naive": naive_s,
        "previous": float("nan") if before is None else before,
        "shapes": float(len(sim.shapes)),
        "spikes": float(len(sim.spike_start)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument(
        "--previous",
        default=PREVIOUS,
        help=f"git revision whose engine is the baseline (default {PREVIOUS}; '' for none)",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(6)
    steps = TimeAxis(DAYS, STEP_MINUTES).steps
    cases = {
        "mixed profiles": ("constant", "diurnal", "nightly-batch", "bursty"),
        "all bursty": ("bursty",),
    }
    lines = [
        f"{DAYS} days at {STEP_MINUTES}-minute steps ({steps:,} steps), {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{datetime.date.today().isoformat()}; CPU seconds (user + sys), median of 5",
        "",
        "| plan | case | full simulation | budget | previous engine "
        f"({args.previous or 'not run'}) | naive per-VM loop (extrapolated) "
        "| move + result (median / max of 50) | previous ÷ full | naive ÷ full |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ok = True
    for vms, hosts, full_budget, move_budget in SIZES:
        for label, kinds in cases.items():
            m = measure(kinds, vms, hosts, rng, args.previous)
            ok &= m["full"] <= full_budget
            if move_budget is not None:
                ok &= m["move"] <= move_budget
            budget = f"≤ {full_budget * 1000:.0f} ms" + (
                f", move ≤ {move_budget * 1000:.0f} ms" if move_budget is not None else ""
            )
            prev = m["previous"]
            known = not math.isnan(prev)
            ratio = prev / m["full"]
            lines.append(
                f"| {vms:,} VMs on {hosts:,} hosts | {label}: {plural(int(m['shapes']), 'shape')}, "
                f"{int(m['spikes']):,} spikes | {m['full'] * 1000:.0f} ms | {budget} "
                f"| {f'{prev * 1000:.0f} ms' if known else '—'} "
                f"| {m['naive'] * 1000:.0f} ms "
                f"| {m['move'] * 1000:.1f} / {m['move_max'] * 1000:.1f} ms "
                f"| {f'{ratio:.1f}×' if known else '—'} "
                f"| {m['naive'] / m['full']:.1f}× |"
            )
    lines += [
        "",
        "Full: build every series and every host's summary. Move: one VM to another host, "
        "then the result again (two hosts and the cluster recomputed). Naive: each VM's "
        f"series built and added on its own (series only, no summaries), timed on "
        f"{NAIVE_SLICE} VMs and scaled. Previous: the same full simulation by the engine "
        "of that commit, in a subprocess of the same run.",
        "",
        f"Budgets: {'met' if ok else 'NOT met'}.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        head = "" if RESULTS.exists() else "# Benchmark results\n"
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(f"{head}\n## Simulation\n\n{text}\n")


if __name__ == "__main__":
    main()
