"""The per-row figures of a simulation summary: peak, p95, mean, percentages, minutes over
the lines, CPU contention, RAM ballooned and swapped, from demand series (3, rows, steps).

Two ways to the same figures. `steady`: capacities and allocated RAM fixed over time (a
plain run), where every figure but p95 and the mean follows from each row's maximum or
minimum, because dividing or subtracting a constant keeps the order of the steps; only the
rows that pass a line are looked at step by step. `varying`: a failure's capacities drop
during the run, so each step is taken with its own.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import numpy.typing as npt

from hvplanner.engine.simulation.profiles import FloatArray

CPU, RAM, NIC = 0, 1, 2
# Demand within this relative margin of a line is not "over" it: float sums of 0.1s
# must not count a host at exactly 100 % as overloaded.
REL_EPS = 1e-9


@dataclasses.dataclass(frozen=True)
class Figures:
    """Per metric and row (3, n) unless said: the numbers a summary row shows."""

    peak: FloatArray
    p95: FloatArray
    mean: FloatArray
    peak_pct: FloatArray
    p95_pct: FloatArray
    over_head: FloatArray  # minutes; NaN where the capacity is unknown
    over_cap: FloatArray
    start_cap: FloatArray
    start_head: FloatArray
    end_cap: FloatArray
    contention_peak: FloatArray  # (n,) % of CPU demand the host cannot serve
    contention_mean: FloatArray
    allocated: FloatArray  # (n,) at the start
    ballooned_peak: FloatArray  # (n,)
    swapped_peak: FloatArray


def p95(x: FloatArray, top: FloatArray | None = None) -> FloatArray:
    """np.percentile(x, 95, axis=-1), the same numbers, from one sort along the contiguous
    last axis (NumPy's own partitions four ranks along the first, strided, axis: slower,
    and slowest on the many equal steps of shaped workloads). `top`: x.max(axis=-1) when
    the caller has it, to see NaN (which np.percentile answers) without another pass.

    Linear interpolation between the order statistics k and k+1, k = ⌊0.95·(n − 1)⌋, as
    NumPy's _lerp does it, so the figures do not move by a bit."""
    n = x.shape[-1]
    if top is None:
        top = x.max(axis=-1) if n else np.zeros(x.shape[:-1])
    if n == 0 or np.isnan(top).any():
        out: FloatArray = np.percentile(x, 95, axis=-1)
        return out
    at = (n - 1) * np.float64(0.95)
    k = math.floor(at)
    if k >= n - 1:
        return top
    ranked = np.sort(x, axis=-1)
    lo, hi = ranked[..., k], ranked[..., k + 1]
    t = at - k
    diff = hi - lo
    between: FloatArray = hi - diff * (1 - t) if t >= 0.5 else lo + diff * t
    return between


# Rows of demand taken at once by `row_stats`: about 0.75 MB at 2,016 steps, so that the
# maximum, mean, trough and sort each read them from the CPU cache, not from memory.
_BLOCK_CELLS = 96 * 1024


def row_stats(demand: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Peak, mean, p95 and trough of each row of `demand` (…, steps), block by block."""
    steps = demand.shape[-1]
    rows = demand.reshape(-1, steps)
    shape = demand.shape[:-1]
    out = np.zeros((4, len(rows)))
    if steps == 0:
        return (
            out[0].reshape(shape),
            out[1].reshape(shape),
            out[2].reshape(shape),
            out[3].reshape(shape),
        )
    block = max(_BLOCK_CELLS // steps, 1)
    for r0 in range(0, len(rows), block):
        part = rows[r0 : r0 + block]
        top = part.max(axis=1)
        out[0, r0 : r0 + block] = top
        out[1, r0 : r0 + block] = part.mean(axis=1)
        out[2, r0 : r0 + block] = p95(part, top)
        out[3, r0 : r0 + block] = part.min(axis=1)
    peak, mean, ninety_five, trough = (x.reshape(shape) for x in out)
    return peak, mean, ninety_five, trough


def _contention(demand: FloatArray, cap: FloatArray, valid: npt.NDArray[np.bool_]) -> FloatArray:
    short = valid & (demand > cap)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(short, 1.0 - cap / demand, 0.0) * 100.0
    return out


def steady(
    demand: FloatArray, cap: FloatArray, head: FloatArray, allocated: FloatArray, step: float
) -> Figures:
    """Capacities cap, head (3, n) and allocated (n,) that hold for every step."""
    peak, mean, ninety_five, trough = row_stats(demand)
    valid = np.isfinite(cap) & (cap > 0)
    c = np.where(valid, cap, 1.0)
    peak_pct = np.where(valid, peak / c * 100.0, np.nan)
    p95_pct = np.where(valid, ninety_five / c * 100.0, np.nan)

    def minutes_over(line: FloatArray) -> FloatArray:
        thr = line * (1 + REL_EPS)
        out = np.zeros(peak.shape)
        with np.errstate(invalid="ignore"):
            m, i = np.nonzero(valid & (peak > thr))
        if len(m):
            out[m, i] = (demand[m, i] > thr[m, i, None]).sum(axis=1) * step
        return np.where(valid, out, np.nan)

    n = demand.shape[1]
    contention_peak = np.zeros(n)
    contention_mean = np.zeros(n)
    short = np.flatnonzero(valid[CPU] & (peak[CPU] > cap[CPU]))
    if len(short):
        rows = _contention(demand[CPU, short], cap[CPU, short, None], valid[CPU, short, None])
        contention_peak[short] = rows.max(axis=1)
        contention_mean[short] = rows.mean(axis=1)
    # Swapped: active RAM beyond the capacity; ballooned: the rest of what was promised
    # beyond it. Both are monotone in the demand: their peaks come from its peak and trough.
    r_cap = np.where(valid[RAM], cap[RAM], 0.0)
    swapped_peak = np.maximum(peak[RAM] - r_cap, 0.0)
    swapped_least = np.maximum(trough[RAM] - r_cap, 0.0)
    ballooned_peak = np.maximum(np.maximum(allocated - r_cap, 0.0) - swapped_least, 0.0)
    return Figures(
        peak=peak,
        p95=ninety_five,
        mean=mean,
        peak_pct=peak_pct,
        p95_pct=p95_pct,
        over_head=minutes_over(head),
        over_cap=minutes_over(cap),
        start_cap=cap,
        start_head=head,
        end_cap=cap,
        contention_peak=contention_peak,
        contention_mean=contention_mean,
        allocated=allocated,
        ballooned_peak=ballooned_peak,
        swapped_peak=swapped_peak,
    )


def varying(
    demand: FloatArray, cap: FloatArray, head: FloatArray, allocated: FloatArray, step: float
) -> Figures:
    """Capacities cap, head (3, n, T) and allocated (n, T) that change during the run."""
    # A failed host's capacity drops to 0; its figures cover the steps it was up, the
    # same steps its percentages do (an unknown capacity, NaN, still counts as up).
    up = np.broadcast_to(~((cap == 0) & (cap[:, :, :1] != 0)), demand.shape)
    if up.all():
        peak = demand.max(axis=2)
        mean = demand.mean(axis=2)
        ninety_five = p95(demand, peak)
    else:
        seen = up.any(axis=2)
        kept = np.where(up, demand, np.nan)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # rows never up: all-NaN
            peak = np.where(seen, np.nanmax(kept, axis=2), 0.0)
            mean = np.where(seen, np.nanmean(kept, axis=2), 0.0)
            ninety_five = np.where(seen, np.nanpercentile(kept, 95, axis=2), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = np.isfinite(cap) & (cap > 0)
        util = np.where(valid, demand / np.where(valid, cap, 1.0), np.nan)
        known = valid.any(axis=2)
        filled = np.where(np.isnan(util), -np.inf, util)
        peak_pct = np.where(known, filled.max(axis=2) * 100.0, np.nan)
        if valid.all():
            p95_pct = p95(util) * 100.0
        else:
            p95_pct = np.full(peak.shape, np.nan)
            rows = np.flatnonzero(known.ravel())
            if len(rows):
                flat = util.reshape(-1, util.shape[2])[rows]
                p95_pct.ravel()[rows] = np.nanpercentile(flat, 95, axis=1) * 100.0
    over_head = (valid & (demand > head * (1 + REL_EPS))).sum(axis=2) * step
    over_cap = (valid & (demand > cap * (1 + REL_EPS))).sum(axis=2) * step
    c_cap = np.broadcast_to(cap[CPU], demand[CPU].shape)
    contention = _contention(demand[CPU], c_cap, valid[CPU])
    r_cap = np.broadcast_to(np.where(valid[RAM], cap[RAM], 0.0), demand[RAM].shape)
    swapped = np.maximum(demand[RAM] - r_cap, 0.0)
    ballooned = np.maximum(np.maximum(allocated - r_cap, 0.0) - swapped, 0.0)
    return Figures(
        peak=peak,
        p95=ninety_five,
        mean=mean,
        peak_pct=peak_pct,
        p95_pct=p95_pct,
        over_head=np.where(known, over_head, np.nan),
        over_cap=np.where(known, over_cap, np.nan),
        start_cap=cap[:, :, 0],
        start_head=head[:, :, 0],
        end_cap=cap[:, :, -1],
        contention_peak=contention.max(axis=1),
        contention_mean=contention.mean(axis=1),
        allocated=np.broadcast_to(allocated, demand[RAM].shape)[:, 0],
        ballooned_peak=ballooned.max(axis=1),
        swapped_peak=swapped.max(axis=1),
    )
