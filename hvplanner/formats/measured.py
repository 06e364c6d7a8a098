"""Measured workloads: a CSV time series per workload, read into fractions per metric.

Columns (any order, a header line first): `minute` (offset from the start, ascending;
`HH:MM` also accepted) and `cpu`, `ram`, `nic` as fractions from 0 to 1 of the VM's
vCPUs, configured RAM and nic_mbps. A VM with cpu_mhz (its peak) follows the cpu column
scaled so that the column's maximum is cpu_mhz.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

import numpy as np

from hvplanner.engine.simulation.profiles import MeasuredSeries
from hvplanner.errors import InputError
from hvplanner.formats.files import inside_folder, read_limited
from hvplanner.model.plan import Plan

COLUMNS = ("minute", "cpu", "ram", "nic")
MAX_SAMPLES = 10_000_000
# A series file is read whole; a year of one-minute samples is about 15 MB.
MAX_SERIES_BYTES = 64 * 1024 * 1024


def _minute(text: str) -> float:
    if ":" in text:
        hh, _, mm = text.partition(":")
        return int(hh) * 60.0 + float(mm)
    return float(text)


def parse_measured_csv(text: str, where: str) -> MeasuredSeries:
    rows = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(rows, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(f"{where}: line 1: missing column(s) {', '.join(missing)}")
    col = {c: header.index(c) for c in COLUMNS}
    values: dict[str, list[float]] = {c: [] for c in COLUMNS}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        for c in COLUMNS:
            cell = row[col[c]].strip() if col[c] < len(row) else ""
            try:
                x = _minute(cell) if c == "minute" else float(cell)
            except ValueError:
                raise InputError(f"{where}: line {line}: {c}: {cell!r} is not a number") from None
            if not math.isfinite(x) or (c != "minute" and not 0 <= x <= 1) or x < 0:
                what = "a minute offset ≥ 0" if c == "minute" else "a fraction from 0 to 1"
                raise InputError(f"{where}: line {line}: {c}: {cell} is not {what}")
            if c == "minute" and values["minute"] and x <= values["minute"][-1]:
                raise InputError(f"{where}: line {line}: minute: {cell} is not after the last")
            values[c].append(x)
        if len(values["minute"]) > MAX_SAMPLES:
            raise InputError(f"{where}: more than {MAX_SAMPLES} samples")
    if not values["minute"]:
        raise InputError(f"{where}: no samples")
    arr = {c: np.array(v, dtype=np.float64) for c, v in values.items()}
    return MeasuredSeries(arr["minute"], arr["cpu"], arr["ram"], arr["nic"])


# The window re-simulates after every edit: a series file that has not changed since it
# was read (same inode, size and modification time) is not read and parsed again.
_read_before: dict[tuple[str, int, int, int], MeasuredSeries] = {}
_REMEMBERED = 16


def load_measured_csv(path: str | os.PathLike[str]) -> MeasuredSeries:
    p = Path(path)
    try:
        st = os.stat(p)
        key = (str(p.resolve()), st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        return _load(p)  # read_limited says what is wrong with it
    if key not in _read_before:
        if len(_read_before) >= _REMEMBERED:
            _read_before.pop(next(iter(_read_before)))
        _read_before[key] = _load(p)
    return _read_before[key]


def _load(p: Path) -> MeasuredSeries:
    raw = read_limited(p, MAX_SERIES_BYTES, "a series", InputError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: not UTF-8 text ({exc.reason})") from None
    return parse_measured_csv(text, str(p))


def load_plan_series(plan: Plan, plan_path: str | os.PathLike[str]) -> dict[str, MeasuredSeries]:
    """The series of every measured workload, paths taken relative to the plan file and
    kept inside its folder (a plan from elsewhere must not read any file it names)."""
    folder = Path(plan_path).parent
    out: dict[str, MeasuredSeries] = {}
    for i, w in enumerate(plan.workloads):
        if w.kind == "measured" and w.series:
            field = f"{plan_path}: workloads[{i}].series"
            path = inside_folder(folder, w.series, field)
            try:
                out[w.name] = load_measured_csv(path)
            except InputError as exc:  # the series' own message, after the plan and field
                raise InputError(f"{field}: {exc}") from exc
    return out
