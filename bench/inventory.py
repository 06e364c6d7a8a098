"""Inventory import at scale: a 100,000-row RVTools workbook, a 1,000,000-row CSV through
`hvplanner import`, and 20,000 rows that all share one VM name.

    python -m bench.inventory [--rows N] [--csv-rows M] [--same K]

Each import runs in a child process so its peak RSS is its own (`os.wait4`). Baselines in
the same run, on the same bytes: a plain python-calamine pass over the vInfo tab, a plain
`csv.reader` pass over the CSV, and the distinct-names twin of the repeated-names file (a
linear id assignment keeps their ratio near 1).
Targets (issue 16, 18.6): workbook ≤ 5 s and ≤ 500 MB; the CSV ≤ 10 s and ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORKBOOK_S, WORKBOOK_MB = 5.0, 500.0
CSV_S, CSV_MB = 10.0, 1000.0

VINFO = [
    *("VM", "Powerstate", "Template", "CPUs", "Memory", "Provisioned MiB", "In Use MiB"),
    *("Datacenter", "Cluster", "Host", "OS according to the configuration file"),
]
VHOST = ["Host", "Cluster", "Speed", "HT Active", "# CPU", "Cores per CPU", "# Cores"]
VHOST += ["# Memory", "ESX Version"]
HOSTS = 200


def _vinfo_row(i: int) -> list[object]:
    power = "poweredOff" if i % 10 == 0 else "poweredOn"
    os_name = ("Microsoft Windows Server 2019 (64-bit)", "Ubuntu Linux (64-bit)")[i % 2]
    return [
        *(f"vm{i:07d}", power, False, 1 + i % 8, 1024 * (2 + i % 16), 40960, 20480),
        *("DC", f"cl{i % 8}", f"esx{i % HOSTS:03d}", os_name),
    ]


def make_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    info = wb.create_sheet("vInfo")
    info.append(VINFO)
    for i in range(rows):
        info.append(_vinfo_row(i))
    host = wb.create_sheet("vHost")
    host.append(VHOST)
    for h in range(HOSTS):
        host.append(
            [f"esx{h:03d}", "cl", 2600, True, 2, 16, 32, 524288, "VMware ESXi 8.0.2 build-1"]
        )
    wb.save(path)


def make_csv(path: Path, rows: int, same_name: bool = False) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(VINFO)
        for i in range(rows):
            row = _vinfo_row(i)
            if same_name:
                row[0], row[1] = "web", "poweredOn"
            w.writerow(row)


def child(code: str) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of a fresh interpreter running `code`.
    CPU time (user + system) is what the machine's other load does not inflate."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code])
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench child failed: {code}")
    return secs, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cli_import(src: Path, out: Path) -> tuple[float, float, float]:
    code = (
        "import sys; from hvplanner.cli import main; "
        f"sys.stdout = open('/dev/null', 'w'); sys.exit(main(['import', {str(src)!r}, "
        f"'-o', {str(out)!r}]))"
    )
    return child(code)


def read_only(src: Path) -> tuple[float, float, float]:
    return child(
        f"from hvplanner.formats.inventory import read_inventory; read_inventory({str(src)!r})"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.inventory")
    ap.add_argument("--rows", type=int, default=100_000, help="workbook rows")
    ap.add_argument("--csv-rows", type=int, default=1_000_000)
    ap.add_argument("--same", type=int, default=20_000, help="rows all named 'web'")
    args = ap.parse_args(argv)
    out_rows: list[tuple[str, float, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        wb, big, same, distinct = d / "rv.xlsx", d / "big.csv", d / "same.csv", d / "dist.csv"
        make_workbook(wb, args.rows)
        make_csv(big, args.csv_rows)
        make_csv(same, args.same, same_name=True)
        make_csv(distinct, args.same)

        base_wb = child(
            "from python_calamine import CalamineWorkbook; "
            f"s = CalamineWorkbook.from_path({str(wb)!r}).get_sheet_by_name('vInfo'); "
            "sum(1 for _ in s.iter_rows())"
        )
        imp_wb = cli_import(wb, d / "wb.hvplan.json")
        base_csv = child(f"import csv; sum(1 for _ in csv.reader(open({str(big)!r}, newline='')))")
        imp_csv = cli_import(big, d / "big.hvplan.json")
        read_csv = read_only(big)
        t_same = read_only(same)
        t_dist = read_only(distinct)
        wb_mb = wb.stat().st_size / 1e6
        csv_mb = big.stat().st_size / 1e6

    def verdict(wall: float, cpu: float, mb: float, s_max: float, mb_max: float) -> str:
        ok = cpu <= s_max and mb <= mb_max
        return f"{'meets' if ok else 'MISSES'} ≤ {s_max:g} s (CPU), ≤ {mb_max:g} MB"

    out_rows += [
        ("python-calamine pass over vInfo (baseline)", *base_wb, ""),
        (
            f"`hvplanner import` workbook, {args.rows:,} rows, -o plan",
            *imp_wb,
            verdict(*imp_wb, WORKBOOK_S, WORKBOOK_MB),
        ),
        ("csv.reader pass over the CSV (baseline)", *base_csv, ""),
        (
            f"`hvplanner import` CSV, {args.csv_rows:,} rows, -o plan",
            *imp_csv,
            verdict(*imp_csv, CSV_S, CSV_MB),
        ),
        ("read_inventory, same CSV (no plan written)", *read_csv, ""),
        (f"read_inventory, {args.same:,} distinct names", *t_dist, ""),
        (
            f"read_inventory, {args.same:,} rows all named 'web'",
            *t_same,
            f"{t_same[1] / t_dist[1]:.2f}× distinct (CPU)",
        ),
    ]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"## Inventory import (workbook {wb_mb:.1f} MB, CSV {csv_mb:.1f} MB)")
    print()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {sys.platform}, "
        f"{os.cpu_count()} CPUs, load average {load} at the end of the run. Each row is a "
        "fresh process (interpreter start included)."
    )
    print()
    print("| step | wall s | CPU s | peak RSS MB | × baseline (CPU) / target |")
    print("|---|---:|---:|---:|---|")
    ratios = {1: base_wb[1], 3: base_csv[1]}
    for i, (name, wall, cpu, mb, note) in enumerate(out_rows):
        base = ratios.get(i)
        extra = f"{cpu / base:.1f}× baseline; " if base else ""
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {mb:.0f} | {extra}{note} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
