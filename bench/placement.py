"""Placement benchmark: hosts against the lower bound, and a plain FFD baseline beside it.

Run with `python -m bench.placement` (add `--quick` to skip the 100,000-VM case). Instances
come from a seeded generator, so every run measures the same plans. Flavor frequencies in
the cloud mix are assumed (no public trace was downloaded), and labelled so.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

import numpy as np

from hvplanner.catalog import load_catalog
from hvplanner.engine.assumptions import resolve
from hvplanner.engine.placement import place
from hvplanner.engine.placement.heuristics import ffd
from hvplanner.engine.placement.problem import build
from hvplanner.model.plan import VM, HostModel, NicGroup, Plan, Policy

HYPERVISOR = "hyper-v@2008r2"

# vCPUs × GB per vCPU: 6 × 3 = 18 sizes; frequencies assumed (small VMs are common).
VCPUS = (1, 2, 4, 8, 16, 32)
GB_PER_VCPU = (2, 4, 8)
VCPU_WEIGHT = (0.22, 0.28, 0.24, 0.14, 0.08, 0.04)
GB_WEIGHT = (0.35, 0.45, 0.20)


def dual_socket(
    model_id: str = "dual-64c", cost: float | None = None, scale: float = 1.0
) -> HostModel:
    """2 sockets × 32 cores, 768 GB, 7.5 TB local disk, 2 × 25 GbE (scaled for variants)."""
    return HostModel(
        id=model_id,
        sockets=2,
        cores_per_socket=max(1, round(32 * scale)),
        ghz=2.5,
        ram_gb=768 * scale + 2,
        nics=[NicGroup(count=2, gbps=25 * scale)],
        disk_gb=7680 * scale,
        cost=cost,
    )


def cloud_policy(k: int = 0) -> Policy:
    # 4 vCPUs per LP (Nova's default since Antelope); the catalog's Hyper-V overhead and a
    # 2 GB host reserve (the +2 GB on the host model) stay in force.
    return Policy(vcpu_per_lp=4, host_reserve_mb=2048, failover_hosts=k)


def cloud_vms(n: int, seed: int, groups: float = 0.0) -> list[VM]:
    rng = np.random.default_rng(seed)
    v = rng.choice(len(VCPUS), size=n, p=VCPU_WEIGHT)
    g = rng.choice(len(GB_PER_VCPU), size=n, p=GB_WEIGHT)
    counts = np.zeros((len(VCPUS), len(GB_PER_VCPU)), dtype=np.int64)
    np.add.at(counts, (v, g), 1)
    vms: list[VM] = []
    n_grouped = int(n * groups)
    gid = 0
    for i, vc in enumerate(VCPUS):
        for j, gb in enumerate(GB_PER_VCPU):
            c = int(counts[i, j])
            if c == 0:
                continue
            size = {"vcpu": vc, "ram_gb": float(vc * gb), "disk_gb": 40.0 + 25.0 * vc}
            size["nic_mbps"] = 150.0 * vc
            take = min(c, n_grouped)
            n_grouped -= take
            while take > 0:  # replicas in anti-affinity groups of 2–5
                gs = min(int(rng.integers(2, 6)), take)
                vms.append(VM(id=f"f{vc}x{gb}-g{gid}", count=gs, anti_affinity=f"g{gid}", **size))
                gid += 1
                take -= gs
                c -= gs
            if c:
                vms.append(VM(id=f"f{vc}x{gb}", count=c, **size))
    return vms


def distinct_vms(n: int, seed: int) -> list[VM]:
    """The cloud mix as an imported estate has it: every VM its own size.

    vCPUs stay the flavor's; RAM is 70–100 % of the flavor's (VMs right-sized down from
    it), disk 50–150 % of it and NIC 40–100 % of it, uniform and independent, so no two
    VMs are alike. The spreads are assumed, not taken from a trace.
    """
    rng = np.random.default_rng(seed)
    v = rng.choice(len(VCPUS), size=n, p=VCPU_WEIGHT)
    g = rng.choice(len(GB_PER_VCPU), size=n, p=GB_WEIGHT)
    vc = np.array(VCPUS)[v]
    ram = vc * np.array(GB_PER_VCPU)[g] * rng.uniform(0.7, 1.0, n)
    disk = (40.0 + 25.0 * vc) * rng.uniform(0.5, 1.5, n)
    nic = 150.0 * vc * rng.uniform(0.4, 1.0, n)
    return [
        VM(
            id=f"d{i}",
            vcpu=int(vc[i]),
            ram_gb=round(float(ram[i]), 4),
            disk_gb=round(float(disk[i]), 2),
            nic_mbps=round(float(nic[i]), 2),
        )
        for i in range(n)
    ]


def distinct_plan(n: int, seed: int) -> Plan:
    return Plan(
        name=f"distinct {n}",
        hypervisor=HYPERVISOR,
        policy=cloud_policy(),
        host_models=[dual_socket()],
        vms=distinct_vms(n, seed),
    )


def uniform_plan(n: int, d: int, seed: int) -> Plan:
    """Items uniform in (0, 0.5]^d of a unit host, every one distinct."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 0.5, size=(n, 4))
    x = np.maximum(x, 1e-4)
    host = HostModel(
        id="unit",
        sockets=1,
        cores_per_socket=64,
        ghz=1.0,
        ram_gb=1000,
        disk_gb=1000,
        nics=[NicGroup(count=1, gbps=1)],
    )
    vms = []
    for i in range(n):
        kw: dict[str, float] = {"ram_gb": float(x[i, 0] * 1000), "disk_gb": float(x[i, 1] * 1000)}
        if d >= 4:
            kw["nic_mbps"] = float(x[i, 2] * 1000)
            kw["cpu_mhz"] = float(x[i, 3] * 64000)
        vms.append(VM(id=f"u{i}", vcpu=1, **kw))
    policy = Policy(vcpu_per_lp=8, vm_overhead_mb=0, host_reserve_mb=0)
    return Plan(name=f"uniform d={d}", policy=policy, host_models=[host], vms=vms)


def cloud_plan(n: int, seed: int, *, groups: float = 0.0, k: int = 0, models: int = 1) -> Plan:
    if models == 1:
        hms = [dual_socket()]
    else:
        # Assumed relative costs: a big host costs more per host, less per GB.
        hms = [
            dual_socket("dual-64c", cost=1.0),
            dual_socket("dual-96c-1.5x", cost=1.45, scale=1.5),
            dual_socket("dual-32c-half", cost=0.52, scale=0.5),
        ]
    return Plan(
        name=f"cloud {n}",
        hypervisor=HYPERVISOR,
        policy=cloud_policy(k),
        host_models=hms,
        vms=cloud_vms(n, seed, groups),
    )


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


@dataclass
class Row:
    case: str
    n: int
    hosts: float  # cost when the models have costs
    bound: float
    ratio: float
    seconds: float
    ffd_hosts: float
    ffd_seconds: float
    extra: str = ""


def baseline(plan: Plan) -> tuple[int, float, float | None]:
    """Plain FFD (sum of normalized sizes, first fit) on the same plan, in the same run.

    Grouped by flavor, which packs exactly as per-VM FFD does; with distinct sizes every
    flavor is one VM, so it is the per-VM reference FFD.

    With N+k it adds k dedicated spare hosts, the textbook reserve, so the counts compare.
    """
    t = time.perf_counter()
    a = resolve(plan.policy, load_catalog().get(plan.hypervisor))
    p = build(plan, a)
    costs = p.models.cost
    best = None
    for m in range(p.models.m):
        bins = ffd(p, p.flavors.count.copy(), "sum", m)
        c = float(costs[bins.models()].sum())
        if best is None or c < best[1]:
            best = (len(bins), c)
    assert best is not None
    k = plan.policy.failover_hosts
    cost = best[1] + k * float(costs.min())
    return best[0] + k, time.perf_counter() - t, cost if p.models.costed else None


def run_case(case: str, plan: Plan, time_limit: float) -> Row:
    ffd_hosts, ffd_s, ffd_cost = baseline(plan)
    t = time.perf_counter()
    cpu = time.process_time()
    r = place(plan, time_limit=time_limit)
    wall = time.perf_counter() - t
    cpu = time.process_time() - cpu
    # CPU seconds beside the wall seconds: on a shared machine the wall time is inflated.
    extra = f"CPU {cpu:.3f} s; {r.algorithm}; tight: {','.join(r.bounds.tight)}"
    if r.optimal:
        extra += "; proven optimal"
    if r.stopped:
        extra += "; stopped: " + ", ".join(r.stopped)
    extra += f"; peak RSS so far {_rss_mb():.0f} MB"
    if r.cost is not None and r.cost_lower_bound and ffd_cost is not None:
        extra += f"; {r.host_count} hosts {r.per_model}"
        return Row(
            case + " (cost)",
            plan.vm_count,
            r.cost,
            r.cost_lower_bound,
            r.cost / r.cost_lower_bound,
            wall,
            ffd_cost,
            ffd_s,
            extra,
        )
    if r.failover.k:
        extra += (
            f"; N+{r.failover.k} {'holds' if r.failover.holds else 'FAILS'} ({r.failover.method})"
        )
    return Row(
        case, plan.vm_count, r.host_count, r.lower_bound, r.ratio, wall, ffd_hosts, ffd_s, extra
    )


def cases(quick: bool) -> Iterator[tuple[str, Callable[[], Plan]]]:
    """(case, plan builder): plans are built one at a time, so memory is the case's own."""
    for n in (1_000, 10_000) if quick else (1_000, 10_000, 100_000):
        yield "1 cloud mix, 4-D", partial(cloud_plan, n, seed=n)
    for d in (2, 4):
        for n in (1_000, 10_000):
            yield f"2 uniform d={d}", partial(uniform_plan, n, d, seed=n + d)
    for n in (1_000, 10_000):
        yield "3 mix + anti-affinity 20 %", partial(cloud_plan, n, seed=n + 3, groups=0.2)
    for n in (1_000, 10_000):
        yield "4 mix + N+1", partial(cloud_plan, n, seed=n + 4, k=1)
    for n in (1_000, 10_000, 100_000)[: 2 if quick else 3]:
        yield "5 mix, 3 models, cost", partial(cloud_plan, n, seed=n + 5, models=3)
    for n in (10_000,) if quick else (10_000, 100_000, 300_000):
        yield "6 distinct sizes", partial(distinct_plan, n, seed=n + 7)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.placement")
    ap.add_argument("--quick", action="store_true", help="skip the 100,000-VM cases")
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--only", metavar="PREFIX", help="run only the cases whose name starts so")
    args = ap.parse_args(argv)
    place(cloud_plan(100, seed=1), time_limit=1.0)  # warm-up: imports, HiGHS, catalog
    head = "| case | N | hosts | lower bound | ratio | seconds | FFD hosts | FFD ratio | FFD s |"
    print(head + " notes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for case, build_plan in cases(args.quick):
        if args.only and not case.startswith(args.only):
            continue
        r = run_case(case, build_plan(), args.time_limit)
        print(
            f"| {r.case} | {r.n:,} | {r.hosts:g} | {r.bound:.6g} | {r.ratio:.4f} | "
            f"{r.seconds:.3f} | {r.ffd_hosts:g} | {r.ffd_hosts / r.bound:.4f} | "
            f"{r.ffd_seconds:.3f} | {r.extra} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
