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
from array import array
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from hvplanner.engine.simulation.profiles import MeasuredSeries
from hvplanner.errors import InputError
from hvplanner.formats.files import (
    ReadCancelledError,
    inside_folder,
    read_limited,
    resolve_in_folder,
)
from hvplanner.model.plan import Plan

COLUMNS = ("minute", "cpu", "ram", "nic")
MAX_SAMPLES = 10_000_000
# A series file is read whole; a year of one-minute samples is about 15 MB.
MAX_SERIES_BYTES = 64 * 1024 * 1024
# A parse asks whether to go on after this many lines (a 64 MB series has about 3 million).
PROGRESS_LINES = 20_000
# Of a file's share of the progress, reading takes this part and parsing the rest: parsing
# is the slow part on a local disk.
READ_SHARE = 0.1
PARTS_PER_FILE = 1000

Fraction = Callable[[float], bool]
"""progress(fraction done, 0 to 1) -> False to stop."""
Progress = Callable[[int, int], bool]
"""progress(done, total) -> False to stop."""


class SeriesCancelledError(ReadCancelledError):
    """Reading the series stopped because the progress callback asked it to."""


def _minute(text: str) -> float:
    if ":" in text:
        hh, _, mm = text.partition(":")
        return int(hh) * 60.0 + float(mm)
    return float(text)


def parse_measured_csv(text: str, where: str, progress: Fraction | None = None) -> MeasuredSeries:
    lines = text.count("\n") + 1 if progress is not None else 1
    return _parse(io.StringIO(text), where, progress, lines)


def _parse(
    source: Iterable[str], where: str, progress: Fraction | None, lines: int
) -> MeasuredSeries:
    rows = csv.reader(source)
    header = [h.strip().lower() for h in next(rows, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(f"{where}: line 1: missing column(s) {', '.join(missing)}")
    col = {c: header.index(c) for c in COLUMNS}
    # Typed arrays, not lists: turning millions of list items into NumPy arrays would hold
    # the interpreter lock for most of a second, and the window reads series in a thread.
    values: dict[str, array[float]] = {c: array("d") for c in COLUMNS}
    for line, row in enumerate(rows, start=2):
        if progress is not None and line % PROGRESS_LINES == 0 and not progress(line / lines):
            raise SeriesCancelledError
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
    arr = {c: np.frombuffer(v, dtype=np.float64) for c, v in values.items()}
    return MeasuredSeries(arr["minute"], arr["cpu"], arr["ram"], arr["nic"])


# The window re-simulates after every edit: a series file that has not changed since it
# was read (same inode, size and modification time) is not read and parsed again.
_read_before: dict[tuple[str, int, int, int], MeasuredSeries] = {}
_REMEMBERED = 16


def load_measured_csv(
    path: str | os.PathLike[str], progress: Fraction | None = None
) -> MeasuredSeries:
    p = Path(path)
    try:
        st = os.stat(p)
        key = (str(p.resolve()), st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        return _load(p, progress)  # read_limited says what is wrong with it
    if key not in _read_before:
        if len(_read_before) >= _REMEMBERED:
            _read_before.pop(next(iter(_read_before)))
        _read_before[key] = _load(p, progress)
    return _read_before[key]


def _load(p: Path, progress: Fraction | None = None) -> MeasuredSeries:
    read = None
    parse = None
    if progress is not None:
        report = progress

        def read(got: int, expected: int) -> bool:
            return report(READ_SHARE * got / expected)

        def parse(fraction: float) -> bool:
            return report(READ_SHARE + (1 - READ_SHARE) * fraction)

    try:
        raw = read_limited(p, MAX_SERIES_BYTES, "a series", InputError, read)
    except ReadCancelledError:
        raise SeriesCancelledError from None
    # Decoded as it is parsed: decoding 64 MB at once, or wrapping the text in a StringIO,
    # holds the interpreter lock (and so the window) for a second or more.
    text = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", newline="")
    try:
        return _parse(text, str(p), parse, raw.count(b"\n") + 1)
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: not UTF-8 text ({exc.reason})") from None


class SeriesFile(NamedTuple):
    workload: str
    written: str  # the path as the plan writes it
    field: str  # "PLAN: workloads[i].series", as messages name it
    path: Path  # resolved
    inside: bool  # within the plan's folder


def series_files(plan: Plan, plan_path: str | os.PathLike[str]) -> list[SeriesFile]:
    """Where the series of each measured workload is, resolved against the plan's folder;
    nothing is read (symbolic links are followed to say where they lead)."""
    folder = Path(plan_path).parent
    out = []
    for i, w in enumerate(plan.workloads):
        if w.kind == "measured" and w.series:
            path, inside = resolve_in_folder(folder, w.series)
            field = f"{plan_path}: workloads[{i}].series"
            out.append(SeriesFile(w.name, w.series, field, path, inside))
    return out


def _file_share(progress: Progress, n: int, files: int) -> Fraction:
    """The progress of file `n` of `files` as a share of the whole."""

    def part(fraction: float) -> bool:
        return progress(n * PARTS_PER_FILE + int(fraction * PARTS_PER_FILE), files * PARTS_PER_FILE)

    return part


def load_plan_series(
    plan: Plan,
    plan_path: str | os.PathLike[str],
    *,
    allow_outside: bool | Collection[Path] = False,
    progress: Progress | None = None,
) -> dict[str, MeasuredSeries]:
    """The series of every measured workload, paths taken relative to the plan file.

    A path that leads out of the plan's folder is refused (OutsideFolderError naming the
    plan, the field and the path) unless `allow_outside` is True or holds that resolved
    path: the user confirmed it. A plan from elsewhere must not read any file it names
    without the user knowing. `progress(done, total)` returning False stops the reading
    with SeriesCancelledError.
    """
    folder = Path(plan_path).parent
    files = series_files(plan, plan_path)
    out: dict[str, MeasuredSeries] = {}
    for n, f in enumerate(files):
        confirmed = allow_outside is True or (
            not isinstance(allow_outside, bool) and f.path in allow_outside
        )
        path = f.path if confirmed else inside_folder(folder, f.written, f.field)
        part = None if progress is None else _file_share(progress, n, len(files))
        try:
            out[f.workload] = load_measured_csv(path, part)
        except InputError as exc:  # the series' own message, after the plan and field
            raise InputError(f"{f.field}: {exc}") from exc
    return out
