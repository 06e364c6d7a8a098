"""N+k: the plan survives the loss of any k hosts, or hosts are added until it does.

Two ways to establish it, both sufficient:
- spares: at least k empty hosts of models that each hold the whole load of any loaded
  host they cover. If j of the failed hosts are spares, at most k − j loaded hosts failed
  and at least k − j spares survive, so every failed host restarts whole on its own spare.
- simulation (small plans): every failure set of k hosts is tried; the failed hosts' VMs
  are re-placed first fit, largest first, on the survivors' free capacity, keeping
  anti-affinity. Failure to re-place here only means "not shown", so spares are added.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from hvplanner.engine.placement.flavors import FloatArray
from hvplanner.engine.placement.packing import OpenBins
from hvplanner.engine.placement.problem import EPS, VCPU, Problem, fits

# Above these the exhaustive simulation costs more than it can save (one spare host).
SIMULATE_MAX_HOSTS = 400
SIMULATE_MAX_SETS = 400

Item = tuple[FloatArray, int, int]  # demand, count, group


@dataclass(frozen=True)
class Outcome:
    holds: bool
    method: str
    spares: list[int]  # bin indices kept empty as reserve


def _items(bins: OpenBins, b: int) -> list[Item]:
    p = bins.p
    host = bins.bins[b]
    out: list[Item] = []
    if host.fixed >= 0:
        out.extend(p.fixed[host.fixed].items)
    for f, c in host.content.items():
        out.append((p.flavors.dem[f], c, int(p.flavors.group[f])))
    return out


def _dominates(problem: Problem, model: int, load: FloatArray, widest: float) -> bool:
    return bool(fits(load, problem.models.cap[model]).all()) and (
        widest <= problem.models.lps[model] + EPS
    )


def _spare_cover(bins: OpenBins, k: int, loaded: list[int], empty: list[int]) -> bool:
    """The spare certificate: every loaded host is covered by a model with ≥ k spares."""
    if k == 0:
        return True
    p = bins.p
    load = bins.loads()
    spare_models: dict[int, int] = {}
    for b in empty:
        m = int(bins.model[b])
        spare_models[m] = spare_models.get(m, 0) + 1
    usable = [m for m, n in spare_models.items() if n >= k]
    for b in loaded:
        widest = max((float(d[VCPU]) for d, _, _ in _items(bins, b)), default=0.0)
        if not any(_dominates(p, m, load[b], widest) for m in usable):
            return False
    return True


def _survives(bins: OpenBins, failed: tuple[int, ...]) -> bool:
    p = bins.p
    res = bins.residual().copy()
    models = bins.models()
    res[list(failed)] = -1.0
    groups: dict[int, set[int]] = {g: set(s) for g, s in bins.groups.items()}
    for b in failed:
        for holders in groups.values():
            holders.discard(b)
    items = [it for b in failed for it in _items(bins, b)]
    scale = np.where(np.isfinite(p.models.cap), p.models.cap, 0.0).max(axis=0)
    scale[scale <= 0] = 1.0
    items.sort(key=lambda it: -float((it[0] / scale).sum()))
    for dem, count, g in items:
        need = dem > 0
        for _ in range(count if g >= 0 else 1):
            n = 1 if g >= 0 else count
            q = np.floor(res[:, need] / dem[need] + 1e-9).min(axis=1) if need.any() else None
            q = np.full(len(res), n) if q is None else q.clip(min=0)
            q[dem[VCPU] > p.models.lps[models] + EPS] = 0
            if g >= 0:
                q = np.minimum(q, 1)
                q[list(groups.get(g, ()))] = 0
            before = np.cumsum(q) - q
            take = np.minimum(q, np.maximum(n - before, 0))
            if take.sum() < n:
                return False
            res -= take[:, None] * dem
            if g >= 0:
                groups.setdefault(g, set()).update(np.flatnonzero(take).tolist())
    return True


def _simulate(bins: OpenBins, k: int, loaded: list[int]) -> bool | None:
    """True/False when every k-subset was tried; None when there are too many to try."""
    if len(bins) > SIMULATE_MAX_HOSTS:
        return None
    k_eff = min(k, len(loaded))
    if math.comb(len(loaded), k_eff) > SIMULATE_MAX_SETS:
        return None
    return all(_survives(bins, s) for s in itertools.combinations(loaded, k_eff))


def _split(bins: OpenBins) -> tuple[list[int], list[int]]:
    loaded: list[int] = []
    empty: list[int] = []
    for b, host in enumerate(bins.bins):
        has = bool(host.content) or (host.fixed >= 0 and bool(bins.p.fixed[host.fixed].items))
        (loaded if has else empty).append(b)
    return loaded, empty


def check(bins: OpenBins, k: int) -> tuple[bool, str]:
    loaded, empty = _split(bins)
    if k == 0:
        return True, "no failover asked (k = 0)"
    if _spare_cover(bins, k, loaded, empty):
        return True, "spares"
    if len(loaded) + len(empty) <= k:
        return False, "fewer hosts than failures"
    sim = _simulate(bins, k, loaded)
    if sim:
        return True, "simulation"
    return False, "not shown" if sim is None else "simulation failed"


def cover_models(bins: OpenBins, loaded: list[int]) -> list[int]:
    """Models whose spares can take over the loaded hosts whole: one if a single model can
    take any of them (the cheapest such), else the cheapest per host (its own model always
    qualifies, since its load fits its own capacity)."""
    p = bins.p
    load = bins.loads()
    widest = {b: max((float(d[VCPU]) for d, _, _ in _items(bins, b)), default=0.0) for b in loaded}
    order = [int(m) for m in np.argsort(p.models.cost, kind="stable")]
    for m in order:
        if all(_dominates(p, m, load[b], widest[b]) for b in loaded):
            return [m]
    chosen: set[int] = set()
    for b in loaded:
        chosen.add(next(m for m in order if _dominates(p, m, load[b], widest[b])))
    return sorted(chosen)


def ensure(bins: OpenBins, k: int) -> Outcome:
    """Add spare hosts until the plan survives any k failures."""
    holds, method = check(bins, k)
    loaded, empty = _split(bins)
    if not holds:
        covers = cover_models(bins, loaded)
        spares = {m: sum(1 for b in empty if bins.model[b] == m) for m in covers}
        while not holds:
            m = min(covers, key=lambda c: spares[c])
            bins.open(m)
            spares[m] += 1
            holds, method = check(bins, k)
    _, empty = _split(bins)
    return Outcome(holds, method, empty if k > 0 else [])
