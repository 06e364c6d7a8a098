"""Import and export at scale: a 100,000-VM plan file and a 100,000-row RVTools CSV.

    python -m bench.io [--vms N] [--repeat R]

Each figure is the best of R runs, printed beside a baseline measured in the same run on
the same bytes (plain json.loads, plain csv.reader), so the ratio survives a slow machine.
The target: a 100,000-VM plan loads in at most 2 s.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hvplanner.catalog import load_catalog
from hvplanner.engine.report import build_report
from hvplanner.formats.exchange import report_to_json
from hvplanner.formats.inventory import read_inventory
from hvplanner.formats.planfile import load_plan, plan_from_data, plan_to_json
from hvplanner.model.plan import Plan

LOAD_TARGET_S = 2.0
HOSTS = 200
RVTOOLS_HEADER = [
    *("VM", "Powerstate", "Template", "CPUs", "Memory", "Provisioned MB", "In Use MB"),
    *("Cluster", "Host", "OS according to the configuration file"),
]


def make_plan_data(n_vms: int) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "name": f"{n_vms} VMs",
        "hypervisor": "esxi@8.0",
        "policy": {"vcpu_per_lp": 4, "host_reserve_mb": 4096},
        "host_models": [
            {
                "id": "2s32c",
                "sockets": 2,
                "cores_per_socket": 32,
                "threads_per_core": 2,
                "ghz": 2.8,
                "ram_gb": 2048,
                "nics": [{"count": 4, "gbps": 25}],
            }
        ],
        "hosts": [{"id": f"h{i:03d}", "model": "2s32c"} for i in range(HOSTS)],
        "vms": [
            {
                "id": f"vm-{i:06d}",
                "name": f"server {i}",
                "vcpu": 1 + i % 8,
                "ram_gb": 2 + i % 16,
                "disk_gb": 40 + i % 200,
                "nic_mbps": 100 + i % 900,
                "host": f"h{i % HOSTS:03d}",
                "profile": ("constant", "diurnal", "bursty")[i % 3],
            }
            for i in range(n_vms)
        ],
    }


def make_rvtools_csv(n_rows: int) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(RVTOOLS_HEADER)
    for i in range(n_rows):
        power = "poweredOff" if i % 10 == 0 else "poweredOn"
        sizes = [1 + i % 8, 1024 * (2 + i % 16), 40960, 20480]
        where = [f"cl{i % 8}", f"esx{i % HOSTS:03d}", "Ubuntu Linux (64-bit)"]
        w.writerow([f"vm{i:06d}", power, "False", *sizes, *where])
    return buf.getvalue()


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.io")
    ap.add_argument("--vms", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    n, r = args.vms, args.repeat

    with tempfile.TemporaryDirectory() as tmp:
        plan_path = Path(tmp) / "big.hvplan.json"
        plan = Plan.model_validate(make_plan_data(n))
        plan_path.write_text(plan_to_json(plan), encoding="utf-8")
        raw = plan_path.read_bytes()
        profile = load_catalog().get(plan.hypervisor)
        report = build_report(plan, profile)
        csv_path = Path(tmp) / "rvtools.csv"
        csv_text = make_rvtools_csv(n)
        csv_path.write_text(csv_text, encoding="utf-8")

        rows: list[tuple[str, float, float | None]] = []
        json_loads = best(lambda: json.loads(raw), r)
        read = best(plan_path.read_bytes, r)
        load = best(lambda: load_plan(plan_path), r)
        dict_path = best(lambda: plan_from_data(json.loads(raw)), r)
        rows += [
            ("read the file (bytes)", read, None),
            ("json.loads (baseline)", json_loads, 1.0),
            ("load_plan: one-pass validation", load, load / json_loads),
            ("json.loads + model_validate", dict_path, dict_path / json_loads),
        ]
        data = json.loads(raw)
        dumps = best(lambda: json.dumps(data), r)
        save = best(lambda: plan_to_json(plan), r)
        export = best(lambda: report_to_json(build_report(plan, profile)), r)
        rows += [
            ("json.dumps of the same data, compact (baseline)", dumps, 1.0),
            ("plan_to_json", save, save / dumps),
            ("export: sizing + results JSON", export, export / dumps),
        ]
        csv_base = best(lambda: sum(1 for _ in csv.reader(io.StringIO(csv_text))), r)
        imp = best(lambda: read_inventory(csv_path), r)
        rows += [
            ("csv.reader over the RVTools CSV (baseline)", csv_base, 1.0),
            ("read_inventory: RVTools CSV", imp, imp / csv_base),
        ]
        mb = len(raw) / 1e6
        csv_mb = len(csv_text.encode()) / 1e6
        export_mb = len(report_to_json(report).encode()) / 1e6

    print(f"## Import and export ({n:,} VMs; best of {r})")
    print()
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {sys.platform}, "
        f"{os.cpu_count()} CPUs, load average {load_avg} at the end of the run."
    )
    print(f"Plan file {mb:.1f} MB; export {export_mb:.1f} MB; RVTools CSV {csv_mb:.1f} MB.")
    print()
    print("| step | seconds | × baseline |")
    print("|---|---:|---:|")
    for name, secs, ratio in rows:
        print(f"| {name} | {secs:.3f} | {'' if ratio is None else f'{ratio:.2f}'} |")
    print()
    verdict = "meets" if load <= LOAD_TARGET_S else "MISSES"
    print(
        f"load_plan of {n:,} VMs: {load:.2f} s, {verdict} the {LOAD_TARGET_S:g} s target; "
        f"one-pass validation is {dict_path / load:.2f}× as fast as json.loads + model_validate."
    )
    return 0 if load <= LOAD_TARGET_S or n != 100_000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
