"""Greedy packings over flavors: first-fit decreasing variants and Panigrahy's bin-centric rules.

All work on (flavor, count) pairs. First fit places every copy a host can take in one array
operation; the bin-centric rules fill one host at a time and then repeat the same host
pattern as often as the remaining counts allow, which reproduces the per-VM greedy exactly.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from hvplanner.engine.placement.flavors import FloatArray, IntArray
from hvplanner.engine.placement.packing import OpenBins, cheapest_model, per_empty_host
from hvplanner.engine.placement.problem import D, Problem

Score = Callable[[FloatArray, FloatArray, FloatArray], FloatArray]


def normalized(problem: Problem, model: int) -> FloatArray:
    """Demand as a fraction of one host of the model; unlimited dimensions count as 0."""
    cap = problem.models.cap[model]
    out: FloatArray = np.where(np.isfinite(cap), problem.flavors.dem / np.where(cap > 0, cap, 1), 0)
    return out


def sort_keys(problem: Problem, count: IntArray, model: int) -> dict[str, FloatArray]:
    n = normalized(problem, model)
    weight = (n * count[:, None]).sum(axis=0)
    weight = weight / weight.sum() if weight.sum() > 0 else np.ones(D)
    return {
        "sum": n.sum(axis=1),
        "max": n.max(axis=1),
        "l2": (n * n).sum(axis=1),
        "weighted": n @ weight,
        "expo": n @ np.exp(0.01 * weight * D),
    }


def first_fit(bins: OpenBins, count: IntArray, order: IntArray, primary: int) -> None:
    """First fit in the given flavor order; every instance of a flavor in one pass."""
    p = bins.p
    left = count.copy()
    # Only flavors with copies to place: a repair's leftovers are a few of 100,000.
    for f in order[count[order] > 0].tolist():
        c = int(left[f])
        if c == 0:
            continue
        if len(bins):
            q = np.minimum(bins.copies_that_fit(f), c)
            before = np.cumsum(q) - q
            take = np.minimum(q, np.maximum(c - before, 0))
            for b in np.flatnonzero(take):
                bins.put(int(b), f, int(take[b]))
            c -= int(take.sum())
        if c == 0:
            continue
        mask = np.zeros(p.flavors.k, dtype=bool)
        mask[f] = True
        model = cheapest_model(p, mask, primary)
        per = 1 if p.flavors.group[f] >= 0 else per_empty_host(p, f, model)
        full, rest = divmod(c, per)
        bins.fill_new(model, f, per, full)
        if rest:
            bins.put(bins.open(model), f, rest)
        left[f] = 0


def ffd(problem: Problem, count: IntArray, key: str, primary: int) -> OpenBins:
    bins = OpenBins(problem, use_fixed=False)
    keys = sort_keys(problem, count, primary)[key]
    first_fit(bins, count, np.argsort(-keys, kind="stable"), primary)
    return bins


def _dot(dn: FloatArray, res: FloatArray, w: FloatArray) -> FloatArray:
    out: FloatArray = dn @ (w * res)
    return out


def _l2(dn: FloatArray, res: FloatArray, w: FloatArray) -> FloatArray:
    gap = res[None, :] - dn
    out: FloatArray = -((gap * gap) @ w)
    return out


SCORES: dict[str, Score] = {"dot": _dot, "l2": _l2}


def fill_bin(
    dn: FloatArray, left: IntArray, res: FloatArray, w: FloatArray, score: Score
) -> dict[int, int]:
    """Greedy fill of one host from residual `res` (normalized); returns row → copies."""
    sim = left.copy()
    placed: dict[int, int] = {}
    res = res.copy()
    rows = np.flatnonzero(sim > 0)
    while rows.size:
        sub = dn[rows]
        ok = (sub <= res + 1e-9).all(axis=1)
        if not ok.any():
            break
        rows = rows[ok]
        s = score(sub[ok], res, w)
        j = int(rows[int(np.argmax(s))])
        res -= dn[j]
        sim[j] -= 1
        placed[j] = placed.get(j, 0) + 1
        if sim[j] == 0:
            rows = rows[rows != j]
    return placed


def bin_centric(
    problem: Problem, count: IntArray, primary: int, score: str = "dot", dynamic: bool = True
) -> OpenBins:
    """Panigrahy et al.'s bin-centric rule: open a host, add the best-scoring VM that fits."""
    bins = OpenBins(problem, use_fixed=False)
    left = count.copy()
    norm = {m: normalized(problem, m) for m in range(problem.models.m)}
    rule = SCORES[score]
    while left.any():
        active = left > 0
        model = cheapest_model(problem, active, primary)
        can = active & problem.elig[:, model]
        idx = np.flatnonzero(can)
        dn = norm[model][idx]
        w = _weights(dn, left[idx], dynamic)
        placed = fill_bin(dn, left[idx], np.ones(D), w, rule)
        if not placed:  # cannot happen for eligible flavors; guard against a silent loop
            raise RuntimeError("bin-centric fill placed nothing in an empty host")
        reps = min(int(left[idx[j]]) // n for j, n in placed.items())
        for _ in range(reps):
            b = bins.open(model)
            for j, n in placed.items():
                bins.put(b, int(idx[j]), n)
        for j, n in placed.items():
            left[idx[j]] -= n * reps
    return bins


def _weights(dn: FloatArray, left: IntArray, dynamic: bool) -> FloatArray:
    if not dynamic:
        return np.ones(dn.shape[1])
    w: FloatArray = (dn * left[:, None]).sum(axis=0)
    total = w.sum()
    return w / total if total > 0 else np.ones(dn.shape[1])


def fill_partial(bins: OpenBins, count: IntArray, score: str = "dot", dynamic: bool = True) -> None:
    """Fill hosts that are already open (pinned VMs, placed group members) from `count`.

    Takes what it places out of `count`. Anti-affinity flavors are `place_groups`' work.
    """
    p = bins.p
    left = np.where(p.flavors.group >= 0, 0, count)
    rule = SCORES[score]
    for b, host in enumerate(bins.bins):
        if not left.any():
            break
        cap = p.models.cap[host.model]
        finite = np.isfinite(cap)
        idx = np.flatnonzero((left > 0) & p.elig[:, host.model])
        if not idx.size:
            continue
        scale = np.where(finite & (cap > 0), cap, 1.0)
        dn = np.where(finite, p.flavors.dem[idx] / scale, 0.0)
        res = np.where(finite, bins.res[b] / scale, 1.0)
        placed = fill_bin(dn, left[idx], res, _weights(dn, left[idx], dynamic), rule)
        for j, n in placed.items():
            f = int(idx[j])
            bins.put(b, f, n)
            left[f] -= n
            count[f] -= n


def place_groups(bins: OpenBins, count: IntArray, primary: int) -> None:
    """Members of anti-affinity groups first, each on a host without another member.

    Largest groups first, as a group of k needs k hosts; each member goes to the first host
    that has room and no member of its group, so members share hosts with other groups.
    """
    p = bins.p
    fl = p.flavors
    aa = np.flatnonzero((fl.group >= 0) & (count > 0))
    if not aa.size:
        return
    size = normalized(p, primary).sum(axis=1)
    by_group: dict[int, list[int]] = {}
    for i in aa:
        by_group.setdefault(int(fl.group[i]), []).append(int(i))
    order = sorted(by_group, key=lambda g: (-int(count[by_group[g]].sum()), g))
    for g in order:
        flavors = sorted(by_group[g], key=lambda f: -size[f])
        for f in (int(x) for x in flavors):
            for _ in range(int(count[f])):
                q = bins.copies_that_fit(f) if len(bins) else np.zeros(0, dtype=np.int64)
                hit = np.flatnonzero(q > 0)
                if hit.size:
                    b = int(hit[0])
                else:
                    mask = np.zeros(fl.k, dtype=bool)
                    mask[f] = True
                    b = bins.open(cheapest_model(p, mask, primary))
                bins.put(b, f, 1)
            count[f] = 0


def bin_centric_per_vm(problem: Problem, count: IntArray, primary: int) -> OpenBins:
    """The dot-product bin-centric rule over VM instances, for sizes that do not repeat.

    `bin_centric` re-scores every flavor for each host it opens and copies its counts;
    here the instances left are one compacted array per dimension (only the dimensions
    some VM uses), the weights a running sum, and each step scores only the instances
    that still fit the host being filled (a set that only shrinks as it fills). The
    same packing as `bin_centric` with the "dot" score, at a fraction of its work: one
    pass over the instances left per host, O(VMs × hosts) — for plans up to about
    ten thousand distinct sizes.
    """
    bins = OpenBins(problem, use_fixed=False)
    rows = np.repeat(np.arange(problem.flavors.k), count)
    norm = {m: normalized(problem, m)[rows] for m in range(problem.models.m)}
    dims = {m: np.flatnonzero(norm[m].any(axis=0)) for m in norm}
    cols = {m: [np.ascontiguousarray(norm[m][:, d]) for d in dims[m]] for m in norm}
    left = {m: norm[m].sum(axis=0)[dims[m]] for m in norm}
    alive = np.ones(len(rows), dtype=bool)
    live = np.arange(len(rows))
    present = np.zeros(problem.flavors.k, dtype=bool)
    while live.size:
        if problem.models.m > 1:
            present[:] = False
            present[rows[live]] = True
        model = cheapest_model(problem, present, primary)
        col = cols[model]
        cand = live[problem.elig[rows[live], model]]
        total = left[model].sum()
        w = left[model] / total if total > 0 else np.ones(len(col))
        res = np.ones(len(col))
        b = bins.open(model)
        placed: list[int] = []
        while cand.size:
            sub = [c[cand] for c in col]
            ok = np.ones(cand.size, dtype=bool)
            for x, r in zip(sub, res, strict=True):
                ok &= x <= r + 1e-9
            if not ok.all():
                if not ok.any():
                    break
                cand = cand[ok]
                sub = [x[ok] for x in sub]
            score = np.zeros(cand.size)
            for x, wr in zip(sub, w * res, strict=True):
                score += x * wr
            pick = int(np.argmax(score))
            j = int(cand[pick])
            for d, x in enumerate(sub):
                res[d] -= x[pick]
            bins.put(b, int(rows[j]), 1)
            placed.append(j)
            cand = np.delete(cand, pick)
        if not placed:  # cannot happen for eligible VMs; guard against a silent loop
            raise RuntimeError("bin-centric fill placed nothing in an empty host")
        alive[placed] = False
        for m in norm:
            left[m] = left[m] - norm[m][placed][:, dims[m]].sum(axis=0)
        live = live[alive[live]]
    return bins
