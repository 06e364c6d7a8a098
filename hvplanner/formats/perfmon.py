"""Measured load from Windows Performance Monitor: a counter log saved as CSV.

`relog counters.blg -f csv -o web01.csv` (or Performance Monitor ▸ Save Data As ▸ CSV)
writes the PDH-CSV 4.0 layout (learn.microsoft.com/windows-server/administration/
windows-commands/relog): the first header cell is `(PDH-CSV 4.0) (…)(offset)`, the others
are counter paths `\\\\COMPUTER\\Object(Instance)\\Counter`; each row starts with a timestamp
`MM/DD/YYYY HH:MM:SS.mmm`. Read here:

- `\\Processor(_Total)\\% Processor Time` → cpu (÷ 100);
- `\\Memory\\% Committed Bytes In Use` → ram (÷ 100: committed memory, the closest counter
  to the share of the VM's RAM in use);
- `\\Network Interface(*)\\Bytes Total/sec`, summed over interfaces → nic, as a fraction
  of the VM's nic_mbps (0 when the VM has none).

The result is the measured-series CSV a `measured` workload names (`formats.measured`):
`minute,cpu,ram,nic`, minutes from the first sample.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hvplanner.errors import InputError
from hvplanner.model.plan import VM, Plan, WorkloadProfile

_PDH = re.compile(r"^\(PDH-CSV")
_CPU = re.compile(r"\\processor\(_total\)\\% processor time$", re.IGNORECASE)
_RAM = re.compile(r"\\memory\\% committed bytes in use$", re.IGNORECASE)
_NIC = re.compile(r"\\network interface\([^)]*\)\\bytes total/sec$", re.IGNORECASE)
_COMPUTER = re.compile(r"^\\\\([^\\]+)\\")
MAX_SAMPLES = 1_000_000


def is_perfmon(head: str) -> bool:
    first = head.lstrip("\ufeff").lstrip('"')
    return bool(_PDH.match(first))


@dataclass(frozen=True)
class PerfSeries:
    computer: str
    minutes: list[float]
    cpu: list[float]
    ram: list[float]
    nic_bytes: list[float]

    def to_csv(self, nic_mbps: float) -> str:
        """The measured-series CSV, NIC as a fraction of `nic_mbps`."""
        out = ["minute,cpu,ram,nic"]
        for m, c, r, b in zip(self.minutes, self.cpu, self.ram, self.nic_bytes, strict=True):
            nic = min(1.0, b * 8 / (nic_mbps * 1e6)) if nic_mbps > 0 else 0.0
            out.append(f"{m:g},{c:.4f},{r:.4f},{nic:.4f}")
        return "\n".join(out) + "\n"


def _time(text: str) -> datetime:
    for pattern in ("%m/%d/%Y %H:%M:%S.%f", "%m/%d/%Y %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    raise ValueError(text)


def _fraction(text: str) -> float | None:
    text = text.strip()
    if not text:  # perfmon leaves a cell blank (or " ") when a sample is missing
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return min(max(value / 100.0, 0.0), 1.0)


def parse_perfmon(text: str, where: str) -> PerfSeries:
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(rows, [])
    if not header or not is_perfmon(header[0]):
        raise InputError(f"{where}: not a Performance Monitor CSV (no '(PDH-CSV 4.0)' header)")
    cpu_i = next((i for i, h in enumerate(header) if _CPU.search(h)), None)
    ram_i = next((i for i, h in enumerate(header) if _RAM.search(h)), None)
    nic_is = [i for i, h in enumerate(header) if _NIC.search(h)]
    if cpu_i is None or ram_i is None:
        raise InputError(
            f"{where}: read as a Performance Monitor CSV: needed the counters "
            r"\Processor(_Total)\% Processor Time and \Memory\% Committed Bytes In Use"
        )
    m = _COMPUTER.match(header[cpu_i])
    computer = m.group(1) if m else ""
    start: datetime | None = None
    series = PerfSeries(computer, [], [], [], [])
    last = -1.0
    for line, row in enumerate(rows, start=2):
        if not row or not any(c.strip() for c in row):
            continue
        try:
            when = _time(row[0])
            cpu = _fraction(row[cpu_i]) if cpu_i < len(row) else None
            ram = _fraction(row[ram_i]) if ram_i < len(row) else None
            nic = sum(float(row[i]) for i in nic_is if i < len(row) and row[i].strip())
        except ValueError:
            raise InputError(f"{where}: line {line}: not a sample ({row[0]!r}…)") from None
        if cpu is None or ram is None:
            continue  # a gap in the log
        start = start or when
        minute = (when - start).total_seconds() / 60.0
        if minute <= last:
            raise InputError(f"{where}: line {line}: the time {row[0]!r} is not after the last")
        last = minute
        series.minutes.append(minute)
        series.cpu.append(cpu)
        series.ram.append(ram)
        series.nic_bytes.append(nic if math.isfinite(nic) and nic > 0 else 0.0)
        if len(series.minutes) > MAX_SAMPLES:
            raise InputError(f"{where}: more than {MAX_SAMPLES:,} samples")
    if not series.minutes:
        raise InputError(f"{where}: read as a Performance Monitor CSV: no samples")
    return series


SERIES_BYTES = 64 * 1024 * 1024


def attach_series(plan: Plan, folder: Path, plan_path: Path) -> tuple[Plan, list[str]]:
    """Each Performance Monitor CSV in `folder` whose computer (or file name) is a VM of the
    plan becomes that VM's `measured` workload: its series is written beside the plan, in
    `<plan name>.series/`, and named relative to it. Returns the plan and one note per file."""
    from hvplanner.formats.files import read_limited
    from hvplanner.formats.planfile import write_atomic
    from hvplanner.model.edits import rebuild

    if not folder.is_dir():
        raise InputError(f"--series: {folder} is not a folder")
    by_name: dict[str, VM] = {}
    for vm in plan.vms:
        by_name.setdefault(vm.id.casefold(), vm)
        by_name.setdefault(vm.label.casefold(), vm)
    out_dir = plan_path.parent / f"{plan_path.name.split('.')[0]}.series"
    notes: list[str] = []
    chosen: dict[str, WorkloadProfile] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix.casefold() == ".csv"):
        raw = read_limited(path, SERIES_BYTES, "a counter log", InputError)
        text = raw.decode("utf-8-sig", errors="replace")
        if not is_perfmon(text[:64]):
            notes.append(f"{path.name}: not a Performance Monitor CSV, left out")
            continue
        series = parse_perfmon(text, str(path))
        found = by_name.get(series.computer.casefold()) or by_name.get(path.stem.casefold())
        if found is None:
            notes.append(f"{path.name}: no VM named {series.computer or path.stem!r}, left out")
            continue
        vm = found
        target = out_dir / f"{vm.id}.csv"
        try:
            out_dir.mkdir(exist_ok=True)
            write_atomic(target, series.to_csv(vm.nic_mbps))
        except OSError as exc:
            raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from exc
        name = f"perf-{vm.id}"[:128]
        chosen[vm.id] = WorkloadProfile(
            name=name, kind="measured", series=str(target.relative_to(plan_path.parent))
        )
        hours = series.minutes[-1] / 60
        notes.append(
            f"{path.name}: {vm.id} measured, {len(series.minutes):,} samples over "
            f"{hours:.1f} h → {target.relative_to(plan_path.parent)}"
        )
    if not chosen:
        return plan, notes
    vms = [
        v.model_copy(update={"profile": chosen[v.id].name}) if v.id in chosen else v
        for v in plan.vms
    ]
    return rebuild(plan, vms=vms, workloads=[*plan.workloads, *chosen.values()]), notes
