"""Simulation benchmark: 2,000 VMs on 100 hosts, 7 days at 5-minute steps.

Budgets (issue #6): a full simulation ≤ 0.5 s; re-simulation after moving one VM ≤ 50 ms.
Baselines measured in the same run: a naive loop that builds every VM's series on its
own (on a slice, extrapolated), and the full recompute that a move would cost without
the per-host cache.

Run: python -m bench.simulation [--no-write]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from hvplanner.catalog import load_catalog
from hvplanner.engine.simulation.profiles import ShapeBank, TimeAxis, curves
from hvplanner.engine.simulation.simulate import Simulator
from hvplanner.model.plan import Plan

VMS = 2000
HOSTS = 100
DAYS = 7
STEP_MINUTES = 5
FULL_BUDGET_S = 0.5
MOVE_BUDGET_S = 0.050
NAIVE_SLICE = 200
RESULTS = Path(__file__).with_name("RESULTS.md")


def make_plan(kinds: tuple[str, ...]) -> Plan:
    return Plan.model_validate(
        {
            "name": f"{VMS} VMs on {HOSTS} hosts",
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
            "hosts": [{"id": f"h{i:03d}", "model": "2s16c"} for i in range(HOSTS)],
            "vms": [
                {
                    "id": f"vm{i:04d}",
                    "vcpu": 1 + i % 8,
                    "ram_gb": 2 + i % 16,
                    "nic_mbps": 50 + 10 * (i % 10),
                    "host": f"h{i % HOSTS:03d}",
                    "profile": kinds[i % len(kinds)],
                }
                for i in range(VMS)
            ],
        }
    )


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def naive(plan: Plan, sim: Simulator, n: int) -> None:
    """Every VM on its own: its series built and added to its host one by one."""
    axis = TimeAxis(DAYS, STEP_MINUTES)
    hosts = {h.id: np.zeros((3, axis.steps)) for h in plan.hosts}
    a = sim.assumptions
    for vm in plan.vms[:n]:
        bank = ShapeBank.new(axis)
        k, lo, hi = curves(bank, plan.workload(vm.profile), [vm.id], {})
        shapes = bank.matrix()
        for _ in range(vm.count):
            frac = lo[0, :, None] + hi[0, :, None] * shapes[k[0]]
            assert vm.host is not None
            h = hosts[vm.host]
            h[0] += vm.vcpu * frac[0]
            h[1] += vm.ram_gb * 1024 * frac[1] + a.vm_overhead_mb(vm.vcpu, vm.ram_gb)
            h[2] += vm.nic_mbps * frac[2]


def measure(kinds: tuple[str, ...], rng: np.random.Generator) -> dict[str, float]:
    plan = make_plan(kinds)
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
        vm = f"vm{rng.integers(VMS):04d}"
        host = f"h{rng.integers(HOSTS):03d}"
        t = time.perf_counter()
        sim.move(vm, host)
        sim.result()
        moves.append(time.perf_counter() - t)
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
    naive_s = min(timed(lambda: naive(plan, sim, NAIVE_SLICE), 2)) * VMS / NAIVE_SLICE
    return {
        "full": statistics.median(full_s),
        "move": statistics.median(moves),
        "move_max": max(moves),
        "naive": naive_s,
        "shapes": float(len(sim.shapes)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    rng = np.random.default_rng(6)
    steps = TimeAxis(DAYS, STEP_MINUTES).steps
    cases = {
        "mixed profiles (constant, diurnal, nightly-batch, bursty)": (
            "constant",
            "diurnal",
            "nightly-batch",
            "bursty",
        ),
        "all bursty (one shape per VM: the worst case)": ("bursty",),
    }
    lines = [
        f"{VMS:,} VMs on {HOSTS} hosts, {DAYS} days at {STEP_MINUTES}-minute steps "
        f"({steps:,} steps), {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"NumPy {np.__version__}, {datetime.date.today().isoformat()}",
        "",
        "| case | full simulation | move + result (median / max of 50) "
        "| naive per-VM loop (extrapolated) | full ÷ move | naive ÷ full |",
        "|---|---|---|---|---|---|",
    ]
    ok = True
    for label, kinds in cases.items():
        m = measure(kinds, rng)
        ok &= m["full"] <= FULL_BUDGET_S and m["move"] <= MOVE_BUDGET_S
        lines.append(
            f"| {label}, {int(m['shapes'])} shapes | {m['full'] * 1000:.0f} ms "
            f"| {m['move'] * 1000:.1f} / {m['move_max'] * 1000:.1f} ms "
            f"| {m['naive'] * 1000:.0f} ms | {m['full'] / m['move']:.0f}× "
            f"| {m['naive'] / m['full']:.1f}× |"
        )
    verdict = (
        f"Budgets: full ≤ {FULL_BUDGET_S * 1000:.0f} ms, move ≤ {MOVE_BUDGET_S * 1000:.0f} ms "
        f"(median): {'met' if ok else 'NOT met'}."
    )
    lines += [
        "",
        "Full: build every series and every host's summary. Move: one VM to another host, "
        "then the result again (two hosts and the cluster recomputed). Naive: each VM's "
        f"series built and added on its own (series only, no summaries), timed on "
        f"{NAIVE_SLICE} VMs and scaled to {VMS:,}.",
        "",
        verdict,
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        head = "" if RESULTS.exists() else "# Benchmark results\n"
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(f"{head}\n## Simulation\n\n{text}\n")


if __name__ == "__main__":
    main()
